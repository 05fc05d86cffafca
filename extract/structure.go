package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// Document structure: real pages state most of their facts through
// headings, key–value lines and lists rather than full sentences. This
// stage finds
//   - the page's topic: the first entity of the title or first sentence;
//   - headings: short lines that name an entity (`2. 腕管综合征：`), which
//     become the topic of the lines under them;
//   - frames (rules/frames.tsv): a key such as 病因 or 适应症 followed by a
//     colon or an enumeration opener, whose items relate to the topic, on
//     the same line or in the list lines after it;
// and supplies the topic as the zero subject of clauses that open with a
// relation cue (`支配A、B`, `可导致A`, `继发于A`) under it.

// topicTypes are the types a page or a heading can be about.
var topicTypes = []medkg.EntityType{medkg.Procedure, medkg.Condition, medkg.Nerve, medkg.Muscle}

// topics returns, for every sentence, the entity it stands under: the
// nearest heading above it, else the page's topic; nil where there is none.
// heading[i] reports whether sentence i is itself a heading.
func topics(text []rune, sents []medkg.Sentence, bySentence [][]*mention, k *knowledge) (topic []*mention, heading []bool) {
	topic = make([]*mention, len(sents))
	heading = make([]bool, len(sents))
	// The page is about the entity its title names, or the one its first
	// sentence (past bylines and dates) opens with.
	var page *mention
	for i := 0; i < len(sents) && i < lim().pageTopicSentences && page == nil; i++ {
		m := firstOfTypes(bySentence[i], topicTypes)
		if m != nil && (i == 0 && isHeading(text, sents[i], bySentence[i], k) || m.start-skipListMarker(text, sents[i].Start, sents[i].End, k) <= 2) {
			page = m
		}
	}
	cur, style := page, ""
	for i, s := range sents {
		// A heading stands over a paragraph: a short line followed by
		// another short line is a table cell or list item, not a heading.
		next := i+1 < len(sents) && sents[i+1].End-sents[i+1].Start > lim().headingMax/2
		if next && isHeading(text, s, bySentence[i], k) {
			heading[i] = true
			if m := firstOfTypes(bySentence[i], topicTypes); m != nil {
				cur, style = m, numberStyle(text, s, k)
			}
		} else if next && style != "" && numberStyle(text, s, k) == style && ownLine(text, s) && s.End-s.Start <= lim().headingMax {
			// the next heading of the same numbering names no topic
			// (二、腕管综合征 … 三、能不能治好？): its section is the page's
			cur, style = page, ""
		}
		topic[i] = cur
	}
	return topic, heading
}

func firstOfTypes(ms []*mention, types []medkg.EntityType) *mention {
	for _, m := range ms {
		if !m.container && typeIn(m.ent.Type, types) {
			return m
		}
	}
	return nil
}

// ownLine reports whether sentence s is a line of its own.
func ownLine(text []rune, s medkg.Sentence) bool {
	return (s.Start == 0 || text[s.Start-1] == '\n') && (s.End >= len(text) || text[s.End] == '\n' || s.End+1 < len(text) && text[s.End+1] == '\n' || s.End+1 == len(text))
}

// isHeading reports whether sentence s is a line of its own, short, with
// no sentence-final punctuation inside it, that names an entity near its
// start (after a number or list marker): 二、腕管综合征, 2. 腕管综合征：
// 病因与症状, 腕管综合征:正中神经的困境.
func isHeading(text []rune, s medkg.Sentence, ms []*mention, k *knowledge) bool {
	if s.End-s.Start > lim().headingMax {
		return false
	}
	if !ownLine(text, s) {
		return false
	}
	last := text[s.End-1]
	if strings.ContainsRune("。；;，,、", last) || last == '.' && s.End-s.Start > 3 {
		return false // a sentence or a list item, not a heading
	}
	if isTableRow(text, s) {
		return false
	}
	m := firstOfTypes(ms, topicTypes)
	if m == nil {
		return false
	}
	for _, o := range ms {
		if o != m && o.ent != m.ent && o.ent.Type == m.ent.Type {
			return false // a list of names, not a heading
		}
	}
	prefix := skipListMarker(text, s.Start, s.End, k)
	return m.start-prefix <= 2
}

// skipListMarker returns the offset after a list marker or number at i:
// ①, ❶, •, 1., 2、, (3), （三）, 一、, 第一, and spaces.
func skipListMarker(text []rune, i, end int, k *knowledge) int {
	for i < end && text[i] == ' ' {
		i++
	}
	for _, mk := range k.list("list_marker") {
		if n := hasPrefixAt(text, i, mk); n > 0 && i+n <= end {
			i += n
			break
		}
	}
	j := i
	if j < end && (text[j] == '(' || text[j] == '（') {
		j++
	}
	k0 := j
	for j < end && (unicode.IsDigit(text[j]) || containsString(k.list("numeral"), string(text[j]))) {
		j++
	}
	if j > k0 && j < end && strings.ContainsRune(".．、)）:：,， ", text[j]) {
		i = j + 1
	}
	for i < end && text[i] == ' ' {
		i++
	}
	return i
}

