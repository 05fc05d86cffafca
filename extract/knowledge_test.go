package extract

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/medkg/medkg"
)

// minimalLexicon defines every required list once, so that a test can
// break one thing at a time.
func minimalLexicon() string {
	var b strings.Builder
	for _, n := range requiredLists {
		b.WriteString(n + "\t词\n")
	}
	return b.String()
}

func TestLoadKnowledgeErrors(t *testing.T) {
	const okRule = "bans\ts>o\t@ban\t-\t-\t-\t1\t80\t-\t-\t-\t例句。\n"
	const okFrame = "病因\tcauses\tobject\t例\n"
	for _, c := range []struct {
		name               string
		lexicon, rel, frms string
		want               string
	}{
		{"unknown predicate", "", "bands\ts>o\t@ban\t-\t-\t-\t1\t80\t-\t-\t-\t例句。\n", okFrame, "relations.tsv:1: unknown predicate \"bands\""},
		{"bad order", "", "bans\tso\t@ban\t-\t-\t-\t1\t80\t-\t-\t-\t例句。\n", okFrame, "relations.tsv:1: order \"so\""},
		{"unknown list", "", "# comment\nbans\ts>o\t@bam\t-\t-\t-\t1\t80\t-\t-\t-\t例句。\n", okFrame, "relations.tsv:2: unknown list \"@bam\""},
		{"bad number", "", "bans\ts>o\t@ban\t-\t-\t-\tone\t80\t-\t-\t-\t例句。\n", okFrame, "relations.tsv:1: clauses \"one\""},
		{"no cue", "", "bans\ts>o\t-\t-\t-\t-\t1\t80\t-\t-\t-\t例句。\n", okFrame, "relations.tsv:1: a rule needs a cue"},
		{"no example", "", "bans\ts>o\t@ban\t-\t-\t-\t1\t80\t-\t-\t-\t-\n", okFrame, "relations.tsv:1: a rule needs an example"},
		{"short line", "", "bans\ts>o\t@ban\n", okFrame, "relations.tsv:1: 3 columns"},
		{"unknown type", "", "targets\ts>o\t@cut\t-\t-\t-\t1\t80\t-\t-\tmuscel\t例句。\n", okFrame, "relations.tsv:1: unknown entity type \"muscel\""},
		{"unknown flag", "", "bans\ts>o\t@ban\t-\t-\t-\t1\t80\t-\tnear\t-\t例句。\n", okFrame, "relations.tsv:1: unknown flag \"near\""},
		{"subject type outside the predicate's domain", "", "causes\ts>o\t@cause\t-\t-\t-\t1\t80\t-\tsubject=nerve\t-\t例句。\n", okFrame, "relations.tsv:1: flag \"subject=nerve\": not a subject type of causes"},
		{"duplicate list", "ban\t禁止\n", okRule, okFrame, fmt.Sprintf("lexicon.tsv:%d: list \"ban\" defined twice", len(requiredLists)+1)},
		{"frame topic", "", okRule, "病因\tcauses\ttopic\t例\n", "frames.tsv:1: topic \"topic\""},
		{"frame predicate", "", okRule, "病因\tcause\tobject\t例\n", "frames.tsv:1: unknown predicate \"cause\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"lexicon.tsv":    {Data: []byte(minimalLexicon() + c.lexicon)},
				"relations.tsv":  {Data: []byte(c.rel)},
				"frames.tsv":     {Data: []byte(c.frms)},
				"thresholds.tsv": {Data: builtinThresholds(t)},
			}
			_, err := loadKnowledge(fsys)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	for _, c := range []struct{ name, thresholds, want string }{
		{"unknown threshold", "heading_maxx\t30\n", "thresholds.tsv:1: unknown threshold \"heading_maxx\""},
		{"threshold not a number", "heading_max\tthirty\n", "thresholds.tsv:1: heading_max \"thirty\""},
		{"missing threshold", "heading_max\t30\n", "is missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"lexicon.tsv":    {Data: []byte(minimalLexicon())},
				"relations.tsv":  {Data: []byte(okRule)},
				"frames.tsv":     {Data: []byte(okFrame)},
				"thresholds.tsv": {Data: []byte(c.thresholds)},
			}
			if _, err := loadKnowledge(fsys); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	t.Run("missing list", func(t *testing.T) {
		fsys := fstest.MapFS{
			"lexicon.tsv":    {Data: []byte("ban\t禁止\n")},
			"relations.tsv":  {Data: []byte(okRule)},
			"frames.tsv":     {Data: []byte(okFrame)},
			"thresholds.tsv": {Data: builtinThresholds(t)},
		}
		if _, err := loadKnowledge(fsys); err == nil || !strings.Contains(err.Error(), "is missing") {
			t.Fatalf("err = %v, want a missing list", err)
		}
	})
}

func builtinThresholds(t *testing.T) []byte {
	t.Helper()
	data, err := rulesFS.ReadFile("rules/thresholds.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRuleExamples extracts every rule's example sentence, written for the
// rule, and requires the rule's relation from it: a rule that no longer
// fires on its own construction fails here.
func TestRuleExamples(t *testing.T) {
	x := mustExtractor(t)
	for _, r := range x.k.rules {
		t.Run(r.line, func(t *testing.T) {
			doc, err := x.ExtractText(context.Background(), "example.txt", r.example)
			if err != nil {
				t.Fatal(err)
			}
			if !hasPositive(doc, r.pred) {
				t.Errorf("%s: no positive %s from %q; got %s", r.line, r.pred, r.example, describe(doc))
			}
		})
	}
	for _, f := range x.k.frames {
		t.Run(f.line, func(t *testing.T) {
			ex := framesExample(t, f.line)
			doc, err := x.ExtractText(context.Background(), "example.txt", ex)
			if err != nil {
				t.Fatal(err)
			}
			if !hasPositive(doc, f.pred) {
				t.Errorf("%s: no positive %s from %q; got %s", f.line, f.pred, ex, describe(doc))
			}
		})
	}
}

func framesExample(t *testing.T, line string) string {
	t.Helper()
	data, err := rulesFS.ReadFile("rules/frames.tsv")
	if err != nil {
		t.Fatal(err)
	}
	_, num, _ := strings.Cut(line, ":")
	n, err := strconv.Atoi(num)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(strings.Split(string(data), "\n")[n-1], "\t")
	return strings.ReplaceAll(f[3], `\n`, "\n")
}

func hasPositive(doc *medkg.Document, p medkg.Predicate) bool {
	for _, r := range doc.Relations {
		if r.Predicate == p && !r.Negated {
			return true
		}
	}
	return false
}

func describe(doc *medkg.Document) string {
	var parts []string
	for _, e := range doc.Entities {
		parts = append(parts, string(e.Type)+":"+e.Name)
	}
	for _, r := range doc.Relations {
		s := r.Subject + " " + string(r.Predicate) + " " + r.Object
		if r.Negated {
			s += " (negated)"
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}
