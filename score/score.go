// Package score measures extraction against gold annotations made as
// ../shared/ANNOTATION.md says: per document, the set of (type, surface)
// pairs found against the gold entities, and the set of positive relations
// against the gold relations, micro-averaged over documents. It is the one
// home of the scorer: the tests and `medkg eval` both use it.
package score

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/medkg/medkg"
)

// Gold is one annotation file.
type Gold struct {
	Entities  []GoldEntity   `json:"entities"`
	Relations []GoldRelation `json:"relations"`
	Negated   []GoldNegated  `json:"negated"`
}

// GoldEntity is an annotated surface.
type GoldEntity struct {
	Text      string `json:"text"`
	Type      string `json:"type"`
	Canonical string `json:"canonical"`
	Optional  bool   `json:"optional,omitempty"`
}

// GoldRelation is an annotated positive relation between canonical names.
// Evidence is the sentence as written; gold kept for third-party texts
// stores only its rune span in the source file (EvidenceSpan), never the
// text itself.
type GoldRelation struct {
	Subject      string `json:"subject"`
	Predicate    string `json:"predicate"`
	Object       string `json:"object"`
	Evidence     string `json:"evidence,omitempty"`
	EvidenceSpan []int  `json:"evidence_span,omitempty"`
	Optional     bool   `json:"optional,omitempty"`
}

// GoldNegated is a statement the text denies or forbids.
type GoldNegated struct {
	Subject      string `json:"subject"`
	Predicate    string `json:"predicate,omitempty"`
	Object       string `json:"object,omitempty"`
	Evidence     string `json:"evidence,omitempty"`
	EvidenceSpan []int  `json:"evidence_span,omitempty"`
	Note         string `json:"note,omitempty"`
}

// LoadGold reads and checks an annotation file: known types and
// predicates, relation arguments that are canonicals of the file.
func LoadGold(path string) (*Gold, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g Gold
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	canon := map[string]bool{}
	for i, e := range g.Entities {
		if !medkg.EntityType(e.Type).Valid() {
			return nil, fmt.Errorf("%s: entity %d (%s): unknown type %q", path, i, e.Text, e.Type)
		}
		canon[e.Canonical] = true
	}
	for i, r := range g.Relations {
		if _, ok := medkg.Signatures[medkg.Predicate(r.Predicate)]; !ok {
			return nil, fmt.Errorf("%s: relation %d: unknown predicate %q", path, i, r.Predicate)
		}
		for _, n := range []string{r.Subject, r.Object} {
			if !canon[n] {
				return nil, fmt.Errorf("%s: relation %d (%s %s %s): %q is not the canonical of an entity of the file", path, i, r.Subject, r.Predicate, r.Object, n)
			}
		}
	}
	return &g, nil
}

// Counts are true positives, false positives and false negatives.
type Counts struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) { c.TP, c.FP, c.FN = c.TP+o.TP, c.FP+o.FP, c.FN+o.FN }

// Precision is TP/(TP+FP); 0 when nothing was found, so that an empty
// output never passes a precision gate.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN); 1 when the gold holds nothing.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return ratio(c.TP, c.TP+c.FN)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// CoreTypes are the entity types the product's answers rest on.
var CoreTypes = map[string]bool{"nerve": true, "muscle": true, "procedure": true, "agency": true}

// Error is one false positive or false negative, for review.
type Error struct {
	Doc      string `json:"doc"`
	Kind     string `json:"kind"` // "entity" or "relation"
	Miss     bool   `json:"miss"` // a false negative; else a false positive
	Type     string `json:"type"` // entity type or predicate
	Text     string `json:"text"` // the surface, or "subject predicate object"
	Evidence string `json:"evidence,omitempty"`
}

// Result is the score of one or more documents.
type Result struct {
	Docs        int               `json:"docs"`
	Entities    Counts            `json:"entities"`
	Core        Counts            `json:"core"`
	Relations   Counts            `json:"relations"`
	ByType      map[string]Counts `json:"by_type"`
	ByPredicate map[string]Counts `json:"by_predicate"`
	Denied      []string          `json:"denied"` // positive edges for statements the gold denies
	Errors      []Error           `json:"errors"`
}

