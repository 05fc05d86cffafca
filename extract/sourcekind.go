package extract

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// The source classifier says what kind of page a document is (a
// regulator's notice, a journal article, news, a hospital's or a
// clinic's page) and flags advertising and third-party disclaimers. Its
// cues are data: rules/source_kinds.tsv, validated with file:line errors
// like the other rule files. Each cue found in its field adds its line's
// weight to the line's target; the kind with the highest score wins (ties:
// the kind listed first in the file), a flag is set when its score reaches
// its minimum.

// sourceFields are the parts of an article a cue can be looked for in.
var sourceFields = []string{"url", "title", "author", "meta", "head", "body", "tail"}

// sourceHeadRunes and sourceTailRunes bound the head and tail fields:
// bylines and journal headers open a page, disclaimers and copyright
// notices close it.
const (
	sourceHeadRunes = 300
	sourceTailRunes = 300
)

// sourceRule is a line of source_kinds.tsv.
type sourceRule struct {
	target string // a source kind, or flag:NAME
	field  string
	weight int
	cues   []string // ASCII folded to lower case
	line   string
}

// sourceRules are the loaded rules of source_kinds.tsv.
type sourceRules struct {
	rules []sourceRule
	order []string       // targets in the order of their first line
	min   map[string]int // target → the score it needs (default 1)
	// byFirst indexes each field's cues by their first rune, so that one
	// pass over a field finds all its cues; starts marks those first runes
	// (a bit per rune of the basic plane) so that most runes cost no map
	// look-up.
	byFirst map[string]map[rune][]string
	starts  [1 << 16 / 64]uint64
}

// loadSourceRules reads source_kinds.tsv from fsys.
//
//	target	field	weight	cues
//
// target is a source kind or flag:NAME (a medkg source flag); field one
// of sourceFields, or min (weight is then the score the target needs).
func loadSourceRules(fsys fs.FS) (*sourceRules, error) {
	sr := &sourceRules{min: map[string]int{}}
	files := &ruleFiles{fsys: fsys}
	report := files.report
	files.read("source_kinds.tsv", 4, func(file string, line int, f []string) {
		target, field := f[0], f[1]
		if name, ok := strings.CutPrefix(target, "flag:"); ok {
			if !slices.Contains(medkg.SourceFlags, name) {
				report(file, line, "unknown flag %q (want one of %s)", name, strings.Join(medkg.SourceFlags, ", "))
				return
			}
		} else if k := medkg.SourceKind(target); !k.Valid() || k == medkg.SourceUnknown {
			report(file, line, "unknown target %q (want a source kind but unknown, or flag:NAME)", target)
			return
		}
		w, err := strconv.Atoi(f[2])
		if err != nil || w <= 0 {
			report(file, line, "weight %q is not a positive integer", f[2])
			return
		}
		if field == "min" {
			if _, dup := sr.min[target]; dup {
				report(file, line, "min of %q given twice", target)
			}
			sr.min[target] = w
			return
		}
		if !slices.Contains(sourceFields, field) {
			report(file, line, "unknown field %q (want one of %s, or min)", field, strings.Join(sourceFields, ", "))
			return
		}
		cues := splitWords(f[3])
		if len(cues) == 0 {
			report(file, line, "a line needs cue words")
			return
		}
		for i, c := range cues {
			cues[i] = strings.ToLower(c)
		}
		if !slices.Contains(sr.order, target) {
			sr.order = append(sr.order, target)
		}
		sr.rules = append(sr.rules, sourceRule{target: target, field: field, weight: w, cues: cues, line: fmt.Sprintf("%s:%d", file, line)})
	})
	if len(files.errs) == 0 {
		for t := range sr.min {
			if !slices.Contains(sr.order, t) {
				files.errs = append(files.errs, fmt.Errorf("source_kinds.tsv: min of %q, which has no cue line", t))
			}
		}
	}
	if len(files.errs) > 0 {
		return nil, errors.Join(files.errs...)
	}
	sr.byFirst = map[string]map[rune][]string{}
	for _, r := range sr.rules {
		idx := sr.byFirst[r.field]
		if idx == nil {
			idx = map[rune][]string{}
			sr.byFirst[r.field] = idx
		}
		for _, c := range r.cues {
			first, _ := utf8.DecodeRuneInString(c)
			if !slices.Contains(idx[first], c) {
				idx[first] = append(idx[first], c)
			}
			if first < 1<<16 {
				sr.starts[first/64] |= 1 << (first % 64)
			} else {
				sr.starts[0] |= 1 // astral first runes: always look up
			}
		}
	}
	return sr, nil
}

