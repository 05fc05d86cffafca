package extract

import (
	"sort"
	"strings"

	"github.com/medkg/medkg"
)

// mask replaces the text of mentions so that cue words inside names
// (阻断 in 小腿神经阻断术) are not read as cues.
const mask = '□'

// sentenceView is a sentence prepared for the relation rules: its masked
// text and gse words, both indexed by document rune offsets.
type sentenceView struct {
	start, end int
	masked     []rune     // masked[i-start] is document rune i
	text       []rune     // text[i-start] is document rune i, unmasked
	ms         []*mention // sorted by start
	k          *knowledge

	exemplified map[int]bool // exemplifies, by offset

	maskedStr  string // string(masked), made on first use by slice
	byteAt     []int  // byteAt[i] is the byte offset of rune i in maskedStr
	textStr    string // string(text), made on first use by textSlice
	textByteAt []int  // textByteAt[i] is the byte offset of rune i in textStr

	// gse words of the sentence, by document offset: cut on first use,
	// since most sentences never need them (fewer than two names).
	seg       *segmenter
	toks      []token
	segmented bool
}

// tokens returns the sentence's gse words with document offsets.
func (v *sentenceView) tokens() []token {
	if !v.segmented {
		v.segmented = true
		for _, t := range v.seg.cut(string(v.text)) {
			t.start += v.start
			t.end += v.start
			v.toks = append(v.toks, t)
		}
	}
	return v.toks
}

func (v *sentenceView) slice(from, to int) string {
	from, to = max(from, v.start), min(to, v.end)
	if from >= to {
		return ""
	}
	if v.maskedStr == "" {
		v.maskedStr, v.byteAt = runeIndexed(v.masked)
	}
	return v.maskedStr[v.byteAt[from-v.start]:v.byteAt[to-v.start]]
}

// runeIndexed returns rs as a string, once, with the byte offset of each
// rune (and of the end): slices of it then cost no allocation.
func runeIndexed(rs []rune) (string, []int) {
	s := string(rs)
	at := make([]int, 0, len(rs)+1)
	for i := range s {
		at = append(at, i)
	}
	return s, append(at, len(s))
}

// find returns the document offset of the first cue of cues in [from, to)
// and its length, or -1. Single-character cues match only whole gse words.
func (v *sentenceView) find(cues []string, from, to int) (int, int) {
	return v.findCue(cues, from, to, false)
}

// findCue is find; with longest, a cue inside a longer cue of another list
// starting at the same place does not count (继发 is not read in 继发于).
func (v *sentenceView) findCue(cues []string, from, to int, longest bool) (int, int) {
	best, bestLen := -1, 0
	span := v.slice(from, to)
	for _, c := range cues {
		if runeLen(c) == 1 {
			if !strings.Contains(span, c) {
				continue
			}
			if strings.Trim(span, string(mask)) == c || strings.HasSuffix(span, c) && to == v.nextMentionAt(to) && !v.insideWord(to-1) {
				// the only word between two names (注射到咬肌), or the verb
				// right before the later one (行X术)
				pos := from + runeLen(span[:strings.LastIndex(span, c)])
				if best < 0 || pos < best {
					best, bestLen = pos, 1
				}
				continue
			}
			// elsewhere a one-character cue counts only as a word of its
			// own (为 in 分为 does not)
			for off := 0; off < len(span); {
				i := strings.Index(span[off:], c)
				if i < 0 {
					break
				}
				off = i + off + len(c)
				pos := from + runeLen(span[:off-len(c)])
				if best >= 0 && pos >= best {
					break
				}
				if !v.insideWord(pos) {
					best, bestLen = pos, 1
					break
				}
			}
			continue
		}
		for off := 0; off < len(span); {
			i := strings.Index(span[off:], c)
			if i < 0 {
				break
			}
			i += off
			off = i + len(c)
			// the longest cue wins: 继发 is not read inside 继发于
			if longest && v.shadowed(span[i:], c, cues) {
				continue
			}
			pos := from + runeLen(span[:i])
			if best < 0 || pos < best || (pos == best && runeLen(c) > bestLen) {
				best, bestLen = pos, runeLen(c)
			}
			break
		}
	}
	return best, bestLen
}

// shadowed reports whether a longer cue of another list starts where c
// does in rest.
func (v *sentenceView) shadowed(rest, c string, cues []string) bool {
	for _, o := range v.k.longCues {
		if len(o) <= len(c) {
			break
		}
		if strings.HasPrefix(rest, o) && strings.HasPrefix(o, c) && !containsString(cues, o) {
			return true
		}
	}
	return false
}

// hasNeg reports whether a negation of words lies in [from, to) outside
// the cue at [skipFrom, skipTo): a multi-character one anywhere (并不会 holds
// 并不), a single character only as a whole gse word (无 in 无力 is not).
func (v *sentenceView) hasNeg(words []string, from, to, skipFrom, skipTo int) bool {
	for _, w := range words {
		if runeLen(w) == 1 {
			if v.hasToken([]string{w}, from, to, skipFrom, skipTo) {
				return true
			}
			continue
		}
		span := []rune(v.slice(from, to))
		for i := 0; i+runeLen(w) <= len(span); i++ {
			pos := from + i
			if string(span[i:i+runeLen(w)]) == w && (pos+runeLen(w) <= skipFrom || pos >= skipTo) {
				return true
			}
		}
	}
	return false
}

// hasToken reports whether a gse word of words lies in [from, to), outside
// [skipFrom, skipTo).
func (v *sentenceView) hasToken(words []string, from, to, skipFrom, skipTo int) bool {
	span := v.slice(from, to) // names are masked: a word inside one does not count
	for _, w := range words {
		for off := 0; off < len(span); {
			i := strings.Index(span[off:], w)
			if i < 0 {
				break
			}
			off += i + len(w)
			p := from + runeLen(span[:off-len(w)])
			n := runeLen(w)
			if p < skipTo && skipFrom < p+n {
				continue
			}
			if v.wordAt(p, n) {
				return true
			}
		}
	}
	return false
}

// wordAt reports whether gse reads [p, p+n) as one word, reading a few
// characters around it (the whole sentence when it was cut already).
func (v *sentenceView) wordAt(p, n int) bool {
	toks, base := v.toks, 0
	if !v.segmented {
		from, to := max(v.start, p-insideWindow), min(v.end, p+n+insideWindow)
		toks, base = v.seg.cut(string(v.text[from-v.start:to-v.start])), from
	}
	for _, t := range toks {
		if t.start+base == p && t.end+base == p+n {
			return true
		}
	}
	return false
}

