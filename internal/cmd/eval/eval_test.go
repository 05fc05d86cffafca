package eval

import (
	"context"
	"encoding/json"
	"os"
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

// TestEvalActions scores action gold of our own writing: the table and
// the JSON carry kind and date accuracy.
func TestEvalActions(t *testing.T) {
	dir := t.TempDir()
	article := "广东省卫生健康委员会于2023年6月12日决定暂停开展神经阻断瘦肩术。\n武侯区卫生健康局对某某诊所作出行政处罚。\n"
	gold := `{"actions":[
	 {"kind":"suspension","actor":"广东省卫生健康委员会","actor_text":"广东省卫生健康委员会","target":"神经阻断瘦肩术","target_type":"procedure","scope":null,"conditions":[],
	  "jurisdiction":"provincial","effective_date":"2023-06-12","date_text":"2023年6月12日","evidence":"广东省卫生健康委员会于2023年6月12日决定暂停开展神经阻断瘦肩术。"},
	 {"kind":"penalty","actor":"武侯区卫生健康局","actor_text":"武侯区卫生健康局","target":"某某诊所","target_type":"institution","scope":null,"conditions":[],
	  "jurisdiction":"district","effective_date":null,"date_text":null,"evidence":"武侯区卫生健康局对某某诊所作出行政处罚。"}],
	 "not_actions":[]}`
	writeFile(t, dir+"/a.txt", article)
	writeFile(t, dir+"/a.json", gold)
	ios, _, out, _ := iostreams.Test()
	opts := &EvalOptions{IO: ios, Extractor: func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
		GoldDir: dir, Format: "table", Actions: true, Errors: true}
	if err := evalRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind accuracy (matched)\t1.000\t2/2", "effective-date accuracy (matched, gold dated)\t1.000\t1/1",
		"a date where the gold gives none (matched, gold undated)\t0.000\t0/1", "1 documents"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out.Reset()
	opts.Format = "json"
	if err := evalRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var r struct {
		KindAccuracy float64 `json:"kind_accuracy"`
		DateAccuracy float64 `json:"date_accuracy"`
		Precision    float64 `json:"precision"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.KindAccuracy != 1 || r.DateAccuracy != 1 || r.Precision != 1 {
		t.Errorf("json %s (%v)", out, err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
