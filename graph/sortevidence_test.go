package graph

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/medkg/medkg"
)

// TestSortEvidence: sortEvidence puts evidence in the order
// slices.SortFunc gives the values under the comparison medkg used
// before (cmp.Or over the fields, by value), equal values included, for
// both orders it is used with.
func TestSortEvidence(t *testing.T) {
	byValue := func(a, b Evidence) int {
		return cmp.Or(
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Predicate, b.Predicate),
			cmp.Compare(a.Object, b.Object),
			cmp.Compare(b.Kind, a.Kind),
			cmp.Compare(a.Date, b.Date),
			cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Document, b.Document),
			cmp.Compare(a.Sentence, b.Sentence),
			boolCmp(a.Negated, b.Negated),
		)
	}
	byDate := func(a, b Evidence) int { return cmp.Or(cmp.Compare(a.Date, b.Date), byValue(a, b)) }
	orders := []struct {
		name  string
		value func(a, b Evidence) int
		ptr   func(a, b *Evidence) int
	}{
		{"edge", byValue, nil},
		{"date", byDate, cmpEvidenceByDate},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	for _, n := range []int{0, 1, 2, 3, 12, 13, 50, 200, 1000} {
		// Few distinct values per field, so that many compare equal;
		// Text tells equal ones apart.
		ev := make([]Evidence, n)
		for i := range ev {
			ev[i] = Evidence{
				Subject: pick("a", "b"), Predicate: medkg.Predicate(pick("cuts", "targets")), Object: pick("x", "y"),
				Kind: pick(FromDocument, FromDocument, FromVocabulary), Date: pick("", "2021", "2021-07"),
				Source: pick("s1", "s2"), Document: pick("d1", "d2"), Sentence: rng.IntN(3), Negated: rng.IntN(4) == 0,
				Text: fmt.Sprint(i),
			}
		}
		for _, o := range orders {
			want := slices.Clone(ev)
			slices.SortFunc(want, o.value)
			got := slices.Clone(ev)
			sortEvidence(got, o.ptr)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d values, %s order: sortEvidence differs from sorting the values", n, o.name)
			}
		}
		for i := 1; i < n; i++ {
			a, b := ev[i-1], ev[i]
			if got, want := cmpEvidence(&a, &b), byValue(a, b); got != want {
				t.Errorf("cmpEvidence(%+v, %+v) = %d, want %d", a, b, got, want)
			}
		}
	}
}