// maskAbbreviations hides parenthesised abbreviations and citations —
// (PTED), （ACDF）, [3] — so that they do not count as clause breaks.
func maskAbbreviations(rs []rune) {
	for i := 0; i < len(rs); i++ {
		var closeR rune
		switch rs[i] {
		case '(':
			closeR = ')'
		case '（':
			closeR = '）'
		case '[':
			closeR = ']'
		default:
			continue
		}
		for j := i + 1; j < len(rs) && j-i <= glossASCIIMax; j++ {
			if isHan(rs[j]) || rs[j] == mask {
				break
			}
			if rs[j] == closeR {
				for k := i; k <= j; k++ {
					rs[k] = mask
				}
				i = j
				break
			}
		}
	}
}

// glossASCIIMax bounds a parenthesised abbreviation or English gloss
// ((pulsed radiofrequency, PRF)) that maskAbbreviations hides.
const glossASCIIMax = 48

// clauseStart and clauseEnd bound the clause holding document offset i.
func (v *sentenceView) clauseStart(i int) int {
	for j := i - 1; j >= v.start; j-- {
		if clauseBreak(v.masked[j-v.start]) {
			return j + 1
		}
	}
	return v.start
}

func (v *sentenceView) clauseEnd(i int) int {
	for j := i; j < v.end; j++ {
		if clauseBreak(v.masked[j-v.start]) {
			return j
		}
	}
	return v.end
}

// clauseEndPastGlosses is clauseEnd reading a parenthesised gloss as part
// of the clause (在尺神经沟(肘管)受压).
func (v *sentenceView) clauseEndPastGlosses(i int) int {
	for j := i; j < v.end; j++ {
		if g := v.skipGloss(j); g > j {
			j = g - 1
			continue
		}
		if clauseBreak(v.masked[j-v.start]) {
			return j
		}
	}
	return v.end
}

// clauseBreaks counts the clause breaks in [from, to); a semicolon
// separates statements and counts as many as no rule allows.
func (v *sentenceView) clauseBreaks(from, to int) int {
	n := 0
	rs := []rune(v.slice(from, to))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '(' || r == '（' {
			// a gloss (外伤(交叉腿,久蹲)): its words are no clause of the sentence
			if j := closeParen(rs, i); j > 0 {
				i = j
				continue
			}
		}
		switch {
		case r == '；' || r == ';':
			n += statementBreak
		case clauseBreak(r):
			n++
		}
	}
	return n
}

// statementBreak is what a semicolon counts for in clauseBreaks.
const statementBreak = 10

// relations applies the rules to the mentions of one sentence.
func (x *Extractor) relations(text []rune, s medkg.Sentence, si int, ms []*mention) []medkg.Relation {
	v := &sentenceView{start: s.Start, end: s.End, masked: append([]rune(nil), text[s.Start:s.End]...), text: text[s.Start:s.End], ms: ms, k: x.k, seg: x.seg}
	for _, m := range ms {
		if m.container {
			continue
		}
		for i := max(m.start, s.Start); i < min(m.end, s.End); i++ {
			v.masked[i-s.Start] = mask
		}
	}
	maskAbbreviations(v.masked)

	var out []medkg.Relation
	groups := coordinate(ms, v)
	excluded := v.exclusions(groups)
	emit := func(subj, obj []*mention, p medkg.Predicate, negated, hedged bool) {
		if p == medkg.BranchOf && len(subj) == 1 && len(obj) > 1 {
			// a branch leaves one nerve: of 尺神经和桡神经的分支C,
			// the owner is the nearer
			obj = []*mention{nearest(obj, subj[0])}
		}
		for _, a := range subj {
			for _, b := range obj {
				if a.ent.ID == b.ent.ID {
					continue
				}
				out = append(out, medkg.Relation{Subject: a.ent.ID, Predicate: p, Object: b.ent.ID,
					Negated: negated || excluded[a] != excluded[b], Hedged: hedged, Sentence: si, Evidence: s.Text})
			}
		}
	}

	for _, m := range ms {
		for _, im := range m.implied {
			out = append(out, medkg.Relation{Subject: m.ent.ID, Predicate: im.pred, Object: im.object.ID, Sentence: si, Evidence: s.Text})
		}
		// X的股支: a branch named through its owner is the owner's
		if h := v.modifierHead(m); h != nil && m.ent.Type == medkg.Nerve && !m.virtual && !h.virtual && ownsByName(m.ent, h.ent) {
			out = append(out, medkg.Relation{Subject: h.ent.ID, Predicate: medkg.BranchOf, Object: m.ent.ID, Sentence: si, Evidence: s.Text})
		}
	}
	// Pairs further apart than any rule reaches relate only through a
	// topic that opens the sentence (or the part after a colon or dash).
	opens := map[*mention]bool{}
	for _, g := range groups {
		a := g[len(g)-1]
		opens[a] = v.opensPart(a)
	}
	for i, g1 := range groups {
		for _, g2 := range groups[i+1:] {
			a, b := g1[len(g1)-1], g2[0]
			if b.start-a.end > x.k.maxGap && !opens[a] {
				continue
			}
			if a.end > b.start || insideSameTitle(ms, a, b) {
				// overlapping (a title and what it holds), or both inside
				// one title: 《关于禁止P用于C治疗的通知》 does not say P treats C
				continue
			}
			for _, r := range x.k.rules {
				subj, obj := g1, g2
				if !r.subjFirst {
					subj, obj = g2, g1
				}
				if !r.pred.Allows(subj[0].ent.Type, obj[0].ent.Type) {
					continue
				}
				if neg, hedge, ok := x.apply(r, v, a, b, g1, g2, subj[0]); ok {
					if r.subjFirst && len(g1) > 1 && v.itemClause(g1, g2) {
						// 如A、B、C直接导致D等: the words after the last name
						// are one item of the enumeration — a kind of case
						// named, not a statement about A or B
						break
					}
					emit(subj, obj, r.pred, neg, hedge)
					break
				}
			}
		}
	}
	x.mechanisms(v, groups, emit)
	// A regulation whose title bans a procedure (关于禁止X的通知), when
	// the sentence names no agency banning it.
	banned := map[string]bool{}
	for _, r := range out {
		if r.Predicate == medkg.Bans && !r.Negated {
			banned[r.Object] = true
		}
	}
	for _, c := range ms {
		if !c.container {
			continue
		}
		for _, m := range ms {
			if m == c || m.start < c.start || m.end > c.end {
				continue
			}
			switch {
			case m.ent.Type == medkg.Procedure && !banned[m.ent.ID]:
				if pos, _ := v.find(x.k.list("ban"), c.start, m.start); pos >= 0 {
					emit([]*mention{c}, []*mention{m}, medkg.Bans, false, false)
				}
			case m.ent.Type == medkg.Agency && m.start <= c.start+1:
				// 《国家卫生健康委办公厅关于…的通知》 names its issuer
				emit([]*mention{c}, []*mention{m}, medkg.IssuedBy, false, false)
			}
		}
	}
	return dropIssuersOfTitled(dedupeRelations(out), ms)
}

