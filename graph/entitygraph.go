package graph

import (
	"cmp"
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// Scope selects which part of the graph an export or a count covers, by
// the label of the quads: what the documents state, what the curated
// vocabulary states, or both.
type Scope string

// Scopes.
const (
	ScopeAll        Scope = "all"
	ScopeDocuments  Scope = "documents"
	ScopeVocabulary Scope = "vocabulary"
)

// Scopes lists the valid scopes, the default first.
func Scopes() []string {
	return []string{string(ScopeDocuments), string(ScopeVocabulary), string(ScopeAll)}
}

// Selection says which subgraph to export: a scope, optionally narrowed
// to one document (Doc: its source path, base name or IRI), or the
// subgraph of a named query's answer (Query and Args).
type Selection struct {
	Scope Scope
	Doc   string
	Query string
	Args  []string
}

// EntityGraph is the property-graph view of the knowledge graph: typed
// entities as nodes, positive relations as edges (one per subject,
// predicate, object) with their support and evidence. Literals (names,
// sentences, flags) are attributes, never nodes.
type EntityGraph struct {
	Nodes []EntityRef
	Edges []GraphEdge
}

// GraphEdge is a relation of an EntityGraph.
type GraphEdge struct {
	ID         string          `json:"id"` // "SUBJECT PREDICATE OBJECT", unique
	Source     string          `json:"source"`
	Target     string          `json:"target"`
	Predicate  medkg.Predicate `json:"predicate"`
	Documents  int             `json:"documents"`  // documents asserting it, within the selection
	Negated    int             `json:"negated"`    // documents denying it, within the selection
	Vocabulary bool            `json:"vocabulary"` // stated by the vocabulary (scopes all and vocabulary)
	Evidence   []Evidence      `json:"evidence"`
	// Support is the fact's support over the whole store (documents,
	// their kinds, claims, whether contested), whatever the selection.
	Support Support `json:"support"`
}

type tripleKey struct {
	s quad.IRI
	p medkg.Predicate
	o quad.IRI
}

// EntityGraph returns the subgraph sel selects.
func (s *Store) EntityGraph(ctx context.Context, sel Selection) (*EntityGraph, error) {
	if sel.Scope == "" {
		sel.Scope = ScopeDocuments
	}
	switch sel.Scope {
	case ScopeAll, ScopeDocuments, ScopeVocabulary:
	default:
		return nil, medkg.Errorf(medkg.EINVALID, "unknown scope %q (want one of %s)", sel.Scope, strings.Join(Scopes(), ", "))
	}
	if sel.Query != "" {
		return s.querySubgraph(ctx, sel)
	}
	g := &EntityGraph{}
	err := s.read(ctx, func(r *reader) error {
		docs, err := r.selectDocs(sel)
		if err != nil {
			return err
		}
		nodes := map[quad.IRI]bool{}
		triples := map[tripleKey]bool{}
		for _, t := range medkg.EntityTypes {
			typed, err := r.quadsWith(quad.Object, classIRI(t))
			if err != nil {
				return err
			}
			for _, q := range typed {
				x, ok := q.Subject.(quad.IRI)
				if !ok || q.Predicate != quad.Value(iri(iriRDFType)) || !r.inSelection(q.Label, sel, docs) {
					continue
				}
				nodes[x] = true
			}
		}
		for x := range nodes {
			out, err := r.edgesFrom(x)
			if err != nil {
				return err
			}
			for _, q := range out {
				if !r.inSelection(q.Label, sel, docs) {
					continue
				}
				p, _ := predicateOf(q.Predicate)
				triples[tripleKey{x, p, q.Object.(quad.IRI)}] = true
			}
		}
		return r.fill(g, nodes, triples, sel, docs)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// selectDocs returns the documents a selection covers: nil for the scope
// vocabulary and for all documents (every document label is then in),
// or the one document named by sel.Doc.
func (r *reader) selectDocs(sel Selection) (map[quad.IRI]bool, error) {
	if sel.Doc == "" {
		return nil, nil
	}
	typed, err := r.quadsWith(quad.Object, iri(iriDocument))
	if err != nil {
		return nil, err
	}
	var matches []quad.IRI
	for _, q := range typed {
		d, ok := q.Subject.(quad.IRI)
		if !ok || q.Predicate != quad.Value(iri(iriRDFType)) {
			continue
		}
		info, err := r.doc(d)
		if err != nil {
			return nil, err
		}
		if string(d) == sel.Doc || info.Source == sel.Doc || filepath.Base(info.Source) == sel.Doc ||
			(filepath.IsAbs(info.Source) && absOrSelf(sel.Doc) == info.Source) {
			matches = append(matches, d)
		}
	}
	switch len(matches) {
	case 0:
		return nil, medkg.Errorf(medkg.ENOTFOUND, "no document %q in the graph; `medkg stats` lists them", sel.Doc)
	case 1:
		return map[quad.IRI]bool{matches[0]: true}, nil
	}
	return nil, medkg.Errorf(medkg.EINVALID, "%d documents match %q; give the full source path", len(matches), sel.Doc)
}

func absOrSelf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// inSelection reports whether a quad with this label belongs to the
// selection.
func (r *reader) inSelection(label quad.Value, sel Selection, docs map[quad.IRI]bool) bool {
	isVocab := label == quad.Value(iri(iriVocabulary))
	if docs != nil {
		d, _ := label.(quad.IRI)
		return docs[d]
	}
	switch sel.Scope {
	case ScopeVocabulary:
		return isVocab
	case ScopeDocuments:
		return isDocIRI(label)
	}
	return isVocab || isDocIRI(label)
}

// fill turns a set of nodes and triples into g, with the evidence each
// triple has within the selection; ends of triples become nodes too.
func (r *reader) fill(g *EntityGraph, nodes map[quad.IRI]bool, triples map[tripleKey]bool, sel Selection, docs map[quad.IRI]bool) error {
	for k := range triples {
		nodes[k.s], nodes[k.o] = true, true
	}
	for x := range nodes {
		e, err := r.entity(x)
		if err != nil {
			return err
		}
		if e.ID == "" {
			continue
		}
		g.Nodes = append(g.Nodes, e)
	}
	for k := range triples {
		ev, sup, err := r.evidenceSupport(k.s, k.p, k.o, true)
		if err != nil {
			return err
		}
		e := GraphEdge{Predicate: k.p, Evidence: []Evidence{}, Support: sup}
		e.Source, _ = entityID(k.s)
		e.Target, _ = entityID(k.o)
		e.ID = e.Source + " " + string(k.p) + " " + e.Target
		asserting, denying := map[string]bool{}, map[string]bool{}
		for _, x := range ev {
			if x.Kind == FromVocabulary {
				if sel.Scope == ScopeDocuments || docs != nil {
					continue
				}
				e.Vocabulary = true
			} else {
				if sel.Scope == ScopeVocabulary || (docs != nil && !docs[quad.IRI(x.Document)]) {
					continue
				}
				if x.Negated {
					denying[x.Document] = true
				} else {
					asserting[x.Document] = true
				}
			}
			e.Evidence = append(e.Evidence, x)
		}
		e.Documents, e.Negated = len(asserting), len(denying)
		g.Edges = append(g.Edges, e)
	}
	slices.SortFunc(g.Nodes, func(a, b EntityRef) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Edges, func(a, b GraphEdge) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Target, b.Target))
	})
	return nil
}

// querySubgraph runs a named query and returns the entities and relations
// its answer involves, each relation with all its evidence in the scope.
func (s *Store) querySubgraph(ctx context.Context, sel Selection) (*EntityGraph, error) {
	ids := map[string]bool{}
	type idTriple struct {
		s string
		p medkg.Predicate
		o string
	}
	triples := map[idTriple]bool{}
	ref := func(e *EntityRef) {
		if e != nil && e.ID != "" {
			ids[e.ID] = true
		}
	}
	evs := func(ev []Evidence) {
		for _, x := range ev {
			triples[idTriple{x.Subject, x.Predicate, x.Object}] = true
		}
	}
	need := func(n int) error {
		if len(sel.Args) != n {
			return medkg.Errorf(medkg.EINVALID, "query %s takes %d argument(s), got %d", sel.Query, n, len(sel.Args))
		}
		return nil
	}
	switch sel.Query {
	case "banned-nerves":
		rows, err := s.BannedNerves(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			ref(&r.Nerve)
			ref(r.Through)
			ref(r.Via)
			ref(&r.Procedure)
			ref(&r.Banner)
			evs(r.BanEvidence)
			evs(r.LinkEvidence)
		}
	case "banned-procedures":
		rows, err := s.BannedProcedures(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			ref(&r.Procedure)
			ref(&r.Banner)
			evs(r.Evidence)
		}
	case "innervation":
		if err := need(1); err != nil {
			return nil, err
		}
		rows, err := s.Innervation(ctx, sel.Args[0])
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			ref(&r.Nerve)
			ref(&r.Muscle)
			ref(r.Branch)
			evs(r.Evidence)
		}
	case "neighbors":
		if err := need(1); err != nil {
			return nil, err
		}
		rows, err := s.Neighbors(ctx, sel.Args[0])
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			ref(&r.Subject)
			ref(&r.Object)
			triples[idTriple{r.Subject.ID, r.Predicate, r.Object.ID}] = true
		}
	case "path":
		if err := need(2); err != nil {
			return nil, err
		}
		steps, err := s.Path(ctx, sel.Args[0], sel.Args[1], 0)
		if err != nil {
			return nil, err
		}
		for _, st := range steps {
			ref(&st.From)
			ref(&st.To)
			if st.Forward {
				triples[idTriple{st.From.ID, st.Predicate, st.To.ID}] = true
			} else {
				triples[idTriple{st.To.ID, st.Predicate, st.From.ID}] = true
			}
		}
	case "evidence":
		if err := need(3); err != nil {
			return nil, err
		}
		ev, err := s.Evidence(ctx, sel.Args[0], medkg.Predicate(sel.Args[1]), sel.Args[2])
		if err != nil {
			return nil, err
		}
		for _, x := range ev {
			ids[x.Subject], ids[x.Object] = true, true
		}
		evs(ev)
	default:
		// The registry of queries is internal/app's; callers check a name
		// there first, so this is a query without a subgraph here yet.
		return nil, medkg.Errorf(medkg.EINVALID, "query %q has no subgraph to export", sel.Query)
	}
	g := &EntityGraph{}
	err := s.read(ctx, func(r *reader) error {
		nodes := map[quad.IRI]bool{}
		for id := range ids {
			if x, err := entityIRI(id); err == nil {
				nodes[x] = true
			}
		}
		keys := map[tripleKey]bool{}
		for t := range triples {
			si, err1 := entityIRI(t.s)
			oi, err2 := entityIRI(t.o)
			if err1 == nil && err2 == nil && t.p != "" {
				keys[tripleKey{si, t.p, oi}] = true
			}
		}
		return r.fill(g, nodes, keys, Selection{Scope: sel.Scope}, nil)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
