package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// SourceCounts count what one kind of source states: the curated
// vocabulary, or the ingested documents together.
type SourceCounts struct {
	Quads    int            `json:"quads"`
	Entities map[string]int `json:"entities"` // distinct entities by type
	Edges    map[string]int `json:"edges"`    // distinct relations (subject, predicate, object) by predicate
}

// CountBySource counts separately what the vocabulary states and what
// the documents state. An entity or relation stated by both counts in
// both.
func (s *Store) CountBySource(ctx context.Context) (vocabulary, documents SourceCounts, err error) {
	vocabulary = SourceCounts{Entities: map[string]int{}, Edges: map[string]int{}}
	documents = SourceCounts{Entities: map[string]int{}, Edges: map[string]int{}}
	type triple struct{ s, p, o quad.Value }
	seenEnt := [2]map[quad.Value]bool{{}, {}}
	seenEdge := [2]map[triple]bool{{}, {}}
	classes := map[quad.Value]medkg.EntityType{}
	for _, t := range medkg.EntityTypes {
		classes[classIRI(t)] = t
	}
	qs, err := s.selectQuads(ctx, Selection{Scope: ScopeAll})
	if err != nil {
		return vocabulary, documents, fmt.Errorf("count by source: %w", err)
	}
	for _, q := range qs {
		i, c := 0, &vocabulary
		if q.Label != quad.Value(iri(iriVocabulary)) {
			i, c = 1, &documents
		}
		c.Quads++
		if t, ok := classes[q.Object]; ok && q.Predicate == quad.Value(iri(iriRDFType)) && !seenEnt[i][q.Subject] {
			seenEnt[i][q.Subject] = true
			c.Entities[string(t)]++
		}
		if p, ok := predicateOf(q.Predicate); ok {
			if _, ok := entityID(q.Object); ok {
				k := triple{q.Subject, q.Predicate, q.Object}
				if !seenEdge[i][k] {
					seenEdge[i][k] = true
					c.Edges[string(p)]++
				}
			}
		}
	}
	return vocabulary, documents, nil
}
