package score

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/medkg/medkg"
)

// Case is one article with its gold.
type Case struct {
	Name    string // the gold file's base name without .json
	Gold    string // path of the gold file
	Article string // path of the article
}

// FindCases lists the gold files of goldDir (goldDir/gold/*.json, else
// goldDir/*.json) and, for each, the article of the same base name in
// goldDir or one of articleDirs (any extension but .json). A gold file
// whose article is missing is an error naming both; when articleDirs are
// all absent (third-party texts not shipped with the repository) the
// error says so, so that callers can skip.
func FindCases(goldDir string, articleDirs ...string) ([]Case, error) {
	golds, err := filepath.Glob(filepath.Join(goldDir, "gold", "*.json"))
	if err == nil && len(golds) == 0 {
		golds, err = filepath.Glob(filepath.Join(goldDir, "*.json"))
	}
	if err != nil {
		return nil, err
	}
	if len(golds) == 0 {
		return nil, medkg.Errorf(medkg.ENOTFOUND, "%s: no gold files (gold/*.json or *.json)", goldDir)
	}
	sort.Strings(golds)
	dirs := append([]string{goldDir}, articleDirs...)
	present := 0
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			present++
		}
	}
	var cases []Case
	for _, g := range golds {
		base := strings.TrimSuffix(filepath.Base(g), ".json")
		var found []string
		for _, d := range dirs {
			ms, _ := filepath.Glob(filepath.Join(d, base+".*"))
			for _, m := range ms {
				if filepath.Ext(m) != ".json" {
					found = append(found, m)
				}
			}
		}
		switch len(found) {
		case 0:
			return nil, &MissingArticleError{Gold: g, Dirs: dirs, DirsPresent: present > 1}
		case 1:
			cases = append(cases, Case{Name: base, Gold: g, Article: found[0]})
		default:
			return nil, medkg.Errorf(medkg.EINVALID, "%s: several articles match: %s", g, strings.Join(found, ", "))
		}
	}
	return cases, nil
}

// MissingArticleError says a gold file has no article.
type MissingArticleError struct {
	Gold        string
	Dirs        []string
	DirsPresent bool // some article directory besides the gold's exists
}

func (e *MissingArticleError) Error() string {
	return fmt.Sprintf("%s: no article of that name in %s", e.Gold, strings.Join(e.Dirs, ", "))
}

// Extractor turns an article file into a document.
type Extractor func(ctx context.Context, path string) (*medkg.Document, error)

// Run extracts and scores every case and returns the micro-averaged
// result.
func Run(ctx context.Context, cases []Case, x Extractor) (*Result, error) {
	total := NewResult()
	for _, c := range cases {
		g, err := LoadGold(c.Gold)
		if err != nil {
			return nil, err
		}
		fillEvidence(g, c.Article)
		doc, err := x(ctx, c.Article)
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", c.Article, err)
		}
		total.Add(Doc(c.Name, doc, g))
	}
	return total, nil
}

// fillEvidence fills the evidence of gold kept as rune spans into the
// article file, for display; spans that do not fit the file are left out.
func fillEvidence(g *Gold, article string) {
	var raw []rune
	load := func() []rune {
		if raw == nil {
			data, err := os.ReadFile(article)
			if err != nil {
				return nil
			}
			raw = []rune(string(data))
		}
		return raw
	}
	for i := range g.Relations {
		r := &g.Relations[i]
		if r.Evidence == "" && len(r.EvidenceSpan) == 2 {
			if t := load(); r.EvidenceSpan[0] >= 0 && r.EvidenceSpan[1] <= len(t) && r.EvidenceSpan[0] < r.EvidenceSpan[1] {
				r.Evidence = string(t[r.EvidenceSpan[0]:r.EvidenceSpan[1]])
			}
		}
	}
}
