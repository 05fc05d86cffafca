package graph

import (
	"cmp"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// Support says how well a fact (subject, predicate, object) is supported:
// by how many distinct documents, of which kinds, with how many
// positive, negated, hedged and claimed assertions, whether the
// vocabulary states it, and whether documents disagree about it.
type Support struct {
	// Documents counts the distinct documents with a positive assertion
	// that is no claim: what --min-support compares with.
	Documents int `json:"documents"`
	// Kinds counts those documents by source kind (absent when none).
	Kinds map[medkg.SourceKind]int `json:"kinds,omitempty"`
	// Assertions by polarity. Positive includes the hedged ones
	// (Hedged counts them again); claims and via_branch assertions are
	// not positive.
	Positive   int  `json:"positive"`
	Negated    int  `json:"negated"`
	Hedged     int  `json:"hedged"`
	Claims     int  `json:"claims"`
	Vocabulary bool `json:"vocabulary"` // the curated vocabulary states it
	// Contested is set when one source asserts the fact (positively, as a
	// claim, or the vocabulary) and another document denies it; Conflict
	// then holds both sides' evidence.
	Contested bool      `json:"contested"`
	Conflict  *Conflict `json:"conflict,omitempty"`
}

// Conflict is the evidence of both sides of a contested fact.
type Conflict struct {
	Asserted []Evidence `json:"asserted"` // positive assertions, claims, the vocabulary
	Denied   []Evidence `json:"denied"`
}

// Meets reports whether the fact reaches a minimum support of n
// documents. A fact the vocabulary states is curated and meets any
// minimum.
func (s Support) Meets(n int) bool { return s.Vocabulary || s.Documents >= n }

// rank orders supports, strongest first: curated facts, then by
// documents.
func (s Support) rank() int {
	if s.Vocabulary {
		return 1<<30 + s.Documents
	}
	return s.Documents
}

// EdgeSupport is the support of one edge of a multi-edge answer (a
// banned procedure reaching a nerve through a muscle).
type EdgeSupport struct {
	Subject   string          `json:"subject"`
	Predicate medkg.Predicate `json:"predicate"`
	Object    string          `json:"object"`
	Support
}

// weakest sums up the support of a chain of edges: that of its least
// supported edge (the one with fewest documents among those the
// vocabulary does not state; curated edges only if all are), contested
// if any edge is.
func weakest(edges []EdgeSupport) Support {
	if len(edges) == 0 {
		return emptySupport()
	}
	best := -1
	for i, e := range edges {
		if best < 0 || e.rank() < edges[best].rank() {
			best = i
		}
	}
	out := edges[best].Support
	if !out.Contested {
		for _, e := range edges {
			if e.Contested {
				out.Contested, out.Conflict = true, e.Conflict
				break
			}
		}
	}
	return out
}

func emptySupport() Support { return Support{} }

// addKind counts one more document of kind k.
func (s *Support) addKind(k medkg.SourceKind) {
	if s.Kinds == nil {
		s.Kinds = map[medkg.SourceKind]int{}
	}
	s.Kinds[k]++
}

// support computes the support of subj -p-> obj from all its assertions
// (as; other facts' are ignored) and whether the vocabulary states it;
// evidenceSupport adds the conflict's evidence.
func (r *reader) support(subj quad.IRI, p medkg.Predicate, obj quad.IRI, as []*assertion, vocab bool) (Support, error) {
	s := emptySupport()
	s.Vocabulary = vocab
	var positiveDocs, denyingDocs map[quad.IRI]bool
	for _, a := range as {
		if a.pred != p || a.subj != subj || a.obj != obj {
			continue
		}
		switch {
		case a.negated:
			s.Negated++
			if denyingDocs == nil {
				denyingDocs = map[quad.IRI]bool{}
			}
			denyingDocs[a.doc] = true
		case a.claim:
			s.Claims++
		case a.viaBr:
		default:
			s.Positive++
			if a.hedged {
				s.Hedged++
			}
			if positiveDocs == nil {
				positiveDocs = map[quad.IRI]bool{}
			}
			if !positiveDocs[a.doc] {
				positiveDocs[a.doc] = true
				d, err := r.doc(a.doc)
				if err != nil {
					return s, err
				}
				s.addKind(kindOf(d))
			}
		}
	}
	s.Documents = len(positiveDocs)
	if len(denyingDocs) == 0 || s.Documents == 0 && s.Claims == 0 && !s.Vocabulary {
		return s, nil
	}
	// Contested: a denial and an assertion from different sources.
	if s.Vocabulary || len(denyingDocs) > 1 {
		s.Contested = true
		return s, nil
	}
	for _, a := range as {
		if a.pred == p && a.subj == subj && a.obj == obj && !a.negated && !(a.viaBr && !a.claim) && !denyingDocs[a.doc] {
			s.Contested = true
			break
		}
	}
	return s, nil
}

func kindOf(d DocInfo) medkg.SourceKind {
	if d.SourceKind == "" {
		return medkg.SourceUnknown
	}
	return d.SourceKind
}

// documentSupport is the support of a statement made by the documents of
// ev (one entry per document or more): a ban row's.
func documentSupport(ev []Evidence) Support {
	s := emptySupport()
	seen := map[string]bool{}
	for _, e := range ev {
		if e.Kind != FromDocument {
			continue
		}
		s.Positive++
		if e.Hedged {
			s.Hedged++
		}
		if !seen[e.Document] {
			seen[e.Document] = true
			k := e.SourceKind
			if k == "" {
				k = medkg.SourceUnknown
			}
			s.addKind(k)
		}
	}
	s.Documents = len(seen)
	return s
}

// trustOrder ranks source kinds as medkg.SourceKinds lists them.
func trustOrder(k medkg.SourceKind) int {
	if i := slices.Index(medkg.SourceKinds, k); i >= 0 {
		return i
	}
	return len(medkg.SourceKinds)
}

// cmpSupport orders supports strongest first.
func cmpSupport(a, b Support) int { return cmp.Compare(b.rank(), a.rank()) }
