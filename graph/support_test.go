package graph

import (
	"context"
	"slices"
	"testing"

	"github.com/medkg/medkg"
)

// supportDocs: a journal and a news page state that 射频消融术 cuts
// 隐神经, a hospital page denies it, a clinic page only claims it; the
// vocabulary states tibial innervates gastrocnemius and a news page
// denies that.
func supportDocs() []*medkg.Document {
	doc := func(n, kind string, rels ...medkg.Relation) *medkg.Document {
		return &medkg.Document{
			Source: "/support/" + n + ".txt", Title: n, Date: "2024-01-0" + n[:1],
			Hash:       "dd" + n + "00000000000000000000000000000000000000000000000000000000000"[:62-len(n)],
			SourceKind: medkg.SourceKind(kind), Extractor: "v1",
			Entities: []medkg.DocEntity{
				ent("procedure:radiofrequency_ablation", "射频消融术"), ent("nerve:saphenous", "隐神经"),
				ent("nerve:tibial", "胫神经"), ent("muscle:gastrocnemius", "腓肠肌"),
			},
			Relations: rels,
		}
	}
	cut := func(text string, neg, hedged, claim bool) medkg.Relation {
		return medkg.Relation{Subject: "procedure:radiofrequency_ablation", Predicate: medkg.Cuts, Object: "nerve:saphenous",
			Negated: neg, Hedged: hedged, Claim: claim, Evidence: text}
	}
	return []*medkg.Document{
		doc("1journal", "journal", cut("射频消融术切断隐神经。", false, false, false)),
		doc("2news", "news", cut("射频消融术可能切断隐神经。", false, true, false)),
		doc("3hospital", "hospital", cut("射频消融术并不切断隐神经。", true, false, false)),
		doc("4clinic", "clinic", cut("该机构宣称射频消融术切断隐神经。", false, true, true)),
		doc("5news", "news", medkg.Relation{Subject: "nerve:tibial", Predicate: medkg.Innervates, Object: "muscle:gastrocnemius",
			Negated: true, Evidence: "胫神经并不支配腓肠肌。"}),
	}
}

func TestSupportAndConflicts(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, supportDocs()...)
			ctx := context.Background()
			ev, err := s.Evidence(ctx, "procedure:radiofrequency_ablation", medkg.Cuts, "nerve:saphenous")
			if err != nil {
				t.Fatal(err)
			}
			if len(ev) != 4 || ev[0].Support == nil {
				t.Fatalf("%d evidence rows, want 4 with support: %+v", len(ev), ev)
			}
			sup := *ev[0].Support
			want := map[medkg.SourceKind]int{medkg.SourceJournal: 1, medkg.SourceNews: 1}
			if sup.Documents != 2 || sup.Positive != 2 || sup.Hedged != 1 || sup.Negated != 1 || sup.Claims != 1 ||
				sup.Vocabulary || !mapsEqual(sup.Kinds, want) {
				t.Errorf("support %+v, want 2 documents (journal, news), 2 positive of which 1 hedged, 1 negated, 1 claim", sup)
			}
			if !sup.Contested || sup.Conflict == nil || len(sup.Conflict.Denied) != 1 || len(sup.Conflict.Asserted) != 3 {
				t.Fatalf("conflict %+v, want contested: 3 asserting, 1 denying", sup.Conflict)
			}
			if d := sup.Conflict.Denied[0]; d.Text != "射频消融术并不切断隐神经。" || d.SourceKind != medkg.SourceHospital || d.Source != "/support/3hospital.txt" {
				t.Errorf("denied side %+v", d)
			}
			// Evidence lists the most authoritative kinds first.
			var kinds []medkg.SourceKind
			for _, e := range ev {
				kinds = append(kinds, e.SourceKind)
			}
			if !slices.Equal(kinds, []medkg.SourceKind{medkg.SourceJournal, medkg.SourceNews, medkg.SourceHospital, medkg.SourceClinic}) {
				t.Errorf("evidence order by kind %v", kinds)
			}

			// A vocabulary fact a document denies is contested too.
			edges, err := s.Neighbors(ctx, "nerve:tibial")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range edges {
				if e.Predicate == medkg.Innervates && e.Object.ID == "muscle:gastrocnemius" {
					found = true
					if !e.Support.Vocabulary || !e.Support.Contested || e.Support.Negated != 1 || !e.Meets(5) {
						t.Errorf("tibial innervates gastrocnemius: support %+v, want curated, contested, meeting any minimum", e.Support)
					}
				}
			}
			if !found {
				t.Error("neighbors of 胫神经 lack innervates 腓肠肌")
			}
			if !sup.Meets(2) || sup.Meets(3) {
				t.Errorf("support of 2 documents: Meets(2) %v, Meets(3) %v", sup.Meets(2), sup.Meets(3))
			}
		})
	}
}

// TestSupportOfOldClaimEntries: an index entry written before the claim
// bit still keeps a claim out of the positive support.
func TestSupportOfOldClaimEntries(t *testing.T) {
	a := &assertion{hedged: true, claim: true, doc: "medkg:doc/x"}
	b := encodeAssertion(a)
	var got assertion
	if err := decodeAssertion(b, &got); err != nil || !got.claim || !got.flagsKnown {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	b[0] = 2 // hedged only, as written before
	got = assertion{}
	if err := decodeAssertion(b, &got); err != nil || got.claim || got.flagsKnown {
		t.Fatalf("old entry: %+v, %v", got, err)
	}
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
