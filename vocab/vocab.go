// Package vocab is medkg's curated dictionary: entries with stable ids,
// Chinese names and aliases, English names, codes and curated relations
// (innervation, branches, agency successions). The built-in data lives in
// data/*.tsv (format: FORMAT.md) and is embedded in the binary; users merge
// their own files over it.
//
// The package knows nothing of segmentation or storage.
package vocab

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/medkg/medkg"
)

//go:embed data/*.tsv
var builtinFS embed.FS

// Entry is a vocabulary entry and the place it was defined.
type Entry struct {
	medkg.Entity
	File string `json:"file"`
	Line int    `json:"line"`

	english []string // name_en and English synonyms
}

// English returns the English name and its synonyms.
func (e *Entry) English() []string { return e.english }

// Names returns the Chinese name followed by the aliases.
func (e *Entry) Names() []string { return append([]string{e.Name}, e.Aliases...) }

// Relation is a curated fact between two entries.
type Relation struct {
	Subject   string          `json:"subject"`
	Predicate medkg.Predicate `json:"predicate"`
	Object    string          `json:"object"`
	File      string          `json:"file"`
	Line      int             `json:"line"`
}

// Term is a Chinese surface form and the entries it names. More than one
// entry means the form was declared ambiguous across types.
type Term struct {
	Text    string
	Entries []*Entry
}

// Vocabulary is a validated, merged set of entries and relations. It is
// immutable once loaded and safe for concurrent use.
type Vocabulary struct {
	entries   []*Entry // sorted by id
	byID      map[string]*Entry
	byName    map[string][]*Entry // folded Chinese names, aliases, English names, ids
	terms     []Term              // Chinese surface forms, sorted
	relations []Relation
	from, to  map[string][]Relation
	version   string
}

// source is one vocabulary file: its display name and content.
type source struct {
	name  string
	data  []byte
	layer int // 0 built-in, 1 user; a higher layer overrides ids of a lower one
}

// Builtin returns the embedded vocabulary. It is valid by construction
// (a test checks it); an error here is a bug.
func Builtin() (*Vocabulary, error) {
	srcs, err := builtinSources()
	if err != nil {
		return nil, err
	}
	return build(srcs)
}

// Load returns the built-in vocabulary merged with the user's: every *.tsv
// in UserDir(), then files, in order. Entries of a user file replace
// built-in entries with the same id. Any problem fails the whole load with
// a *ProblemsError listing every problem: nothing is dropped silently.
func Load(files ...string) (*Vocabulary, error) {
	srcs, err := builtinSources()
	if err != nil {
		return nil, err
	}
	user, err := userSources(files)
	if err != nil {
		return nil, err
	}
	return build(append(srcs, user...))
}

// Check validates the built-in vocabulary merged with files and returns
// every problem found. The error is for files that cannot be read.
func Check(files ...string) ([]Problem, error) {
	srcs, err := builtinSources()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, medkg.Errorf(medkg.EINVALID, "read vocabulary %q: %v", f, err)
		}
		srcs = append(srcs, source{name: f, data: data, layer: 1})
	}
	_, problems := merge(srcs)
	return problems, nil
}

// UserDir is the directory whose *.tsv files extend the built-in
// vocabulary: $XDG_CONFIG_HOME/medkg/vocab, or ~/.config/medkg/vocab.
func UserDir() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "medkg", "vocab")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "medkg", "vocab")
}

func builtinSources() ([]source, error) {
	names, err := fs.Glob(builtinFS, "data/*.tsv")
	if err != nil {
		return nil, fmt.Errorf("list built-in vocabulary: %w", err)
	}
	sort.Strings(names)
	srcs := make([]source, 0, len(names))
	for _, n := range names {
		data, err := builtinFS.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("read built-in vocabulary %s: %w", n, err)
		}
		srcs = append(srcs, source{name: "vocab/" + n, data: data})
	}
	return srcs, nil
}

func userSources(files []string) ([]source, error) {
	var paths []string
	if dir := UserDir(); dir != "" {
		found, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
		if err != nil {
			return nil, fmt.Errorf("list user vocabulary %s: %w", dir, err)
		}
		sort.Strings(found)
		paths = append(paths, found...)
	}
	paths = append(paths, files...)
	var srcs []source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, medkg.Errorf(medkg.EINVALID, "read vocabulary %q: %v", p, err)
		}
		srcs = append(srcs, source{name: p, data: data, layer: 1})
	}
	return srcs, nil
}

func build(srcs []source) (*Vocabulary, error) {
	v, problems := merge(srcs)
	if len(problems) > 0 {
		return nil, &ProblemsError{Problems: problems}
	}
	return v, nil
}

