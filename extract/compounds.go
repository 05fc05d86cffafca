package extract

import (
	"slices"
	"strings"
	"sync"

	"github.com/medkg/medkg"
)

// This file shapes a matched term into the mention the text really makes:
// the tendon or head of a muscle (拇长屈肌腱), an operation named after a
// structure (尺神经松解术), a product and what is done with it (奥美定注射
// 隆胸), and the approach written before an operation (颈椎后路…).

// ordinals number muscles and ribs: 第二骨间掌侧肌.
const ordinals = "一二三四五六七八九十"

// extendMuscle widens a muscle or nerve mention over an ordinal before it
// (第N…肌) and turns a muscle followed by a tendon or head suffix
// into a mention of that part.
func extendMuscle(m *mention, text []rune, ps patternSet, known func(string) *entity) {
	if m.start >= 2 && text[m.start-2] == '第' && strings.ContainsRune(ordinals, text[m.start-1]) {
		m.start -= 2
	}
	if m.ent.Type == medkg.Nerve {
		// 三叉神经根, 坐骨神经干: a part of a named nerve
		for _, suf := range lexicon("nerve_part_suffix") {
			at := m.end
			if at < len(text) && text[at] == '的' && containsString(lexicon("bare_part"), suf) {
				at++ // 臂丛的外侧束: a plexus's cord or trunk named through its owner
			}
			if n := hasPrefixAt(text, at, suf); n > 0 && !(at+n < len(text) && strings.ContainsRune("部管性段律制", text[at+n])) {
				m.ent = ownedNerve(m.ent, suf, string(text[m.start:at+n]), ps, known)
				m.end = at + n
				return
			}
		}
		return
	}
	if m.ent.Type != medkg.Muscle {
		return
	}
	// 至梨状肌的神经: the nerve named after the muscle it goes to, where
	// the vocabulary names it (梨状肌神经)
	if e := nerveTo(m, text, known); e != nil {
		m.ent, m.start, m.end = e, m.start-1, m.end+runeLen("的神经")
		return
	}
	// 斜角肌肌支: the muscular branch to a muscle is a nerve
	for _, suf := range lexicon("muscle_branch_suffix") {
		if n := hasPrefixAt(text, m.end, suf); n > 0 {
			m.ent = ps.derive(medkg.Nerve, m.ent.Name+suf, string(text[m.start:m.end+n]), m.ent)
			m.end += n
			return
		}
	}
	for _, suf := range lexicon("tendon_suffix") {
		if n := hasPrefixAt(text, m.end, suf); n > 0 {
			m.ent = ps.derive(medkg.Anatomy, m.ent.Name+"腱", string(text[m.start:m.end+n]), m.ent)
			m.end += n
			return
		}
	}
	for _, suf := range lexicon("muscle_part_suffix") {
		if n := hasPrefixAt(text, m.end, suf); n > 0 {
			m.ent = ps.derive(medkg.Muscle, m.ent.Name+suf, string(text[m.start:m.end+n]), m.ent)
			m.end += n
			return
		}
	}
}

// ownedNerve returns the part suf of the nerve owner, written surface:
// the vocabulary's entry when one of the owner's names with the part is a
// nerve (臂丛 + 外侧束 = 臂丛外侧束), else a derived name.
func ownedNerve(owner *entity, suf, surface string, ps patternSet, known func(string) *entity) *entity {
	for _, name := range append([]string{owner.Name}, owner.Aliases...) {
		if e := known(name + suf); e != nil && e.Type == medkg.Nerve {
			return e
		}
	}
	name := owner.Name + suf
	if stem, ok := strings.CutSuffix(owner.Name, "神经"); ok && strings.HasPrefix(suf, "神经") {
		name = stem + suf // 三叉神经 + 神经根 = 三叉神经根
		if e := known(name); e != nil && e.Type == medkg.Nerve {
			return e
		}
	}
	return ps.derive(medkg.Nerve, name, surface, owner)
}

