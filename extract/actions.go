package extract

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// Regulatory actions: each statement that an authority bans, suspends,
// restricts, withdraws, penalises, warns or forbids advertising is an
// action with its kind, actor, target, scope, conditions, jurisdiction and
// effective date (rules/actions.tsv, rules/action_words.tsv).
//
// The actor is the agency or regulation the statement itself names; an
// action whose sentence names none has no actor (ActorNote says so), never
// the nearest agency elsewhere in the document.

// cueAt is an action cue found in a sentence.
type cueAt struct {
	rule       *actionRule
	cue        string
	start, end int
}

// actorAt is a possible actor in a sentence.
type actorAt struct {
	id, name, text string
	typ            medkg.EntityType
	start, end     int
	container      bool
}

// clauseBreak ends a clause inside a sentence.
func actionClauseBreak(r rune) bool { return strings.ContainsRune("，,；;：:", r) }

// actions finds the regulatory actions of a document.
func (x *Extractor) actions(text []rune, sents []medkg.Sentence, ms []*mention, articleDate string) []medkg.Action {
	ar := x.ar
	if ar == nil {
		return []medkg.Action{}
	}
	first := map[rune][]int{} // rule index by the first rune of a cue
	for i, r := range ar.rules {
		for _, c := range r.cues {
			f := []rune(c)[0]
			if !containsInt(first[f], i) {
				first[f] = append(first[f], i)
			}
		}
	}
	var dates []dateSpan
	datesDone := false
	bySentence := make([][]*mention, len(sents))
	for _, m := range ms {
		if m.sentence >= 0 && m.sentence < len(sents) {
			bySentence[m.sentence] = append(bySentence[m.sentence], m)
		}
	}
	out := []medkg.Action{}
	for si, s := range sents {
		if t := strings.TrimSpace(s.Text); strings.HasSuffix(t, "？") || strings.HasSuffix(t, "?") {
			continue // a question states no action: “手术戒毒”为何被叫停？
		}
		cues := findCues(text, s.Start, s.End, ar, first, bySentence[si])
		if len(cues) == 0 {
			continue
		}
		if !datesDone {
			dates, datesDone = findDates(text, articleDate, ar), true
		}
		var sentActs []medkg.Action
		for ci, c := range cues {
			until := s.End
			if ci+1 < len(cues) {
				until = cues[ci+1].start
			}
			sentActs = append(sentActs, x.actionsOfCue(text, sents, si, c, until, bySentence[si], dates, ar)...)
		}
		out = append(out, mergeInSentence(absorbPenalties(sentActs))...)
	}
	penaltyDate(out, dates)
	x.headingDate(text, out, dates)
	return dedupeActions(out, headingSentences(sents))
}

// findCues finds the action cues of sentence [from, to): the longest cue
// at each position whose context holds, skipping claims, proposals,
// negated cues and cues inside a name that is not a title.
func findCues(text []rune, from, to int, ar *actionRules, first map[rune][]int, ms []*mention) []cueAt {
	var out []cueAt
	for p := from; p < to; {
		var best *cueAt
		for _, ri := range first[text[p]] {
			r := &ar.rules[ri]
			for _, c := range r.cues {
				n := len([]rune(c))
				if p+n > to || string(text[p:p+n]) != c || (best != nil && n <= best.end-best.start) {
					continue
				}
				if len(r.context) > 0 {
					// the cue's clause or the next one: 禁止以各种形式，违规发布…广告
					cs, ce := clauseOf(text, from, to, p)
					if ce < to {
						_, ce = clauseOf(text, from, to, ce+1)
					}
					if !hasAny(string(text[cs:ce]), r.context) {
						continue
					}
				}
				best = &cueAt{rule: r, cue: c, start: p, end: p + n}
			}
		}
		if best == nil {
			p++
			continue
		}
		if !insideName(ms, best.start, best.end) && !negatedCue(text, from, best.start, ar) && !hearsay(text, from, best.start, ar) &&
			!contraindication(text, from, to, best, ar) && !nounUse(text, from, to, best, ar) &&
			!notCue(text, from, to, best.start, best.end, ar) && !continues(text, out, best.start) {
			out = append(out, *best)
		}
		p = best.end
	}
	return out
}

// notCue reports whether the cue is part of a word that states no action
// (不得不, 禁止类技术).
func notCue(text []rune, from, to, s, e int, ar *actionRules) bool {
	for _, w := range ar.list("action_not_cue") {
		n := len([]rune(w))
		for p := max(from, e-n); p <= s && p+n <= to; p++ {
			if string(text[p:p+n]) == w {
				return true
			}
		}
	}
	return false
}

// nounUse reports a cue naming a kind of case (查处…典型案例) in its clause.
func nounUse(text []rune, from, to int, c *cueAt, ar *actionRules) bool {
	_, ce := clauseOf(text, from, to, c.end)
	return hasAny(string(text[c.end:min(ce, c.end+16)]), ar.list("action_noun_after"))
}

// contraindication reports a medical contraindication (孕妇禁用, 患者禁用):
// who must not receive something, not an authority's ban.
func contraindication(text []rune, from, to int, c *cueAt, ar *actionRules) bool {
	if !containsString(ar.list("contraindication_cue"), c.cue) {
		return false
	}
	cs, _ := clauseOf(text, from, to, c.start)
	return hasAny(string(text[cs:c.start]), ar.list("contraindication_who"))
}

