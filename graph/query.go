package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// EntityRef names an entity in query results.
type EntityRef struct {
	ID     string           `json:"id"`
	Type   medkg.EntityType `json:"type"`
	Name   string           `json:"name,omitempty"`
	NameEn string           `json:"name_en,omitempty"`
}

// Evidence is one source for a fact: a sentence of a document, or the
// curated vocabulary.
type Evidence struct {
	Subject    string          `json:"subject"`
	Predicate  medkg.Predicate `json:"predicate"`
	Object     string          `json:"object"`
	Kind       string          `json:"kind"`               // "document" or "vocabulary"
	Document   string          `json:"document,omitempty"` // document IRI
	Source     string          `json:"source,omitempty"`
	Title      string          `json:"title,omitempty"`
	URL        string          `json:"url,omitempty"`
	Date       string          `json:"date,omitempty"`
	Sentence   int             `json:"sentence"` // 0-based; -1 for vocabulary facts
	Text       string          `json:"text,omitempty"`
	Negated    bool            `json:"negated"`
	Hedged     bool            `json:"hedged"`
	Vocabulary string          `json:"vocabulary,omitempty"` // vocabulary version, for vocabulary facts
	// Action is set on the evidence of a regulatory action: its kind
	// (Predicate is then empty, Subject the actor, Object the target).
	Action medkg.ActionKind `json:"action,omitempty"`
	// Claim is set on an assertion only a claim or hearsay states.
	Claim bool `json:"claim,omitempty"`
	// ViaBranch is set on an assertion about an unnamed branch of its
	// object (切断胫神经的肌支), which is no positive edge.
	ViaBranch bool `json:"via_branch,omitempty"`
	// SourceKind and SourceFlags are the document's: what kind of page
	// states it (regulation, journal, news, hospital, clinic, unknown).
	SourceKind  medkg.SourceKind `json:"source_kind,omitempty"`
	SourceFlags []string         `json:"source_flags,omitempty"`
	// Support is set by the evidence query only: the support of the
	// fact the rows are evidence for (the same on every row).
	Support *Support `json:"support,omitempty"`
}

// Evidence kinds.
const (
	FromDocument   = "document"
	FromVocabulary = "vocabulary"
)

// Relation kinds in BannedNerve rows besides the predicates cuts and
// targets.
const (
	ViaMuscle = "via_muscle" // the procedure targets a muscle the nerve innervates
	ViaBranch = "via_branch" // the procedure cuts or targets a branch of the nerve
)

// BannedNerve is a row of the banned-nerves query.
type BannedNerve struct {
	Nerve     EntityRef  `json:"nerve"`
	Relation  string     `json:"relation"`          // cuts, targets, via_muscle or via_branch
	Through   *EntityRef `json:"through,omitempty"` // the muscle or branch involved
	Via       *EntityRef `json:"via,omitempty"`     // for via_muscle: the branch of Nerve innervating Through
	Procedure EntityRef  `json:"procedure"`
	Banner    EntityRef  `json:"banner"` // agency or regulation; empty when the statement names none
	Date      string     `json:"date"`   // the article's date: earliest date of a document stating the ban
	Action
	// BanEvidence lists the documents stating the ban (one sentence each,
	// earliest date first); LinkEvidence every source for the facts
	// linking the procedure to the nerve.
	BanEvidence  []Evidence `json:"ban_evidence"`
	LinkEvidence []Evidence `json:"link_evidence"`
	// Support is the row's: the weakest of the ban's (BanSupport) and the
	// link's edges' (Edges), contested if any of them is.
	Support    Support       `json:"support"`
	BanSupport Support       `json:"ban_support"`
	Edges      []EdgeSupport `json:"edges"`
}

// Meets reports whether the ban and every edge of the link reach n
// documents (edges the vocabulary states always do).
func (b BannedNerve) Meets(n int) bool {
	if !b.BanSupport.Meets(n) {
		return false
	}
	for _, e := range b.Edges {
		if !e.Meets(n) {
			return false
		}
	}
	return true
}

// BannedProcedure is a row of the banned-procedures query.
type BannedProcedure struct {
	Procedure EntityRef  `json:"procedure"`
	Banner    EntityRef  `json:"banner"`   // agency or regulation; empty when the statement names none
	Date      string     `json:"date"`     // the article's date: earliest date of a document stating the ban
	Evidence  []Evidence `json:"evidence"` // one sentence per document, earliest first
	Action
	Support Support `json:"support"` // the documents stating the action
}

// Meets reports whether n documents state the action.
func (b BannedProcedure) Meets(n int) bool { return b.Support.Meets(n) }

// Action qualifies a ban row: what kind of action, by whom as written,
// for which scope, under which conditions, where and from when. The
// effective date comes from the text (Date is the article's date).
type Action struct {
	Kind          medkg.ActionKind   `json:"kind"`
	BannerName    string             `json:"banner_name,omitempty"` // the actor as written
	BannerNote    string             `json:"banner_note,omitempty"` // e.g. no actor stated
	Scope         string             `json:"scope,omitempty"`
	Conditions    []string           `json:"conditions"`
	Jurisdiction  medkg.Jurisdiction `json:"jurisdiction"`
	EffectiveDate string             `json:"effective_date,omitempty"`
	DateText      string             `json:"date_text,omitempty"`
	DateNote      string             `json:"date_note,omitempty"`
	// Lineage says how the banner relates to the body asked about with
	// --actor: "predecessor of 国家卫生健康委员会"; empty for the body itself.
	Lineage string `json:"lineage,omitempty"`
}

func (b ban) action() Action {
	c := b.conditions
	if c == nil {
		c = []string{}
	}
	return Action{Kind: b.kind, BannerName: b.actorName, BannerNote: b.actorNote, Scope: b.scope, Conditions: c,
		Jurisdiction: b.jurisdiction, EffectiveDate: b.effective, DateText: b.dateText, DateNote: b.dateNote, Lineage: b.lineage}
}

// InnervationRow says that Nerve supplies Muscle, through Branch if set.
type InnervationRow struct {
	Nerve    EntityRef  `json:"nerve"`
	Muscle   EntityRef  `json:"muscle"`
	Branch   *EntityRef `json:"branch,omitempty"` // the branch of Nerve that innervates Muscle
	Evidence []Evidence `json:"evidence"`
	// Support is the weakest of the edges' (Edges: innervates, then
	// branch_of up to Nerve).
	Support Support       `json:"support"`
	Edges   []EdgeSupport `json:"edges"`
}

// Meets reports whether every edge reaches n documents (curated edges
// always do).
func (row InnervationRow) Meets(n int) bool {
	for _, e := range row.Edges {
		if !e.Meets(n) {
			return false
		}
	}
	return true
}

