package vocab

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// Problem is one defect in a vocabulary file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// ProblemsError reports every problem found while loading a vocabulary.
// Its code is medkg.EINVALID: a bad vocabulary is never loaded in part.
type ProblemsError struct {
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vocabulary has %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more (run `medkg vocab check`)", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap lets errors.As find the medkg.Error code of a ProblemsError.
func (e *ProblemsError) Unwrap() error {
	return &medkg.Error{Code: medkg.EINVALID, Message: "invalid vocabulary"}
}

// rawEntry is an entry as written in a file, before merging and checks.
type rawEntry struct {
	Entry
	ambiguous map[string]bool // surface forms declared shared across types
	seq       int             // definition order across all files
	rels      []rawRel
}

type rawRel struct {
	pred   string
	target string
}

var (
	idPattern   = regexp.MustCompile(`^([a-z]+):([a-z0-9_]+)$`)
	codePattern = regexp.MustCompile(`^(FMA|UBERON|ICD10|ICD11|MeSH|SNOMED):[A-Za-z0-9.\-]+$`)
)

// relationColumns are the predicates a file may write in its relations
// column; innervated_by is written on muscle rows and stored reversed.
var relationColumns = map[string]bool{
	string(medkg.BranchOf):    true,
	string(medkg.Innervates):  true,
	"innervated_by":           true,
	string(medkg.PartOf):      true,
	string(medkg.SucceededBy): true,
	string(medkg.IssuedBy):    true,
}

// parseFile parses one vocabulary file. It returns every entry it could
// read and a problem for every line it could not.
func parseFile(name string, data []byte) ([]*rawEntry, []Problem) {
	var (
		entries  []*rawEntry
		problems []Problem
	)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, []Problem{{File: name, Message: "not valid UTF-8"}}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		bad := func(format string, args ...any) {
			problems = append(problems, Problem{File: name, Line: line, Message: fmt.Sprintf(format, args...)})
		}
		cols := strings.Split(text, "\t")
		if len(cols) < 2 {
			bad("want at least 2 TAB-separated columns (id, name), got %d", len(cols))
			continue
		}
		if len(cols) > 6 {
			bad("want at most 6 TAB-separated columns, got %d", len(cols))
			continue
		}
		for len(cols) < 6 {
			cols = append(cols, "")
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
			if cols[i] == "-" {
				cols[i] = ""
			}
		}
		e := &rawEntry{ambiguous: map[string]bool{}}
		e.File, e.Line = name, line
		e.ID = cols[0]
		m := idPattern.FindStringSubmatch(e.ID)
		if m == nil {
			bad("id %q: want type:snake_case (a-z, 0-9, _)", e.ID)
			continue
		}
		e.Type = medkg.EntityType(m[1])
		if !e.Type.Valid() {
			bad("id %q: unknown type %q (want one of %s)", e.ID, m[1], typeList())
			continue
		}
		e.Name = cols[1]
		switch {
		case e.Name == "":
			bad("%s: empty Chinese name", e.ID)
		case !hasHan(e.Name):
			bad("%s: Chinese name %q has no Chinese characters", e.ID, e.Name)
		}
		for _, a := range splitList(cols[2]) {
			amb := strings.HasPrefix(a, "~")
			a = strings.TrimPrefix(a, "~")
			switch {
			case a == "":
				bad("%s: empty alias", e.ID)
				continue
			case !hasHan(a):
				bad("%s: alias %q has no Chinese characters (English names go in the name_en column)", e.ID, a)
				continue
			}
			if amb {
				e.ambiguous[a] = true
			}
			e.Aliases = append(e.Aliases, a)
		}
		if en := splitList(cols[3]); len(en) > 0 {
			e.NameEn = en[0]
			e.english = en
			for _, s := range en {
				if hasHan(s) {
					bad("%s: English name %q contains Chinese characters", e.ID, s)
				}
			}
		}
		for _, c := range splitList(cols[4]) {
			if !codePattern.MatchString(c) {
				bad("%s: code %q: want SYSTEM:CODE with SYSTEM one of FMA, UBERON, ICD10, ICD11, MeSH, SNOMED", e.ID, c)
				continue
			}
			e.Codes = append(e.Codes, c)
		}
		for _, r := range splitList(cols[5]) {
			pred, target, ok := strings.Cut(r, "=")
			if !ok || !relationColumns[pred] || !idPattern.MatchString(target) {
				bad("%s: relation %q: want predicate=id with predicate one of branch_of, innervates, innervated_by, part_of, succeeded_by, issued_by", e.ID, r)
				continue
			}
			e.rels = append(e.rels, rawRel{pred: pred, target: target})
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, Problem{File: name, Line: line + 1, Message: err.Error()})
	}
	return entries, problems
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func typeList() string {
	var names []string
	for _, t := range medkg.EntityTypes {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}