// apply checks one rule on the pair a (earlier, closing group g1) and b
// (later, opening group g2). subj is the rule's subject mention.
func (x *Extractor) apply(r rule, v *sentenceView, a, b *mention, g1, g2 []*mention, subj *mention) (negated, hedged, ok bool) {
	gap := b.start - a.end - latinGloss(v.text, a.end-v.start)
	if r.adjacent {
		between := strings.Trim(v.slice(a.end, b.start), " 的《“\"")
		if gap > 2 || between != "" {
			return false, false, false
		}
		return false, false, true
	}
	if v.modifier(b) {
		return false, false, false // the head after it is the argument
	}
	sig := medkg.Signatures[r.pred]
	aRole, bRole := sig.Subject, sig.Object
	if !r.subjFirst {
		aRole, bRole = bRole, aRole
	}
	obj, sub := b, a
	if !r.subjFirst {
		obj, sub = a, b
	}
	if len(r.objTypes) > 0 && !typeIn(obj.ent.Type, r.objTypes) || len(r.subjTypes) > 0 && !typeIn(sub.ent.Type, r.subjTypes) {
		return false, false, false
	}
	// 在X处: a place where damage happens is not what is damaged
	// (神经在腱弓处易受压迫).
	if r.pred == medkg.Affects && (v.placed(a) || v.placed(b)) {
		return false, false, false
	}
	// 治疗A后(的)B: A only dates B, the condition treated or caused (脑卒中后
	// 肌痉挛): A is no argument of the cue.
	if (r.pred == medkg.Treats || r.pred == medkg.Causes) && obj == b && v.datesNext(b) {
		return false, false, false
	}
	// An effect said to resolve is no effect: 术后疼痛消失 is relief, not a
	// complication (lexicon resolution).
	if r.pred == medkg.Causes && obj == b && hasPrefixAny(v.slice(b.end, b.end+6), v.k.list("resolution")) {
		return false, false, false
	}
	// 出现类似肩周炎的疼痛: a likeness names what the effect resembles, not
	// the effect (lexicon likeness).
	if r.pred == medkg.Causes && obj == b && hasSuffixAny(v.slice(b.start-4, b.start), v.k.list("likeness")) {
		return false, false, false
	}
	// Near: within the rule's distance and clause limits, with no other
	// candidate for either role in between (国家卫健委…发布…卫健委办公厅…发布
	// …通知: the notice is the office's). Otherwise the cue may still open a
	// clause without a subject that continues the sentence's topic:
	// 骨间后神经是桡神经深支的延续，支配指伸肌… — then the cue words are
	// looked for in b's clause only.
	// An enumeration that exemplifies the cue's object (支配前臂屈肌，如A、B)
	// may stand one clause further.
	clauses, maxGap := r.clauses, r.gap
	if v.exemplifies(b.start) {
		clauses, maxGap = clauses+1, maxGap+lim().exemplifiedReach
	}
	// …and the class they exemplify may stand between (支配咀嚼肌，如A、B).
	near := gap <= maxGap && v.clauseBreaks(a.end, b.start) <= clauses &&
		!between(g1, a.end, b.start, aRole, v) && (clauses > r.clauses || !between(g2, a.end, b.start, bRole, v))
	from := a.end
	if !near {
		if !topicChains[r.pred] || len(r.between)+len(r.mid) == 0 {
			return false, false, false
		}
		from = v.clauseStart(b.start)
		if v.exemplifies(b.start) && from > v.start {
			// …，主要分布于颈部的肌肉，如A、B: the cue stands in the clause
			// the enumeration exemplifies
			from = v.clauseStart(from - 1)
		}
		if from <= a.end {
			return false, false, false
		}
	}
	// A nearer mention of the same entity is the argument (P…，因该手术…).
	for _, m := range v.ms {
		if m != a && m != b && !m.container && m.start >= from && m.end <= b.start && (m.ent == a.ent || m.ent == b.ent) {
			return false, false, false
		}
	}
	anchor, cueLen := -1, 0
	if len(r.between) > 0 {
		if anchor, cueLen = v.findCue(r.between, from, b.start, true); anchor < 0 {
			return false, false, false
		}
		// A、外伤导致B: the list goes on after a with an item the
		// vocabulary does not name, and that item is the cue's subject.
		if near && v.listGoesOn(a.end, anchor) || r.subjFirst && (v.relativeClause(a.end, anchor, cueLen, near) || v.possessor(a, anchor)) || v.place(a, anchor) {
			return false, false, false
		}
		// 由[来自腰丛的]腰骶干: the cue is inside a relative clause that
		// qualifies b, so it says nothing of a; 切开腕横韧带，从而解除正中神经…:
		// the verb's object is the structure right after it, not b
		if r.subjFirst && (v.relativeOver(anchor+cueLen, b.start) || !v.exemplifies(b.start) && v.nearerObject(anchor+cueLen, g2, bRole)) {
			return false, false, false
		}
	}
	if len(r.mid) > 0 {
		pos, n := v.findCue(r.mid, from, b.start, true)
		if pos < 0 {
			return false, false, false
		}
		if anchor < 0 {
			anchor, cueLen = pos, n
		}
	}
	if !near && !v.zeroSubject(a, aRole, from, anchor, cueLen, b, g2, bRole) {
		return false, false, false
	}
	// …病变所致的C: a cause verb before 的 qualifies C by the words right
	// before it, so the topic (the sentence's, or a label's given to its
	// clause) is not what causes C.
	if (!near || a.virtual) && r.pred == medkg.Causes && anchor >= 0 && v.slice(anchor+cueLen, anchor+cueLen+1) == "的" {
		return false, false, false
	}
	// C术后出现X, X是C术后的并发症, and under a condition's heading
	// 治疗后可能出现X: what follows the
	// treatment of a condition is the treatment's effect, not the
	// condition's (lexicon after_treatment).
	if r.pred == medkg.Causes && subj.ent.Type == medkg.Condition && anchor >= 0 {
		after := v.k.list("after_treatment")
		if end := v.skipGloss(subj.end); hasPrefixAny(v.slice(end, end+4), after) || subj.virtual && hasAny(v.slice(v.clauseStart(anchor), anchor), after) {
			return false, false, false
		}
	}
	// With a reach, the later mention is the cue's own argument: close to
	// it and in its clause (骨赘等明确压迫因素者，宜行…: no affects).
	if r.reach > 0 && anchor >= 0 && !v.exemplifies(b.start) && (b.start-(anchor+cueLen) > r.reach || v.clauseBreaks(anchor, b.start) > 0) {
		return false, false, false
	}
	if len(r.before) > 0 {
		// the cue stands before the earlier argument's whole group
		// (支配A和B的X)
		first := g1[0].start
		from := max(v.clauseStart(first), first-4)
		if pos, _ := v.find(r.before, from, first); pos < 0 {
			return false, false, false
		}
	}
	afterPos := -1
	if len(r.after) > 0 {
		// The cue follows the later argument's whole group (由A和B组成); a
		// locative may stand before it (由X在腕部发出, 是X在…受压).
		last := v.skipGloss(g2[len(g2)-1].end)
		pos, n := v.afterCue(r.after, last)
		if l := v.passage(last); pos < 0 && l > last {
			pos, n = v.afterCue(r.after, l) // 是X经过Y时，受到卡压
		}
		if pos < 0 {
			return false, false, false
		}
		afterPos = pos
		if anchor < 0 {
			anchor, cueLen = pos, n
		}
	}
	// A regulation cited as grounds (按照《…》) is not the actor of a ban.
	if r.pred == medkg.Bans && subj.ent.Type == medkg.Regulation {
		if pos, _ := v.find(v.k.list("basis"), max(v.start, subj.start-3), subj.start); pos >= 0 {
			return false, false, false
		}
	}

	// Negation and hedging are read where the statement is made: between
	// the mentions, or, for a topic chain, in the cue's clause.
	negFrom, preFrom := a.end, max(v.clauseStart(a.start), a.start-6)
	if !near {
		negFrom, preFrom = from, from
	}
	cueAt := anchor
	if afterPos >= 0 {
		cueAt = afterPos
	}
	// Prohibitions and denials of evidence govern what their clause goes on
	// to say: 禁止将X用于Y, 没有证据表明X能治疗Y.
	prohibited := false
	if cueAt >= 0 {
		from := v.clauseStart(min(a.start, cueAt))
		if r.pred != medkg.Bans {
			pos, _ := v.find(v.k.list("prohibition"), from, cueAt)
			prohibited = pos >= 0
		}
		if pos, _ := v.find(v.k.list("deny_scope"), from, cueAt); pos >= 0 {
			prohibited = true
		}
	}
	negated = prohibited || v.hasNeg(v.k.list("neg_strong"), negFrom, b.start, anchor, anchor+cueLen) ||
		(cueAt >= 0 && v.hasToken(v.k.list("neg_weak"), max(v.start, cueAt-3), cueAt, -1, -1)) ||
		(near && v.hasToken(v.k.list("neg_pre"), preFrom, a.start, -1, -1)) ||
		hasAny(v.slice(b.end, v.clauseEnd(b.end)), v.k.list("neg_post"))
	// Hedges stand near the statement; claims (宣称, 网传) anywhere before it.
	hedged = hasAny(v.slice(preFrom, b.start), v.k.list("hedge")) || hasAny(v.slice(v.start, a.start), v.k.list("claim"))
	return negated, hedged, true
}

