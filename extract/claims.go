package extract

import (
	"strings"

	"github.com/medkg/medkg"
)

// markClaims marks the hedged relations that only someone's claim or
// hearsay states (宣称, 号称, 网传 before the statement in its sentence):
// they are stored as claims, never as positive edges (rules/action_words.tsv
// claim_strong). Other hedges (可能, 或许) stay hedged assertions.
func markClaims(rs []medkg.Relation, ar *actionRules) {
	if ar == nil {
		return
	}
	words := ar.list("claim_strong")
	for i := range rs {
		r := &rs[i]
		if !r.Hedged || r.Negated {
			continue
		}
		for _, w := range words {
			if strings.Contains(r.Evidence, w) {
				r.Claim = true
				break
			}
		}
	}
}
