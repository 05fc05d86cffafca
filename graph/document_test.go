package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

// TestDocument reads one document back with its mentions and its
// assertions, negated and hedged ones marked, on every backend.
func TestDocument(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			s := MustOpenStore(t, backend)
			mustLoad(t, s, seedDoc(), negatedDoc())
			ctx := context.Background()

			d, err := s.Document(ctx, "/corpus/020_saphenous_case.txt")
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != "隐神经病例" || d.Date != "2023-05-05" || d.Relations != 3 || !strings.HasPrefix(d.IRI, "medkg:doc/") {
				t.Errorf("info %+v", d.DocInfo)
			}
			var ids []string
			for _, m := range d.Mentions {
				ids = append(ids, m.ID)
			}
			if got := strings.Join(ids, " "); got != "agency:cma nerve:saphenous procedure:calf_nerve_transection procedure:radiofrequency_ablation" {
				t.Errorf("mentions %s", got)
			}
			if len(d.Assertions) != 3 {
				t.Fatalf("assertions %+v", d.Assertions)
			}
			first, last := d.Assertions[0], d.Assertions[2]
			if first.Sentence != 2 || !first.Negated || first.Predicate != medkg.Cuts || first.Subject != "procedure:calf_nerve_transection" || first.Text != "小腿神经离断瘦腿手术并不切断隐神经。" {
				t.Errorf("first assertion %+v", first)
			}
			if last.Sentence != 4 || !last.Hedged || last.Negated || last.Source != "/corpus/020_saphenous_case.txt" {
				t.Errorf("last assertion %+v", last)
			}

			// By IRI too; an unknown one is ENOTFOUND.
			if again, err := s.Document(ctx, d.IRI); err != nil || again.Source != d.Source {
				t.Errorf("by IRI: %v %+v", err, again.DocInfo)
			}
			if _, err := s.Document(ctx, "/corpus/nope.txt"); medkg.ErrorCode(err) != medkg.ENOTFOUND {
				t.Errorf("unknown document: %v", err)
			}
		})
	}
}