// insideSameTitle reports whether a and b both lie inside one container.
func insideSameTitle(ms []*mention, a, b *mention) bool {
	for _, c := range ms {
		if c.container && c != a && c != b && a.start >= c.start && b.end <= c.end {
			return true
		}
	}
	return false
}

// topicChains are the predicates whose cue may stand in a clause that
// continues the sentence's topic (X是…并发症，一旦发生可导致A). Statements
// of damage are left out: there the topic is often a different entity.
var topicChains = map[medkg.Predicate]bool{
	medkg.Bans: true, medkg.Cuts: true, medkg.Targets: true, medkg.Innervates: true,
	medkg.BranchOf: true, medkg.Treats: true, medkg.Causes: true,
}

// zeroSubject reports whether the cue at anchor opens a clause with no
// subject of its own, a is the topic of the sentence (it opens the sentence
// or a part after —— or ：), and b is the cue's nearest argument in its
// clause.
func (v *sentenceView) zeroSubject(a *mention, aRole []medkg.EntityType, cs, anchor, cueLen int, b *mention, g2 []*mention, bRole []medkg.EntityType) bool {
	if anchor-cs > lim().chainLead || between(nil, cs, anchor, aRole, v) {
		return false
	}
	if b.start-anchor-cueLen > 20 || between(g2, anchor+cueLen, b.start, bRole, v) {
		return false
	}
	// The topic holds until a semicolon or dash, or until another candidate
	// opens a clause of its own (past a list number: ①颞支，分布于…).
	if strings.ContainsAny(v.slice(a.end, cs), "；;—") {
		return false
	}
	// A branch the topic gives off (A发出B，支配C) is the subject of the
	// clauses that follow, not A.
	for _, m := range v.ms {
		if m != a && !m.container && m.start >= a.end && m.end <= cs && typeIn(m.ent.Type, aRole) &&
			(skipListMarker(v.text, v.clauseStart(m.start)-v.start, m.start-v.start, v.k) == m.start-v.start || v.givenOff(m)) {
			return false
		}
	}
	if v.givenOff(a) {
		return true
	}
	// a opens the sentence, or the part after a dash or colon
	if !v.opensPart(a) {
		return false
	}
	j := v.start + skipListMarker(v.text, v.partStart(a.start)-v.start, a.start-v.start, v.k)
	if j >= a.start {
		return true // nothing before it but a list number: no verb or preposition either
	}
	// …and what stands before it is not a verb or preposition (切除神经瘤:
	// the name is an object there, not the topic).
	for _, t := range v.tokens() {
		if t.start >= j && t.end <= a.start && (strings.HasPrefix(t.pos, "v") || t.pos == "p") {
			return false
		}
	}
	return true
}

// place reports whether a is named as a place, inside 在…(处|远端…)
// right before the cue at cue: 在膝神经节处发出X says where X leaves its
// nerve, not that the ganglion gives it off.
func (v *sentenceView) place(a *mention, cue int) bool {
	if !strings.HasSuffix(v.slice(a.start-2, a.start), "在") {
		return false
	}
	rest := strings.TrimSpace(v.slice(a.end, cue))
	return rest != "" && hasPrefixAny(rest, v.k.list("place_word"))
}

// afterCue finds one of cues starting within the after-window of last,
// in its clause: further after a locative 在 (是X在…受压) or when a verb
// of damage comes first (由A压迫B引起, 因A刺激B导致).
func (v *sentenceView) afterCue(cues []string, last int) (int, int) {
	window := lim().afterWindow
	if strings.HasPrefix(v.slice(last, last+1), "在") {
		window = 20
	}
	if hasPrefixAny(v.slice(last, last+4), v.k.list("hit")) {
		window += lim().mechanismMax
	}
	end := min(v.clauseEndPastGlosses(last), last+window+6)
	pos, n := v.find(cues, last, end)
	if pos < 0 || pos-last > window {
		return -1, 0
	}
	return pos, n
}

