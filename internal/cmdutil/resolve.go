package cmdutil

import (
	"github.com/medkg/medkg/vocab"
)

// Suggestions returns up to n display names ("胫神经 (nerve:tibial)") of
// entries close to name, for "did you mean" messages.
func Suggestions(v *vocab.Vocabulary, name string, n int) []string {
	var out []string
	for _, e := range v.Suggest(name, n) {
		out = append(out, e.Name+" ("+e.ID+")")
	}
	return out
}