// continues reports whether a cue follows the previous one closely in its
// clause (对X技术一律要求先备案): it is part of the same statement.
func continues(text []rune, prev []cueAt, p int) bool {
	if len(prev) == 0 {
		return false
	}
	last := prev[len(prev)-1]
	if p-last.end > 3 {
		return false
	}
	for _, r := range text[last.end:p] {
		if actionClauseBreak(r) {
			return false
		}
	}
	return true
}

// clauseOf returns the clause of sentence [from, to) holding p.
func clauseOf(text []rune, from, to, p int) (int, int) {
	s, e := p, p
	for s > from && !actionClauseBreak(text[s-1]) {
		s--
	}
	for e < to && !actionClauseBreak(text[e]) {
		e++
	}
	return s, e
}

// insideName reports whether [s, e) lies inside a mention that is not a
// title (a regulation's title states what it does: 关于禁止X的通知).
func insideName(ms []*mention, s, e int) bool {
	for _, m := range ms {
		if !m.virtual && !m.container && m.start <= s && e <= m.end {
			return true
		}
	}
	return false
}

// negatedCue reports a negation right before the cue: 未禁止, 并未叫停.
func negatedCue(text []rune, from, p int, ar *actionRules) bool {
	before := string(text[max(from, p-2):p])
	for _, w := range ar.list("action_negation") {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// hearsay reports whether the cue is part of a claim or hearsay (宣称,
// anywhere before it in its sentence) or of a proposal or call (建议,
// 呼吁, in its clause): neither is an action.
func hearsay(text []rune, from, p int, ar *actionRules) bool {
	if hasAny(string(text[from:p]), ar.list("action_claim")) || hasAny(string(text[from:p]), ar.list("action_future")) {
		return true
	}
	cs := p
	for cs > from && !actionClauseBreak(text[cs-1]) {
		cs--
	}
	return hasAny(string(text[cs:p]), ar.list("action_proposal"))
}

// actionsOfCue builds the actions a cue states: one per target.
func (x *Extractor) actionsOfCue(text []rune, sents []medkg.Sentence, si int, c cueAt, until int, ms []*mention, dates []dateSpan, ar *actionRules) []medkg.Action {
	s := sents[si]
	base := medkg.Action{
		Kind: c.rule.kind, Cue: c.cue, Sentence: si, Start: s.Start, End: s.End,
		Evidence: string(text[s.Start:s.End]), Conditions: conditions(text, s.Start, s.End, ar),
	}
	if base.Conditions == nil {
		base.Conditions = []string{}
	}
	actors := actorsOf(text, s, c, ms, ar)
	if base.Kind == medkg.ActionRestriction && actors[0].id == "" && actors[0].text == "" &&
		!hasAny(base.Evidence, ar.list("regulatory_marker")) {
		return nil // 只能在一定程度上改善, 需严格控制剂量: advice, not a regulator's restriction
	}
	setDate(&base, text, s, c, dates)
	cs, ce := clauseOf(text, s.Start, s.End, c.start)

	type target struct {
		id, text, typ string
		start, end    int
	}
	var targets []target
	if base.Kind == medkg.ActionPenalty {
		t, ok := penaltyTarget(text, s, c, ar)
		if !ok && hasAny(base.Evidence, ar.list("provision_marker")) {
			return nil // a penalty on no one named: a provision (处三年以下有期徒刑), not an action
		}
		if !ok && (actors[0].id != "" || actors[0].text != "") {
			// 太原市卫健委依法作出行政处罚: on whom the lines before name
			t, ok = earlierTarget(text, sents, si, ar)
		}
		if !ok && actors[0].id == "" && actors[0].text == "" {
			return nil // no one acting, no one penalised
		}
		targets = append(targets, target{text: t.text, typ: t.typ, start: t.start, end: t.end})
	} else {
		// procedures (or products) after the cue in its clause, else before it
		pick := func(from, to int) {
			for _, m := range ms {
				if m.start >= from && m.end <= to && !m.container && (m.ent.Type == medkg.Procedure || m.ent.Type == medkg.Drug) {
					if m.start >= c.end && hasAny(string(text[c.end:m.start]), ar.list("action_exclusion")) {
						continue // (cue)…并不涉及X
					}
					typ := medkg.TargetProcedure
					if m.ent.Type == medkg.Drug {
						typ = medkg.TargetProduct
					}
					targets = append(targets, target{id: m.ent.ID, text: m.ent.Name, typ: typ, start: m.start, end: m.end})
				}
			}
		}
		end := min(ce, until)
		// a title's procedures belong to the title's action
		for _, m := range ms {
			if m.container && m.start <= c.start && c.end <= m.end {
				end = min(end, m.end)
			}
		}
		pick(c.end, end)
		if len(targets) == 0 {
			pick(cs, c.start)
		}
		if len(targets) == 0 {
			if hasAny(string(text[c.end:min(ce, until)]), ar.list("action_exclusion")) {
				return nil // (cue)…并不涉及X: X is outside
			}
			t := phraseAfter(text, c.end, min(ce, until), ar)
			if t == "" {
				return nil
			}
			if (base.Kind == medkg.ActionBan || base.Kind == medkg.ActionSuspension) && hasPrefixAny(t, ar.list("institution_measure")) {
				// 某医生被暂停执业: a measure on whom it names
				base.Kind = medkg.ActionPenalty
				if p, ok := penaltyTarget(text, s, c, ar); ok {
					targets = append(targets, target{text: p.text, typ: p.typ, start: p.start, end: p.end})
				} else {
					targets = append(targets, target{typ: medkg.TargetInstitution})
				}
				t = ""
			}
		}
		if len(targets) == 0 {
			if bei := strings.IndexRune(string(text[s.Start:c.start]), '被'); bei > 0 {
				// LAK疗法被发明后…被卫生部禁止: the subject before 被
				subj := []rune(string(text[s.Start:c.start])[:bei])
				if n := len(subj); n <= 16 && n > 1 && hasAny(string(subj), ar.list("target_head")) && !strings.ContainsAny(string(subj), "，,；;") {
					targets = append(targets, target{text: string(subj), typ: medkg.TargetProcedure})
				}
			}
		}
		if len(targets) == 0 {
			t := phraseAfter(text, c.end, min(ce, until), ar)
			typ := medkg.TargetProcedure
			switch {
			case base.Kind == medkg.ActionAdvertisingBan:
				typ = medkg.TargetAdvertising
			case hasAny(t, ar.list("institution_head")) && (base.Kind == medkg.ActionBan || base.Kind == medkg.ActionSuspension):
				// 取缔非法诊所, 停止营业: a measure on an institution
				base.Kind = medkg.ActionPenalty
				typ = medkg.TargetInstitution
			}
			if actors[0].id == "" && actors[0].text == "" && typ == medkg.TargetProcedure && !hasAny(t, ar.list("target_head")) {
				return nil // no actor and nothing that reads as a practice: 不得作为定案的依据
			}
			targets = append(targets, target{text: t, typ: typ})
		}
	}
	var out []medkg.Action
	for _, t := range targets {
		a := base
		a.Target, a.TargetText, a.TargetType = t.id, t.text, t.typ
		if a.Kind != medkg.ActionPenalty {
			a.Scope = scope(text, s, max(c.end, t.end), ms, ar)
		}
		for _, who := range actors {
			if who.id == "" && who.text == "" && a.Kind == medkg.ActionWarning {
				continue // a warning is a public one by an authority; a body that 'reminds' you is none
			}
			b := a
			b.Actor, b.ActorText, b.ActorNote, b.Jurisdiction = who.id, who.text, who.note, who.jur
			out = append(out, b)
		}
	}
	return out
}

// actorInfo is who an action is by.
type actorInfo struct {
	id, text, note string
	jur            medkg.Jurisdiction
}

// actorsOf finds the actors the statement names: the nearest agency,
// regulation or named authority before the cue in its sentence that is not
// the grounds of the action (按照《…》) nor the title holding the cue, with
// the bodies coordinated with it (A和B联合印发). A statement that names
// none has no actor.
func actorsOf(text []rune, s medkg.Sentence, c cueAt, ms []*mention, ar *actionRules) []actorInfo {
	var cands []actorAt
	for _, m := range ms {
		if m.ent.Type != medkg.Agency && m.ent.Type != medkg.Regulation {
			continue
		}
		cands = append(cands, actorAt{id: m.ent.ID, name: m.ent.Name, text: string(text[m.start:m.end]), typ: m.ent.Type, start: m.start, end: m.end, container: m.container})
	}
	cands = append(cands, authorities(text, s.Start, s.End, cands, ar)...)
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].start < cands[j].start })
	// grounds: 按照《A》和《B》 — both are grounds
	basis := make([]bool, len(cands))
	for i, k := range cands {
		basis[i] = hasAny(string(text[max(s.Start, k.start-3):k.start]), ar.list("action_basis"))
		if i > 0 && basis[i-1] && cands[i-1].end <= k.start && (coordinator(string(text[cands[i-1].end:k.start])) || issuedBy(string(text[cands[i-1].end:k.start]))) {
			basis[i] = true // 按照《A》和《B》, 根据卫生部颁发的《B》
		}
	}
	// X被Y处罚: the actor stands after 被; X被处罚 names none
	passive := -1
	for p := c.start - 1; p >= s.Start && !actionClauseBreak(text[p]); p-- {
		if text[p] == '被' || text[p] == '遭' {
			passive = p
			break
		}
	}
	ok := func(k *actorAt) bool {
		if k.start >= c.start || (k.container && k.start <= c.start && c.end <= k.end) {
			return false // after the cue, or the title stating the action (its instrument)
		}
		if passive >= 0 && k.start < passive {
			return false
		}
		for i := range cands {
			if &cands[i] == k || (cands[i].start == k.start && cands[i].end == k.end) {
				return !basis[i]
			}
		}
		return true
	}
	best := -1
	for i := range cands {
		if ok(&cands[i]) && (best < 0 || cands[i].start > cands[best].start || (cands[i].start == cands[best].start && cands[i].end > cands[best].end)) {
			best = i
		}
	}
	if best < 0 {
		return []actorInfo{{note: "no actor stated in the sentence", jur: medkg.Unknown}}
	}
	chosen := []int{best}
	for i := best - 1; i >= 0; i-- {
		k, next := cands[i], cands[chosen[len(chosen)-1]]
		if k.end > next.start || !ok(&k) {
			continue
		}
		if !coordinator(string(text[k.end:next.start])) {
			break
		}
		chosen = append(chosen, i)
	}
	var out []actorInfo
	for j := len(chosen) - 1; j >= 0; j-- {
		k := cands[chosen[j]]
		name := k.name
		if name == "" {
			name = k.text
		}
		jur := jurisdictionOf(name, k.typ, ar)
		if k.typ == medkg.Regulation {
			// a document issued in the sentence by a body has its level
			for i := chosen[j] - 1; i >= 0; i-- {
				if a := cands[i]; a.typ == medkg.Agency && a.end <= k.start {
					an := a.name
					if an == "" {
						an = a.text
					}
					jur = jurisdictionOf(an, a.typ, ar)
					break
				}
			}
		}
		out = append(out, actorInfo{id: k.id, text: k.text, jur: jur})
	}
	return out
}