// passage returns the offset past an adverbial of place or passage that
// follows an argument ending at i — X在Y处, X经过Y时， X穿过Y的部位 —
// and past a resumptive generic noun that restates X after it (X经过Y时
// 神经受压), or i when none follows: what is said after it (受压,
// 受到卡压) is said of X. An alternative appended to X (X或其分支) is
// part of X. Lexicons argument_tail, passage_open, passage_close,
// resumptive; threshold passage_max. A comma may close the adverbial only
// after a closer (…时，受压); before one, the clause has ended.
func (v *sentenceView) passage(i int) int {
	j := i
	if w := prefixOf(v.slice(j, j+8), v.k.list("argument_tail")); w != "" {
		j += runeLen(w)
	}
	open := prefixOf(v.slice(j, j+6), v.k.list("passage_open"))
	if open == "" {
		return i
	}
	end := min(v.end, j+lim().passageMax)
	for k := j + runeLen(open); k < end; k++ {
		switch v.slice(k, k+1) {
		case "，", ",", "；", ";", "。", "：", ":":
			return i
		}
		w := prefixOf(v.slice(k, k+4), v.k.list("passage_close"))
		if w == "" {
			continue
		}
		k += runeLen(w)
		if c := v.slice(k, k+1); c == "，" || c == "," {
			k++
		}
		if r := prefixOf(v.slice(k, k+6), v.k.list("resumptive")); r != "" {
			k += runeLen(r)
		}
		return k
	}
	return i
}

// prefixOf returns the longest of ws that s starts with, or "".
func prefixOf(s string, ws []string) string {
	best := ""
	for _, w := range ws {
		if len(w) > len(best) && strings.HasPrefix(s, w) {
			best = w
		}
	}
	return best
}

// placed reports whether m is named as a place, inside 在…(处|附近…):
// an adjunct of where something happens, not an argument of the verb.
func (v *sentenceView) placed(m *mention) bool {
	return strings.HasSuffix(v.slice(m.start-2, m.start), "在") && hasPrefixAny(v.slice(m.end, m.end+3), v.k.list("place_word"))
}

// givenOff reports whether m is named right after a verb by which a nerve
// gives off a branch, in its clause (骶丛发出股方肌神经).
func (v *sentenceView) givenOff(m *mention) bool {
	return hasSuffixAny(v.slice(v.clauseStart(m.start), m.start), v.k.list("give_off"))
}

// insideWord reports whether gse reads the character at i as part of a
// longer word (为 in 分为).
func (v *sentenceView) insideWord(i int) bool {
	if v.segmented {
		return wordAround(v.toks, i, 0)
	}
	// gse reads a few characters around i the way it reads the sentence:
	// cheaper than cutting a long sentence for one question
	from, to := max(v.start, i-insideWindow), min(v.end, i+insideWindow+1)
	return wordAround(v.seg.cut(string(v.text[from-v.start:to-v.start])), i, from)
}

// insideWindow is how many characters on each side of a position gse reads
// to tell whether the position is inside a word.
const insideWindow = 4

// wordAround reports whether a token of toks (offsets relative to base)
// longer than one character covers offset i.
func wordAround(toks []token, i, base int) bool {
	for _, t := range toks {
		if t.start+base <= i && i < t.end+base && t.end-t.start > 1 {
			return true
		}
	}
	return false
}

// nextMentionAt returns i when a mention starts at offset i, else -1.
func (v *sentenceView) nextMentionAt(i int) int {
	for _, m := range near(v.ms, i, i+1) {
		if m.start == i {
			return i
		}
	}
	return -1
}

// relativeClause reports whether the cue at [cue, cue+n) modifies a noun
// with 的 after a copula from the subject (X是…卡压引发的周围神经病变), or
// in a clause that continues the topic: it then says what the noun is,
// not what the subject does.
func (v *sentenceView) relativeClause(from, cue, n int, near bool) bool {
	if v.slice(cue+n, cue+n+1) != "的" {
		return false
	}
	// in a clause continuing the topic (X…，某种原因引起的B) the cue
	// modifies B and says nothing of the topic
	return !near || hasAny(v.slice(from, cue), v.k.list("copula"))
}

// relativeOver reports whether [from, to) — from a cue to its candidate
// object — names something and ends with 的 within one clause: the cue is
// then inside a relative clause qualifying the object (来自腰丛的腰骶干).
func (v *sentenceView) relativeOver(from, to int) bool {
	span := v.slice(from, to)
	if !strings.HasSuffix(span, "的") || v.clauseBreaks(from, to) > 0 {
		return false
	}
	// a name that only dates the next (治疗脊髓损伤后的C) makes no clause
	for _, m := range near(v.ms, from, to) {
		if !m.container && m.start >= from && m.end <= to && m.start < m.end && !v.datesNext(m) {
			return true
		}
	}
	return false
}

// nearerObject reports whether a name outside the group g, of a type the
// cue's object may have (types), stands right after a cue ending at from:
// it is then the cue's own object.
func (v *sentenceView) nearerObject(from int, g []*mention, types []medkg.EntityType) bool {
	for _, m := range near(v.ms, from, g[0].start) {
		if m.container || m.start == m.end {
			continue
		}
		if m.start-from <= 1 && typeIn(m.ent.Type, types) {
			return !containsMention(g, m) && !v.datesNext(m)
		}
		return false
	}
	return false
}

func containsMention(ms []*mention, m *mention) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// possessor reports whether a only owns the noun that is the cue's
// subject: X的名称来源于… — "的" and an unnamed noun stand between a and
// the cue, with no copula that makes the noun X's own action (X的操作是切断).
func (v *sentenceView) possessor(a *mention, cue int) bool {
	between := []rune(v.slice(a.end, cue))
	if len(between) < 2 || between[0] != '的' {
		return false
	}
	for _, r := range between[1:] {
		if r == mask || clauseBreak(r) {
			return false
		}
	}
	// X的操作是切断…: the noun describes X's own action; X的返支支配…: the
	// noun is a part of X, which acts through it
	if hasAny(string(between), v.k.list("copula")) || hasAny(string(between), v.k.list("owned_part")) {
		return false
	}
	return isHan(between[1])
}

// itemClause reports whether a statement from the enumeration g1 to g2 is
// itself one item of it: g1 follows an enumeration opener (如, 包括) and
// 等 closes the list only after g2.
func (v *sentenceView) itemClause(g1, g2 []*mention) bool {
	if !v.afterOpener(g1[0].start) {
		return false
	}
	end := v.skipGloss(g2[len(g2)-1].end)
	return strings.HasPrefix(v.textSlice(end, end+1), "等")
}

// listGoesOn reports whether the text from a name's end to a cue starts a
// further list item that is not a name: "、外伤直接" in A、外伤直接导致B.
func (v *sentenceView) listGoesOn(from, cue int) bool {
	between := []rune(v.slice(from, cue))
	if len(between) < 2 || between[0] != '、' {
		return false
	}
	for _, r := range between[1:] {
		if r == mask {
			return false
		}
	}
	return true
}

// partStart is where the part of the sentence holding i starts: the
// sentence start, or after the last dash, colon or semicolon before i.
func (v *sentenceView) partStart(i int) int {
	j := i
	for j > v.start {
		r := v.masked[j-1-v.start]
		if r == '—' || r == '：' || r == ':' || r == '；' || r == ';' {
			break
		}
		j--
	}
	return j
}

