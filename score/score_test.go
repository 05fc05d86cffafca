package score

import (
	"testing"

	"github.com/medkg/medkg"
)

func doc(rels ...medkg.Relation) *medkg.Document {
	ent := func(id, typ, name string) medkg.DocEntity {
		return medkg.DocEntity{Entity: medkg.Entity{ID: id, Type: medkg.EntityType(typ), Name: name},
			Mentions: []medkg.Mention{{Text: name}}}
	}
	return &medkg.Document{Entities: []medkg.DocEntity{
		ent("n:a", "nerve", "甲神经"), ent("m:b", "muscle", "乙肌"), ent("m:c", "muscle", "丙肌"), ent("c:d", "condition", "丁病"),
	}, Relations: rels}
}

func TestDoc(t *testing.T) {
	g := &Gold{
		Entities: []GoldEntity{{Text: "甲神经", Type: "nerve", Canonical: "甲神经"}, {Text: "乙肌", Type: "muscle", Canonical: "乙肌"},
			{Text: "丙肌", Type: "muscle", Canonical: "丙肌"}, {Text: "戊肌", Type: "muscle", Canonical: "戊肌"}},
		Relations: []GoldRelation{{Subject: "甲神经", Predicate: "innervates", Object: "乙肌"}, {Subject: "甲神经", Predicate: "innervates", Object: "戊肌"}},
		Negated: []GoldNegated{{Subject: "甲神经", Predicate: "innervates", Object: "丙肌"}, {Subject: "丁病", Note: "no causes edge to 丁病"},
			{Subject: "甲神经", Note: "no innervates edge for a muscle the text leaves out"}},
	}
	for _, c := range []struct {
		name             string
		rels             []medkg.Relation
		relTP, relFP, fn int
		denied, entFP    int
	}{
		{"empty output", nil, 0, 0, 2, 0, 1},
		{"one hit", []medkg.Relation{{Subject: "n:a", Predicate: "innervates", Object: "m:b"}}, 1, 0, 1, 0, 1},
		{"denied edge", []medkg.Relation{{Subject: "n:a", Predicate: "innervates", Object: "m:c"}}, 0, 1, 2, 1, 1},
		{"negated edge is not asserted", []medkg.Relation{{Subject: "n:a", Predicate: "innervates", Object: "m:c", Negated: true}}, 0, 0, 2, 0, 1},
		{"hedged edge is no contradiction", []medkg.Relation{{Subject: "n:a", Predicate: "innervates", Object: "m:c", Hedged: true}}, 0, 1, 2, 0, 1},
		{"an edge the gold states is no contradiction, whatever a note says", []medkg.Relation{{Subject: "n:a", Predicate: "innervates", Object: "m:b"}}, 1, 0, 1, 0, 1},
		{"edge to a denied object", []medkg.Relation{{Subject: "c:d", Predicate: "causes", Object: "c:d"}}, 0, 1, 2, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Doc("x", doc(c.rels...), g)
			if r.Relations.TP != c.relTP || r.Relations.FP != c.relFP || r.Relations.FN != c.fn {
				t.Errorf("relations %+v, want tp %d fp %d fn %d", r.Relations, c.relTP, c.relFP, c.fn)
			}
			if len(r.Denied) != c.denied {
				t.Errorf("denied %v, want %d", r.Denied, c.denied)
			}
			if r.Entities.FP != c.entFP || r.Entities.FN != 1 || r.Entities.TP != 3 {
				t.Errorf("entities %+v, want tp 3 fp %d fn 1 (丁病 is not in the gold, 戊肌 not found)", r.Entities, c.entFP)
			}
			if c.rels == nil && (r.Relations.Precision() != 0 || r.Relations.F1() != 0) {
				t.Errorf("empty output scores P %.3f F1 %.3f, want 0: a gate must never pass on nothing", r.Relations.Precision(), r.Relations.F1())
			}
		})
	}
}