// coordinator reports whether the text between two names joins them.
func coordinator(between string) bool {
	switch strings.Trim(between, " 《》“”\"「」") {
	case "和", "、", "与", "及", "以及", "会同", "联合", ",", "，":
		return true
	}
	return false
}

// issuedBy reports whether the text between a body and a title says the
// body issued it: 卫生部颁发的《…》.
func issuedBy(between string) bool {
	b := strings.Trim(between, " 《》“”\"")
	for _, v := range []string{"颁发", "印发", "发布", "制定", "出台", "公布", "修订", "联合印发", ""} {
		if b == v+"的" || b == v {
			return true
		}
	}
	return false
}

// authorities finds named authorities the vocabulary does not hold
// (昌平区卫生监督所): a place name read backwards from an authority head.
func authorities(text []rune, from, to int, known []actorAt, ar *actionRules) []actorAt {
	var out []actorAt
	heads := ar.list("authority_head")
	for p := from; p < to; p++ {
		var head string
		for _, h := range heads {
			if len(h) > len(head) && hasPrefixRunes(text[p:to], h) {
				head = h
			}
		}
		if head == "" {
			continue
		}
		end := p + len([]rune(head))
		start := nameStart(text, from, p, ar)
		covered := false
		for _, k := range known {
			if k.start <= p && end <= k.end || (k.start < end && p < k.end) {
				covered = true
			}
		}
		if !covered && (start < p || end-p >= 5) { // a head alone names a body when long enough (市场监督管理总局)
			out = append(out, actorAt{text: string(text[start:end]), typ: medkg.Agency, start: start, end: end})
		}
		p = end - 1
	}
	return out
}