// frameRelations applies the frames to every sentence: a key at the start
// of a clause (or after `X的`), followed by a colon or an enumeration
// opener, relates its items — the mentions after it on the line, or, when
// the line ends there, in the list lines that follow — to the topic.
func (x *Extractor) frameRelations(text []rune, sents []medkg.Sentence, bySentence [][]*mention, topic []*mention, heading []bool) []medkg.Relation {
	var out []medkg.Relation
	for i, s := range sents {
		// where a key may start: one pass over the sentence
		var cands []int
		for j := s.Start; j < s.End; j++ {
			if x.k.keyStarts[text[j]] {
				cands = append(cands, j)
			}
		}
		if len(cands) == 0 {
			continue
		}
		for _, f := range x.k.frames {
			keyEnd, local := x.frameKey(text, s, bySentence[i], f, cands)
			if keyEnd < 0 {
				continue
			}
			// the topic: X的key or X key; else the sentence's own subject
			// when it opens the sentence before the key (上颌神经…，主要
			// 分支包括A); else the heading's or the page's
			t := local
			if t == nil {
				t = x.sentenceSubject(text, s, bySentence[i], keyEnd)
			}
			if t == nil {
				t = topic[i]
			}
			if t == nil || (t.sentence == i && t.start >= keyEnd) {
				continue // no topic, or the topic is one of the items
			}
			items := itemsAfter(bySentence[i], keyEnd)
			itemSent := []int{}
			for range items {
				itemSent = append(itemSent, i)
			}
			// the first item numbered on the key's line (适应症：1.A。\n2.B。)
			// opens a list that goes on in the lines below
			numbered := len(items) > 0 && skipListMarker(text, keyEnd, s.End, x.k) > keyEnd
			if len(items) == 0 && (lineEndsAfter(text, s, keyEnd) || keyEnd == s.End) || numbered {
				// 病因： on a line of its own; the items are the list below
				// (list lines: a short line gives all its names — an item
				// and its gloss, 肘关节退行性变(骨关节炎、…) — a longer one
				// the names it opens with; a paragraph, a heading, the next
				// key or two lines without names end the list)
				empty, shape := 0, -1
				// items numbered as sub-headings ((一)股神经, then its
				// paragraph, then (二)闭孔神经): the paragraphs between
				// items of the first item's numbering are skipped
				style := ""
				for j := i + 1; j < len(sents) && j <= i+lim().listMax; j++ {
					n := sents[j].End - sents[j].Start
					if st := x.numberStyle(text, sents[j]); style != "" && st != style {
						if st != "" {
							break // a number of another level: a new section
						}
						continue
					}
					if heading[j] && style == "" && j == i+1 {
						if st := x.numberStyle(text, sents[j]); st != "" && n <= lim().headingMax {
							style = st
						}
					}
					if (heading[j] && style == "") || n > lim().listLineMax || x.startsFrame(text, sents[j], bySentence[j]) {
						break
					}
					lead := x.leadingGroup(text, sents[j], bySentence[j])
					// items keep one shape: label lines (颞支：…), table rows
					// (颞支 | …) or plain
					if row := isTableRow(text, sents[j]); len(lead) > 0 || row {
						sh := 0
						if row {
							sh = 2
						} else if labelColon(text, lead[len(lead)-1].end) {
							sh = 1
						}
						if shape >= 0 && sh != shape {
							break
						}
						shape = sh
					}
					if n <= lim().listLineMax/2 {
						lead = nil
						for _, m := range bySentence[j] {
							if !m.container && m.start < m.end {
								lead = append(lead, m)
							}
						}
					}
					lead = firstCell(text, sents[j], lead)
					if len(lead) == 0 {
						if empty++; empty == 2 {
							break
						}
						continue
					}
					empty = 0
					for _, m := range lead {
						items = append(items, m)
						itemSent = append(itemSent, j)
					}
				}
			}
			if listsTopic(items, t) {
				continue // the topic is one of the items: not its frame
			}
			for n, m := range items {
				if timeQualifier(text, m, sents[itemSent[n]].End) {
					continue
				}
				si := itemSent[n]
				if r, ok := x.frameRelation(f, t, m, text[min(keyEnd, m.start):m.start], si, sents[si]); ok {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// frameRelation is the relation frame f states between topic t and item
// m, negated when lead (the text from the key to the item) holds a strong
// negation; false when the types do not fit the predicate.
func (x *Extractor) frameRelation(f frame, t, m *mention, lead []rune, si int, s medkg.Sentence) (medkg.Relation, bool) {
	subj, obj := t, m
	if !f.topicSubj {
		subj, obj = m, t
	}
	if subj.ent == obj.ent || !f.pred.Allows(subj.ent.Type, obj.ent.Type) {
		return medkg.Relation{}, false
	}
	return medkg.Relation{Subject: subj.ent.ID, Predicate: f.pred, Object: obj.ent.ID,
		Negated: hasAny(string(lead), x.k.list("neg_strong")), Sentence: si, Evidence: s.Text}, true
}

// trailingFrames applies frames whose key follows its items: 存在A、B等
// 风险, 可出现A或B等并发症. The items are the mentions of the key's
// clause before 等; the topic is the sentence's first possible topic
// before them, else the topic the sentence stands under.
func (x *Extractor) trailingFrames(text []rune, sents []medkg.Sentence, bySentence [][]*mention, topic []*mention) []medkg.Relation {
	var out []medkg.Relation
	for i, s := range sents {
		// where a list before a key ends: at 等 (A、B等风险), or at a count
		// (A、B、C五大分支, A和B两支)
		var etc, keyAt []int
		for j := s.Start; j < s.End; j++ {
			if text[j] == '等' {
				// A、B等罕见并发症: a word of degree may stand before the key
				k := j + 1
				for _, w := range x.k.list("key_adjective") {
					if n := hasPrefixAt(text[:s.End], k, w); n > 0 {
						k += n
						if k < s.End && text[k] == '的' {
							k++
						}
						break
					}
				}
				etc, keyAt = append(etc, j), append(keyAt, k)
			} else if e := x.countEnd(text, j, s.End); e > j && (j == s.Start || !x.isCountRune(text[j-1])) {
				etc, keyAt = append(etc, j), append(keyAt, e)
			}
		}
		if len(etc) == 0 {
			continue
		}
		for _, f := range x.k.frames {
			for _, key := range f.keys {
				first, _ := utf8.DecodeRuneInString(key)
				for n, at := range etc {
					if keyAt[n] >= s.End || text[keyAt[n]] != first || hasPrefixAt(text[:s.End], keyAt[n], key) == 0 {
						continue
					}
					cs := clauseStartAt(text, s.Start, at)
					// the topic is looked for in the statement (up to a
					// semicolon) holding the key; an operation first, since
					// risks and complications are of operations
					ss := s.Start
					for j := cs - 1; j > s.Start; j-- {
						if text[j] == '；' || text[j] == ';' {
							ss = j + 1
							break
						}
					}
					items := listBefore(text, bySentence[i], at, x.k)
					if len(items) == 0 {
						continue
					}
					var t, anyTopic *mention
					for _, m := range bySentence[i] {
						switch {
						case m.container:
						case m.start >= ss && m.end <= items[0].start && typeIn(m.ent.Type, topicTypes):
							if t == nil && m.ent.Type == medkg.Procedure {
								t = m
							}
							if anyTopic == nil {
								anyTopic = m
							}
						}
					}
					if t == nil {
						t = anyTopic
					}
					if t == nil && topic[i] != nil && (f.pred != medkg.Causes || topic[i].ent.Type == medkg.Procedure) {
						// risks and complications stated apart are an
						// operation's
						t = topic[i]
					}
					if t == nil || listsTopic(items, t) {
						continue
					}
					// 手术后可发生A、B等并发症 under a condition: the
					// complications of its treatment, not of the condition
					if ic := clauseStartAt(text, s.Start, items[0].start); f.pred == medkg.Causes && t.ent.Type == medkg.Condition && hasAny(string(text[ic:items[0].start]), x.k.list("after_treatment")) {
						// …of the treatment named last, if any
						if t = lastOfType(bySentence, i, items[0].start, medkg.Procedure); t == nil {
							continue
						}
					}
					for _, m := range items {
						if r, ok := x.frameRelation(f, t, m, text[min(cs, m.start):m.start], i, s); ok {
							out = append(out, r)
						}
					}
				}
			}
		}
	}
	return out
}

// tableCellEnds reports whether a table cell ends at i: only spaces
// before a | (a row of a Markdown or pipe table).
func tableCellEnds(text []rune, i, end int) bool {
	for ; i < end && text[i] == ' '; i++ {
	}
	return i < end && (text[i] == '|' || text[i] == '｜')
}

// isTableRow reports whether sentence s is a line of a pipe table.
func isTableRow(text []rune, s medkg.Sentence) bool {
	return strings.ContainsAny(string(text[s.Start:s.End]), "|｜")
}

// firstCell keeps, on a table row, the mentions of its first cell: the
// row's item; the other cells describe it.
func firstCell(text []rune, s medkg.Sentence, ms []*mention) []*mention {
	bar := -1
	for j := s.Start; j < s.End; j++ {
		if text[j] == '|' || text[j] == '｜' {
			if j > s.Start && strings.TrimSpace(string(text[s.Start:j])) != "" {
				bar = j
				break
			}
		}
	}
	if bar < 0 {
		return ms
	}
	var out []*mention
	for _, m := range ms {
		if m.end <= bar {
			out = append(out, m)
		}
	}
	return out
}

// countEnd returns the end of a count that starts at j — numerals, then
// count words (五大, 4个, 两) — or j when none starts there.
func (x *Extractor) countEnd(text []rune, j, end int) int {
	i := j
	for i < end && x.isCountRune(text[i]) {
		i++
	}
	if i == j {
		return j
	}
	words := x.k.runeSets["count_word"]
	for i < end && words[text[i]] {
		i++
	}
	return i
}

// isCountRune reports whether r is part of a count: a numeral (not the
// ordinal 第) or an indefinite count (两, 几, 数: lexicon count_numeral).
func (x *Extractor) isCountRune(r rune) bool {
	return x.k.countRunes[r]
}

// frameKey finds a key of frame f at the start of a clause of s (within a
// few runes: 罕见诱因包括…) or right after `X的` where X is a mention (then
// X is the local topic), followed by a colon or an enumeration opener. It
// returns the offset after the key and its colon or opener, or -1.
func (x *Extractor) frameKey(text []rune, s medkg.Sentence, ms []*mention, f frame, cands []int) (int, *mention) {
	for _, key := range f.keys {
		first, _ := utf8.DecodeRuneInString(key)
		for _, at := range cands {
			if text[at] != first {
				continue
			}
			if hasPrefixAt(text[:s.End], at, key) == 0 {
				continue
			}
			if covered(ms, at, at+runeLen(key)) {
				continue // inside a name
			}
			end := at + runeLen(key)
			after := x.openerAfter(text, end, s.End)
			if after < 0 && (lineEndsAfter(text, s, end) || tableCellEnds(text, end, s.End)) {
				// "- 诱发因素" alone on its line, or a table's column
				// header (分支名称 | 分布 |): a list follows; a few
				// words may qualify the key (术后并发症, 损伤原因)
				if ls := skipListMarker(text, s.Start, s.End, x.k); at-ls <= 4 && !covered(ms, ls, at) && allHan(text[ls:at]) {
					after = s.End
				}
			}
			if after < 0 {
				continue
			}
			// X的key, X key, X的常见key: X is the topic of this frame
			head := at
			for _, w := range x.k.list("frame_modifier") {
				if n := runeLen(w); head-n >= s.Start && string(text[head-n:head]) == w {
					head -= n
					break
				}
			}
			if head > s.Start && (text[head-1] == '的' || text[head-1] == '【' || text[head-1] == '[') {
				head--
			} else if q := head - 3; q > s.Start {
				// X的较大分支有: a word of two or three characters that
				// qualifies the key after X的
				for k := head - 2; k >= q; k-- {
					if text[k-1] == '的' && allHan(text[k:head]) && !covered(ms, k, head) {
						head = k - 1
						break
					}
				}
			}
			for _, m := range ms {
				if m.end == head && typeIn(m.ent.Type, topicTypes) {
					return after, m
				}
			}
			cs := clauseStartAt(text, s.Start, at)
			cs = skipListMarker(text, cs, at, x.k)
			if (at-cs <= 4 || at-cs <= lim().leadMax+4 && text[at-1] == '的') && !covered(ms, cs, at) {
				// 罕见诱因包括…, 最有效的治疗方法是…: the key opens
				// its clause, after a few words that qualify it
				return after, nil
			}
			// X…分为三组分支：— the sentence's subject X is the topic
			if x.countedAfterOpener(text, cs, at) {
				if m := firstOfTypes(near(ms, s.Start, at), topicTypes); m != nil {
					return after, m
				}
			}
		}
	}
	return -1, nil
}

// openerAfter returns the offset after a colon or an enumeration opener
// (optionally after 的, 主要, 常见) at i, or -1.
func (x *Extractor) openerAfter(text []rune, i, end int) int {
	// 治疗手段众多，如…: a word on how many, then a comma
	filler := false
	for _, w := range x.k.list("frame_filler") {
		if n := hasPrefixAt(text[:end], i, w); n > 0 && i+n < end && (text[i+n] == '，' || text[i+n] == ',') {
			i, filler = i+n, true
			break
		}
	}
	if !filler {
		for _, w := range x.k.list("frame_modifier") {
			if n := hasPrefixAt(text, i, w); n > 0 {
				i += n
				break
			}
		}
	}
	if i < end && (text[i] == '：' || text[i] == ':') {
		return i + 1
	}
	// 适应症1.A 2.B: a list number right after the key opens its list
	if i < end && unicode.IsDigit(text[i]) && skipListMarker(text, i, end, x.k) > i {
		return i
	}
	// 【适应症】…: a key in brackets is a label like 适应症：
	if i < end && (text[i] == '】' || text[i] == ']') {
		if i+1 < end && (text[i+1] == '：' || text[i+1] == ':') {
			return i + 2
		}
		return i + 1
	}
	if i+1 < end && (text[i] == '，' || text[i] == ',') {
		i++ // X有四个分支，包括：
	}
	if i >= end && end < len(text) {
		return -1
	}
	best := -1
	for _, w := range append(x.k.list("frame_opener"), x.k.list("enumerate")...) {
		if n := hasPrefixAt(text, i, w); n > 0 && i+n > best {
			best = i + n
		}
	}
	if best > 0 && best < end && (text[best] == '：' || text[best] == ':') {
		best++
	}
	return best
}

// startsFrame reports whether a sentence opens with any frame key and a
// colon: the next key of a key–value list ends the items of the one before.
func (x *Extractor) startsFrame(text []rune, s medkg.Sentence, ms []*mention) bool {
	start := skipListMarker(text, s.Start, s.End, x.k)
	if start < s.End && (text[start] == '【' || text[start] == '[') {
		return true // 【禁忌症】…: a bracketed label, whatever its key
	}
	// X的禁忌征…: the key may follow its topic and 的 at the line's start
	head := string(text[start:min(s.End, start+lim().headingMax/2)])
	for _, w := range x.k.list("stop_key") {
		if hasPrefixAt(text, start, w) > 0 || strings.Contains(head, "的"+w) {
			return true // 禁忌症：… is a list of its own, of no relation
		}
	}
	for _, f := range x.k.frames {
		for _, key := range f.keys {
			if n := hasPrefixAt(text, start, key); n > 0 && start+n < s.End && (text[start+n] == '：' || text[start+n] == ':') {
				return true
			}
		}
	}
	return false
}

func itemsAfter(ms []*mention, from int) []*mention {
	var out []*mention
	for _, m := range ms {
		if m.start >= from && !m.container {
			out = append(out, m)
		}
	}
	return out
}

// lineEndsAfter reports whether only punctuation follows offset i in s.
func lineEndsAfter(text []rune, s medkg.Sentence, i int) bool {
	for j := i; j < s.End; j++ {
		if isHan(text[j]) || unicode.IsLetter(text[j]) || unicode.IsDigit(text[j]) {
			return false
		}
	}
	return true
}

// lastOfType returns the last mention of type typ before offset at in
// sentence i or the antecedent window of sentences before it, or nil.
func lastOfType(bySentence [][]*mention, i, at int, typ medkg.EntityType) *mention {
	for j := i; j >= 0 && j >= i-lim().antecedentWindow; j-- {
		ms := bySentence[j]
		for k := len(ms) - 1; k >= 0; k-- {
			if m := ms[k]; !m.container && m.ent.Type == typ && m.end <= at {
				return m
			}
		}
	}
	return nil
}

// clauseStartAt is the start of the clause holding i, within [from, i].
func clauseStartAt(text []rune, from, i int) int {
	for j := i - 1; j >= from; j-- {
		if clauseBreak(text[j]) {
			return j + 1
		}
	}
	return from
}

// zeroSubjects returns, for sentences whose first clause opens with a
// relation cue and names no argument before it (`支配A、B`, `可继发于A`,
// `可用于治疗A`), a virtual mention of the topic at the sentence start,
// so that the relation rules read the topic as the clause's subject.
func (x *Extractor) zeroSubjects(text []rune, sents []medkg.Sentence, bySentence [][]*mention, topic []*mention, heading []bool) []*mention {
	var out []*mention
	for i, s := range sents {
		t := topic[i]
		if t == nil || heading[i] || len(bySentence[i]) == 0 {
			continue
		}
		first := bySentence[i][0]
		start := skipListMarker(text, s.Start, s.End, x.k)
		if first.start < start {
			continue
		}
		if typeIn(first.ent.Type, topicTypes) && first.start == start && labelColon(text, first.end) {
			// "X：…" — the line is about X; its clauses without a
			// subject take X
			out = append(out, x.labelSubjects(text, s, i, first, bySentence[i])...)
			continue
		}
		if first.ent == t.ent {
			continue
		}
		// Every clause whose lead is a cue and before which the sentence
		// names no possible topic takes the topic: 多继发于A; 门诊即可完成，
		// 但易导致A.
		for cs := start; cs < s.End; {
			ce := cs
			for ce < s.End && !clauseBreak(text[ce]) {
				ce++
			}
			var m *mention
			named := false
			for _, o := range bySentence[i] {
				if o.start < cs && typeIn(o.ent.Type, topicTypes) {
					named = true
				}
				if m == nil && o.start >= cs && o.start < ce && !o.container {
					m = o
				}
			}
			if named {
				break
			}
			lead := ""
			if m != nil {
				lead = string(text[cs:m.start])
			} else if ce < s.End {
				// 主要分布于颈部的肌肉，如A、B: a clause that names no
				// argument, exemplified by the next, leads to its first name
				nc := skipListMarker(text, ce+1, s.End, x.k)
				for _, w := range x.k.list("enumerate") {
					if hasPrefixAt(text[:s.End], nc, w) == 0 || w == "有" || w == "即" {
						continue
					}
					for _, o := range bySentence[i] {
						if o.start > nc && !o.container && (m == nil || o.start < m.start) && o.start < clauseEndAt(text, nc, s.End) {
							m = o
						}
					}
					break
				}
				if m != nil {
					lead = string(text[cs:ce])
				}
			}
			// In a later clause a statement of cause or damage usually has a
			// subject of its own in the clause before (…等因素，会导致A).
			// 支配A和B的X: a cue that opens a relative clause has its
			// subject in the head noun after 的, not in the topic
			if m != nil && x.opensWithCue(lead, cs == start) && !x.relativeHead(text, bySentence[i], m, ce) {
				out = append(out, &mention{ent: t.ent, start: cs, end: cs, virtual: true, sentence: i})
			}
			cs = ce + 1
		}
	}
	return out
}

// relativeHead reports whether the names from m on (a coordinated group)
// are followed by 的 and a name of a possible topic's type before ce: the
// clause before 的 qualifies that name.
func (x *Extractor) relativeHead(text []rune, ms []*mention, m *mention, ce int) bool {
	end := m.end
	for _, o := range ms {
		if o.start < end || o.start >= ce || o.container {
			continue
		}
		between := strings.TrimSpace(stripGlosses(string(text[end:o.start])))
		if between == "的" {
			return typeIn(o.ent.Type, topicTypes)
		}
		if o.ent.Type != m.ent.Type || !containsString(x.k.list("connector"), between) {
			return false
		}
		end = o.end
	}
	return false
}

// opensWithCue reports whether lead — the text between a clause's start
// and its first mention — is a relation cue, possibly after a few adverbs
// and modal words (可, 常, 主要, 多, 也, 还, 则): 可导致, 主要支配, 多继发于.
func (x *Extractor) opensWithCue(lead string, causes bool) bool {
	// a circumstance may come first (必要时行A, 严重者需进行A, 对药物治疗
	// 无效者可采用A): the cue opens what follows it (lexicon
	// circumstance_end; threshold circumstance_max)
	for _, w := range x.k.list("circumstance_end") {
		if i := strings.LastIndex(lead, w); i > 0 && runeLen(lead[:i]) <= lim().circumstanceMax {
			// after it a one-rune cue may stand alone (必要时行A)
			if rest := lead[i+len(w):]; x.opensWithCue(rest, causes) || runeLen(rest) == 1 && x.opensWithCue("可"+rest, causes) {
				return true
			}
		}
	}
	rs := []rune(lead)
	if len(rs) > lim().leadMax+6 {
		return false
	}
	// a one-rune cue only as the whole lead after adverbs (需行, 可行)
	if len(rs) >= 2 && len(rs) <= 4 && allIn(rs[:len(rs)-1], x.k.list("adverb")) {
		for _, r := range x.k.rules {
			if (causes || r.pred != medkg.Causes && r.pred != medkg.Affects) && containsString(r.between, string(rs[len(rs)-1])) {
				return true
			}
		}
	}
	// a marker that opens a rule's second argument (X：由A引起, X：多由A
	// 压迫所致): the lead is the marker after adverbs
	if len(rs) >= 1 && len(rs) <= 3 {
		for _, mc := range x.k.midCues {
			if !causes && (mc.pred == medkg.Causes || mc.pred == medkg.Affects) {
				continue
			}
			if rest, ok := strings.CutSuffix(lead, mc.word); ok && allIn([]rune(rest), x.k.list("adverb")) {
				return true
			}
		}
	}
	for _, lc := range x.k.leadCues {
		if !causes && (lc.pred == medkg.Causes || lc.pred == medkg.Affects) {
			continue
		}
		// the cue opens the lead after adverbs (可导致, 主要支配), or ends
		// a short lead (约10%病例继发于)
		i := strings.Index(lead, lc.word)
		if i < 0 {
			continue
		}
		before := []rune(lead[:i])
		if len(before) <= lim().leadMax && (len(before) <= 3 && allIn(before, x.k.list("adverb")) || len(rs)-len(before)-runeLen(lc.word) <= 2) {
			return true
		}
	}
	return false
}

// allIn reports whether rs is a run of words of the list (可, 也可, 直接).
func allIn(rs []rune, words []string) bool {
	if len(rs) == 0 {
		return true
	}
	for _, w := range words {
		if n := runeLen(w); n <= len(rs) && string(rs[:n]) == w && allIn(rs[n:], words) {
			return true
		}
	}
	return false
}

// labelColon reports whether a colon follows offset i: "下颌神经：…".
func labelColon(text []rune, i int) bool {
	i = skipGlossAt(text, i) // 继发性（三叉神经损伤型）：
	return i < len(text) && (text[i] == '：' || text[i] == ':')
}

// skipGlossAt returns the offset after a parenthesised gloss that opens at
// i, or i when none does.
func skipGlossAt(text []rune, i int) int {
	if i >= len(text) || (text[i] != '(' && text[i] != '（') {
		return i
	}
	for j := i + 1; j < len(text) && j-i <= glossMax; j++ {
		switch text[j] {
		case ')', '）':
			return j + 1
		case '(', '（', '。', '\n':
			return i
		}
	}
	return i
}

// labelSubjects returns, for a line that opens with "X：", a virtual
// mention of X at the start of each later clause of the line that opens
// with a relation cue and names no argument before it: 下颌神经：经卵圆孔
// 出颅，支配A、B.
func (x *Extractor) labelSubjects(text []rune, s medkg.Sentence, si int, label *mention, ms []*mention) []*mention {
	var out []*mention
	for cs := label.end + 1; cs < s.End; {
		ce := cs
		for ce < s.End && !clauseBreak(text[ce]) {
			ce++
		}
		var first *mention
		for _, m := range ms {
			if m.start >= cs && m.start < ce {
				first = m
				break
			}
		}
		if first != nil && x.opensWithCue(string(text[cs:first.start]), true) {
			out = append(out, &mention{ent: label.ent, start: cs, end: cs, virtual: true, sentence: si})
		}
		cs = ce + 1
	}
	return out
}

func listsTopic(items []*mention, t *mention) bool {
	for _, m := range items {
		if m.ent == t.ent {
			return true
		}
	}
	return false
}

// listBefore returns the coordinated list of names that ends right before
// offset at (A、B和C等…): the last name there and the names before it of
// the same type joined to it by connectors.
func listBefore(text []rune, ms []*mention, at int, k *knowledge) []*mention {
	var out []*mention
	end := at
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.container || m.start == m.end || m.end > end {
			continue
		}
		between := strings.Trim(stripGlosses(string(text[m.end:end])), " ")
		if len(out) == 0 && between != "" {
			// A、听力下降等: items the vocabulary does not name may close
			// the list; the named ones before them are still its items
			if !unnamedItems(between, k) {
				break
			}
		} else if len(out) > 0 && (m.ent.Type != out[0].ent.Type || !containsString(k.list("connector"), between)) {
			break
		}
		out = append([]*mention{m}, out...)
		end = m.start
	}
	return out
}

// unnamedItems reports whether s (the text after a list's last name) is
// one or two further items the vocabulary does not name: each after a 、
// or a connector, short, and holding no relation cue.
func unnamedItems(s string, k *knowledge) bool {
	n := 0
	for s != "" {
		cut := false
		for _, c := range append([]string{"、"}, k.list("connector")...) {
			if rest, ok := strings.CutPrefix(s, c); ok {
				s, cut = rest, true
				break
			}
		}
		if !cut {
			return false
		}
		item := s
		if i := strings.IndexAny(s, "、和及或与"); i > 0 {
			item, s = s[:i], s[i:]
		} else {
			s = ""
		}
		if item == "" || runeLen(item) > unnamedMax || !allHan([]rune(item)) || containsAny(item, k.longCues) {
			return false
		}
		if n++; n > 2 {
			return false
		}
	}
	return n > 0
}

// unnamedMax bounds the length of a list item the vocabulary does not name.
const unnamedMax = 6

// leadingGroup returns the names that open sentence s (after a list
// marker or number): the first, and those joined to it by connectors.
func (x *Extractor) leadingGroup(text []rune, s medkg.Sentence, ms []*mention) []*mention {
	start := skipListMarker(text, s.Start, s.End, x.k)
	var out []*mention
	end := start
	for _, m := range ms {
		if m.container || m.start == m.end {
			continue
		}
		gap := strings.TrimSpace(stripGlosses(string(text[end:m.start])))
		if len(out) == 0 && m.start-start > 1 || len(out) > 0 && (m.ent.Type != out[0].ent.Type || !containsString(x.k.list("connector"), gap)) {
			break
		}
		out = append(out, m)
		end = m.end
	}
	return out
}

// countedAfterOpener reports whether the text before a key at `at`
// (within its clause from cs) ends with an enumeration opener and a count:
// 分成五大(分支), 分为两(组).
func (x *Extractor) countedAfterOpener(text []rune, cs, at int) bool {
	j := at
	for j > cs && (containsString(x.k.list("numeral"), string(text[j-1])) || containsString(x.k.list("count_word"), string(text[j-1]))) {
		j--
	}
	if j == at {
		return false
	}
	before := string(text[cs:j])
	for _, w := range x.k.list("enumerate") {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	// X发出的三支神经是…; X由两大分支构成：…
	return strings.HasSuffix(before, "的") || strings.HasSuffix(before, "由")
}

// sentenceSubject returns the entity that opens sentence s (after a list
// marker) when it stands before offset before, or nil.
func (x *Extractor) sentenceSubject(text []rune, s medkg.Sentence, ms []*mention, before int) *mention {
	start := skipListMarker(text, s.Start, s.End, x.k)
	for _, m := range ms {
		if m.container || m.start == m.end {
			continue
		}
		if m.start-start <= 1 && m.end <= before && typeIn(m.ent.Type, topicTypes) {
			return m
		}
		break
	}
	return nil
}

// caseCounts reads a case series: an operation followed by a count of
// cases (采用A治疗25例，B 8例; 行A者5例) was used on the condition the
// sentence names before it, else on the page's condition — it treats it.
func (x *Extractor) caseCounts(text []rune, sents []medkg.Sentence, bySentence [][]*mention, topic []*mention) []medkg.Relation {
	var out []medkg.Relation
	for i, s := range sents {
		for _, m := range bySentence[i] {
			if m.ent.Type != medkg.Procedure || m.container || m.start == m.end || !x.countsCases(text, m.end, s.End) {
				continue
			}
			var cond *mention
			for _, c := range bySentence[i] {
				if c.ent.Type == medkg.Condition && !c.container && c.end <= m.start {
					cond = c // the nearest before
				}
			}
			if t := topic[i]; t != nil && t.ent.Type == medkg.Condition &&
				(cond == nil || strings.HasSuffix(t.ent.Name, cond.ent.Name)) {
				// the page's disease, also where the sentence names it
				// shortly (神经损伤 for 周围神经损伤)
				cond = t
			}
			if cond == nil {
				continue
			}
			out = append(out, medkg.Relation{Subject: m.ent.ID, Predicate: medkg.Treats, Object: cond.ent.ID, Sentence: i, Evidence: s.Text})
		}
	}
	return out
}

// countsCases reports whether a count of cases follows offset i: an
// optional treatment word (lexicon case_lead: 治疗, 者), a number, and a
// case word (lexicon case_word: 例).
func (x *Extractor) countsCases(text []rune, i, end int) bool {
	for _, w := range x.k.list("case_lead") {
		if n := hasPrefixAt(text[:end], i, w); n > 0 {
			i += n
			break
		}
	}
	for i < end && text[i] == ' ' {
		i++
	}
	j := i
	for j < end && (isDigit(text[j]) || x.k.runeSets["numeral"][text[j]] && text[j] != '第') {
		j++
	}
	if j == i {
		return false
	}
	for _, w := range x.k.list("case_word") {
		if hasPrefixAt(text[:end], j, w) > 0 {
			return true
		}
	}
	return false
}

// numberStyle is the shape of the list number a line opens with — (一),
// 1., ① … with the numeral replaced by N — or "" when it opens with none.
func (x *Extractor) numberStyle(text []rune, s medkg.Sentence) string {
	return numberStyle(text, s, x.k)
}

func numberStyle(text []rune, s medkg.Sentence, k *knowledge) string {
	i := s.Start
	for i < s.End && text[i] == ' ' {
		i++
	}
	end := skipListMarker(text, i, s.End, k)
	if end <= i {
		return ""
	}
	var b strings.Builder
	for _, r := range text[i:end] {
		switch {
		case r == ' ':
		case unicode.IsDigit(r) || containsString(k.list("numeral"), string(r)):
			if !strings.HasSuffix(b.String(), "N") {
				b.WriteString("N")
			}
		case r >= '①' && r <= '⑩' || r >= '❶' && r <= '❿':
			b.WriteString("①")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clauseEndAt is the end of the clause that starts at i, before end.
func clauseEndAt(text []rune, i, end int) int {
	for i < end && !clauseBreak(text[i]) {
		i++
	}
	return i
}

// copulaFrames applies frames whose key is said of the names before a
// copula, with the topic left unsaid: 腕管松解术是常用的治疗方法之一 under
// a page about 腕管综合征 states that the operation treats it. Only a key
// right after the copula and a few qualifying words (lexicon
// copula_qualifier), with nothing of the topic's type named after it in its
// clause, and names right before the copula (past an adverb: 也是).
func (x *Extractor) copulaFrames(text []rune, sents []medkg.Sentence, bySentence [][]*mention, topic []*mention) []medkg.Relation {
	var out []medkg.Relation
	for i, s := range sents {
		t := topic[i]
		if t == nil || len(bySentence[i]) == 0 {
			continue
		}
		for j := s.Start; j < s.End; j++ {
			n := 0
			for _, c := range x.k.list("copula") {
				if n = hasPrefixAt(text[:s.End], j, c); n > 0 {
					break
				}
			}
			if n == 0 {
				continue
			}
			k := j + n
			for moved := true; moved; {
				moved = false
				for _, w := range x.k.list("copula_qualifier") {
					if m := hasPrefixAt(text[:s.End], k, w); m > 0 {
						k, moved = k+m, true
						break
					}
				}
			}
			for _, f := range x.k.frames {
				if f.pred != medkg.Treats && f.pred != medkg.Causes {
					continue
				}
				key := ""
				for _, kw := range f.keys {
					if hasPrefixAt(text[:s.End], k, kw) > 0 && runeLen(kw) > runeLen(key) {
						key = kw
					}
				}
				if key == "" {
					continue
				}
				ce := clauseEndAt(text, k, s.End)
				named := false
				for _, m := range bySentence[i] {
					if !m.container && m.start >= k && m.start < ce && m.ent.Type == t.ent.Type {
						named = true
					}
				}
				if named {
					continue
				}
				// the names right before the copula, past an adverb
				at := j
				for at > s.Start && containsString(x.k.list("adverb"), string(text[at-1])) {
					at--
				}
				items := listBefore(text, bySentence[i], at, x.k)
				if len(items) == 0 || items[len(items)-1].end != at || listsTopic(items, t) {
					continue
				}
				for _, m := range items {
					if r, ok := x.frameRelation(f, t, m, nil, i, s); ok {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

// timeQualifier reports whether item m only dates the item it stands in:
// 骨折、手术后的疼痛 is pain after a fracture or surgery, so 骨折 is no
// item of the list. The words after m, up to the next name or clause break,
// hold 后的.
func timeQualifier(text []rune, m *mention, end int) bool {
	j := m.end
	for j < end && j-m.end <= 8 && !clauseBreak(text[j]) && text[j] != '。' {
		if text[j] == '后' && j+1 < end && text[j+1] == '的' {
			return true
		}
		j++
	}
	return false
}
