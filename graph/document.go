package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cayleygraph/quad"
)

// DocumentDetail is one document with what it contributes to the graph:
// the entities it mentions and every assertion it makes, negated and
// hedged ones included and marked.
type DocumentDetail struct {
	DocInfo
	Mentions   []EntityRef `json:"mentions"`
	Assertions []Evidence  `json:"assertions"` // in sentence order
}

// Document returns a document by source path as ingested, IRI or hash
// prefix (as forget takes it), with its mentions and assertions. It
// reads only that document's quads. An unknown reference is ENOTFOUND.
func (s *Store) Document(ctx context.Context, ref string) (DocumentDetail, error) {
	var out DocumentDetail
	err := s.read(ctx, func(r *reader) error {
		d, err := s.resolveDoc(ctx, ref)
		if err != nil {
			return err
		}
		props, err := r.quadsWith(quad.Subject, d)
		if err != nil {
			return err
		}
		info, _, err := s.docSummary(ctx, d, props)
		if err != nil {
			return err
		}
		out = DocumentDetail{DocInfo: info, Mentions: []EntityRef{}, Assertions: []Evidence{}}
		for _, q := range props {
			if q.Predicate != quad.Value(iri(iriMentions)) {
				continue
			}
			x, ok := q.Object.(quad.IRI)
			if !ok {
				continue
			}
			e, err := r.entity(x)
			if err != nil {
				return err
			}
			out.Mentions = append(out.Mentions, e)
		}
		// The assertion nodes are typed under the document's label.
		quads, err := r.quadsWith(quad.Label, d)
		if err != nil {
			return err
		}
		for _, q := range quads {
			if q.Predicate != quad.Value(iri(iriRDFType)) || q.Object != quad.Value(iri(iriAssertion)) {
				continue
			}
			a, err := r.assertion(q.Subject)
			if err != nil {
				return err
			}
			ev, err := r.assertionEvidence(a)
			if err != nil {
				return err
			}
			out.Assertions = append(out.Assertions, ev)
		}
		return nil
	})
	if err != nil {
		return DocumentDetail{}, fmt.Errorf("document %q: %w", ref, err)
	}
	slices.SortFunc(out.Mentions, func(a, b EntityRef) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Assertions, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(a.Sentence, b.Sentence), cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Object, b.Object))
	})
	return out, nil
}