// nameStart reads a name backwards from p: Han characters, not across a
// stop word, at most 12 of them.
func nameStart(text []rune, from, p int, ar *actionRules) int {
	stops := ar.list("name_stop")
	s := p
	for s > from && p-s < 12 && (unicode.Is(unicode.Han, text[s-1]) || isDigit(text[s-1])) {
		stop := false
		for _, w := range stops {
			if hasSuffixRunes(text[from:s], w) {
				stop = true
				break
			}
		}
		if stop {
			break
		}
		s--
	}
	return s
}

// jurisdictionOf reads the level of a body from its name: national bodies
// and regulations without a place; 省/自治区 (and the four municipalities)
// provincial; 市/州/盟 city; 区/县/旗 district.
func jurisdictionOf(name string, typ medkg.EntityType, ar *actionRules) medkg.Jurisdiction {
	n := strings.Trim(name, "《》")
	for _, w := range ar.list("national_name") {
		if strings.HasPrefix(n, w) {
			return medkg.National
		}
	}
	rs := []rune(n)
	level := medkg.Jurisdiction("")
	for i, r := range rs {
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch r {
		case '省':
			level = medkg.Provincial
		case '区':
			if i > 0 && rs[i-1] == '治' {
				level = medkg.Provincial
			} else if i > 0 && rs[i-1] != '地' && next != '域' {
				level = medkg.District
			} else if i > 0 && rs[i-1] == '地' {
				level = medkg.City
			}
		case '县', '旗':
			level = medkg.District
		case '市', '州', '盟':
			if next == '场' || next == '民' || i == 0 {
				continue
			}
			if level == medkg.District {
				continue
			}
			level = medkg.City
			if i == 2 && strings.Contains("北京上海天津重庆", string(rs[:2])) {
				level = medkg.Provincial
			}
		}
	}
	if level != "" {
		return level
	}
	if strings.HasSuffix(n, "总局") || strings.HasSuffix(n, "总署") {
		return medkg.National
	}
	if typ == medkg.Regulation {
		return medkg.National // a law or notice without a place is national
	}
	if strings.HasPrefix(n, "市") {
		return medkg.City
	}
	if strings.HasPrefix(n, "省") {
		return medkg.Provincial
	}
	if strings.HasPrefix(n, "区") || strings.HasPrefix(n, "县") {
		return medkg.District
	}
	return medkg.Unknown
}