// NewResult returns an empty result.
func NewResult() *Result {
	return &Result{ByType: map[string]Counts{}, ByPredicate: map[string]Counts{}, Denied: []string{}, Errors: []Error{}}
}

// Add merges o into r (micro-averaging).
func (r *Result) Add(o *Result) {
	r.Docs += o.Docs
	r.Entities.Add(o.Entities)
	r.Core.Add(o.Core)
	r.Relations.Add(o.Relations)
	for k, v := range o.ByType {
		c := r.ByType[k]
		c.Add(v)
		r.ByType[k] = c
	}
	for k, v := range o.ByPredicate {
		c := r.ByPredicate[k]
		c.Add(v)
		r.ByPredicate[k] = c
	}
	r.Denied = append(r.Denied, o.Denied...)
	r.Errors = append(r.Errors, o.Errors...)
}

// Key normalises a surface as the devset scorer does: whitespace and
// 《》“” ignored.
func Key(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\t', '\r', '《', '》', '“', '”', '"':
			return -1
		}
		return r
	}, s)
}

// samePred: cuts and targets are interchangeable, as the devset README says.
func samePred(a, b string) bool {
	norm := func(p string) string {
		if p == "cuts" {
			return "targets"
		}
		return p
	}
	return norm(a) == norm(b)
}

// Doc scores one extracted document against its gold.
func Doc(name string, doc *medkg.Document, g *Gold) *Result {
	res := NewResult()
	res.Docs = 1
	type pair struct{ typ, text string }
	found := map[pair]bool{}
	for _, e := range doc.Entities {
		for _, m := range e.Mentions {
			found[pair{string(e.Type), Key(m.Text)}] = true
		}
	}
	want, optional := map[pair]bool{}, map[pair]bool{}
	for _, e := range g.Entities {
		p := pair{e.Type, Key(e.Text)}
		if e.Optional {
			optional[p] = true
		} else {
			want[p] = true
		}
	}
	for p := range want {
		delete(optional, p)
	}
	tally := func(p pair, c Counts) {
		res.Entities.Add(c)
		if CoreTypes[p.typ] {
			res.Core.Add(c)
		}
		t := res.ByType[p.typ]
		t.Add(c)
		res.ByType[p.typ] = t
	}
	for _, p := range sortedPairs(found, func(p pair) string { return p.typ + p.text }) {
		if optional[p] {
			continue
		}
		if want[p] {
			tally(p, Counts{TP: 1})
		} else {
			tally(p, Counts{FP: 1})
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "entity", Type: p.typ, Text: p.text})
		}
	}
	for _, p := range sortedPairs(want, func(p pair) string { return p.typ + p.text }) {
		if !found[p] {
			tally(p, Counts{FN: 1})
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "entity", Miss: true, Type: p.typ, Text: p.text})
		}
	}

	// An entity carries a name if it is its name, an alias or a mention.
	names := map[string]map[string]bool{}
	for _, e := range doc.Entities {
		n := map[string]bool{Key(e.Name): true}
		for _, a := range e.Aliases {
			n[Key(a)] = true
		}
		for _, m := range e.Mentions {
			n[Key(m.Text)] = true
		}
		names[e.ID] = n
	}
	type edge struct {
		s string
		p medkg.Predicate
		o string
	}
	edges := map[edge]medkg.Relation{}
	var order []edge
	for _, r := range doc.Relations {
		e := edge{r.Subject, r.Predicate, r.Object}
		if _, seen := edges[e]; !r.Negated && !seen {
			edges[e] = r
			order = append(order, e)
		}
	}
	predTally := func(p string, c Counts) {
		res.Relations.Add(c)
		t := res.ByPredicate[p]
		t.Add(c)
		res.ByPredicate[p] = t
	}
	matched := map[int]bool{}
	gold := map[edge]bool{} // edges that a gold relation states
	for _, e := range order {
		hit, opt := false, false
		for i, gr := range g.Relations {
			if samePred(string(e.p), gr.Predicate) && names[e.s][Key(gr.Subject)] && names[e.o][Key(gr.Object)] {
				if gr.Optional {
					opt = true
				} else {
					hit = true
					matched[i] = true
				}
			}
		}
		gold[e] = hit || opt
		switch {
		case hit:
			predTally(string(e.p), Counts{TP: 1})
		case !opt:
			predTally(string(e.p), Counts{FP: 1})
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "relation", Type: string(e.p),
				Text: e.s + " " + string(e.p) + " " + e.o, Evidence: edges[e].Evidence})
		}
	}
	for i, gr := range g.Relations {
		if !gr.Optional && !matched[i] {
			predTally(gr.Predicate, Counts{FN: 1})
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "relation", Miss: true, Type: gr.Predicate,
				Text: gr.Subject + " " + gr.Predicate + " " + gr.Object, Evidence: gr.Evidence})
		}
	}
	// A hedged edge reports a claim (该诊所宣称…), not an assertion: it is
	// counted as positive for precision but is no contradiction. An edge
	// the gold states as a relation is no contradiction either, whatever a
	// note's wording seems to deny. Each edge is reported once.
	for _, e := range order {
		if edges[e].Hedged || gold[e] {
			continue
		}
		for _, n := range g.Negated {
			if names[e.s][Key(n.Subject)] && n.denies(e.p, names[e.o]) || n.deniesTo(e.p, names[e.o]) {
				res.Denied = append(res.Denied, name+": "+e.s+" "+string(e.p)+" "+e.o)
				break
			}
		}
	}
	return res
}

