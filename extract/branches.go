package extract

import (
	"strings"

	"github.com/medkg/medkg"
)

// branchPrecision corrects cuts and targets relations whose nerve is
// named only as the owner of a branch: 切断N发往M的肌支 cuts the
// branch of 胫神经 to 腓肠肌, not 胫神经 itself. With the muscle named the
// relation becomes targets 腓肠肌 (the query reaches 胫神经 through the
// muscle); with none (胫神经的肌支) it keeps the owner, marked ViaBranch,
// and is no positive edge.
func (x *Extractor) branchPrecision(text []rune, sents []medkg.Sentence, ms []*mention, rs []medkg.Relation) {
	if x.ar == nil {
		return
	}
	verbs := x.ar.list("branch_verb")
	heads := lexicon("generic_branch")
	for i := range rs {
		r := &rs[i]
		if (r.Predicate != medkg.Cuts && r.Predicate != medkg.Targets) || r.Negated || r.Sentence < 0 || r.Sentence >= len(sents) {
			continue
		}
		s := sents[r.Sentence]
		for _, m := range ms {
			if m.virtual || m.ent.ID != r.Object || m.start < s.Start || m.end > s.End {
				continue
			}
			p := m.end
			rest := func() string { return string(text[p:min(s.End, p+12)]) }
			verb := false
			for _, v := range verbs {
				if strings.HasPrefix(rest(), v) {
					p += len([]rune(v))
					verb = true
					break
				}
			}
			var muscle *mention
			for _, o := range ms {
				if o.start == p && o.ent.Type == medkg.Muscle && !o.virtual {
					muscle, p = o, o.end
					break
				}
			}
			if strings.HasPrefix(rest(), "的") {
				p++
			}
			head := ""
			for _, h := range heads {
				if strings.HasPrefix(rest(), h) && len(h) > len(head) {
					head = h
				}
			}
			if head == "" || (!verb && muscle == nil && !strings.HasSuffix(string(text[m.end:p]), "的")) {
				continue
			}
			switch {
			case muscle != nil:
				// the muscle the branch goes to, as ../shared/ANNOTATION.md
				// annotates it; banned-nerves reaches the nerve through it
				r.Predicate, r.Object = medkg.Targets, muscle.ent.ID
			default:
				r.ViaBranch = true
			}
			break
		}
	}
}