// Lexicon lists (rules/lexicon.tsv): procedure_head turns a nerve, muscle
// or structure into the name of an operation on it (…松解术, …阻滞);
// product_head turns a drug or material into what is done with it
// (…注射, …填充); region words are body regions (not entities themselves)
// that belong to the name of an operation written right after them.

// compoundProcedure widens a nerve, muscle, structure, drug or material
// mention followed by an operation word into a mention of that operation,
// unless the vocabulary already names the whole (the longest match would
// then have taken it). A body region or a structure written right before
// belongs to the name (颈部淋巴结活检术, 颈后三角淋巴结活检): prev is the
// mention before m, and merged reports that m now covers it.
func compoundProcedure(m, prev *mention, text []rune, ps patternSet) (merged bool) {
	var heads []string
	list := ""
	switch m.ent.Type {
	case medkg.Nerve, medkg.Muscle, medkg.Anatomy:
		heads, list = surgeryHeads(), "procedure_head"
	case medkg.Drug:
		heads, list = productHeads(), "product_head"
	default:
		return false
	}
	// a part of the structure may stand before the head: 椎管 + 后部 + 切除术
	infix := 0
	if m.ent.Type == medkg.Anatomy {
		for _, loc := range lexicon("structure_part") {
			if k := hasPrefixAt(text, m.end, loc); k > 0 {
				infix = k
				break
			}
		}
	}
	if m.end+infix >= len(text) || !startsWord(list, text, m.end+infix) && text[m.end+infix] != '手' {
		return false // no head starts there (手术 is added to heads ending in 术)
	}
	for _, h := range heads {
		n := hasPrefixAt(text, m.end+infix, h)
		if n == 0 || !headEnds(text, m.end+infix+n, h) {
			continue
		}
		n += infix
		if r := regionBefore(text, m.start); r > 0 {
			m.start -= r
		} else if prev != nil && prev.end == m.start && prev.ent.Type == medkg.Anatomy && !prev.container {
			m.start, merged = prev.start, true
		}
		surface := string(text[m.start : m.end+n])
		name := surface
		if !strings.HasSuffix(name, "术") && !strings.HasSuffix(h, "阻滞") && !strings.HasSuffix(h, "注射") &&
			!strings.HasSuffix(h, "填充") && !strings.HasSuffix(h, "隆胸") && !strings.HasSuffix(h, "丰胸") {
			name += "术"
		}
		var parts []*entity
		if merged {
			parts = append(parts, prev.ent)
		}
		m.ent = ps.derive(medkg.Procedure, name, surface, append(parts, m.ent)...)
		m.end += n
		return merged
	}
	return false
}

// nerveTo returns the nerve a phrase 至M的神经 (or 到M的神经) names after
// its muscle M, when the vocabulary names it M神经; nil otherwise.
func nerveTo(m *mention, text []rune, known func(string) *entity) *entity {
	if m.start < 1 || !strings.ContainsRune("至到", text[m.start-1]) || hasPrefixAt(text, m.end, "的神经") == 0 {
		return nil
	}
	if e := known(m.ent.Name + "神经"); e != nil && e.Type == medkg.Nerve {
		return e
	}
	return nil
}

// injectionOf turns a drug or material written after an injection verb
// (lexicon inject_verb: 注射玻尿酸) into the injection the vocabulary names
// with the verb after it (玻尿酸注射); an injection it does not name is a
// step of a procedure, not a procedure.
func injectionOf(m *mention, text []rune, known func(string) *entity) bool {
	if m.ent.Type != medkg.Drug {
		return false
	}
	for _, v := range lexicon("inject_verb") {
		n := runeLen(v)
		if m.start < n || string(text[m.start-n:m.start]) != v {
			continue
		}
		var e *entity
		for _, name := range append([]string{m.ent.Name}, m.ent.Aliases...) {
			if k := known(name + v); k != nil && k.Type == medkg.Procedure {
				e = k
				break
			}
		}
		if e == nil {
			return false // 注射葡萄糖: not a named injection
		}
		m.ent, m.start = e, m.start-n
		return true
	}
	return false
}