func sortedPairs[P comparable](m map[P]bool, key func(P) string) []P {
	out := make([]P, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// noEdge matches the clauses of a free-text note that say which edges
// must not exist: "no positive causes/affects edge from X", "no bans edge
// X → Y".
var noEdge = regexp.MustCompile(`no (?:positive )?([a-z_/]+ )?edges? (?:from )?([^;(]+)`)

// denies reports whether a positive edge with predicate p to an entity
// with objectNames is one this statement denies. A statement with a
// predicate (and object) says so itself; otherwise its note's clauses do;
// a note without such clauses denies causes/affects edges from its
// subject, as the devset's do.
func (n GoldNegated) denies(p medkg.Predicate, objectNames map[string]bool) bool {
	if n.Predicate != "" {
		if !samePred(n.Predicate, string(p)) {
			return false
		}
		return n.Object == "" || objectNames[Key(n.Object)]
	}
	if n.Object != "" {
		return objectNames[Key(n.Object)]
	}
	clauses := noEdge.FindAllStringSubmatch(n.Note, -1)
	if len(clauses) == 0 {
		return p == medkg.Causes || p == medkg.Affects
	}
	for _, c := range clauses {
		preds := strings.TrimSpace(c[1])
		if preds != "" && !slices.Contains(strings.Split(preds, "/"), string(p)) {
			continue
		}
		_, objs, hasObj := strings.Cut(c[2], "→")
		if !hasObj {
			if preds != "" {
				return true
			}
			continue
		}
		for _, o := range strings.Split(objs, "/") {
			if objectNames[Key(strings.TrimSpace(o))] {
				return true
			}
		}
	}
	return false
}

// deniesTo reports whether a note about the edges *to* its subject ("no
// causes edge to X") denies a positive edge with predicate p to an entity
// with objectNames.
func (n GoldNegated) deniesTo(p medkg.Predicate, objectNames map[string]bool) bool {
	if n.Predicate != "" || !objectNames[Key(n.Subject)] {
		return false
	}
	for _, c := range noEdge.FindAllStringSubmatch(n.Note, -1) {
		preds := strings.TrimSpace(c[1])
		if strings.HasPrefix(c[2], "to ") && (preds == "" || slices.Contains(strings.Split(preds, "/"), string(p))) {
			return true
		}
	}
	return false
}