// Edge is a relation touching the entity asked about.
type Edge struct {
	Subject    EntityRef       `json:"subject"`
	Predicate  medkg.Predicate `json:"predicate"`
	Object     EntityRef       `json:"object"`
	Direction  string          `json:"direction"`  // "out" or "in", seen from the entity asked about
	Documents  int             `json:"documents"`  // documents asserting it
	Negated    int             `json:"negated"`    // documents denying it
	Vocabulary bool            `json:"vocabulary"` // stated by the curated vocabulary
	Support    Support         `json:"support"`
}

// Meets reports whether n documents assert the edge (or the vocabulary
// states it).
func (e Edge) Meets(n int) bool { return e.Support.Meets(n) }

// Step is one hop of a path. Forward is true when the graph holds
// From -Predicate-> To, false when it holds To -Predicate-> From.
// Evidence lists every source for the hop's fact (positive ones: a path
// never walks a denied statement).
type Step struct {
	From      EntityRef       `json:"from"`
	Predicate medkg.Predicate `json:"predicate"`
	To        EntityRef       `json:"to"`
	Forward   bool            `json:"forward"`
	Evidence  []Evidence      `json:"evidence"`
	Support   Support         `json:"support"`
}

// assertion is a loaded reified relation.
type assertion struct {
	doc      quad.IRI
	subj     quad.IRI
	pred     medkg.Predicate
	obj      quad.IRI
	negated  bool
	hedged   bool
	claim    bool
	viaBr    bool
	sentence int
	text     string
	// flagsKnown: claim and viaBr were read (always, but from index
	// entries of version 1, written before they were kept).
	flagsKnown bool
}

// reader runs one query under the read lock, caching what it loads.
type reader struct {
	s    *Store
	ctx  context.Context
	ents map[quad.IRI]EntityRef
	docs map[quad.IRI]DocInfo
	// docActions: whether a document was extracted with actions, as the
	// query index's d entries say (absent: not read, or not said).
	docActions map[quad.IRI]bool
	asserts    map[quad.Value]*assertion
	bySubj     map[quad.IRI][]*assertion
	out, in    map[quad.IRI][]quad.Quad
	names      names
	vocabVer   *string
	ix         *ixReader // the store's query index, if it has one
	// previous reads as before per-distinct-end reads and the actions
	// flag (Store.ixPrevious).
	previous bool
}

func (r *reader) quadsWith(dir quad.Direction, v quad.Value) ([]quad.Quad, error) {
	return r.s.quadsWithNames(r.ctx, dir, v, r.names)
}

func (s *Store) read(ctx context.Context, fn func(r *reader) error) error {
	unlock, err := s.rlock()
	if err != nil {
		return err
	}
	defer unlock()
	ix, err := s.openIxReader(ctx)
	if err != nil {
		return fmt.Errorf("read the query index: %w", err)
	}
	defer ix.close()
	r := &reader{
		ix: ix,
		s:  s, ctx: ctx,
		ents: map[quad.IRI]EntityRef{},
		docs: map[quad.IRI]DocInfo{},

		docActions: map[quad.IRI]bool{},
		asserts:    map[quad.Value]*assertion{},
		bySubj:     map[quad.IRI][]*assertion{},
		out:        map[quad.IRI][]quad.Quad{},
		in:         map[quad.IRI][]quad.Quad{},
		names:      names{},

		previous: s.ixPrevious,
	}
	return fn(r)
}

func (r *reader) entity(x quad.IRI) (EntityRef, error) {
	if e, ok := r.ents[x]; ok {
		return e, nil
	}
	id, _ := entityID(x)
	e := EntityRef{ID: id, Type: typeOfID(id)}
	if err := r.ixEntity(x, &e); !errors.Is(err, errNoIndex) {
		if err == nil {
			r.ents[x] = e
		}
		return e, err
	}
	props, err := r.quadsWith(quad.Subject, x)
	if err != nil {
		return e, err
	}
	// Prefer the vocabulary's names; among documents take the smallest
	// label, so the answer does not depend on ingest order.
	type pick struct{ label, value string }
	best := map[quad.Value]pick{}
	for _, q := range props {
		if q.Predicate != quad.Value(iri(iriName)) && q.Predicate != quad.Value(iri(iriNameEn)) {
			continue
		}
		c := pick{"1" + valueString(q.Label), valueString(q.Object)}
		if q.Label == quad.Value(iri(iriVocabulary)) {
			c.label = "0"
		}
		if b, ok := best[q.Predicate]; !ok || c.label < b.label || (c.label == b.label && c.value < b.value) {
			best[q.Predicate] = c
		}
	}
	e.Name = best[iri(iriName)].value
	e.NameEn = best[iri(iriNameEn)].value
	r.ents[x] = e
	return e, nil
}

func (r *reader) entityPtr(x quad.IRI) (*EntityRef, error) {
	if x == "" {
		return nil, nil
	}
	e, err := r.entity(x)
	return &e, err
}

func (r *reader) doc(d quad.IRI) (DocInfo, error) {
	if info, ok := r.docs[d]; ok {
		return info, nil
	}
	if info, err := r.ixDoc(d); !errors.Is(err, errNoIndex) {
		if err == nil {
			r.docs[d] = info
		}
		return info, err
	}
	// Metadata only: evidence does not need the counts, which cost an
	// extra index scan per document.
	props, err := r.quadsWith(quad.Subject, d)
	if err != nil {
		return DocInfo{}, err
	}
	info := docMetadata(d, props)
	r.docs[d] = info
	return info, nil
}

func (r *reader) vocabularyVersion() (string, error) {
	if r.vocabVer == nil {
		v, err := r.ixVocabularyVersion()
		if errors.Is(err, errNoIndex) {
			v, err = r.s.vocabularyVersion(r.ctx)
		}
		if err != nil {
			return "", err
		}
		r.vocabVer = &v
	}
	return *r.vocabVer, nil
}

func (r *reader) assertion(a quad.Value) (*assertion, error) {
	if x, ok := r.asserts[a]; ok {
		return x, nil
	}
	props, err := r.quadsWith(quad.Subject, a)
	if err != nil {
		return nil, err
	}
	x := &assertion{}
	for _, q := range props {
		switch q.Predicate {
		case quad.Value(iri(iriInDoc)):
			x.doc, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriSubject)):
			x.subj, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriObject)):
			x.obj, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriPredicate)):
			x.pred, _ = predicateOf(q.Object)
		case quad.Value(iri(iriNegated)):
			x.negated = valueBool(q.Object)
		case quad.Value(iri(iriHedged)):
			x.hedged = valueBool(q.Object)
		case quad.Value(iri(iriClaim)):
			x.claim = valueBool(q.Object)
		case quad.Value(iri(iriViaBranch)):
			x.viaBr = valueBool(q.Object)
		case quad.Value(iri(iriSentence)):
			x.sentence = valueInt(q.Object)
		case quad.Value(iri(iriEvidence)):
			x.text = valueString(q.Object)
		}
	}
	r.asserts[a] = x
	return x, nil
}

