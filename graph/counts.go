package graph

import (
	"encoding/json"
	"slices"

	"github.com/cayleygraph/quad"
)

// counts is what one document (or the vocabulary) adds to Stats. It is
// written with the document, as JSON in one quad <doc> <medkg:counts>
// under the document's label, so that Stats reads one small value per
// document instead of scanning every quad.
type counts struct {
	Quads      int            `json:"quads"`                // quads under the label, this one included
	Edges      map[string]int `json:"edges,omitempty"`      // direct edges by predicate
	Assertions int            `json:"assertions,omitempty"` // reified relations
	Negated    int            `json:"negated,omitempty"`    // of which negated
	Entities   []string       `json:"entities,omitempty"`   // entity IRIs given an rdf:type, sorted
}

// countsOf counts quads; the caller sets Quads.
func countsOf(quads []quad.Quad) counts {
	c := counts{Edges: map[string]int{}}
	typed := map[string]bool{}
	for _, q := range quads {
		if p, ok := predicateOf(q.Predicate); ok {
			c.Edges[string(p)]++
		}
		switch q.Predicate {
		case quad.Value(iri(iriRDFType)):
			if q.Object == quad.Value(iri(iriAssertion)) {
				c.Assertions++
			} else if e, ok := q.Subject.(quad.IRI); ok {
				if _, ok := entityID(e); ok {
					typed[string(e)] = true
				}
			}
		case quad.Value(iri(iriNegated)):
			if valueBool(q.Object) {
				c.Negated++
			}
		}
	}
	for e := range typed {
		c.Entities = append(c.Entities, e)
	}
	slices.Sort(c.Entities)
	if len(c.Edges) == 0 {
		c.Edges = nil
	}
	return c
}

// addCounts appends the counts quad (and for documents the medkg:quads
// quad) to a quad set about node, under its label.
func (b *quadSet) addCounts(node quad.IRI, withQuadCount bool) error {
	c := countsOf(b.quads)
	c.Quads = len(b.quads) + 1
	if withQuadCount {
		c.Quads++
		b.add(node, iri(iriQuads), quad.Int(c.Quads))
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	b.add(node, iri(iriCounts), quad.String(data))
	return nil
}

// countsIn finds the counts quad among a node's quads; ok is false for
// documents and vocabularies written before counts were kept.
func countsIn(props []quad.Quad, label quad.Value) (counts, bool) {
	for _, q := range props {
		if q.Predicate == quad.Value(iri(iriCounts)) && q.Label == label {
			var c counts
			if err := json.Unmarshal([]byte(valueString(q.Object)), &c); err == nil {
				return c, true
			}
		}
	}
	return counts{}, false
}
