package gaps

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdGaps(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    GapsOptions
		wantErr bool
	}{
		{name: "defaults", args: []string{"dir"}, want: GapsOptions{Files: []string{"dir"}, MinCount: 2, Format: "tsv"}},
		{name: "flags", args: []string{"-t", "nerve,muscle", "--type", "procedure", "--min-count", "5", "--format", "json", "a", "b"},
			want: GapsOptions{Files: []string{"a", "b"}, MinCount: 5, Types: []string{"nerve", "muscle", "procedure"}, Format: "json"}},
		{name: "no path", args: nil, wantErr: true},
		{name: "bad type", args: []string{"--type", "bone", "dir"}, wantErr: true},
		{name: "bad min count", args: []string{"--min-count", "0", "dir"}, wantErr: true},
		{name: "bad format", args: []string{"--format", "table", "dir"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdGaps, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if strings.Join(got.Files, ",") != strings.Join(tt.want.Files, ",") || got.MinCount != tt.want.MinCount ||
				strings.Join(got.Types, ",") != strings.Join(tt.want.Types, ",") || got.Format != tt.want.Format {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// corpus writes a small corpus of sentences written for this test (赫尔曼
// is an invented name) and returns its directory.
func corpus(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"a.txt":  "source: https://example.org/a\ntitle: 标题\n\n切断赫尔曼神经可治疗赫尔曼综合征。腓总神经赫尔曼支很细。",
		"b.md":   "---\ntitle: x\n---\n赫尔曼神经走行于赫尔曼管内。赫尔曼综合征少见。",
		"c.html": "<html><body><p>赫尔曼神经</p><p>赫尔曼管</p></body></html>",
		"d.json": "赫尔曼神经", // not an article file: not read from a directory
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGapsRun(t *testing.T) {
	load := func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil }
	dir := corpus(t)
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		opts := &GapsOptions{IO: ios, Vocabulary: load, Files: []string{dir}, MinCount: 2, Format: "tsv"}
		if err := gapsRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if lines[0] != strings.Join(tsvColumns, "\t") {
			t.Errorf("tty=%v: header %q", tty, lines[0])
		}
		rows := map[string][]string{}
		for _, l := range lines[1:] {
			f := strings.Split(l, "\t")
			if len(f) != len(tsvColumns) {
				t.Fatalf("tty=%v: %d fields in %q", tty, len(f), l)
			}
			rows[f[0]] = f
		}
		if r := rows["赫尔曼神经"]; r == nil || r[1] != "nerve" || r[3] != "3" || r[4] != "3" {
			t.Errorf("tty=%v: 赫尔曼神经 row %q", tty, r)
		}
		if r := rows["赫尔曼综合征"]; r == nil || r[1] != "condition" || r[4] != "2" {
			t.Errorf("tty=%v: 赫尔曼综合征 row %q", tty, r)
		}
		if _, ok := rows["腓总神经赫尔曼支"]; ok {
			t.Errorf("tty=%v: a term seen once passed --min-count 2", tty)
		}
		if strings.Contains(out.String(), "example.org") {
			t.Errorf("tty=%v: the corpus header was read as text", tty)
		}
	}

	ios, _, out, _ := iostreams.Test()
	opts := &GapsOptions{IO: ios, Vocabulary: load, Files: []string{dir}, MinCount: 1, Types: []string{"nerve"}, Format: "json"}
	if err := gapsRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var gaps []vocab.Gap
	if err := json.Unmarshal(out.Bytes(), &gaps); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	found := false
	for _, g := range gaps {
		if g.Type != "nerve" {
			t.Errorf("--type nerve not honoured: %+v", g)
		}
		if g.Term == "腓总神经赫尔曼支" {
			found = true
			if g.ParentID != "nerve:common_peroneal" {
				t.Errorf("branch parent: %+v", g)
			}
		}
	}
	if !found {
		t.Errorf("branch missing from %s", out)
	}
}

func TestGapsRunMissingFile(t *testing.T) {
	load := func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil }
	ios, _, out, errOut := iostreams.Test()
	opts := &GapsOptions{IO: ios, Vocabulary: load, Files: []string{corpus(t), "no-such-file.txt"}, MinCount: 1, Format: "json"}
	if err := gapsRun(context.Background(), opts); err == nil {
		t.Error("a missing file should fail the run")
	}
	if !strings.Contains(errOut.String(), "no-such-file.txt") {
		t.Errorf("stderr does not name the missing file: %q", errOut)
	}
	if !strings.Contains(out.String(), "赫尔曼神经") {
		t.Errorf("the readable files were not mined: %s", out)
	}
}
