package eval

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/score"
)

func TestNewCmdEval(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		gold    string
		dirs    []string
		errors  bool
		wantErr bool
	}{
		{name: "gold only", args: []string{"g"}, gold: "g"},
		{name: "article dirs and errors", args: []string{"--errors", "g", "a", "b"}, gold: "g", dirs: []string{"a", "b"}, errors: true},
		{name: "no gold dir", args: []string{}, wantErr: true},
		{name: "bad format", args: []string{"--format", "csv", "g"}, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdEval, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if got.GoldDir != tt.gold || strings.Join(got.ArticleDirs, ",") != strings.Join(tt.dirs, ",") || got.Errors != tt.errors {
				t.Errorf("got %+v", got)
			}
		})
	}
}

// TestEvalRun scores the seed articles: the table has the overall rows
// and the per-predicate rows, the JSON the counts, and the seed set
// scores 1.0 on core entities and relations.
func TestEvalRun(t *testing.T) {
	dev := cmdtest.Devset(t)
	ios, _, out, _ := iostreams.Test()
	opts := &EvalOptions{IO: ios, Extractor: func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
		GoldDir: dev, Format: "table"}
	if err := evalRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"core entities", "relations", "bans", "4 documents; 0 denied statements asserted"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out.Reset()
	opts.Format, opts.Errors = "json", true
	if err := evalRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var res score.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Docs != 4 || res.Core.Recall() != 1 || res.Core.Precision() != 1 || res.Relations.F1() != 1 {
		t.Errorf("devset scores %+v, want 4 documents at 1.0", res)
	}
}

// TestEvalRunMissingArticles: gold without its articles fails with
// "not found" and says where it looked.
func TestEvalRunMissingArticles(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	opts := &EvalOptions{IO: ios, Extractor: func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
		GoldDir: "../../../testdata/corpus/dev", ArticleDirs: []string{t.TempDir()}, Format: "table"}
	err := evalRun(context.Background(), opts)
	if medkg.ErrorCode(err) != medkg.ENOTFOUND || !strings.Contains(err.Error(), "no article") {
		t.Fatalf("err = %v, want not found naming the missing article", err)
	}
}
