package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz tests check what must hold for any input, however broken:
// no panic, valid UTF-8 out, offsets inside the text. Their seed corpora
// are the bundled articles plus the files under testdata/fuzz/FUZZNAME;
// `go test -fuzz=FuzzX ./extract` explores further (.ci/run does, briefly).

// addArticles seeds f with the bundled articles and a few odd inputs.
func addArticles(f *testing.F) {
	f.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "devset", "*.*"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".json") {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"", "\xef\xbb\xbf", "\xff\xfe", "\xfe\xff\x00", "---\ntitle: x\n---\n",
		"<html><head><title>t</title></head><body><p>胫神经</p></body></html>",
		"腓\n总神经\n", "彻.底切断", "\x00\x01\x02", "\xd5\xe2\xca\xc7\xc9\xf1\xbe\xad",
	} {
		f.Add([]byte(s))
	}
}

func FuzzReadArticle(f *testing.F) {
	addArticles(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadArticle("fuzz.md", data)
		if err != nil {
			if a != nil {
				t.Errorf("article and error: %v", err)
			}
			return
		}
		if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) {
			t.Errorf("invalid UTF-8 out")
		}
		if len(a.Hash) != 64 {
			t.Errorf("hash %q", a.Hash)
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "腓\n总神经", "ＡＢＣ１２３", "a  b\n\n\nc", "彻.底", "Z常见", "conduc-\ntion", "\u3000胫 神 经\t"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, hardWrapped bool) {
		out := Normalize(s, hardWrapped)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("Normalize(%q) = %q: invalid UTF-8", s, out)
		}
		if strings.Contains(out, "\n\n") {
			t.Errorf("Normalize(%q) = %q: empty line", s, out)
		}
	})
}

func FuzzExtract(f *testing.F) {
	addArticles(f)
	x := mustExtractor(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadArticle("fuzz.md", data)
		if err != nil {
			return
		}
		doc, err := x.Extract(context.Background(), a)
		if err != nil {
			return
		}
		n := utf8.RuneCountInString(doc.Text)
		for _, e := range doc.Entities {
			for _, m := range e.Mentions {
				if m.Start < 0 || m.End > n || m.Start >= m.End {
					t.Fatalf("mention %+v of %s outside the text (%d runes)", m, e.ID, n)
				}
				if m.Sentence < 0 || m.Sentence >= len(doc.Sentences) {
					t.Fatalf("mention %+v: sentence out of range (%d sentences)", m, len(doc.Sentences))
				}
			}
		}
		for _, r := range doc.Relations {
			if r.Subject == "" || r.Object == "" || r.Sentence < 0 || r.Sentence >= len(doc.Sentences) {
				t.Fatalf("relation %+v (of %d sentences)", r, len(doc.Sentences))
			}
		}
		for _, a := range doc.Actions {
			if !a.Kind.Valid() || !a.Jurisdiction.Valid() || a.Start < 0 || a.End > n || a.Start >= a.End ||
				a.Sentence < 0 || a.Sentence >= len(doc.Sentences) || a.Evidence == "" || (a.Actor == "" && a.ActorText == "" && a.ActorNote == "") {
				t.Fatalf("action %+v (of %d sentences, %d runes)", a, len(doc.Sentences), n)
			}
			if d := a.EffectiveDate; d != "" && len(d) != 4 && len(d) != 7 && len(d) != 10 {
				t.Fatalf("action %+v: effective date %q is not YYYY, YYYY-MM or YYYY-MM-DD", a, d)
			}
		}
	})
}