// opensPart reports whether m opens the sentence or the part after a dash
// or colon (within two runes, no other name before it).
func (v *sentenceView) opensPart(m *mention) bool {
	j := v.partStart(m.start)
	return m.start-j <= 2 && !strings.ContainsRune(v.slice(j, m.start), mask)
}

// modifier reports whether m only qualifies the mention after it: in
// 三叉神经眼支的额神经 the head is 额神经.
func (v *sentenceView) modifier(m *mention) bool {
	return v.modifierHead(m) != nil
}

// ownsByName reports whether part's name is owner's name (or an alias)
// and more: 生殖股神经股支 of 生殖股神经.
func ownsByName(owner, part *entity) bool {
	if owner.ID == part.ID {
		return false
	}
	for _, n := range append([]string{owner.Name}, owner.Aliases...) {
		if len(part.Name) > len(n) && strings.HasPrefix(part.Name, n) {
			return true
		}
	}
	return false
}

// modifierHead returns the mention m qualifies (the head after 的), or nil.
func (v *sentenceView) modifierHead(m *mention) *mention {
	if v.slice(m.end, m.end+1) != "的" {
		return nil
	}
	for _, x := range near(v.ms, m.end+1, m.end+3) {
		if x != m && !x.container && x.ent.Type == m.ent.Type && x.start >= m.end+1 && x.start <= m.end+2 {
			return x
		}
	}
	return nil
}

// between reports whether a mention of one of types, outside group g,
// lies in [from, to). A title cited as grounds (依据《…》) does not block,
// nor does a modifier of the next name.
func between(g []*mention, from, to int, types []medkg.EntityType, v *sentenceView) bool {
	for _, m := range near(v.ms, from, to) {
		if !typeIn(m.ent.Type, types) || m.start < from || m.end > to || m.start == m.end || v.modifier(m) || v.placed(m) || v.datesNext(m) {
			continue
		}
		if m.container {
			if pos, _ := v.find(v.k.list("basis"), max(v.start, m.start-3), m.start); pos >= 0 {
				continue
			}
		}
		inGroup := false
		for _, x := range g {
			if x == m || x.ent == m.ent {
				inGroup = true
			}
		}
		if !inGroup {
			return true
		}
	}
	return false
}

// comparedWith reports whether the word between a name ending at from and
// m is the preposition of a relation stated after m in its clause (A与B有关,
// A和B无关): then A and B are the two sides, not one list.
func (v *sentenceView) comparedWith(from int, m *mention) bool {
	if !hasAny(v.slice(from, m.start), v.k.list("compare_prep")) {
		return false
	}
	return hasAny(v.slice(m.end, v.clauseEnd(m.end)), v.k.list("compare_verb"))
}

func typeIn(t medkg.EntityType, ts []medkg.EntityType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// coordinate groups the sentence's mentions into coordinated lists of one
// type — A、B及C; “A”和“B”; A（gloss）、B（gloss）和C等 — and, after an
// enumeration opener (包括, 如, 分为 …), lists separated by commas too.
// Containers stay alone. A group is one argument of a relation, which is
// distributed over its members.
func coordinate(ms []*mention, v *sentenceView) [][]*mention {
	var groups [][]*mention
	var flat []*mention
	for _, m := range ms {
		if m.container {
			groups = append(groups, []*mention{m})
		} else {
			flat = append(flat, m)
		}
	}
	var cur []*mention
	enumerated := false
	var headOf map[*mention]*mention // 和X的股支: the part stands for its owner in a list
	for _, m := range flat {
		if h := v.modifierHead(m); h != nil {
			if headOf == nil {
				headOf = map[*mention]*mention{}
			}
			headOf[h] = m
		}
	}
	for _, m := range flat {
		if o, ok := headOf[m]; ok && (len(cur) > 1 || o.virtual) && cur[len(cur)-1] == o {
			// the owner joined a list (A和X的股支), or is a pronoun
			// (它的外侧束): the part takes its place; an owner alone may be
			// an argument of its own (来自X的Y)
			cur[len(cur)-1] = m
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			sameSpan := prev.start == m.start && prev.end == m.end
			if prev.ent.Type == m.ent.Type && (sameSpan || prev.end <= m.start && (v.joins(prev.end, m.start, enumerated) || v.comorbid(prev, m)) && !v.comparedWith(prev.end, m)) {
				cur = append(cur, m)
				continue
			}
			groups = append(groups, cur)
		}
		cur = []*mention{m}
		enumerated = v.afterOpener(m.start)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i][0].start < groups[j][0].start })
	return v.commaLists(groups)
}

// commaLists merges groups of one type separated only by a comma when the
// later one is itself a list (A，B，C、D和E): writers mix commas into
// enumerations, but a lone comma between two single names separates
// clauses. The pass runs from the end so that a list absorbs every comma
// item before it.
func (v *sentenceView) commaLists(groups [][]*mention) [][]*mention {
	for i := len(groups) - 2; i >= 0; i-- {
		prev, g := groups[i], groups[i+1]
		a, b := prev[len(prev)-1], g[0]
		sep := strings.Trim(v.textSlice(a.end, b.start), " ")
		if len(g) > 1 && !a.container && !b.container && a.ent.Type == b.ent.Type && a.end <= b.start && (sep == "，" || sep == ",") {
			groups[i] = append(append([]*mention{}, prev...), g...)
			groups = append(groups[:i+1], groups[i+2:]...)
		}
	}
	return groups
}