// cuesIn returns the cues of field that occur in text, in one pass.
func (sr *sourceRules) cuesIn(field, text string) map[string]bool {
	idx := sr.byFirst[field]
	found := map[string]bool{}
	for i, r := range text {
		if r < 1<<16 && sr.starts[r/64]&(1<<(r%64)) == 0 && sr.starts[0]&1 == 0 {
			continue
		}
		for _, c := range idx[r] {
			if !found[c] && strings.HasPrefix(text[i:], c) {
				found[c] = true
			}
		}
	}
	return found
}

var builtinSources struct {
	once sync.Once
	sr   *sourceRules
	err  error
}

// builtinSourceRules returns the embedded source rules, loaded once.
func builtinSourceRules() (*sourceRules, error) {
	builtinSources.once.Do(func() {
		sub, err := fs.Sub(rulesFS, "rules")
		if err == nil {
			builtinSources.sr, err = loadSourceRules(sub)
		}
		if err != nil {
			builtinSources.err = fmt.Errorf("source rules: %w", err)
		}
	})
	return builtinSources.sr, builtinSources.err
}

// SourceClass is what ClassifySource says about an article.
type SourceClass struct {
	Kind   medkg.SourceKind `json:"kind"`
	Flags  []string         `json:"flags,omitempty"`
	Scores map[string]int   `json:"scores"` // by target, for --verbose and tests
}

// ClassifySource says what kind of page a is and which flags it earns,
// with the built-in rules.
func ClassifySource(a *Article) (SourceClass, error) {
	sr, err := builtinSourceRules()
	if err != nil {
		return SourceClass{}, err
	}
	return sr.classify(a), nil
}

func (sr *sourceRules) classify(a *Article) SourceClass {
	fields := sourceFieldTexts(a)
	found := map[string]map[string]bool{}
	for f, text := range fields {
		found[f] = sr.cuesIn(f, text)
	}
	scores := map[string]int{}
	for _, r := range sr.rules {
		for _, c := range r.cues {
			if found[r.field][c] {
				scores[r.target] += r.weight
			}
		}
	}
	out := SourceClass{Kind: medkg.SourceUnknown, Scores: scores}
	best := 0
	for _, t := range sr.order {
		if strings.HasPrefix(t, "flag:") {
			continue
		}
		if s := scores[t]; s > best && s >= sr.minOf(t) {
			best, out.Kind = s, medkg.SourceKind(t)
		}
	}
	for _, f := range medkg.SourceFlags {
		t := "flag:" + f
		if scores[t] > 0 && scores[t] >= sr.minOf(t) {
			out.Flags = append(out.Flags, f)
		}
	}
	return out
}

func (sr *sourceRules) minOf(target string) int {
	if m, ok := sr.min[target]; ok {
		return m
	}
	return 1
}

// sourceFieldTexts returns the text of each field, ASCII folded to lower
// case (URLs and Latin cues match in any case).
func sourceFieldTexts(a *Article) map[string]string {
	body := []rune(a.Text)
	head, tail := body, body
	if len(head) > sourceHeadRunes {
		head = head[:sourceHeadRunes]
	}
	if len(tail) > sourceTailRunes {
		tail = tail[len(tail)-sourceTailRunes:]
	}
	url := a.URL
	if url == "" && strings.Contains(a.Source, "://") {
		url = a.Source
	}
	return map[string]string{
		"url":    asciiLower(url),
		"title":  asciiLower(a.Title),
		"author": asciiLower(a.Author),
		"meta":   asciiLower(a.Category),
		"head":   asciiLower(a.Title + "\n" + string(head)),
		"body":   asciiLower(a.Text),
		"tail":   asciiLower(string(tail)),
	}
}

// asciiLower folds ASCII letters to lower case and leaves every other byte
// as it is (strings.ToLower walks a Chinese text rune by rune through the
// Unicode tables; only Latin cues need folding).
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if c := b[j]; c >= 'A' && c <= 'Z' {
			b[j] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// kindOf is the hook Extract calls: the kind and flags of a.
func (sr *sourceRules) kindOf(a *Article) (medkg.SourceKind, []string) {
	c := sr.classify(a)
	return c.Kind, c.Flags
}