// headEnds reports whether an operation word ending at i ends the name:
// a bare verb followed by its complement is an action (将尺神经前置于皮下),
// and 注射 must not be followed by what is injected (斜方肌注射肉毒素).
func headEnds(text []rune, i int, head string) bool {
	if strings.HasSuffix(head, "术") || i >= len(text) {
		return true
	}
	next := text[i]
	if strings.ContainsRune("于到至在入", next) {
		return false
	}
	if strings.HasSuffix(head, "注射") || strings.HasSuffix(head, "填充") || strings.HasSuffix(head, "取出") {
		rest := string(text[i:min(len(text), i+2)])
		return !isHan(next) || strings.ContainsRune("和及与或等后前时中", next) ||
			rest == "联合" || rest == "治疗" || rest == "疗法"
	}
	return true
}

// regionBefore returns the length of a body-region word ending at i.
func regionBefore(text []rune, i int) int {
	for _, w := range lexicon("region") {
		n := runeLen(w)
		if i >= n && string(text[i-n:i]) == w {
			return n
		}
	}
	return 0
}

// The approach of an operation (lexicon approach: 颈椎后路, 腹腔镜) is part
// of its name as written; phrases saying under what it is done (关节镜下,
// 超声引导下) are not, as the devset annotators leave them out.

// approachBefore returns the length of the approach prefixes and the
// qualifiers of an operation (possibly several: 腰椎后路 + 经皮, 单纯,
// 选择性) ending at i.
func approachBefore(text []rune, i int) int {
	total := 0
	for {
		found := 0
		for _, p := range approachWords() {
			n := runeLen(p)
			if i-total >= n && string(text[i-total-n:i-total]) == p {
				found = n
				break
			}
		}
		if found == 0 {
			return total
		}
		total += found
	}
}

var approachWords = sync.OnceValue(func() []string {
	return append(slices.Clone(lexicon("approach")), lexicon("procedure_qualifier")...)
})

// agencyUnit widens an agency mention followed by the name of one of its
// offices into a mention of that office, unless the vocabulary names it.
func agencyUnit(m *mention, text []rune, ps patternSet) {
	if m.ent.Type != medkg.Agency {
		return
	}
	// the unit may carry its field first: 医学会 + 医学美容 + 分会
	for field := 0; field <= unitFieldMax && m.end+field < len(text) && (field == 0 || isHan(text[m.end+field-1])); field++ {
		for _, u := range lexicon("agency_unit") {
			if n := hasPrefixAt(text, m.end+field, u); n > 0 && (field == 0 || runeLen(u) > 1) {
				end := m.end + field + n
				m.ent = ps.derive(medkg.Agency, m.ent.Name+string(text[m.end:end]), string(text[m.start:end]), m.ent)
				m.end = end
				return
			}
		}
	}
}

// unitFieldMax bounds the field written between a body and its unit.
const unitFieldMax = 6

// Operation verbs (lexicon procedure_verb) join the parts of a long
// operation name and may open it; a cutting verb (cut_verb) between a
// nerve or muscle and an operation name makes them one name that says what
// it cuts.