// exclusions numbers the scopes that exclusion and contrast words open —
// 除A和B以外的…, 除A外…, 不包括A, A除外, …而非A — and maps the members of
// groups inside each to its number. A relation between a member of a scope
// and anything outside it is denied; one stated wholly inside a scope (除
// X用于治疗Y外，…: X treats Y) stands.
func (v *sentenceView) exclusions(groups [][]*mention) map[*mention]int {
	out := map[*mention]int{}
	if len(groups) < 2 {
		return out // a scope separates names; one group has nothing to separate
	}
	scope := 0
	take := func(g []*mention) {
		for _, m := range g {
			out[m] = scope
		}
	}
	// 除(了) … 以外/之外/外: every member inside the scope; an opener
	// counts as a whole word only (除 in 切除 does not)
	whole := v.slice(v.start, v.end)
	var words []token
	for _, w := range v.k.list("exclude_open") {
		n := runeLen(w)
		for off := 0; off < len(whole); {
			i := strings.Index(whole[off:], w)
			if i < 0 {
				break
			}
			off += i + len(w)
			if p := v.start + runeLen(whole[:off-len(w)]); v.wordAt(p, n) {
				words = append(words, token{text: w, start: p, end: p + n})
			}
		}
	}
	sort.Slice(words, func(i, j int) bool { return words[i].start < words[j].start })
	for _, t := range words {
		end := v.clauseEnd(t.end)
		closeAt := -1
		for _, c := range v.k.list("exclude_close") {
			if i := strings.Index(v.slice(t.end, end), c); i >= 0 {
				if at := t.end + runeLen(v.slice(t.end, end)[:i]); closeAt < 0 || at < closeAt {
					closeAt = at
				}
			}
		}
		if closeAt < 0 || !v.onlyNames(t.end, closeAt) {
			// 除受副神经支配外，还…: a clause inside is "besides", not an
			// exclusion
			continue
		}
		scope++
		for _, g := range groups {
			if g[0].start >= t.end && g[len(g)-1].end <= closeAt && !g[0].container {
				take(g)
			}
		}
	}
	// 不包括A / A除外 / 而非A
	for _, w := range append(append([]string{}, v.k.list("exclude_pre")...), v.k.list("contrast")...) {
		if !strings.Contains(whole, w) {
			continue
		}
		for from := v.start; ; {
			at, n := v.find([]string{w}, from, v.end)
			if at < 0 {
				break
			}
			from = at + n
			for _, g := range groups {
				scope++
				switch {
				case strings.HasSuffix(w, "外") && g[len(g)-1].end <= at && at-g[len(g)-1].end <= 1:
					take(g) // A除外
				case !strings.HasSuffix(w, "外") && g[0].start >= at+n && g[0].start-(at+n) <= 2:
					take(g)
				}
			}
		}
	}
	return out
}

// nearest returns the mention of ms closest to m.
func nearest(ms []*mention, m *mention) *mention {
	best, dist := ms[0], -1
	for _, o := range ms {
		d := o.start - m.end
		if o.start < m.end {
			d = m.start - o.end
		}
		if dist < 0 || d < dist {
			best, dist = o, d
		}
	}
	return best
}

// skipGloss returns the offset after a parenthesised gloss that opens at
// i (下颌支（第三支）), or i when none does; within the sentence.
func (v *sentenceView) skipGloss(i int) int {
	if j := skipGlossAt(v.text, i-v.start) + v.start; j <= v.end {
		return j
	}
	return i
}

// latinGloss returns the length of an English gloss written right after a
// name without brackets (髂腹下神经iliohypogastric nerve起自…):
// Latin letters, spaces and hyphens up to the next Han character.
func latinGloss(text []rune, i int) int {
	letters := 0
	for j := i; j < len(text) && j-i <= 2*glossMax; j++ {
		switch r := text[j]; {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		case r == ' ' || r == '-' || r == '.':
		case isHan(r) && letters >= 3:
			return j - i
		default:
			return 0
		}
	}
	return 0
}

// glossMax bounds the length of a gloss in runes.
const glossMax = 24

// onlyNames reports whether [from, to) holds only names, connectors,
// glosses and 等: a list of what is excluded, not a clause.
func (v *sentenceView) onlyNames(from, to int) bool {
	rest := stripGlosses(v.slice(from, to))
	rest = strings.ReplaceAll(rest, string(mask), "")
	for _, c := range v.k.list("connector") {
		rest = strings.ReplaceAll(rest, c, "")
	}
	rest = strings.Trim(rest, "等的 “”\"")
	return runeLen(rest) <= 1
}

// joins reports whether the text between two items of one type, in
// [from, to), coordinates them: a connector, once glosses in parentheses,
// 等 and list markers are set aside; in an enumeration, a comma too.
func (v *sentenceView) joins(from, to int, enumerated bool) bool {
	between := stripGlosses(v.textSlice(from, to))
	between = strings.TrimPrefix(between, "等等")
	between = strings.TrimPrefix(between, "等")
	for _, mk := range v.k.list("list_marker") {
		between = strings.TrimSuffix(between, mk)
	}
	if v.isConnector(between) {
		return true
	}
	// A、B及俯卧位C: the last item may carry a short qualifier after its
	// connector — a few runes that gse reads as no verb
	if v.qualifiedItem(between, to) {
		return true
	}
	if enumerated {
		switch strings.Trim(between, " ") {
		case "，", ",", "；", ";", "/":
			return true
		}
	}
	return false
}

// datesNext reports whether condition m only dates the condition named
// after it: m后(的) and, within a few runes and no clause break, another
// condition (脑卒中后上肢肌痉挛).
func (v *sentenceView) datesNext(m *mention) bool {
	if m.ent.Type != medkg.Condition || v.slice(m.end, m.end+1) != "后" {
		return false
	}
	from := m.end + 1
	if v.slice(from, from+1) == "的" {
		from++
	}
	for _, o := range near(v.ms, from, from+qualifierMax+1) {
		if o != m && !o.container && o.ent.Type == medkg.Condition && allHan([]rune(v.slice(from, o.start))) {
			return true
		}
	}
	return false
}

// comorbid reports whether two conditions are written as one patient's
// (lexicon comorbid: A伴B, A合并B): one argument, as a list is.
func (v *sentenceView) comorbid(a, b *mention) bool {
	return a.ent.Type == medkg.Condition && a.end <= b.start && containsString(v.k.list("comorbid"), strings.TrimSpace(v.textSlice(a.end, b.start)))
}

// qualifiedItem reports whether between, the text ending at to before an
// item, is a connector then a qualifier of at most qualifierMax runes that
// holds no relation cue of two runes or more.
func (v *sentenceView) qualifiedItem(between string, to int) bool {
	for _, c := range v.k.list("connector") {
		rest, ok := strings.CutPrefix(between, c)
		if !ok || rest == "" || runeLen(rest) > qualifierMax || !allHan([]rune(rest)) {
			continue
		}
		return !containsAny(rest, v.k.longCues)
	}
	return false
}

// qualifierMax bounds the qualifier an item may carry in a list.
const qualifierMax = 3