// setDate picks the action's date from its sentence, the date of its
// verb: a date in the cue's own clause (日前 there leaves the action
// undated: 国家卫健委日前印发通知禁止X); else a date it takes effect
// (…起施行, 自印发之日起; never for a penalty, where 起 opens the period
// of what is punished) with no other date between it and the cue; else
// the nearest date before the cue, whatever it is; else one after it.
// Dates of other events (出生, 成立于, a dateline's 7月31日电) are never
// the action's; ranges, periods and vague dates are kept as written with
// their note, and no effective date.
func setDate(a *medkg.Action, text []rune, s medkg.Sentence, c cueAt, dates []dateSpan) {
	var in []*dateSpan
	// dates are in text order: start at the sentence's first
	for i := sort.Search(len(dates), func(i int) bool { return dates[i].start >= s.Start }); i < len(dates) && dates[i].start < s.End; i++ {
		if d := &dates[i]; d.end <= s.End && !d.event {
			in = append(in, d)
		}
	}
	if len(in) == 0 {
		return
	}
	penalty := a.Kind == medkg.ActionPenalty
	plain := func(d *dateSpan) bool { return !d.rng && !d.vague && !(penalty && d.effective) && d.value() != "" }
	takesEffect := func(d *dateSpan) bool { return d.effective && !d.rng && !penalty }
	dist := func(d *dateSpan) int {
		if d.end <= c.start {
			return c.start - d.end
		}
		return d.start - c.end
	}
	// between reports a plain date that is not d standing between d and
	// the cue: the nearer date is the verb's
	between := func(d *dateSpan) bool {
		for _, o := range in {
			if o != d && plain(o) && !o.effective && (d.end <= o.start && o.end <= c.start || c.end <= o.start && o.end <= d.start) {
				return true
			}
		}
		return false
	}
	// pick is the date of ds that takes effect nearest the cue, else the
	// nearest before it, else the first after it, among those ok keeps
	pick := func(ds []*dateSpan, ok func(*dateSpan) bool) *dateSpan {
		var eff, before, after *dateSpan
		for _, d := range ds {
			switch {
			case !ok(d):
			case takesEffect(d):
				if eff == nil || dist(d) < dist(eff) {
					eff = d
				}
			case d.end <= c.start:
				before = d // in text order: the last is the nearest
			case d.start >= c.end && after == nil:
				after = d
			}
		}
		for _, d := range []*dateSpan{eff, before, after} {
			if d != nil {
				return d
			}
		}
		return nil
	}
	cs, ce := clauseOf(text, s.Start, s.End, c.start)
	var clause []*dateSpan
	for _, d := range in {
		if d.start >= cs && d.end <= ce {
			clause = append(clause, d)
		}
	}
	anyDate := func(*dateSpan) bool { return true }
	best := pick(clause, anyDate)
	if best == nil {
		best = pick(in, func(d *dateSpan) bool { return takesEffect(d) && !between(d) })
	}
	if best == nil {
		// the nearest date before the cue, whatever it is: 近日 or a
		// period there says the action has no day given, and an earlier
		// date is another verb's (据…昨天发布的消息，该委日前印发通知，禁止X)
		for _, d := range in {
			if d.end <= c.start {
				best = d
			}
		}
	}
	if best == nil {
		best = pick(in, plain)
	}
	if best == nil {
		// a range, a period or a vague date: kept as written, with its note
		best = pick(in, anyDate)
	}
	a.DateText = best.written()
	if plain(best) {
		a.EffectiveDate = best.value()
	}
	a.DateNote = best.note
	if penalty && best.effective && best.note == "" {
		a.DateNote = "the start of a period, not the day of the penalty"
	}
}

type phrase struct {
	text, typ  string
	start, end int
}

// penaltyTarget finds who a penalty falls on: an institution or person
// named in the sentence, preferring the one after 对 before the cue, then
// the nearest before the cue, then the first after it.
func penaltyTarget(text []rune, s medkg.Sentence, c cueAt, ar *actionRules) (phrase, bool) {
	var cands []phrase
	heads := ar.list("institution_head")
	taken := func(p int) bool {
		for _, k := range cands {
			if k.start <= p && p < k.end {
				return true
			}
		}
		return false
	}
	for p := s.Start; p < s.End; p++ {
		for _, w := range ar.list("institution_ref") {
			if hasPrefixRunes(text[p:s.End], w) {
				n := len([]rune(w))
				if w == "对其" { // the reference is 其; 对 marks it as what the penalty falls on
					cands = append(cands, phrase{text: "其", typ: medkg.TargetInstitution, start: p + 1, end: p + n})
				} else {
					cands = append(cands, phrase{text: w, typ: medkg.TargetInstitution, start: p, end: p + n})
				}
				p += n - 1
				break
			}
		}
	}
	for p := s.Start; p < s.End; p++ {
		if taken(p) {
			continue
		}
		var head string
		for _, h := range heads {
			if len(h) > len(head) && hasPrefixRunes(text[p:s.End], h) {
				head = h
			}
		}
		if head == "" {
			continue
		}
		end := p + len([]rune(head))
		if after := string(text[end:min(s.End, end+3)]); strings.HasPrefix(after, "执业") || strings.HasPrefix(after, "许可") {
			p = end - 1 // 医疗机构执业许可证: a licence, not an institution
			continue
		}
		if start := nameStart(text, s.Start, p, ar); start < p && !taken(start) {
			cands = append(cands, phrase{text: string(text[start:end]), typ: medkg.TargetInstitution, start: start, end: end})
		}
		p = end - 1
	}
	for p := s.Start; p < s.End; p++ {
		if taken(p) {
			continue
		}
		if text[p] == '某' && p > s.Start && unicode.Is(unicode.Han, text[p-1]) && text[p-1] != '某' && !taken(p-1) {
			e := p
			for e < s.End && text[e] == '某' {
				e++
			}
			cands = append(cands, phrase{text: string(text[p-1 : e]), typ: medkg.TargetPerson, start: p - 1, end: e})
			p = e - 1
			continue
		}
		for _, w := range ar.list("person_word") {
			if hasPrefixRunes(text[p:s.End], w) {
				cands = append(cands, phrase{text: w, typ: medkg.TargetPerson, start: p, end: p + len([]rune(w))})
				p += len([]rune(w)) - 1
				break
			}
		}
	}
	if len(cands) == 0 {
		return phrase{}, false
	}
	var best *phrase
	for i := range cands {
		k := &cands[i]
		if k.end <= c.start && k.start > s.Start && text[k.start-1] == '对' {
			if best == nil || k.start > best.start {
				best = k
			}
		}
	}
	if best != nil {
		return *best, true
	}
	for i := range cands {
		if k := &cands[i]; k.end <= c.start && (best == nil || k.start > best.start) {
			best = k
		}
	}
	if best == nil {
		best = &cands[0]
	}
	return *best, true
}