// merge parses, merges and validates srcs, returning the vocabulary built
// from them and every problem found.
func merge(srcs []source) (*Vocabulary, []Problem) {
	var problems []Problem
	h := sha256.New()
	byID := map[string]*rawEntry{}
	layerOf := map[string]int{}
	var order []string
	seq := 0
	for _, s := range srcs {
		fmt.Fprintf(h, "%s\x00%d\x00", s.name, len(s.data))
		h.Write(s.data)
		entries, ps := parseFile(s.name, s.data)
		problems = append(problems, ps...)
		for _, e := range entries {
			seq++
			e.seq = seq
			prev, dup := byID[e.ID]
			switch {
			case dup && layerOf[e.ID] == s.layer:
				problems = append(problems, Problem{File: e.File, Line: e.Line,
					Message: fmt.Sprintf("duplicate id %s (first defined at %s:%d)", e.ID, prev.File, prev.Line)})
				continue
			case !dup:
				order = append(order, e.ID)
			}
			byID[e.ID] = e
			layerOf[e.ID] = s.layer
		}
	}

	v := &Vocabulary{
		byID:    map[string]*Entry{},
		byName:  map[string][]*Entry{},
		from:    map[string][]Relation{},
		to:      map[string][]Relation{},
		version: hex.EncodeToString(h.Sum(nil))[:12],
	}
	sort.Strings(order)
	for _, id := range order {
		e := &byID[id].Entry
		v.entries = append(v.entries, e)
		v.byID[id] = e
	}

	// Report name clashes on the later definition: a user file's line, not
	// the built-in one it collides with.
	defined := append([]*Entry(nil), v.entries...)
	sort.SliceStable(defined, func(i, j int) bool { return byID[defined[i].ID].seq < byID[defined[j].ID].seq })
	problems = append(problems, checkNames(defined, byID)...)

	// Relations, with endpoint types checked against the predicate.
	for _, id := range order {
		raw := byID[id]
		for _, r := range raw.rels {
			bad := func(format string, args ...any) {
				problems = append(problems, Problem{File: raw.File, Line: raw.Line, Message: fmt.Sprintf(format, args...)})
			}
			target, ok := v.byID[r.target]
			if !ok {
				bad("%s: %s=%s: unknown id %s", id, r.pred, r.target, r.target)
				continue
			}
			rel := Relation{Subject: id, Predicate: medkg.Predicate(r.pred), Object: r.target, File: raw.File, Line: raw.Line}
			if r.pred == "innervated_by" {
				rel.Subject, rel.Predicate, rel.Object = r.target, medkg.Innervates, id
			}
			subj, obj := v.byID[rel.Subject], v.byID[rel.Object]
			if !rel.Predicate.Allows(subj.Type, obj.Type) {
				sig := medkg.Signatures[rel.Predicate]
				bad("%s: %s=%s: %s cannot go from %s to %s (want %s → %s)", id, r.pred, target.ID,
					rel.Predicate, subj.Type, obj.Type, typeNames(sig.Subject), typeNames(sig.Object))
				continue
			}
			if rel.Subject == rel.Object {
				bad("%s: %s=%s: an entry cannot relate to itself", id, r.pred, r.target)
				continue
			}
			v.relations = append(v.relations, rel)
		}
	}
	sort.SliceStable(v.relations, func(i, j int) bool {
		a, b := v.relations[i], v.relations[j]
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		return a.Object < b.Object
	})
	v.relations = dedupeRelations(v.relations)
	for _, r := range v.relations {
		v.from[r.Subject] = append(v.from[r.Subject], r)
		v.to[r.Object] = append(v.to[r.Object], r)
	}

	// Indexes for lookup and segmentation.
	terms := map[string][]*Entry{}
	for _, e := range v.entries {
		keys := map[string]bool{Fold(e.ID): true}
		for _, n := range e.Names() {
			keys[Fold(n)] = true
			if !containsEntry(terms[n], e) {
				terms[n] = append(terms[n], e)
			}
		}
		for _, n := range e.english {
			keys[Fold(n)] = true
		}
		for k := range keys {
			v.byName[k] = append(v.byName[k], e)
		}
	}
	for text, es := range terms {
		v.terms = append(v.terms, Term{Text: text, Entries: es})
	}
	sort.Slice(v.terms, func(i, j int) bool { return v.terms[i].Text < v.terms[j].Text })
	return v, problems
}

// checkNames reports empty or conflicting surface forms: two entries of
// one type may not share a name or alias; entries of different types may
// only if one of them declares the form ambiguous with a leading ~.
func checkNames(entries []*Entry, raw map[string]*rawEntry) []Problem {
	var problems []Problem
	owners := map[string][]*Entry{}
	for _, e := range entries {
		seen := map[string]bool{}
		for _, n := range e.Names() {
			if seen[n] {
				problems = append(problems, Problem{File: e.File, Line: e.Line,
					Message: fmt.Sprintf("%s: %q listed twice", e.ID, n)})
				continue
			}
			seen[n] = true
			owners[n] = append(owners[n], e)
		}
	}
	forms := make([]string, 0, len(owners))
	for n := range owners {
		forms = append(forms, n)
	}
	sort.Strings(forms)
	for _, n := range forms {
		es := owners[n]
		for i := 1; i < len(es); i++ {
			for _, first := range es[:i] {
				e := es[i]
				switch {
				case e.Type == first.Type:
					problems = append(problems, Problem{File: e.File, Line: e.Line,
						Message: fmt.Sprintf("%s: %q is already a name of %s (%s:%d); two %s entries cannot share a name", e.ID, n, first.ID, first.File, first.Line, e.Type)})
				case !raw[e.ID].ambiguous[n] && !raw[first.ID].ambiguous[n]:
					problems = append(problems, Problem{File: e.File, Line: e.Line,
						Message: fmt.Sprintf("%s: %q is also a name of %s %s (%s:%d); mark the alias ~%s to declare it ambiguous", e.ID, n, first.Type, first.ID, first.File, first.Line, n)})
				}
			}
		}
	}
	return problems
}

