package extract

import "github.com/medkg/medkg"

// rule (a line of rules/relations.tsv) recognises one typed relation between two mentions of a sentence
// from cue words around them.
//
// With subjFirst the subject precedes the object in the text, otherwise
// the object comes first (passive and topic-first sentences). A rule fires
// when every cue list it sets is satisfied:
//   - between: one cue in the text between the two mentions;
//   - mid: one marker between the mentions (从, 由, 被 …), and
//   - after: one cue right after the later mention, in its clause;
//   - before: one cue just before the earlier mention (支配腓肠肌的胫神经).
type rule struct {
	pred      medkg.Predicate
	subjFirst bool
	between   []string
	mid       []string
	after     []string
	before    []string // a cue just before the earlier mention, in its clause
	clauses   int      // clause breaks (，；：) allowed between the mentions
	gap       int      // most runes allowed between the mentions
	adjacent  bool
	reach     int                // most runes between the cue and the later mention (0: any)
	objTypes  []medkg.EntityType // narrows the predicate's object types
	subjTypes []medkg.EntityType // narrows its subject types (flag subject=TYPE)
	line      string             // file:line of the rule in rules/relations.tsv
	example   string             // a sentence the rule extracts (its test)
}

// allCues lists every cue word, for the segmenter's dictionary.
func (k *knowledge) allCues() []string {
	var out []string
	for _, r := range k.rules {
		out = append(out, r.between...)
		out = append(out, r.mid...)
		out = append(out, r.after...)
		out = append(out, r.before...)
	}
	for _, l := range k.lists {
		out = append(out, l...)
	}
	return out
}