// earlierTarget looks back up to three sentences for whom a penalty
// falls on: the last institution, person or quoted name (查处“某店”…).
func earlierTarget(text []rune, sents []medkg.Sentence, si int, ar *actionRules) (phrase, bool) {
	for j := si - 1; j >= max(0, si-3); j-- {
		s := sents[j]
		end := cueAt{start: s.End, end: s.End}
		if p, ok := penaltyTarget(text, s, end, ar); ok && p.text != "其" {
			return p, true
		}
		t := string(text[s.Start:s.End])
		if i := strings.LastIndex(t, "“"); i >= 0 {
			if k := strings.Index(t[i:], "”"); k > 0 && utf8.RuneCountInString(t[i:i+k]) <= 13 {
				return phrase{text: t[i+len("“") : i+k], typ: medkg.TargetInstitution}, true
			}
		}
	}
	return phrase{}, false
}

// penaltyDate gives a penalty whose sentence resolves no date the date
// of a line keyed as a decision's date (行政处罚日期:2022-08-24): the
// first after its statement and before the next penalty's, else the last
// before it and after the previous penalty's, else the nearest. A vague
// date or a period its sentence gives is replaced, and said so.
func penaltyDate(as []medkg.Action, dates []dateSpan) {
	var keys []*dateSpan
	for j := range dates {
		if d := &dates[j]; d.decision && !d.rng && d.value() != "" {
			keys = append(keys, d)
		}
	}
	if len(keys) == 0 {
		return
	}
	var penalties []int // in text order
	for i := range as {
		if as[i].Kind == medkg.ActionPenalty {
			penalties = append(penalties, i)
		}
	}
	// keys are in text order: each penalty finds its own by binary search
	first := func(from int) int { return sort.Search(len(keys), func(j int) bool { return keys[j].start >= from }) }
	for n, i := range penalties {
		a := &as[i]
		if a.EffectiveDate != "" {
			continue
		}
		from, to := 0, math.MaxInt // the previous penalty's end, the next's start
		if n > 0 {
			from = as[penalties[n-1]].End
		}
		if n+1 < len(penalties) {
			to = as[penalties[n+1]].Start
		}
		var key *dateSpan
		if j := first(a.End); j < len(keys) && keys[j].start < to {
			key = keys[j] // the first after it
		} else if j := first(a.Start) - 1; j >= 0 && keys[j].start >= from && keys[j].end <= a.Start {
			key = keys[j] // the last before it
		} else {
			j := first(a.Start)
			switch {
			case j == len(keys):
				key = keys[j-1]
			case j == 0 || keys[j].start-a.Start < a.Start-keys[j-1].start:
				key = keys[j]
			default:
				key = keys[j-1]
			}
		}
		note := "the date of the penalty decision the document gives"
		if a.DateText != "" {
			note += "; the sentence says " + a.DateText
		}
		a.EffectiveDate, a.DateText, a.DateNote = key.value(), key.text, note
	}
}

// headingDate gives an action whose sentence resolves no date the date
// of the heading its list stands under: a short line with a date above
// the action's line with only list items between (2022年8月24日行政处罚信息
// over 1.… 2.…), or a line ending with a colon above a few short lines.
func (x *Extractor) headingDate(text []rune, as []medkg.Action, dates []dateSpan) {
	if len(dates) == 0 {
		return
	}
	lines := lineStarts(text)
	lineEnd := func(l int) int {
		if l+1 < len(lines) {
			return lines[l+1] - 1
		}
		return len(text)
	}
	for i := range as {
		a := &as[i]
		if a.EffectiveDate != "" {
			continue
		}
		l := sort.SearchInts(lines, a.Start+1) - 1
		item := x.listItemAt(text, lines[l], lineEnd(l), dates)
		for k := l - 1; k >= 0 && l-k <= x.k.limits.listMax+1; k-- {
			ls, le := lines[k], lineEnd(k)
			if le-ls > 2*x.k.limits.listLineMax {
				break // a paragraph (read no further: linear on long lines)
			}
			t := strings.TrimSpace(string(text[ls:le]))
			if t == "" {
				continue
			}
			if item && x.listItemAt(text, ls, le, dates) {
				continue // another item of the list
			}
			colon := strings.HasSuffix(t, "：") || strings.HasSuffix(t, ":")
			if !colon && !(item && headingLine(t, x.k.limits.headingMax)) {
				if item || utf8.RuneCountInString(t) > x.k.limits.listLineMax {
					break // a paragraph: the list has no heading
				}
				continue // short lines under a colon need no marker
			}
			if d := dateOnLine(dates, ls, le); d != nil {
				note := "the date of the heading above its list"
				if d.note != "" {
					note += "; " + d.note
				}
				a.EffectiveDate, a.DateText, a.DateNote = d.value(), d.text, note
			}
			break
		}
	}
}