func dedupeRelations(rs []Relation) []Relation {
	out := rs[:0]
	for i, r := range rs {
		if i > 0 && r.Subject == rs[i-1].Subject && r.Predicate == rs[i-1].Predicate && r.Object == rs[i-1].Object {
			continue
		}
		out = append(out, r)
	}
	return out
}

func containsEntry(es []*Entry, e *Entry) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

func typeNames(ts []medkg.EntityType) string {
	var s []string
	for _, t := range ts {
		s = append(s, string(t))
	}
	return strings.Join(s, "/")
}

// Fold normalises a name for lookup: full-width ASCII to half-width,
// lower case, surrounding space and 《》“” quotes removed.
func Fold(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Trim(strings.TrimSpace(s), "《》“”\"")
}

// Entries returns all entries sorted by id.
func (v *Vocabulary) Entries() []*Entry { return v.entries }

// Entry returns the entry with the given id.
func (v *Vocabulary) Entry(id string) (*Entry, bool) {
	e, ok := v.byID[id]
	return e, ok
}

// Resolve returns the entries named name: by id, Chinese name, alias or
// English name (case-insensitive).
func (v *Vocabulary) Resolve(name string) []*Entry { return v.byName[Fold(name)] }

// Terms returns every Chinese surface form (names and aliases) with the
// entries it names, sorted by text.
func (v *Vocabulary) Terms() []Term { return v.terms }

// Relations returns all curated relations, sorted.
func (v *Vocabulary) Relations() []Relation { return v.relations }

// RelationsFrom returns the curated relations whose subject is id.
func (v *Vocabulary) RelationsFrom(id string) []Relation { return v.from[id] }

// RelationsTo returns the curated relations whose object is id.
func (v *Vocabulary) RelationsTo(id string) []Relation { return v.to[id] }

// Version identifies the vocabulary's content: it changes whenever any
// file does.
func (v *Vocabulary) Version() string { return v.version }

// Entities returns the entries as domain values.
func (v *Vocabulary) Entities() []medkg.Entity {
	out := make([]medkg.Entity, len(v.entries))
	for i, e := range v.entries {
		out[i] = e.Entity
	}
	return out
}

// Facts returns the curated relations as domain values.
func (v *Vocabulary) Facts() []medkg.Relation {
	out := make([]medkg.Relation, len(v.relations))
	for i, r := range v.relations {
		out[i] = medkg.Relation{Subject: r.Subject, Predicate: r.Predicate, Object: r.Object}
	}
	return out
}

// Stats summarises the vocabulary's breadth.
type Stats struct {
	Version     string                   `json:"version"`
	Entries     int                      `json:"entries"`
	ByType      map[medkg.EntityType]int `json:"by_type"`
	Aliases     int                      `json:"aliases"`
	Relations   int                      `json:"relations"`
	ByPredicate map[medkg.Predicate]int  `json:"by_predicate"`
}

// Stats counts entries by type and relations by predicate.
func (v *Vocabulary) Stats() Stats {
	s := Stats{Version: v.version, Entries: len(v.entries), Relations: len(v.relations),
		ByType: map[medkg.EntityType]int{}, ByPredicate: map[medkg.Predicate]int{}}
	for _, e := range v.entries {
		s.ByType[e.Type]++
		s.Aliases += len(e.Aliases)
	}
	for _, r := range v.relations {
		s.ByPredicate[r.Predicate]++
	}
	return s
}

// Suggest returns up to n entries whose names are closest to name, for
// "did you mean" messages.
func (v *Vocabulary) Suggest(name string, n int) []*Entry {
	q := []rune(Fold(name))
	if len(q) == 0 || n <= 0 {
		return nil
	}
	type scored struct {
		e *Entry
		d int
	}
	best := map[*Entry]int{}
	for key, es := range v.byName {
		k := []rune(key)
		d := distance(q, k)
		if strings.Contains(key, string(q)) || strings.Contains(string(q), key) {
			d = min(d, abs(len(k)-len(q))/2)
		}
		if d > max(1, len(q)/2) {
			continue
		}
		for _, e := range es {
			if old, ok := best[e]; !ok || d < old {
				best[e] = d
			}
		}
	}
	var out []scored
	for e, d := range best {
		out = append(out, scored{e, d})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].e.ID < out[j].e.ID
	})
	var res []*Entry
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].e)
	}
	return res
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