// assertionsWithPredicate finds the assertions of predicate p through the
// path API: the nodes whose medkg:predicate is p.
func (r *reader) assertionsWithPredicate(p medkg.Predicate) ([]*assertion, error) {
	if p == medkg.Bans { // the index has assertions by predicate for bans only
		if as, err := r.ixAssertions("p", string(p)); !errors.Is(err, errNoIndex) {
			return as, err
		}
	}
	vals, err := path.StartPath(r.s.qs, predicateIRI(p)).In(iri(iriPredicate)).Iterate(r.ctx).AllValues(r.s.qs)
	if err != nil {
		return nil, err
	}
	out := make([]*assertion, 0, len(vals))
	for _, v := range vals {
		a, err := r.assertion(v)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// assertionsAbout lists the assertions whose subject is x.
func (r *reader) assertionsAbout(x quad.IRI) ([]*assertion, error) {
	if as, ok := r.bySubj[x]; ok {
		return as, nil
	}
	in, err := r.quadsWith(quad.Object, x)
	if err != nil {
		return nil, err
	}
	var as []*assertion
	for _, q := range in {
		if q.Predicate != quad.Value(iri(iriSubject)) {
			continue
		}
		a, err := r.assertion(q.Subject)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	r.bySubj[x] = as
	return as, nil
}

// negatedAbout lists the negated assertions whose subject or object is
// x.
func (r *reader) negatedAbout(x quad.IRI) ([]*assertion, error) {
	var all []*assertion
	if out, err := r.ixAssertions("a", string(x)); !errors.Is(err, errNoIndex) {
		if err != nil {
			return nil, err
		}
		in, err := r.ixAssertions("b", string(x)) // negated ones only
		if err != nil {
			return nil, err
		}
		all = append(out, in...)
	} else {
		refs, err := r.quadsWith(quad.Object, x)
		if err != nil {
			return nil, err
		}
		for _, q := range refs {
			if q.Predicate != quad.Value(iri(iriSubject)) && q.Predicate != quad.Value(iri(iriObject)) {
				continue
			}
			a, err := r.assertion(q.Subject)
			if err != nil {
				return nil, err
			}
			all = append(all, a)
		}
	}
	return slices.DeleteFunc(all, func(a *assertion) bool { return !a.negated }), nil
}

// edgesFrom lists the direct relation edges out of x, one quad per label.
func (r *reader) edgesFrom(x quad.IRI) ([]quad.Quad, error) {
	return r.edges(x, quad.Subject, r.out)
}

// edgesTo lists the direct relation edges into x.
func (r *reader) edgesTo(x quad.IRI) ([]quad.Quad, error) {
	return r.edges(x, quad.Object, r.in)
}

func (r *reader) edges(x quad.IRI, dir quad.Direction, cache map[quad.IRI][]quad.Quad) ([]quad.Quad, error) {
	if qs, ok := cache[x]; ok {
		return qs, nil
	}
	if qs, err := r.ixEdges(x, dir); !errors.Is(err, errNoIndex) {
		if err == nil {
			cache[x] = qs
		}
		return qs, err
	}
	all, err := r.quadsWith(dir, x)
	if err != nil {
		return nil, err
	}
	var out []quad.Quad
	for _, q := range all {
		if _, ok := predicateOf(q.Predicate); !ok {
			continue
		}
		if _, ok := entityID(q.Subject); !ok {
			continue
		}
		if _, ok := entityID(q.Object); !ok {
			continue
		}
		out = append(out, q)
	}
	cache[x] = out
	return out, nil
}

// neighbours returns the distinct ends of edges with predicate p from x
// (forward) or into x (backward), sorted.
func (r *reader) neighbours(x quad.IRI, p medkg.Predicate, forward bool) ([]quad.IRI, error) {
	if !r.previous {
		if out, err := r.ixNeighbours(x, p, forward); !errors.Is(err, errNoIndex) {
			return out, err
		}
	}
	var qs []quad.Quad
	var err error
	if forward {
		qs, err = r.edgesFrom(x)
	} else {
		qs, err = r.edgesTo(x)
	}
	if err != nil {
		return nil, err
	}
	seen := map[quad.IRI]bool{}
	var out []quad.IRI
	for _, q := range qs {
		if q.Predicate != quad.Value(predicateIRI(p)) {
			continue
		}
		end := q.Object
		if !forward {
			end = q.Subject
		}
		e := end.(quad.IRI)
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out, nil
}

// evidenceSupport lists the sources of subj -p-> obj: the vocabulary, if
// it states it, and every document assertion (negated, claimed and
// via_branch ones only if withNegated), with the fact's support computed
// from the same reads.
func (r *reader) evidenceSupport(subj quad.IRI, p medkg.Predicate, obj quad.IRI, withNegated bool) ([]Evidence, Support, error) {
	sid, _ := entityID(subj)
	oid, _ := entityID(obj)
	var out []Evidence
	vocab, err := r.vocabularyStates(subj, p, obj)
	if err != nil {
		return nil, Support{}, err
	}
	var vocabEv *Evidence
	if vocab {
		v, err := r.vocabularyVersion()
		if err != nil {
			return nil, Support{}, err
		}
		vocabEv = &Evidence{Subject: sid, Predicate: p, Object: oid, Kind: FromVocabulary, Sentence: -1, Vocabulary: v}
	}
	as, err := r.ixAssertions("a", string(subj), string(p), string(obj))
	if errors.Is(err, errNoIndex) {
		as, err = r.assertionsAbout(subj)
	}
	if err != nil {
		return nil, Support{}, err
	}
	// At most one value per assertion, and the vocabulary's: a hub edge
	// has thousands, and growing the slice by doubling copied them over
	// and over (a quarter of what banned-nerves allocated).
	if n := len(as); vocabEv != nil || n > 0 {
		if vocabEv != nil {
			n++
		}
		out = make([]Evidence, 0, n)
		if vocabEv != nil {
			out = append(out, *vocabEv)
		}
	}
	sup, err := r.support(subj, p, obj, as, vocabEv != nil)
	if err != nil {
		return nil, Support{}, err
	}
	// A contested fact needs the denials' evidence (and the claims') even
	// when the caller does not list them: read each assertion's once.
	all := withNegated || sup.Contested
	var c *Conflict
	if sup.Contested {
		c = &Conflict{Asserted: []Evidence{}, Denied: []Evidence{}}
	}
	for _, a := range as {
		if a.pred != p || a.obj != obj || a.subj != subj || ((a.negated || a.claim || a.viaBr) && !all) {
			continue
		}
		ev, err := r.assertionEvidence(a)
		if err != nil {
			return nil, Support{}, err
		}
		if c != nil && !(a.viaBr && !a.negated) {
			if a.negated {
				c.Denied = append(c.Denied, ev)
			} else {
				c.Asserted = append(c.Asserted, ev)
			}
		}
		if (a.negated || a.claim || a.viaBr) && !withNegated {
			continue
		}
		out = append(out, ev)
	}
	if len(out) == 0 {
		out = nil // as when nothing was appended: JSON null, not []
	}
	sortEvidence(out, nil)
	if c != nil {
		if vocabEv != nil {
			c.Asserted = append(c.Asserted, *vocabEv)
		}
		sortEvidence(c.Asserted, nil)
		sortEvidence(c.Denied, nil)
		c.Asserted, c.Denied = capped(c.Asserted), capped(c.Denied)
		sup.Conflict = c
	}
	return out, sup, nil
}

// conflictMax bounds each side of a conflict: a hub fact asserted by
// thousands of documents lists the first ones (Support counts them all).
const conflictMax = 10

func capped(ev []Evidence) []Evidence {
	if len(ev) > conflictMax {
		return ev[:conflictMax]
	}
	return ev
}

// vocabularyStates reports whether the vocabulary states subj -p-> obj.
func (r *reader) vocabularyStates(subj quad.IRI, p medkg.Predicate, obj quad.IRI) (bool, error) {
	if !r.previous {
		if ok, err := r.ixVocabularyStates(subj, p, obj); !errors.Is(err, errNoIndex) {
			return ok, err
		}
	}
	edges, err := r.edgesFrom(subj)
	if err != nil {
		return false, err
	}
	for _, q := range edges {
		if q.Predicate == quad.Value(predicateIRI(p)) && q.Object == quad.Value(obj) && q.Label == quad.Value(iri(iriVocabulary)) {
			return true, nil
		}
	}
	return false, nil
}

func (r *reader) assertionEvidence(a *assertion) (Evidence, error) {
	sid, _ := entityID(a.subj)
	oid, _ := entityID(a.obj)
	d, err := r.doc(a.doc)
	if err != nil {
		return Evidence{}, err
	}
	return Evidence{
		Subject: sid, Predicate: a.pred, Object: oid,
		Kind: FromDocument, Document: string(a.doc),
		Source: d.Source, Title: d.Title, URL: d.URL, Date: d.Date,
		Sentence: a.sentence, Text: a.text, Negated: a.negated, Hedged: a.hedged, Claim: a.claim, ViaBranch: a.viaBr,
		SourceKind: kindOf(d), SourceFlags: d.SourceFlags,
	}, nil
}

// cmpEvidence orders evidence by edge, vocabulary first, then by date,
// source, document, sentence and negation. It takes pointers and returns
// at the first difference (cmp.Or would compare every field: its
// arguments are all evaluated): banned-nerves sorts ~10,000 values.
func cmpEvidence(a, b *Evidence) int {
	if c := cmp.Compare(a.Subject, b.Subject); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Predicate, b.Predicate); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Object, b.Object); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Kind, a.Kind); c != 0 { // vocabulary first
		return c
	}
	if c := cmp.Compare(a.Date, b.Date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Document, b.Document); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Sentence, b.Sentence); c != 0 {
		return c
	}
	return boolCmp(a.Negated, b.Negated)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// sortEvidence sorts ev by cmp (cmpEvidence if nil). An Evidence is a
// large value, and sorting the values themselves moved each one many
// times: this sorts their positions, then moves every value once. The
// order is slices.SortFunc's on the values, equal ones included: the
// same algorithm, seeing the same comparisons.
func sortEvidence(ev []Evidence, cmp func(a, b *Evidence) int) {
	if len(ev) < 2 {
		return
	}
	if cmp == nil {
		cmp = cmpEvidence
	}
	pos := make([]int32, len(ev))
	for i := range pos {
		pos[i] = int32(i)
	}
	slices.SortFunc(pos, func(i, j int32) int { return cmp(&ev[i], &ev[j]) })
	// ev[k] becomes the value at pos[k]: follow each cycle of the
	// permutation, marking the positions done.
	for start := range pos {
		if pos[start] < 0 {
			continue
		}
		held := ev[start]
		k := start
		for {
			from := int(pos[k])
			pos[k] = -1
			if from == start {
				ev[k] = held
				break
			}
			ev[k] = ev[from]
			k = from
		}
	}
}

// cmpEvidenceByDate orders by date first, then as cmpEvidence.
func cmpEvidenceByDate(a, b *Evidence) int {
	if c := cmp.Compare(a.Date, b.Date); c != 0 {
		return c
	}
	return cmpEvidence(a, b)
}

// ban is banner -bans-> procedure with the documents stating it
// positively, one sentence (the first) per document, earliest date first.
type ban struct {
	banner, procedure quad.IRI
	evidence          []Evidence

	// from actions (actions.go)
	kind                          medkg.ActionKind
	scope, actorName, actorNote   string
	conditions                    []string
	jurisdiction                  medkg.Jurisdiction
	effective, dateText, dateNote string
	dates                         []actionDate
	lineage                       string
}

func (r *reader) bans() ([]ban, error) {
	as, err := r.assertionsWithPredicate(medkg.Bans)
	if err != nil {
		return nil, err
	}
	type key struct{ banner, proc quad.IRI }
	type perDoc struct {
		key
		doc quad.IRI
	}
	first := map[perDoc]*assertion{}
	for _, a := range as {
		if a.negated || a.claim || a.viaBr || !medkg.Bans.Allows(typeOfIRI(a.subj), typeOfIRI(a.obj)) {
			continue
		}
		k := perDoc{key{a.subj, a.obj}, a.doc}
		if cur, ok := first[k]; !ok || a.sentence < cur.sentence {
			first[k] = a
		}
	}
	byBan := map[key][]Evidence{}
	for k, a := range first {
		ev, err := r.assertionEvidence(a)
		if err != nil {
			return nil, err
		}
		byBan[k.key] = append(byBan[k.key], ev)
	}
	out := make([]ban, 0, len(byBan))
	for k, ev := range byBan {
		sortEvidence(ev, cmpEvidenceByDate)
		out = append(out, ban{banner: k.banner, procedure: k.proc, evidence: ev})
	}
	return out, nil
}

func typeOfIRI(x quad.IRI) medkg.EntityType {
	id, _ := entityID(x)
	return typeOfID(id)
}

// BannedProcedures lists, for every positive bans assertion from a
// document, the procedure, the agency or regulation and the date.
func (s *Store) BannedProcedures(ctx context.Context) ([]BannedProcedure, error) {
	return s.BannedProceduresWith(ctx, ActionFilter{})
}

// BannedProceduresWith lists the procedures under the actions f selects
// (by default bans and suspensions): procedure, actor, kind, scope,
// conditions, jurisdiction, effective date and evidence.
func (s *Store) BannedProceduresWith(ctx context.Context, f ActionFilter) ([]BannedProcedure, error) {
	var rows []BannedProcedure
	err := s.read(ctx, func(r *reader) error {
		bans, err := r.actionBans(f)
		if err != nil {
			return err
		}
		rows = make([]BannedProcedure, 0, len(bans))
		for _, b := range bans {
			row := BannedProcedure{}
			if row.Procedure, err = r.entity(b.procedure); err != nil {
				return err
			}
			if row.Banner, err = r.entity(b.banner); err != nil {
				return err
			}
			row.Evidence = b.evidence
			row.Date = b.evidence[0].Date
			row.Action = b.action()
			row.Support = documentSupport(b.evidence)
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("banned-procedures: %w", err)
	}
	slices.SortFunc(rows, func(a, b BannedProcedure) int {
		return cmp.Or(
			cmpSupport(a.Support, b.Support),
			cmp.Compare(a.Procedure.ID, b.Procedure.ID),
			cmp.Compare(a.Banner.ID, b.Banner.ID),
			cmp.Compare(a.BannerName, b.BannerName),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Scope, b.Scope),
		)
	})
	return rows, nil
}

// nerveLink is how a procedure reaches a nerve.
type nerveLink struct {
	nerve, through, via quad.IRI
	kind                string
	evidence            []Evidence
	edges               []EdgeSupport // the support of each edge of the link
}

// edgeEvidence is the positive evidence of subj -p-> obj and its
// support.
func (r *reader) edgeEvidence(subj quad.IRI, p medkg.Predicate, obj quad.IRI) ([]Evidence, EdgeSupport, error) {
	ev, sup, err := r.evidenceSupport(subj, p, obj, false)
	sid, _ := entityID(subj)
	oid, _ := entityID(obj)
	return ev, EdgeSupport{Subject: sid, Predicate: p, Object: oid, Support: sup}, err
}

// nerveLinks finds the nerves a procedure reaches: cut or targeted
// directly, through a targeted muscle (and that muscle's nerve's parent),
// or as the parent of a cut or targeted branch.
func (r *reader) nerveLinks(proc quad.IRI) ([]nerveLink, error) {
	var links []nerveLink
	for _, p := range []medkg.Predicate{medkg.Cuts, medkg.Targets} {
		ends, err := r.neighbours(proc, p, true)
		if err != nil {
			return nil, err
		}
		for _, end := range ends {
			ev, es, err := r.edgeEvidence(proc, p, end)
			if err != nil {
				return nil, err
			}
			switch typeOfIRI(end) {
			case medkg.Nerve:
				links = append(links, nerveLink{nerve: end, kind: string(p), evidence: ev, edges: []EdgeSupport{es}})
				parents, err := r.neighbours(end, medkg.BranchOf, true)
				if err != nil {
					return nil, err
				}
				for _, y := range parents {
					bev, bes, err := r.edgeEvidence(end, medkg.BranchOf, y)
					if err != nil {
						return nil, err
					}
					links = append(links, nerveLink{nerve: y, kind: ViaBranch, through: end, evidence: concatEvidence(ev, bev), edges: []EdgeSupport{es, bes}})
				}
			case medkg.Muscle:
				nerves, err := r.neighbours(end, medkg.Innervates, false)
				if err != nil {
					return nil, err
				}
				for _, n := range nerves {
					iev, ies, err := r.edgeEvidence(n, medkg.Innervates, end)
					if err != nil {
						return nil, err
					}
					links = append(links, nerveLink{nerve: n, kind: ViaMuscle, through: end, evidence: concatEvidence(ev, iev), edges: []EdgeSupport{es, ies}})
					parents, err := r.neighbours(n, medkg.BranchOf, true)
					if err != nil {
						return nil, err
					}
					for _, y := range parents {
						bev, bes, err := r.edgeEvidence(n, medkg.BranchOf, y)
						if err != nil {
							return nil, err
						}
						links = append(links, nerveLink{nerve: y, kind: ViaMuscle, through: end, via: n, evidence: concatEvidence(ev, iev, bev), edges: []EdgeSupport{es, ies, bes}})
					}
				}
			}
		}
	}
	return links, nil
}

// concatEvidence joins evs in one new slice (nil if they are all empty).
func concatEvidence(evs ...[]Evidence) []Evidence {
	n := 0
	for _, ev := range evs {
		n += len(ev)
	}
	if n == 0 {
		return nil
	}
	out := make([]Evidence, 0, n)
	for _, ev := range evs {
		out = append(out, ev...)
	}
	return out
}

// BannedNerves answers 哪些神经与被禁止的手术有关: for each procedure an
// agency or regulation bans in some document, each nerve related to it
// (see nerveLinks), with the ban's date and evidence and the evidence for
// the link. Negated and co_occurs relations never contribute.
func (s *Store) BannedNerves(ctx context.Context) ([]BannedNerve, error) {
	return s.BannedNervesWith(ctx, ActionFilter{})
}

// BannedNervesWith is BannedNerves over the actions f selects.
func (s *Store) BannedNervesWith(ctx context.Context, f ActionFilter) ([]BannedNerve, error) {
	rows := []BannedNerve{}
	err := s.read(ctx, func(r *reader) error {
		bans, err := r.actionBans(f)
		if err != nil {
			return err
		}
		// The links of every procedure, then the names of every entity
		// in the answer: each read ahead in batches.
		var procs []quad.IRI
		for _, b := range bans {
			procs = append(procs, b.procedure)
		}
		if err := r.readAheadNerveLinks(procs); err != nil {
			return err
		}
		links := map[quad.IRI][]nerveLink{}
		var named []quad.IRI
		for _, b := range bans {
			ls, ok := links[b.procedure]
			if !ok {
				if ls, err = r.nerveLinks(b.procedure); err != nil {
					return err
				}
				links[b.procedure] = ls
			}
			if len(ls) == 0 {
				continue
			}
			named = append(named, b.procedure, b.banner)
			for _, l := range ls {
				named = append(named, l.nerve, l.through, l.via)
			}
		}
		if err := r.readAheadEntities(named); err != nil {
			return err
		}
		for _, b := range bans {
			ls := links[b.procedure]
			if len(ls) == 0 {
				continue
			}
			proc, err := r.entity(b.procedure)
			if err != nil {
				return err
			}
			banner, err := r.entity(b.banner)
			if err != nil {
				return err
			}
			for _, l := range ls {
				row := BannedNerve{Relation: l.kind, Procedure: proc, Banner: banner, Date: b.evidence[0].Date, BanEvidence: b.evidence, LinkEvidence: l.evidence, Action: b.action(),
					BanSupport: documentSupport(b.evidence), Edges: l.edges}
				row.Support = weakest(append([]EdgeSupport{{Support: row.BanSupport}}, l.edges...))
				if row.Nerve, err = r.entity(l.nerve); err != nil {
					return err
				}
				if row.Through, err = r.entityPtr(l.through); err != nil {
					return err
				}
				if row.Via, err = r.entityPtr(l.via); err != nil {
					return err
				}
				rows = append(rows, row)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("banned-nerves: %w", err)
	}
	slices.SortFunc(rows, func(a, b BannedNerve) int {
		return cmp.Or(
			cmpSupport(a.Support, b.Support),
			cmp.Compare(a.Nerve.ID, b.Nerve.ID),
			cmp.Compare(a.Relation, b.Relation),
			cmp.Compare(refID(a.Through), refID(b.Through)),
			cmp.Compare(refID(a.Via), refID(b.Via)),
			cmp.Compare(a.Procedure.ID, b.Procedure.ID),
			cmp.Compare(a.Banner.ID, b.Banner.ID),
			cmp.Compare(a.BannerName, b.BannerName),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Scope, b.Scope),
		)
	})
	return rows, nil
}

func refID(e *EntityRef) string {
	if e == nil {
		return ""
	}
	return e.ID
}

// Lookup finds entities by id (nerve:tibial, or its IRI), Chinese name or
// alias, or English name (case-insensitively), from the vocabulary and
// from documents, sorted by id.
func (s *Store) Lookup(ctx context.Context, name string) ([]medkg.Entity, error) {
	return lookupEach(ctx, s, name, nil, (*reader).fullEntity)
}

// LookupRefs is Lookup without the entities' aliases and codes: their
// ids, types and names, all read from the query index where the store
// has one.
func (s *Store) LookupRefs(ctx context.Context, name string) ([]EntityRef, error) {
	return lookupEach(ctx, s, name, (*reader).readAheadEntities, (*reader).entity)
}

// lookupEach reads what get returns for each entity matching name, after
// prepare (when given) has seen them all.
func lookupEach[T any](ctx context.Context, s *Store, name string, prepare func(*reader, []quad.IRI) error, get func(*reader, quad.IRI) (T, error)) ([]T, error) {
	out := []T{}
	err := s.read(ctx, func(r *reader) error {
		xs, err := r.lookup(name)
		if err != nil {
			return err
		}
		if prepare != nil {
			if err := prepare(r, xs); err != nil {
				return err
			}
		}
		for _, x := range xs {
			e, err := get(r, x)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lookup %q: %w", name, err)
	}
	return out, nil
}

// lookup returns the IRIs of the entities matching name.
func (r *reader) lookup(name string) ([]quad.IRI, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	found := map[quad.IRI]bool{}
	bare := strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">")
	var cand quad.IRI
	if strings.HasPrefix(bare, entityPrefix) {
		cand = quad.IRI(bare)
	} else if x, err := entityIRI(bare); err == nil {
		cand = x
	}
	if cand != "" {
		ok, err := r.ixExists(cand)
		if errors.Is(err, errNoIndex) {
			var props []quad.Quad
			props, err = r.quadsWith(quad.Subject, cand)
			ok = len(props) > 0
		}
		if err != nil {
			return nil, err
		}
		if ok {
			found[cand] = true
		}
	}
	names := []quad.Value{quad.String(name)}
	if lower := strings.ToLower(name); lower != name {
		names = append(names, quad.String(lower))
	}
	for _, v := range names {
		xs, err := r.ixNamed(valueString(v))
		if err == nil {
			for _, x := range xs {
				found[x] = true
			}
			continue
		} else if !errors.Is(err, errNoIndex) {
			return nil, err
		}
		qs, err := r.quadsWith(quad.Object, v)
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			switch q.Predicate {
			case quad.Value(iri(iriName)), quad.Value(iri(iriAlias)), quad.Value(iri(iriNameEn)), quad.Value(iri(iriAliasEn)):
				if x, ok := q.Subject.(quad.IRI); ok {
					found[x] = true
				}
			}
		}
	}
	if len(found) == 0 && !hasHan(name) {
		// English names are stored as written ("Tibial nerve"); fall back
		// to a case-insensitive scan of the entities' English names.
		for _, t := range medkg.EntityTypes {
			typed, err := r.quadsWith(quad.Object, classIRI(t))
			if err != nil {
				return nil, err
			}
			for _, q := range typed {
				x, ok := q.Subject.(quad.IRI)
				if !ok || q.Predicate != quad.Value(iri(iriRDFType)) || found[x] {
					continue
				}
				props, err := r.quadsWith(quad.Subject, x)
				if err != nil {
					return nil, err
				}
				for _, p := range props {
					if (p.Predicate == quad.Value(iri(iriNameEn)) || p.Predicate == quad.Value(iri(iriAliasEn))) && strings.EqualFold(valueString(p.Object), name) {
						found[x] = true
					}
				}
			}
		}
	}
	out := make([]quad.IRI, 0, len(found))
	for x := range found {
		if _, ok := entityID(x); ok {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out, nil
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x3400 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// fullEntity reads everything the store knows about an entity.
func (r *reader) fullEntity(x quad.IRI) (medkg.Entity, error) {
	ref, err := r.entity(x)
	if err != nil {
		return medkg.Entity{}, err
	}
	e := medkg.Entity{ID: ref.ID, Type: ref.Type, Name: ref.Name, NameEn: ref.NameEn}
	props, err := r.s.quadsWithDirs(r.ctx, quad.Subject, x, r.names, []quad.Direction{quad.Subject, quad.Predicate, quad.Object}) // labels unused
	if err != nil {
		return e, err
	}
	aliases, codes := map[string]bool{}, map[string]bool{}
	for _, q := range props {
		switch q.Predicate {
		case quad.Value(iri(iriAlias)):
			aliases[valueString(q.Object)] = true
		case quad.Value(iri(iriCode)):
			codes[valueString(q.Object)] = true
		case quad.Value(iri(iriPattern)):
			e.Pattern = e.Pattern || valueBool(q.Object)
		}
	}
	e.Aliases = sortedKeys(aliases)
	e.Codes = sortedKeys(codes)
	return e, nil
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// resolve finds the one entity name refers to, among types if given.
func (r *reader) resolve(name string, types ...medkg.EntityType) (quad.IRI, error) {
	xs, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	if len(types) > 0 {
		var keep []quad.IRI
		for _, x := range xs {
			if slices.Contains(types, typeOfIRI(x)) {
				keep = append(keep, x)
			}
		}
		if len(keep) == 0 && len(xs) > 0 {
			var ts []string
			for _, t := range types {
				ts = append(ts, string(t))
			}
			id, _ := entityID(xs[0])
			return "", medkg.Errorf(medkg.EINVALID, "%q is %s, not a %s", name, id, strings.Join(ts, " or "))
		}
		xs = keep
	}
	switch len(xs) {
	case 0:
		return "", medkg.Errorf(medkg.ENOTFOUND, "no entity %q in the graph (give an id such as nerve:tibial, a Chinese name or alias, or an English name)", name)
	case 1:
		return xs[0], nil
	}
	var ids []string
	for _, x := range xs {
		id, _ := entityID(x)
		ids = append(ids, id)
	}
	return "", medkg.Errorf(medkg.EINVALID, "%q is ambiguous: %s; give an id", name, strings.Join(ids, ", "))
}

// maxBranchDepth bounds the walk up and down branch_of chains.
const maxBranchDepth = 3

// Innervation answers, for a nerve, which muscles it supplies (directly
// and through its branches) and, for a muscle, which nerves supply it
// (with the parents of branches). name is an id or a name.
func (s *Store) Innervation(ctx context.Context, name string) ([]InnervationRow, error) {
	rows := []InnervationRow{}
	err := s.read(ctx, func(r *reader) error {
		x, err := r.resolve(name, medkg.Nerve, medkg.Muscle)
		if err != nil {
			return err
		}
		add := func(nerve, muscle, branch quad.IRI, ev []Evidence, edges []EdgeSupport) error {
			row := InnervationRow{Evidence: ev, Edges: edges, Support: weakest(edges)}
			if row.Nerve, err = r.entity(nerve); err != nil {
				return err
			}
			if row.Muscle, err = r.entity(muscle); err != nil {
				return err
			}
			if row.Branch, err = r.entityPtr(branch); err != nil {
				return err
			}
			rows = append(rows, row)
			return nil
		}
		if typeOfIRI(x) == medkg.Nerve {
			return r.innervationOfNerve(x, add)
		}
		return r.innervationOfMuscle(x, add)
	})
	if err != nil {
		return nil, fmt.Errorf("innervation %q: %w", name, err)
	}
	slices.SortFunc(rows, func(a, b InnervationRow) int {
		return cmp.Or(
			cmpSupport(a.Support, b.Support),
			cmp.Compare(a.Nerve.ID, b.Nerve.ID),
			cmp.Compare(refID(a.Branch), refID(b.Branch)),
			cmp.Compare(a.Muscle.ID, b.Muscle.ID),
		)
	})
	return rows, nil
}

type addInnervation func(nerve, muscle, branch quad.IRI, ev []Evidence, edges []EdgeSupport) error

func (r *reader) innervationOfNerve(n quad.IRI, add addInnervation) error {
	// Breadth-first down the branches; chain holds the branch_of evidence
	// from each branch up to n.
	type item struct {
		x     quad.IRI
		chain []Evidence
		sups  []EdgeSupport
	}
	queue := []item{{x: n}}
	seen := map[quad.IRI]bool{n: true}
	for depth := 0; len(queue) > 0 && depth <= maxBranchDepth; depth++ {
		var next []item
		for _, it := range queue {
			muscles, err := r.neighbours(it.x, medkg.Innervates, true)
			if err != nil {
				return err
			}
			for _, m := range muscles {
				ev, es, err := r.edgeEvidence(it.x, medkg.Innervates, m)
				if err != nil {
					return err
				}
				branch := it.x
				if branch == n {
					branch = ""
				}
				if err := add(n, m, branch, concatEvidence(ev, it.chain), append([]EdgeSupport{es}, it.sups...)); err != nil {
					return err
				}
			}
			branches, err := r.neighbours(it.x, medkg.BranchOf, false)
			if err != nil {
				return err
			}
			for _, b := range branches {
				if seen[b] {
					continue
				}
				seen[b] = true
				bev, bes, err := r.edgeEvidence(b, medkg.BranchOf, it.x)
				if err != nil {
					return err
				}
				next = append(next, item{x: b, chain: concatEvidence(bev, it.chain), sups: append([]EdgeSupport{bes}, it.sups...)})
			}
		}
		queue = next
	}
	return nil
}

func (r *reader) innervationOfMuscle(m quad.IRI, add addInnervation) error {
	nerves, err := r.neighbours(m, medkg.Innervates, false)
	if err != nil {
		return err
	}
	for _, n := range nerves {
		ev, es, err := r.edgeEvidence(n, medkg.Innervates, m)
		if err != nil {
			return err
		}
		if err := add(n, m, "", ev, []EdgeSupport{es}); err != nil {
			return err
		}
		// Up the branch_of chain: every ancestor supplies m through n.
		cur, chain, sups := []quad.IRI{n}, ev, []EdgeSupport{es}
		seen := map[quad.IRI]bool{n: true}
		for depth := 0; depth < maxBranchDepth && len(cur) > 0; depth++ {
			var next []quad.IRI
			for _, c := range cur {
				parents, err := r.neighbours(c, medkg.BranchOf, true)
				if err != nil {
					return err
				}
				for _, y := range parents {
					if seen[y] {
						continue
					}
					seen[y] = true
					bev, bes, err := r.edgeEvidence(c, medkg.BranchOf, y)
					if err != nil {
						return err
					}
					if err := add(y, m, n, concatEvidence(chain, bev), append(slices.Clip(sups), bes)); err != nil {
						return err
					}
					next = append(next, y)
				}
			}
			cur = next
		}
	}
	return nil
}

// Neighbors lists every edge in and out of an entity: positive edges with
// the number of documents asserting them and whether the vocabulary
// states them, and edges only denied, with the number of documents
// denying them.
func (s *Store) Neighbors(ctx context.Context, name string) ([]Edge, error) {
	edges := []Edge{}
	err := s.read(ctx, func(r *reader) error {
		x, err := r.resolve(name)
		if err != nil {
			return err
		}
		type key struct {
			s quad.IRI
			p medkg.Predicate
			o quad.IRI
		}
		type tally struct {
			docs, negated map[quad.IRI]bool
			vocab         bool
		}
		all := map[key]*tally{}
		get := func(k key) *tally {
			t, ok := all[k]
			if !ok {
				t = &tally{docs: map[quad.IRI]bool{}, negated: map[quad.IRI]bool{}}
				all[k] = t
			}
			return t
		}
		out, err := r.edgesFrom(x)
		if err != nil {
			return err
		}
		in, err := r.edgesTo(x)
		if err != nil {
			return err
		}
		for _, q := range append(slices.Clip(out), in...) {
			p, _ := predicateOf(q.Predicate)
			t := get(key{q.Subject.(quad.IRI), p, q.Object.(quad.IRI)})
			if q.Label == quad.Value(iri(iriVocabulary)) {
				t.vocab = true
			} else if d, ok := q.Label.(quad.IRI); ok {
				t.docs[d] = true
			}
		}
		// Negated assertions have no direct edge; find them through the
		// assertion nodes pointing at x.
		as, err := r.negatedAbout(x)
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.pred != "" {
				get(key{a.subj, a.pred, a.obj}).negated[a.doc] = true
			}
		}
		for k, t := range all {
			e := Edge{Predicate: k.p, Documents: len(t.docs), Negated: len(t.negated), Vocabulary: t.vocab, Direction: "out"}
			if k.s != x {
				e.Direction = "in"
			}
			if e.Subject, err = r.entity(k.s); err != nil {
				return err
			}
			if e.Object, err = r.entity(k.o); err != nil {
				return err
			}
			if _, e.Support, err = r.evidenceSupport(k.s, k.p, k.o, false); err != nil {
				return err
			}
			edges = append(edges, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("neighbors %q: %w", name, err)
	}
	slices.SortFunc(edges, func(a, b Edge) int {
		return cmp.Or(
			cmp.Compare(b.Direction, a.Direction), // out first
			cmpSupport(a.Support, b.Support),
			cmp.Compare(a.Predicate, b.Predicate),
			cmp.Compare(a.Subject.ID, b.Subject.ID),
			cmp.Compare(a.Object.ID, b.Object.ID),
		)
	})
	return edges, nil
}

// DefaultMaxHops bounds Path when maxHops is not positive.
const DefaultMaxHops = 6

// Path finds a shortest connection between two entities over the typed
// predicates (co_occurs excluded), following edges in either direction.
// Ties are broken by predicate and id, so the answer is stable. It fails
// with ENOTFOUND if there is none within maxHops.
func (s *Store) Path(ctx context.Context, from, to string, maxHops int) ([]Step, error) {
	if maxHops <= 0 {
		maxHops = DefaultMaxHops
	}
	var steps []Step
	err := s.read(ctx, func(r *reader) error {
		a, err := r.resolve(from)
		if err != nil {
			return err
		}
		b, err := r.resolve(to)
		if err != nil {
			return err
		}
		if a == b {
			steps = []Step{}
			return nil
		}
		type hop struct {
			prev    quad.IRI
			p       medkg.Predicate
			forward bool
		}
		back := map[quad.IRI]hop{a: {}}
		frontier := []quad.IRI{a}
		for depth := 0; depth < maxHops && len(frontier) > 0; depth++ {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			var next []quad.IRI
			for _, x := range frontier {
				hops, err := r.typedHops(x)
				if err != nil {
					return err
				}
				for _, h := range hops {
					if _, ok := back[h.to]; ok {
						continue
					}
					back[h.to] = hop{prev: x, p: h.p, forward: h.forward}
					if h.to == b {
						return r.buildPath(a, b, func(x quad.IRI) (quad.IRI, medkg.Predicate, bool) {
							h := back[x]
							return h.prev, h.p, h.forward
						}, &steps)
					}
					next = append(next, h.to)
				}
			}
			frontier = next
		}
		fid, _ := entityID(a)
		tid, _ := entityID(b)
		return medkg.Errorf(medkg.ENOTFOUND, "no path from %s to %s within %d hops", fid, tid, maxHops)
	})
	if err != nil {
		return nil, fmt.Errorf("path %q %q: %w", from, to, err)
	}
	return steps, nil
}

type typedHop struct {
	to      quad.IRI
	p       medkg.Predicate
	forward bool
}

// typedHops lists the distinct neighbours of x over typed predicates,
// sorted by predicate, direction and id.
func (r *reader) typedHops(x quad.IRI) ([]typedHop, error) {
	out, err := r.edgesFrom(x)
	if err != nil {
		return nil, err
	}
	in, err := r.edgesTo(x)
	if err != nil {
		return nil, err
	}
	seen := map[typedHop]bool{}
	var hops []typedHop
	for i, q := range append(slices.Clip(out), in...) {
		p, _ := predicateOf(q.Predicate)
		if p == medkg.CoOccurs {
			continue
		}
		h := typedHop{to: q.Object.(quad.IRI), p: p, forward: true}
		if i >= len(out) {
			h = typedHop{to: q.Subject.(quad.IRI), p: p, forward: false}
		}
		if !seen[h] {
			seen[h] = true
			hops = append(hops, h)
		}
	}
	slices.SortFunc(hops, func(a, b typedHop) int {
		return cmp.Or(cmp.Compare(a.p, b.p), boolCmp(!a.forward, !b.forward), cmp.Compare(a.to, b.to))
	})
	return hops, nil
}

func (r *reader) buildPath(a, b quad.IRI, back func(quad.IRI) (quad.IRI, medkg.Predicate, bool), steps *[]Step) error {
	var rev []Step
	for x := b; x != a; {
		prev, p, fwd := back(x)
		from, err := r.entity(prev)
		if err != nil {
			return err
		}
		to, err := r.entity(x)
		if err != nil {
			return err
		}
		subj, obj := prev, x
		if !fwd {
			subj, obj = x, prev
		}
		ev, sup, err := r.evidenceSupport(subj, p, obj, false)
		if err != nil {
			return err
		}
		if ev == nil {
			ev = []Evidence{}
		}
		rev = append(rev, Step{From: from, Predicate: p, To: to, Forward: fwd, Evidence: ev, Support: sup})
		x = prev
	}
	slices.Reverse(rev)
	*steps = rev
	return nil
}

// Evidence lists the sources asserting subj p obj: the vocabulary if it
// states it and every document sentence, negated ones included and
// marked. subj and obj are ids or names.
func (s *Store) Evidence(ctx context.Context, subj string, p medkg.Predicate, obj string) ([]Evidence, error) {
	if _, ok := medkg.Signatures[p]; !ok {
		return nil, medkg.Errorf(medkg.EINVALID, "evidence: unknown predicate %q", p)
	}
	ev := []Evidence{}
	err := s.read(ctx, func(r *reader) error {
		sx, err := r.resolve(subj, medkg.Signatures[p].Subject...)
		if err != nil {
			return err
		}
		ox, err := r.resolve(obj, medkg.Signatures[p].Object...)
		if err != nil {
			return err
		}
		found, sup, err := r.evidenceSupport(sx, p, ox, true)
		if err != nil {
			return err
		}
		for i := range found {
			found[i].Support = &sup
		}
		// The most authoritative kinds of source first, then as before.
		slices.SortStableFunc(found, func(a, b Evidence) int {
			return cmp.Or(cmp.Compare(b.Kind, a.Kind), cmp.Compare(trustOrder(a.SourceKind), trustOrder(b.SourceKind)))
		})
		ev = append(ev, found...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("evidence %s %s %s: %w", subj, p, obj, err)
	}
	return ev, nil
}