// listItemAt reports whether the line [ls, le) starts with a list marker
// or number (1. 2、 （三） ①), and not with a date.
func (x *Extractor) listItemAt(text []rune, ls, le int, dates []dateSpan) bool {
	for ls < le && text[ls] == ' ' {
		ls++
	}
	if i := sort.Search(len(dates), func(i int) bool { return dates[i].start >= ls }); i < len(dates) && dates[i].start == ls {
		return false
	}
	return skipListMarker(text, ls, le, x.k) > ls
}

// headingLine reports whether a line (trimmed) reads as a heading: at
// most max runes without a sentence end.
func headingLine(t string, max int) bool {
	r := []rune(t)
	return len(r) > 0 && len(r) <= max && !strings.ContainsRune("。！？!?；;，,", r[len(r)-1])
}

// dateOnLine is the first date of the line [ls, le) that can be an
// action's: resolved, no range, no vague date, no other event's, no
// publication line's.
func dateOnLine(dates []dateSpan, ls, le int) *dateSpan {
	for i := sort.Search(len(dates), func(i int) bool { return dates[i].start >= ls }); i < len(dates) && dates[i].start < le; i++ {
		if d := &dates[i]; !d.rng && !d.event && !d.vague && !d.issueKey && d.value() != "" {
			return d
		}
	}
	return nil
}

// headingSentences marks the sentences that are headings: a short line
// without a sentence end.
func headingSentences(sents []medkg.Sentence) map[int]bool {
	out := map[int]bool{}
	for i, s := range sents {
		t := strings.TrimSpace(s.Text)
		if n := utf8.RuneCountInString(t); n > 0 && n <= 40 && !strings.ContainsAny(t[len(t)-1:], "。！？!?；;") && !strings.HasSuffix(t, "。") && !strings.HasSuffix(t, "！") && !strings.HasSuffix(t, "；") {
			out[i] = true
		}
	}
	return out
}