// chainProcedures merges operation names written back to back, or joined
// only by operation verbs, into one operation named by the whole, and
// widens each operation over the verbs and approach written before it.
func chainProcedures(ms []*mention, text []rune, ps patternSet) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.ent.Type == medkg.Procedure && !m.container {
			prev := out[n-1]
			if (prev.ent.Type == medkg.Nerve || prev.ent.Type == medkg.Muscle) && prev.end <= m.start && containsString(lexicon("cut_verb"), string(text[prev.end:m.start])) {
				pred := medkg.Cuts
				if prev.ent.Type == medkg.Muscle {
					pred = medkg.Targets
				}
				m.implied = append(m.implied, implied{pred: pred, object: prev.ent})
				m.start = prev.start
				out[n-1] = m
				continue
			}
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.ent.Type == medkg.Procedure && m.ent.Type == medkg.Procedure && !prev.container && !m.container &&
				prev.end <= m.start && onlyVerbs(text[prev.end:m.start]) {
				surface := string(text[prev.start:m.end])
				prev.ent = ps.get(medkg.Procedure, surface, surface)
				prev.end = m.end
				continue
			}
		}
		out = append(out, m)
	}
	drop := map[*mention]bool{}
	for i, m := range out {
		if m.ent.Type != medkg.Procedure || m.container {
			continue
		}
		var prev *mention
		if i > 0 {
			prev = out[i-1]
		}
		start := m.start
		for {
			n := verbBefore(text, start)
			if n == 0 {
				n = approachBefore(text, start)
			}
			if n == 0 {
				break
			}
			if prev != nil && prev.end > start-n {
				// 腰椎后路…: the approach may swallow a structure mention
				if prev.start < start-n || prev.container {
					break
				}
				drop[prev] = true
			}
			start -= n
		}
		if start != m.start && m.ent.Pattern {
			surface := string(text[start:m.end])
			m.ent = ps.get(medkg.Procedure, surface, surface)
		}
		m.start = start
	}
	kept := out[:0]
	for _, m := range out {
		if !drop[m] {
			kept = append(kept, m)
		}
	}
	return kept
}

// onlyVerbs reports whether rs is empty or a run of operation verbs.
func onlyVerbs(rs []rune) bool {
	for len(rs) > 0 {
		n := 0
		for _, v := range lexicon("procedure_verb") {
			if k := hasPrefixAt(rs, 0, v); k > 0 {
				n = k
				break
			}
		}
		if n == 0 {
			return false
		}
		rs = rs[n:]
	}
	return true
}

// verbBefore returns the length of an operation verb ending at i.
func verbBefore(text []rune, i int) int {
	for _, v := range lexicon("procedure_verb") {
		n := runeLen(v)
		if i >= n && string(text[i-n:i]) == v {
			return n
		}
	}
	return 0
}

// compoundCondition turns a nerve, muscle or structure mention followed by
// a condition head (lexicon condition_head: 损伤, 骨折, 麻痹 …), possibly
// after a location (远端, 内), into a mention of that condition, widened
// over a qualifying prefix (医源性, 中枢性): 肩胛提肌麻痹, 椎管内感染,
// 医源性桡神经损伤. The vocabulary's own names win by longest match.
func compoundCondition(m *mention, text []rune, ps patternSet, known func(string) *entity) bool {
	if m.container {
		return false
	}
	switch m.ent.Type {
	case medkg.Nerve, medkg.Muscle, medkg.Anatomy:
	case medkg.Condition:
		// 医源性 + 桡神经损伤: a qualified condition is a name of its own
		for _, p := range lexicon("condition_prefix") {
			if k := runeLen(p); m.start >= k && string(text[m.start-k:m.start]) == p {
				surface := string(text[m.start-k : m.end])
				m.ent = ps.derive(medkg.Condition, surface, surface, m.ent)
				m.start -= k
				return true
			}
		}
		return false
	default:
		return false
	}
	end := m.end
	for _, loc := range lexicon("location_infix") {
		if n := hasPrefixAt(text, end, loc); n > 0 {
			end += n
			break
		}
	}
	if !startsWord("condition_head", text, end) {
		return false
	}
	for _, h := range lexicon("condition_head") {
		n := hasPrefixAt(text, end, h)
		if n == 0 || !conditionHeadEnds(text, end+n, h) {
			continue
		}
		start := m.start
		for _, p := range lexicon("condition_prefix") {
			if k := runeLen(p); start >= k && string(text[start-k:start]) == p {
				start -= k
				break
			}
		}
		surface := string(text[start : end+n])
		// the short form of a known disease name (X突出 for
		// X突出症) is that disease
		if e := knownCondition(known, surface); e != nil {
			m.ent = e
		} else if e := knownSynonym(known, surface); e != nil {
			m.ent = e // 肱骨上端骨折 is 肱骨近端骨折
		} else {
			m.ent = ps.derive(medkg.Condition, surface, surface, m.ent)
		}
		m.start, m.end = start, end+n
		return true
	}
	return false
}