// afterOpener reports whether an enumeration opener (包括, 如, 分为 …),
// optionally followed by a colon, stands right before offset i.
func (v *sentenceView) afterOpener(i int) bool {
	before := strings.TrimRight(v.textSlice(max(v.start, i-6), i), "：: ")
	for _, w := range v.k.list("enumerate") {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// exemplifies reports whether an enumeration opener that opens a clause of
// its own stands right before i (…屈肌，如A、B; …包括：A): the items then
// exemplify a class named in the clause before.
func (v *sentenceView) exemplifies(i int) bool {
	if e, ok := v.exemplified[i]; ok {
		return e
	}
	e := v.exemplifiesAt(i)
	if v.exemplified == nil {
		v.exemplified = map[int]bool{}
	}
	v.exemplified[i] = e
	return e
}

func (v *sentenceView) exemplifiesAt(i int) bool {
	before := []rune(strings.TrimRight(v.textSlice(max(v.start, i-8), i), "：: "))
	for _, w := range v.k.list("enumerate") {
		n := runeLen(w)
		if len(before) > n && string(before[len(before)-n:]) == w && clauseBreak(before[len(before)-n-1]) {
			return true
		}
	}
	return false
}

// textSlice is the unmasked sentence text in [from, to).
func (v *sentenceView) textSlice(from, to int) string {
	from, to = max(from, v.start), min(to, v.end)
	if from >= to {
		return ""
	}
	if v.textStr == "" {
		v.textStr, v.textByteAt = runeIndexed(v.text)
	}
	return v.textStr[v.textByteAt[from-v.start]:v.textByteAt[to-v.start]]
}

// stripGlosses removes parenthesised asides — （伸肘）, (C5-C6) — from s,
// however deep; an unbalanced parenthesis is kept as text.
func stripGlosses(s string) string {
	if !strings.ContainsAny(s, "(（") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（':
			depth++
			continue
		case ')', '）':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	if depth > 0 {
		return s
	}
	return b.String()
}

func (v *sentenceView) isConnector(s string) bool {
	s = strings.Trim(s, " \"'“”‘’「」")
	return containsString(v.k.list("connector"), s)
}

// dropIssuersOfTitled keeps, for a regulation whose title names its issuer,
// only that issuer: in 国家卫健委官网发布《国家卫生健康委办公厅关于…的通知》
// the office issued it, the commission's website published it.
func dropIssuersOfTitled(rs []medkg.Relation, ms []*mention) []medkg.Relation {
	titled := map[string]string{}
	for _, c := range ms {
		if !c.container {
			continue
		}
		for _, m := range ms {
			if m.ent.Type == medkg.Agency && m.start >= c.start && m.start <= c.start+1 && m.end <= c.end {
				titled[c.ent.ID] = m.ent.ID
			}
		}
	}
	out := rs[:0]
	for _, r := range rs {
		if issuer, ok := titled[r.Subject]; ok && r.Predicate == medkg.IssuedBy && r.Object != issuer {
			continue
		}
		out = append(out, r)
	}
	return out
}

func dedupeRelations(rs []medkg.Relation) []medkg.Relation {
	type key struct {
		s, o string
		p    medkg.Predicate
	}
	cut := map[key]bool{}
	for _, r := range rs {
		if r.Predicate == medkg.Cuts {
			cut[key{r.Subject, r.Object, ""}] = true
		}
	}
	seen := map[medkg.Relation]bool{}
	out := rs[:0]
	for _, r := range rs {
		if r.Predicate == medkg.Targets && cut[key{r.Subject, r.Object, ""}] {
			continue
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}

// mechanisms reads the mechanism a condition is explained by: C是由于A压迫X
// 引起的, C：因A刺激X导致…, C由A对X直接压迫所致. Whatever compresses or
// irritates X, the statement is that C affects X (lexicons
// mechanism_cause, hit, cause). C is the first condition named before the
// cause marker (the statement's subject); without one, the condition the effect verb names right after it
// (由A压迫X引起的C).
func (x *Extractor) mechanisms(v *sentenceView, groups [][]*mention, emit func(subj, obj []*mention, p medkg.Predicate, negated, hedged bool)) {
	damaged := medkg.Signatures[medkg.Affects].Object
	for _, g := range groups {
		if !typeIn(g[0].ent.Type, damaged) {
			continue
		}
		first, last := g[0], g[len(g)-1]
		if v.nextMentionAt(last.end) >= 0 {
			continue // X names what the next name belongs to (颈椎椎动脉)
		}
		// the verb of damage: right before X (压迫了X, 刺激和压迫X, past a
		// name qualifying X: 压迫颈椎椎动脉), or after it when 对 stands
		// before X (对X直接压迫)
		head := first.start
		for _, m := range near(v.ms, head-4, head) {
			if !m.container && m.end == head && m.start < m.end {
				head = m.start
			}
		}
		hit, _ := v.find(x.k.list("hit"), max(v.start, head-4), head)
		if hit < 0 || v.mentionIn(hit, head) {
			if !strings.HasSuffix(v.slice(first.start-1, first.start), "对") {
				continue
			}
			if hit, _ = v.find(x.k.list("hit"), last.end, last.end+5); hit < 0 || v.mentionIn(last.end, hit) {
				continue
			}
			hit = first.start - 1
		}
		// the effect verb closes the mechanism, at most one clause on
		end := min(v.end, v.skipGloss(last.end)+x.k.limits.mechanismMax)
		effect, n := v.find(x.k.list("cause"), last.end, end)
		if effect < 0 || v.clauseBreaks(last.end, effect) > 1 {
			continue
		}
		// the cause marker before the verb of damage, in the statement
		from := max(v.start, hit-x.k.limits.mechanismReach)
		marker, _ := v.findCue(x.k.list("mechanism_cause"), from, hit, true)
		if marker < 0 {
			continue
		}
		// …in the statement: semicolons separate statements
		stmt := v.start
		if i := strings.LastIndexAny(v.slice(v.start, marker), "；;"); i >= 0 {
			stmt = v.start + runeLen(v.slice(v.start, marker)[:i]) + 1
		}
		var cond *mention
		for _, m := range v.ms {
			if m.container || m.ent.Type != medkg.Condition || m.end > marker || m.start < stmt {
				continue
			}
			if cond == nil || m.start < cond.start {
				cond = m // the statement's subject opens it
			}
		}
		if cond == nil {
			if i := v.nextMentionAt(skipSpace(v, effect+n)); i >= 0 {
				for _, m := range near(v.ms, i, i+1) {
					if m.start == i && m.ent.Type == medkg.Condition {
						cond = m
					}
				}
			}
		}
		if cond == nil {
			continue
		}
		hedged := hasAny(v.slice(max(v.start, cond.start), last.end), x.k.list("hedge"))
		negated := v.hasNeg(x.k.list("neg_strong"), cond.end, last.start, -1, -1)
		emit([]*mention{cond}, g, medkg.Affects, negated, hedged)
	}
}

// mentionIn reports whether a mention other than a title lies wholly in [from, to).
func (v *sentenceView) mentionIn(from, to int) bool {
	for _, m := range near(v.ms, from, to) {
		if !m.container && m.start >= from && m.end <= to && m.start < m.end {
			return true
		}
	}
	return false
}

// skipSpace returns the offset past 的 and spaces at i.
func skipSpace(v *sentenceView, i int) int {
	for i < v.end && (v.slice(i, i+1) == "的" || v.slice(i, i+1) == " ") {
		i++
	}
	return i
}

// closeParen returns the index of the parenthesis that closes the one
// opening at i, within glossMax runes and before the end of rs, or -1.
func closeParen(rs []rune, i int) int {
	for j := i + 1; j < len(rs) && j-i <= glossMax; j++ {
		switch rs[j] {
		case ')', '）':
			return j
		case '(', '（', '。':
			return -1
		}
	}
	return -1
}
