package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/score"
)

// goldCases finds the gold set's cases (skipping the test where the
// third-party articles are not here) and the extractor that scores them.
func goldCases(t *testing.T, goldDir string, articleDirs ...string) ([]score.Case, score.Extractor) {
	t.Helper()
	cases, err := score.FindCases(goldDir, articleDirs...)
	var missing *score.MissingArticleError
	if errors.As(err, &missing) && !missing.DirsPresent {
		t.Skipf("articles for %s are not here (%v): third-party texts are read in place from ../shared", goldDir, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	x := mustExtractor(t)
	return cases, func(ctx context.Context, path string) (*medkg.Document, error) {
		return mustExtractFile(t, x, path), nil
	}
}

// scoreSet extracts and scores the articles of goldDir against their gold
// and logs every false positive and negative. It fails on a positive edge
// for a statement the gold denies.
func scoreSet(t *testing.T, goldDir string, articleDirs ...string) *score.Result {
	t.Helper()
	cases, extract := goldCases(t, goldDir, articleDirs...)
	res, err := score.Run(context.Background(), cases, extract)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		what := "FP"
		if e.Miss {
			what = "FN"
		}
		t.Logf("%s: %s %s %s %s | %s", e.Doc, e.Kind, what, e.Type, e.Text, e.Evidence)
	}
	for _, d := range res.Denied {
		t.Errorf("positive edge for a statement the text denies: %s", d)
	}
	t.Logf("entities (all types): P=%.3f R=%.3f F1=%.3f %+v", res.Entities.Precision(), res.Entities.Recall(), res.Entities.F1(), res.Entities)
	t.Logf("entities (core):      P=%.3f R=%.3f F1=%.3f %+v", res.Core.Precision(), res.Core.Recall(), res.Core.F1(), res.Core)
	t.Logf("relations:            P=%.3f R=%.3f F1=%.3f %+v", res.Relations.Precision(), res.Relations.Recall(), res.Relations.F1(), res.Relations)
	if res.Relations.TP == 0 || res.Core.TP == 0 {
		t.Errorf("%s: nothing found (core TP %d, relation TP %d): a gate never passes on empty output", goldDir, res.Core.TP, res.Relations.TP)
	}
	return res
}

// bar is a quality gate: floors on precision and recall.
type bar struct{ coreP, coreR, relP, relR float64 }

func (b bar) check(t *testing.T, res *score.Result) {
	t.Helper()
	if c := res.Core; c.Precision() < b.coreP || c.Recall() < b.coreR {
		t.Errorf("core entities P=%.3f R=%.3f, want P ≥ %.2f and R ≥ %.2f", c.Precision(), c.Recall(), b.coreP, b.coreR)
	}
	if r := res.Relations; r.Precision() < b.relP || r.Recall() < b.relR {
		t.Errorf("relations P=%.3f R=%.3f, want P ≥ %.2f and R ≥ %.2f", r.Precision(), r.Recall(), b.relP, b.relR)
	}
}

// TestDevset scores extraction against the hand-made gold of the four seed
// articles, the texts the rules were first written from: they must all be
// found.
func TestDevset(t *testing.T) {
	res := scoreSet(t, "../testdata/devset")
	bar{coreP: 1, coreR: 1, relP: 1, relR: 1}.check(t, res)
}

// TestHeldout scores the project's earlier held-out sets (written and
// annotated independently of the rules, then used for fixes) against
// floors a little below their measured scores, so that a regression fails.
func TestHeldout(t *testing.T) {
	for _, c := range []struct {
		dir string
		bar bar
	}{
		// These sets predate ANNOTATION.md: their annotators left out
		// anaesthesia techniques, named therapies and muscle parts, which
		// the convention counts, so core precision floors sit at 0.88.
		{"../testdata/heldout", bar{0.88, 0.95, 0.85, 0.68}},
		{"../testdata/heldout2", bar{0.88, 0.90, 0.78, 0.55}},
		{"../testdata/heldout3", bar{0.88, 0.93, 0.83, 0.57}},
		{"../testdata/heldout4", bar{0.88, 0.85, 0.80, 0.30}},
		// heldout5's gold gives a muscle to the owner where the text names
		// the owner's branches (X的颊支和颧支支配…); ANNOTATION.md names the
		// branch, as the extractor does: four such edges count as false
		// positives here.
		{"../testdata/heldout5", bar{0.88, 0.93, 0.68, 0.60}},
		{"../testdata/heldout6", bar{0.88, 0.95, 0.73, 0.57}},
	} {
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			c.bar.check(t, scoreSet(t, c.dir))
		})
	}
}

// corpusTexts is where the shared corpus's third-party texts are read in
// place; they are never copied into the repository, and the test skips
// where they are not.
const corpusTexts = "../../shared/corpus/texts"

// TestCorpus scores the sets annotated from the shared corpus (gold in
// testdata/corpus/SET, made by annotators who had not seen the rules;
// evidence as rune spans into the shared texts) against floors just under
// their current scores. Each set's first contact is in the README. The
// held-out and final sets are frozen: texts and gold are never edited.
func TestCorpus(t *testing.T) {
	for _, c := range []struct {
		set string
		bar bar
	}{
		{"dev", bar{0.89, 0.83, 0.86, 0.56}},     // 40 pages, the first development set
		{"dev2", bar{0.92, 0.80, 0.76, 0.45}},    // 30 pages, blind, a later round
		{"heldout", bar{0.88, 0.71, 0.76, 0.33}}, // 20 pages kept untouched until their round's end
		{"final", bar{0.86, 0.74, 0.92, 0.36}},   // 20 pages, blind, untouched until their round's end
		{"dev3", bar{0.85, 0.82, 0.88, 0.47}},    // 20 pages, blind, scored once before any rule
		{"final2", bar{0.86, 0.78, 0.70, 0.35}},  // 20 pages, untouched until their round's end
		{"dev4", bar{0.84, 0.76, 0.85, 0.52}},    // 20 pages, blind, scored once before any rule
		{"final3", bar{0.88, 0.78, 0.86, 0.44}},  // 20 pages, untouched until their round's end
		{"dev5", bar{0.88, 0.76, 0.80, 0.60}},    // 24 pages, blind, scored once before any rule
		{"final4", bar{0.76, 0.50, 0.70, 0.25}},  // 20 pages, untouched until their round's end
	} {
		t.Run(c.set, func(t *testing.T) {
			c.bar.check(t, scoreSet(t, "../testdata/corpus/"+c.set, corpusTexts))
		})
	}
}

func mustExtractFile(tb testing.TB, x *Extractor, path string) *medkg.Document {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := ReadArticle(path, data)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := x.Extract(context.Background(), a)
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}