// conditionHeadEnds reports whether a condition head ending at i ends the
// name: a one-character head (痛, 炎, 漏) followed by more Han text is part
// of a longer word (痛觉, 炎性).
func conditionHeadEnds(text []rune, i int, head string) bool {
	if runeLen(head) > 1 || i >= len(text) || !isHan(text[i]) {
		return true
	}
	return containsString(lexicon("connector"), string(text[i])) || text[i] == '等' || text[i] == '的'
}

// headFollows reports whether a condition or operation head follows a
// structure, nerve or muscle name ending at i (膈肌麻痹, 颈丛阻滞): a short
// name is then a word of the compound even where the segmenter joins its
// last character with the head.
func headFollows(e *entity, text []rune, i int) bool {
	switch e.Type {
	case medkg.Nerve, medkg.Muscle, medkg.Anatomy:
	default:
		return false
	}
	if !startsWord("condition_head", text, i) && !startsWord("procedure_head", text, i) {
		return false
	}
	for _, h := range lexicon("condition_head") {
		if n := hasPrefixAt(text, i, h); n > 0 && runeLen(h) > 1 {
			return true
		}
	}
	for _, h := range lexicon("procedure_head") {
		if n := hasPrefixAt(text, i, h); n > 0 && headEnds(text, i+n, h) {
			return true
		}
	}
	return false
}

// anaesthesia widens a procedure followed by an anaesthesia word (lexicon
// anaesthesia_head) into the anaesthesia technique it names: X阻滞 + 麻醉.
func anaesthesia(m *mention, text []rune, ps patternSet) {
	for _, h := range lexicon("anaesthesia_head") {
		if n := hasPrefixAt(text, m.end, h); n > 0 {
			surface := string(text[m.start : m.end+n])
			m.ent = ps.derive(medkg.Procedure, surface, surface, m.ent)
			m.end += n
			return
		}
	}
}

// ownedPart reports whether a nerve's name names a part of another nerve
// (a ganglion, root or branch: 半月节, 脊髓根, 深支), which its owner's name
// may precede.
func ownedPart(name string) bool {
	for _, suf := range append(lexicon("nerve_part_suffix"), "支") {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// knownCondition returns the vocabulary condition whose name is surface
// with a disease suffix (lexicon disease_suffix: 症, 病), or nil.
func knownCondition(known func(string) *entity, surface string) *entity {
	for _, suf := range lexicon("disease_suffix") {
		if e := known(surface + suf); e != nil && e.Type == medkg.Condition {
			return e
		}
	}
	return nil
}

// knownSynonym returns the vocabulary condition named by surface with one
// of its words replaced by its synonym (lexicon infix_synonym), or nil.
func knownSynonym(known func(string) *entity, surface string) *entity {
	for _, pair := range lexicon("infix_synonym") { // in the data's order
		w, syn, _ := strings.Cut(pair, "=")
		if strings.Contains(surface, w) {
			if e := known(strings.Replace(surface, w, syn, 1)); e != nil && e.Type == medkg.Condition {
				return e
			}
		}
	}
	return nil
}

// surgeryHeads and productHeads are the operation heads with their 手术
// forms, made once.
var (
	surgeryHeads = sync.OnceValue(func() []string { return withSurgery(lexicon("procedure_head")) })
	productHeads = sync.OnceValue(func() []string { return withSurgery(lexicon("product_head")) })
)

// withSurgery adds, before each head ending in 术, the same head written
// with 手术 (切除术, 切除手术), longest first.
func withSurgery(heads []string) []string {
	out := make([]string, 0, 2*len(heads))
	for _, h := range heads {
		if stem, ok := strings.CutSuffix(h, "术"); ok && !strings.HasSuffix(stem, "手") {
			out = append(out, stem+"手术")
		}
		out = append(out, h)
	}
	return out
}