// phraseAfter is the target of a cue the vocabulary does not name: the
// words after it in its clause, without the verbs and places before the
// thing itself (禁止在临床上开展X → X), quotes dropped, cut at 的.
func phraseAfter(text []rune, from, to int, ar *actionRules) string {
	verbs := ar.list("target_verb")
	for changed := true; changed && from < to; {
		changed = false
		for _, v := range verbs {
			if hasPrefixRunes(text[from:to], v) {
				from += len([]rune(v))
				changed = true
			}
		}
	}
	var b strings.Builder
	n := 0
	for p := from; p < to && n < 24; p++ {
		r := text[p]
		if strings.ContainsRune("“”‘’\"'「」", r) {
			continue
		}
		if strings.ContainsRune("。！？!?（(", r) {
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

// scope is the indication or population an action is limited to: a
// condition after 用于/应用于/治疗 (禁止将X应用于Y治疗 → Y治疗), or a
// population after 对/为 (对未成年人), after the target in its sentence.
func scope(text []rune, s medkg.Sentence, from int, ms []*mention, ar *actionRules) string {
	before := ar.list("scope_before")
	for _, m := range ms {
		if m.ent.Type != medkg.Condition || m.start < from || m.virtual {
			continue
		}
		lead := string(text[max(from, m.start-3):m.start])
		ok := false
		for _, w := range before {
			if w != "对" && w != "为" && strings.HasSuffix(lead, w) {
				ok = true
			}
		}
		if !ok {
			continue
		}
		sc := string(text[m.start:m.end])
		rest := string(text[m.end:min(s.End, m.end+3)])
		switch {
		case strings.HasSuffix(lead, "治疗"):
			sc = "治疗" + sc
		case strings.HasPrefix(rest, "治疗"):
			sc += "治疗"
		case strings.HasPrefix(rest, "的治疗"):
			sc += "的治疗"
		case strings.HasPrefix(rest, "患者"):
			sc += "患者"
		}
		return sc
	}
	for p := from; p < s.End; p++ {
		for _, w := range ar.list("scope_population") {
			if hasPrefixRunes(text[p:s.End], w) && p > s.Start && strings.ContainsRune("对为向", text[p-1]) {
				return w
			}
		}
	}
	return ""
}

// conditions are the phrases of a sentence under which its action
// applies, as written: 未经备案, 未取得医疗机构执业许可证.
func conditions(text []rune, from, to int, ar *actionRules) []string {
	var out []string
	closes := ar.list("condition_close")
	for p := from; p < to; p++ {
		var open string
		for _, w := range ar.list("condition_open") {
			if len(w) > len(open) && hasPrefixRunes(text[p:to], w) {
				open = w
			}
		}
		if open == "" {
			continue
		}
		e := p + len([]rune(open))
	scan:
		for e < to && e-p < 16 {
			for _, c := range closes {
				if hasPrefixRunes(text[e:to], c) {
					break scan
				}
			}
			e++
		}
		c := strings.TrimSpace(string(text[p:e]))
		if !containsString(out, c) {
			out = append(out, c)
		}
		p = e - 1
	}
	return out
}

// mergeInSentence keeps one action per actor and named target in a
// sentence: 印发《关于暂停X的通知》，要求…一律停止开展X states one
// action, of the kind its first cue says.
func mergeInSentence(as []medkg.Action) []medkg.Action {
	out := as[:0]
	for _, a := range as {
		dup := false
		for i := range out {
			o := &out[i]
			if a.Target != "" && o.Target == a.Target && (o.Actor == a.Actor || a.Actor == "" || o.Actor == "" || typeOfActor(a.Actor) == medkg.Regulation || typeOfActor(o.Actor) == medkg.Regulation) {
				dup = true
				if o.EffectiveDate == "" && a.EffectiveDate != "" {
					o.EffectiveDate, o.DateText, o.DateNote = a.EffectiveDate, a.DateText, a.DateNote
				}
				if o.Scope == "" {
					o.Scope = a.Scope
				}
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}

// sameTarget reports whether two actions are on the same thing.
func sameTarget(a, b medkg.Action) bool {
	if a.Target != "" || b.Target != "" {
		return a.Target == b.Target
	}
	return a.TargetText != "" && (strings.Contains(a.TargetText, b.TargetText) || strings.Contains(b.TargetText, a.TargetText))
}

func typeOfActor(id string) medkg.EntityType {
	t, _, _ := strings.Cut(id, ":")
	return medkg.EntityType(t)
}

func hasSuffixRunes(rs []rune, w string) bool {
	n := utf8.RuneCountInString(w)
	if n > len(rs) {
		return false
	}
	return hasPrefixRunes(rs[len(rs)-n:], w)
}

func hasPrefixAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// absorbPenalties drops, in a sentence stating a penalty, the other
// actions on something that is not a named procedure: 责令其暂停执业 is part
// of the penalty, not a suspension of a procedure.
func absorbPenalties(as []medkg.Action) []medkg.Action {
	penalty := false
	for _, a := range as {
		penalty = penalty || a.Kind == medkg.ActionPenalty
	}
	if !penalty {
		return as
	}
	out := as[:0]
	for _, a := range as {
		if a.Kind == medkg.ActionPenalty || a.Kind == medkg.ActionWarning || a.Target != "" {
			out = append(out, a)
		}
	}
	return out
}

// dedupeActions keeps one action per (kind, actor, target, scope): the
// first statement, completed by later ones (a date), with a note when
// two statements give different dates.
func dedupeActions(as []medkg.Action, headings map[int]bool) []medkg.Action {
	// a heading restating an action the text states (卫生部叫停手术戒毒) is
	// no action of its own
	kept := as[:0]
	for _, a := range as {
		if headings[a.Sentence] {
			restated := false
			for _, b := range as {
				// the same thing, or the case a heading titles (1.查处“某店”…案)
				if !headings[b.Sentence] && (sameTarget(a, b) || (b.Kind == a.Kind && b.Sentence > a.Sentence && b.Sentence <= a.Sentence+3)) {
					restated = true
					break
				}
			}
			if restated {
				continue
			}
		}
		kept = append(kept, a)
	}
	as = kept
	type key struct{ kind, actor, target, scope string }
	index := map[key]int{}
	byTarget := map[key]int{} // first action per (kind, target id, scope), actor left empty
	out := []medkg.Action{}
	for _, a := range as {
		actor := a.Actor
		if actor == "" {
			actor = a.ActorText
		}
		target := a.Target
		if target == "" {
			target = a.TargetText
		}
		k := key{string(a.Kind), actor, target, a.Scope}
		i, seen := index[k]
		tk := key{string(a.Kind), "", target, a.Scope}
		if !seen && actor == "" && target != "" {
			// a restatement without an actor (自…之日起禁止X) of an
			// action stated before with one
			i, seen = byTarget[tk]
		}
		if !seen && actor != "" && target != "" {
			// the actor named after a statement without one: keep the
			// statement that names it
			if j, ok := byTarget[tk]; ok && out[j].Actor == "" && out[j].ActorText == "" {
				if a.EffectiveDate == "" {
					a.EffectiveDate, a.DateText, a.DateNote = out[j].EffectiveDate, out[j].DateText, out[j].DateNote
				}
				out[j] = a
				index[k] = j
				continue
			}
		}
		if !seen {
			index[k] = len(out)
			if _, ok := byTarget[tk]; !ok && target != "" {
				byTarget[tk] = len(out)
			}
			out = append(out, a)
			continue
		}
		cur := &out[i]
		switch {
		case cur.EffectiveDate == "" && a.EffectiveDate != "":
			cur.EffectiveDate, cur.DateText, cur.DateNote = a.EffectiveDate, a.DateText, a.DateNote
		case cur.EffectiveDate != "" && a.EffectiveDate != "" && cur.EffectiveDate != a.EffectiveDate && !strings.Contains(cur.DateNote, a.EffectiveDate):
			note := "the text also gives " + a.DateText + " (" + a.EffectiveDate + ") for it"
			if cur.DateNote != "" {
				note = cur.DateNote + "; " + note
			}
			cur.DateNote = note
		}
		for _, c := range a.Conditions {
			if !containsString(cur.Conditions, c) {
				cur.Conditions = append(cur.Conditions, c)
			}
		}
	}
	// a body's ban and suspension of one thing in one text are one action,
	// of the kind first stated (暂不允许… then 叫停…的第三天)
	final := out[:0]
	for _, a := range out {
		dup := false
		for _, b := range final {
			if (a.Kind == medkg.ActionBan || a.Kind == medkg.ActionSuspension) && (b.Kind == medkg.ActionBan || b.Kind == medkg.ActionSuspension) &&
				a.Kind != b.Kind && a.Actor != "" && a.Actor == b.Actor && sameTarget(a, b) {
				dup = true
				break
			}
		}
		if !dup {
			final = append(final, a)
		}
	}
	out = final
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
