package extract

import (
	"crypto/sha1"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// patternSet holds the entities a document names that the vocabulary does
// not list: local authorities and regulation titles, keyed by canonical
// name so that repeated mentions share one entity.
type patternSet map[string]*entity

func newPatternSet() patternSet { return patternSet{} }

func (p patternSet) get(typ medkg.EntityType, name, surface string) *entity {
	key := string(typ) + "\x00" + name
	if e, ok := p[key]; ok {
		if surface != name && !containsString(e.Aliases, surface) {
			e.Aliases = append(e.Aliases, surface)
		}
		return e
	}
	sum := sha1.Sum([]byte(name))
	e := &entity{Entity: medkg.Entity{
		ID: string(typ) + ":x_" + hex.EncodeToString(sum[:5]), Type: typ, Name: name, Pattern: true,
	}}
	if surface != name {
		e.Aliases = []string{surface}
	}
	p[key] = e
	return e
}

// derive returns the pattern entity for a name built from known parts,
// marked derived with the parts' ids.
func (p patternSet) derive(typ medkg.EntityType, name, surface string, parts ...*entity) *entity {
	e := p.get(typ, name, surface)
	e.Derived = true
	for _, part := range parts {
		if part != nil && part.ID != e.ID && !containsString(e.Parts, part.ID) {
			e.Parts = append(e.Parts, part.ID)
		}
	}
	return e
}

// findWords returns the byte spans of the words of ws in s, leftmost
// first and longest at each position, not overlapping — what a regexp
// alternation of literals finds, without its backtracking.
func findWords(s string, ws *wordIndex) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		j := strings.IndexAny(s[i:], ws.firsts)
		if j < 0 {
			break
		}
		i += j
		r, n := utf8.DecodeRuneInString(s[i:])
		best := 0
		for _, w := range ws.byFirst[r] {
			if strings.HasPrefix(s[i:], w) {
				best = len(w) // longest first
				break
			}
		}
		if best == 0 {
			i += n
			continue
		}
		out = append(out, [2]int{i, i + best})
		i += best
	}
	return out
}

// wordIndex holds a word list by first rune, longest first.
type wordIndex struct {
	byFirst map[rune][]string
	firsts  string // the first runes, for strings.IndexAny
}

func newWordIndex(words []string) *wordIndex {
	ix := &wordIndex{byFirst: map[rune][]string{}}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		ix.byFirst[r] = append(ix.byFirst[r], w)
	}
	for r, l := range ix.byFirst {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
		ix.firsts += string(r)
	}
	return ix
}

// authorityHeads indexes the lexicon's authority_head list.
var authorityHeads = sync.OnceValue(func() *wordIndex { return newWordIndex(lexicon("authority_head")) })

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

var (
	// bracketTitle is a 《…》 title; it names a regulation when it ends in
	// one of regulationHeads.
	bracketTitle    = regexp.MustCompile(`《([^《》\n]{2,80})》`)
	regulationHeads = regexp.MustCompile(`(法|条例|办法|规定|通知|指南|规范|细则|意见|决定|目录|标准|共识|准则|规则|公告|通告|方案|批复|实施方案|指导原则)$`)
	// aboutTitle is an unbracketed notice title: 关于禁止X的通知.
	aboutTitle = regexp.MustCompile(`关于[^。！？!?\n《》，,；;]{2,60}?的(通知|意见|规定|决定|公告|通告|批复|指导意见|函)`)
	adminPlace = regexp.MustCompile(`(省|市|区|县|州|盟|旗|自治区|特别行政区)$`)
)

// mergePatterns adds mentions of local authorities and regulation titles.
// A title that is itself a vocabulary name keeps the vocabulary entity.
func (x *Extractor) mergePatterns(ms []*mention, ps patternSet, str string, text []rune, sents []medkg.Sentence) []*mention {
	runeAt := &runeCounter{s: str}
	for _, loc := range bracketTitle.FindAllStringSubmatchIndex(str, -1) {
		inner := str[loc[2]:loc[3]]
		start, end := runeAt.at(loc[2]), runeAt.at(loc[3])
		if t := x.terms.has(inner); t != nil && t.entity.Type == medkg.Regulation {
			continue // already found by the term scan
		}
		if !regulationHeads.MatchString(inner) || utf8.RuneCountInString(inner) < 3 {
			continue // 《通知》 alone refers back: see resolveDemonstratives
		}
		ent := ps.get(medkg.Regulation, inner, inner)
		// 《国家卫生健康委办公厅关于…的通知》: the title names its issuer
		// before the title proper, which may be a vocabulary name.
		if n, t := x.terms.longest(foldString(inner), 0); t != nil && t.entity.Type == medkg.Agency {
			if rest := x.terms.has(string([]rune(inner)[n:])); rest != nil && rest.entity.Type == medkg.Regulation {
				ent = rest.entity
			}
		}
		ms = append(ms, &mention{ent: ent, start: start, end: end, container: true})
	}
	runeAt = &runeCounter{s: str}
	for _, loc := range aboutTitle.FindAllStringIndex(str, -1) {
		start, end := runeAt.at(loc[0]), runeAt.at(loc[1])
		if insideBrackets(text, start) {
			continue
		}
		title := str[loc[0]:loc[1]]
		if t := x.terms.has(title); t != nil {
			continue
		}
		ms = append(ms, &mention{ent: ps.get(medkg.Regulation, title, title), start: start, end: end, container: true})
	}

	// Local authorities: the head word plus the place name gse cuts before it.
	for _, s := range sents {
		sub := s.Text
		locs := findWords(sub, authorityHeads())
		if len(locs) == 0 {
			continue
		}
		subAt := &runeCounter{s: sub}
		for _, loc := range locs {
			hs, he := subAt.at(loc[0]), subAt.at(loc[1])
			// gse reads the place name in the few words before the head
			from := max(0, hs-placeWindow)
			toks := x.seg.cut(string(text[s.Start+from : s.Start+hs]))
			for i := range toks {
				toks[i].start += from
				toks[i].end += from
			}
			placeStart := placeBefore(toks, hs)
			if placeStart == hs {
				continue // no place name: the national body or a generic word
			}
			place := string([]rune(sub)[placeStart:hs])
			head := sub[loc[0]:loc[1]]
			full := head
			if f, ok := lexiconMap("authority_short")[head]; ok {
				full = f
			}
			surface := place + head
			am := &mention{ent: ps.get(medkg.Agency, place+full, surface), start: s.Start + placeStart, end: s.Start + he}
			agencyUnit(am, text, ps) // 温州市医学会 + 医学美容分会
			ms = append(ms, am)
		}
	}
	return ms
}

// placeWindow is how many characters before an authority's head its place
// name may take (浙江省衢州市龙游县 is nine).
const placeWindow = 16

// runeCounter converts increasing byte offsets of s into rune offsets,
// counting each rune once.
type runeCounter struct {
	s            string
	byteN, runeN int
}

func (c *runeCounter) at(b int) int {
	if b < c.byteN {
		c.byteN, c.runeN = 0, 0 // not increasing: count again from the start
	}
	c.runeN += utf8.RuneCountInString(c.s[c.byteN:b])
	c.byteN = b
	return c.runeN
}

// placeBefore returns where the place name ending at end starts (end if
// there is none), walking back over gse's words: 广东省/深圳市, 成都/市. A
// lone 市 or 区 needs a name before it; a name gse does not know comes out
// as single characters (武/侯/区) and is taken if they are not function
// words.
func placeBefore(toks []token, end int) int {
	k := len(toks) - 1
	for k >= 0 && toks[k].end > end {
		k--
	}
	start, named, suffix := end, false, false
	n := 0
	for ; k >= 0 && toks[k].end == start; k-- {
		switch tk := toks[k]; {
		case start == end && containsString(lexicon("generic_place"), tk.text):
			// 晋/城市, 鹿/城区: a common word that ends a name with its
			// last character
			suffix, start, n = true, tk.start, 1
			k--
		case isPlace(tk):
			named, start = true, tk.start
			continue
		case start == end && runeLen(tk.text) == 1 && strings.Contains("省市区县州旗盟", tk.text):
			suffix, start = true, tk.start
			continue
		}
		break
	}
	if named {
		return start
	}
	if !suffix {
		return end
	}
	for ; k >= 0 && toks[k].end == start && n < 3 && nameChar(toks[k]); k-- {
		start = toks[k].start
		n++
	}
	if n < 2 {
		return end
	}
	// …and the province before it: 湖南省/衡/阳/市
	for ; k >= 0 && toks[k].end == start && isPlace(toks[k]); k-- {
		start = toks[k].start
	}
	return start
}

// nameChar reports whether a one-character gse word can be part of an
// unknown place name: a Chinese character that is not a function word.
func nameChar(t token) bool {
	rs := []rune(t.text)
	if len(rs) != 1 || !isHan(rs[0]) {
		return false
	}
	switch t.pos {
	case "p", "r", "c", "u", "d", "m", "q", "v":
		return false
	}
	return true
}

// isPlace reports whether a gse word is a place name (省, 市 … or tagged ns).
func isPlace(t token) bool {
	if t.text == "国家" || t.text == "中国" || utf8.RuneCountInString(t.text) < 2 {
		return false
	}
	return t.pos == "ns" || adminPlace.MatchString(t.text)
}

func insideBrackets(text []rune, i int) bool {
	for j := i - 1; j >= 0 && i-j < 100; j-- {
		switch text[j] {
		case '《':
			return true
		case '》', '\n':
			return false
		}
	}
	return false
}

// connectors join coordinated names: 腓深、腓浅神经; 腓肠肌内、外侧头肌支.
func connector(r rune) bool {
	return r == '、' || r == '和' || r == '及' || r == '与' || r == '或'
}

// sharedHeads finds coordinated names that share a head or a prefix and
// so are written only once: 腓肠肌内、外侧头肌支 names 腓肠肌内侧头肌支 and
// 腓肠肌外侧头肌支. Each name gets a mention over its own part of the text.
func (x *Extractor) sharedHeads(text, keys []rune, found []*mention) []*mention {
	var out []*mention
	for c := 1; c < len(text)-1; c++ {
		if !connector(text[c]) {
			continue
		}
		lStart := c
		for lStart > 0 && c-lStart < 10 && isHan(text[lStart-1]) && !connector(text[lStart-1]) {
			lStart--
		}
		rEnd := c + 1
		for rEnd < len(text) && rEnd-c-1 < 12 && isHan(text[rEnd]) {
			rEnd++
		}
		if lStart == c || rEnd == c+1 {
			continue
		}
		m1, m2 := x.expandPair(keys[lStart:c], keys[c+1:rEnd], lStart, c)
		if m1 == nil {
			continue
		}
		out = append(out, m1, m2)
	}
	return out
}

// walk follows rs from n in the term trie; nil if no term continues so.
func walk(n *trieNode, rs []rune) *trieNode {
	for _, r := range rs {
		if n == nil {
			return nil
		}
		n = n.child(r)
	}
	return n
}

// siblings returns the two mentions of a coordinated phrase: both span the
// whole phrase as written (腓肠肌内、外侧头肌支), one per entity.
func siblings(e1, e2 *entity, start, end int) (*mention, *mention) {
	m1 := &mention{ent: e1, start: start, end: end}
	m2 := &mention{ent: e2, start: start, end: end, sibling: m1}
	m1.sibling = m2
	return m1, m2
}

// expandPair tries every split left = …p+a, right = b+s+… such that both
// p+a+s and p+b+s are terms of one type, preferring the longest. It walks
// the trie without building strings: this runs at every 、 and 和.
func (x *Extractor) expandPair(l, right []rune, lStart, conn int) (*mention, *mention) {
	root := &x.terms.root
	var best1, best2 *mention
	bestLen := 0
	for i := 0; i < len(l); i++ {
		nl := walk(root, l[i:]) // p+a
		if nl == nil {
			continue
		}
		// 梨状肌与坐骨神经: a left part that is a name of its own is not
		// sharing the right part's head.
		for bl := 1; bl <= 3 && bl < len(right) && nl.term == nil; bl++ {
			n1 := nl
			for sl := 1; bl+sl <= len(right); sl++ {
				if n1 = walk(n1, right[bl+sl-1:bl+sl]); n1 == nil {
					break
				}
				if n1.term == nil || len(l)-i+sl <= bestLen {
					continue
				}
				for al := 1; al <= 3 && al <= len(l)-i; al++ {
					p := l[i : len(l)-al]
					if len(p) == 0 && al < len(l)-i {
						continue
					}
					n2 := walk(walk(walk(root, p), right[:bl]), right[bl:bl+sl])
					if n2 == nil || n2.term == nil {
						continue
					}
					t1, t2 := n1.term, n2.term
					if t1.entity == t2.entity || t1.entity.Type != t2.entity.Type {
						continue
					}
					if len(p) == 0 && x.terms.has(string(right[:bl+sl])) == nil {
						continue
					}
					// 尺、桡骨 shares 骨; 压迫、外伤 shares nothing: with no
					// common prefix, a one-rune head is shared only by
					// parts of one length
					if len(p) == 0 && sl == 1 && al != bl {
						continue
					}
					best1, best2 = siblings(t1.entity, t2.entity, lStart+i, conn+1+bl+sl)
					bestLen = len(l) - i + sl
					break
				}
			}
		}
		// A shared prefix only: 臂丛外侧束和内侧束 (p+a, p+b with a, b alike).
		if nl.term != nil && bestLen == 0 {
			for al := 2; al <= 4 && al < len(l)-i && al <= len(right); al++ {
				p, b := l[i:len(l)-al], right[:al]
				n2 := walk(walk(root, p), b)
				if n2 == nil || n2.term == nil || n2.term.entity == nl.term.entity || n2.term.entity.Type != nl.term.entity.Type {
					continue
				}
				if l[len(l)-1] != b[len(b)-1] { // 外侧束/内侧束: same head character
					continue
				}
				// The first name is whole; the second (外侧头 in 腓肠肌内侧头和
				// 外侧头) is elliptical: it takes part in relations but is
				// not listed as a mention of its own.
				best1 = &mention{ent: nl.term.entity, start: lStart + i, end: conn}
				best2 = &mention{ent: n2.term.entity, start: conn + 1, end: conn + 1 + al, virtual: true}
				bestLen = len(l) - i
			}
		}
	}
	return best1, best2
}

// demonstrative is a determiner and the nouns it takes, naming the type
// an anaphor refers to (lexicon demonstrative_det_TYPE and
// demonstrative_noun_TYPE): 该手术 → the last procedure. A pronoun (它)
// takes no noun and refers to whatever was last named; 《 with a title
// noun (《通知》) is the short form of a title given before.
type demonstrative struct {
	dets, nouns []string
	typ         medkg.EntityType
}

// demonstrativeAt returns the end and type of a demonstrative phrase
// starting at i, or -1.
func demonstrativeAt(text []rune, i int) (int, medkg.EntityType) {
	k, _ := builtinKnowledge()
	if !k.detStarts[text[i]] {
		return -1, "" // most positions: no determiner starts here
	}
	// the longest phrase of any type: 这些神经损伤 is a condition, not
	// 这些神经 and a word
	end, typ := -1, medkg.EntityType("")
	for _, d := range k.demonstratives {
		for _, det := range d.dets {
			j := i + hasPrefixAt(text, i, det)
			if j == i {
				continue
			}
			best := -1
			for _, n := range d.nouns {
				if n == "" && (j >= len(text) || text[j] != '们') {
					best = max(best, j) // a pronoun on its own
				} else if k := hasPrefixAt(text, j, n); k > 0 && j+k > best {
					best = j + k
				}
			}
			if best > end {
				end, typ = best, d.typ
			}
		}
	}
	return end, typ
}

// hasPrefixAt returns the rune length of p if text[i:] starts with it, else 0.
func hasPrefixAt(text []rune, i int, p string) int {
	n := 0
	for _, r := range p {
		if i+n >= len(text) || text[i+n] != r {
			return 0
		}
		n++
	}
	return n
}

// antecedent returns what a demonstrative at pos refers to: the last
// fitting mention earlier in its sentence, else the topic of an earlier
// sentence (its first mention: 肩胛上神经是…。该神经…), else the last fitting
// mention.
func antecedent(ms []*mention, sents []medkg.Sentence, pos int, fits func(*mention) bool) *mention {
	cur := sort.Search(len(sents), func(i int) bool { return sents[i].End > pos })
	if cur == len(sents) || pos < sents[cur].Start {
		cur = -1
	}
	// only the sentences an antecedent may come from are read
	from := 0
	if cur >= 0 {
		from = sents[max(0, cur-lim().antecedentWindow)].Start
	} else if i := sort.Search(len(sents), func(i int) bool { return sents[i].Start > pos }); i > 0 {
		from = sents[max(0, i-1-lim().antecedentWindow)].Start
	}
	firstOf := map[int]*mention{}
	var last, sameSentence, topic *mention
	for _, m := range near(ms, from, pos) {
		if m.virtual || m.end > pos || !reported(m.ent.Type) {
			continue
		}
		if _, ok := firstOf[m.sentence]; !ok {
			firstOf[m.sentence] = m
		}
		if !fits(m) {
			continue
		}
		last = m
		if m.sentence == cur {
			sameSentence = m
		} else if firstOf[m.sentence] == m {
			topic = m
		}
	}
	switch {
	case sameSentence != nil:
		return sameSentence
	case topic != nil:
		return topic
	}
	return last
}

// formerLatter resolves 前者 and 后者 at start: of the last two entities of
// one type mentioned before (小腿神经离断瘦腿手术 … 瘦腿针 …：前者…，后者…),
// the first and the second.
func formerLatter(text []rune, start int, ms []*mention, sents []medkg.Sentence) *mention {
	var latter bool
	switch {
	case hasPrefixAt(text, start, "前者") > 0:
	case hasPrefixAt(text, start, "后者") > 0:
		latter = true
	default:
		return nil
	}
	var last, before *mention
	for _, m := range ms {
		if m.end > start || m.virtual {
			continue
		}
		if last == nil || m.start > last.start {
			last = m
		}
	}
	if last == nil {
		return nil
	}
	for _, m := range ms {
		if m.end <= last.start && !m.virtual && m.ent.Type == last.ent.Type && m.ent != last.ent {
			before = m
		}
	}
	if before == nil {
		return nil
	}
	ante := before
	if latter {
		ante = last
	}
	v := &mention{ent: ante.ent, start: start, end: start + 2, virtual: true}
	assignSentences([]*mention{v}, sents)
	if v.sentence < 0 || v.sentence-before.sentence > 1 {
		return nil
	}
	return v
}

// resolveDemonstratives returns a virtual mention for each demonstrative
// whose antecedent (the last mention of its type, within a few sentences)
// exists.
func resolveDemonstratives(text []rune, ms []*mention, sents []medkg.Sentence) []*mention {
	var out []*mention
	for start := 0; start < len(text); start++ {
		if v := formerLatter(text, start, ms, sents); v != nil {
			out = append(out, v)
			continue
		}
		end, typ := demonstrativeAt(text, start)
		if end < 0 {
			continue
		}
		// 这些神经损伤: a generic noun the vocabulary names is, after a
		// determiner, the anaphor's noun, not a name of its own
		var nouns []*mention
		for _, m := range near(ms, start, end) {
			if m.start < end && start < m.end {
				nouns = append(nouns, m)
			}
		}
		if len(nouns) > 0 && !genericNoun(nouns, start, end, typ) {
			continue
		}
		ante := antecedent(ms, sents, start, func(m *mention) bool {
			return (m.ent.Type == typ || typ == "") && !containsMention(nouns, m)
		})
		if ante == nil {
			continue
		}
		plural := hasPrefixAny(string(text[start:end]), lexicon("plural_det"))
		sorted := sortedByStart(ms)
		if plural && len(listEndingWith(text, sorted, ante))+len(listStartingWith(text, sorted, ante, start)) == 0 {
			// a plural refers to a list: the last one of its type before
			// it in the sentences an antecedent may come from
			if l := lastList(text, sorted, ante, start, typ, nouns); l != nil {
				ante = l
			}
		}
		v := &mention{ent: ante.ent, start: start, end: end, virtual: true}
		assignSentences([]*mention{v}, sents)
		if v.sentence < 0 || v.sentence-ante.sentence > lim().antecedentWindow {
			continue
		}
		out = append(out, v)
		for _, m := range nouns {
			m.ent, m.virtual = ante.ent, true // the noun stands for the antecedent
		}
		if plural {
			// 这些肌肉, 上述神经: the whole list the antecedent closes,
			// each member a mention over the same words (one group)
			for _, m := range append(listEndingWith(text, sorted, ante), listStartingWith(text, sorted, ante, start)...) {
				out = append(out, &mention{ent: m.ent, start: start, end: end, virtual: true, sentence: v.sentence})
			}
		}
		start = end - 1
	}
	return out
}

// genericNoun reports whether the mentions over the demonstrative phrase
// [start, end) are one name of its type ending the phrase: the phrase's
// noun (这些神经损伤).
func genericNoun(ms []*mention, start, end int, typ medkg.EntityType) bool {
	return len(ms) == 1 && ms[0].start > start && ms[0].end == end && ms[0].ent.Type == typ
}

// lastList returns the last member of the last list of two or more names
// of type typ that ends after ante and before limit, or nil.
func lastList(text []rune, ms []*mention, ante *mention, limit int, typ medkg.EntityType, skip []*mention) *mention {
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.virtual || m.end > limit || m.start < ante.start || m.ent.Type != typ || containsMention(skip, m) {
			continue
		}
		if len(listEndingWith(text, ms, m)) > 0 {
			return m
		}
	}
	return nil
}

// listStartingWith returns the members of the coordinated list that
// first opens, after it and before limit: the antecedent may be the first
// of a list (A或B有关。这些…).
func listStartingWith(text []rune, ms []*mention, first *mention, limit int) []*mention {
	var out []*mention
	cur := first
	for _, m := range ms {
		if m.virtual || m.start < cur.end || m.end > limit || m.ent.Type != first.ent.Type || m.ent == cur.ent {
			continue
		}
		gap := strings.Trim(stripGlosses(string(text[cur.end:m.start])), " ")
		if runeLen(gap) > 2 || strings.Trim(gap, "、，,和及与或以") != "" {
			break
		}
		out = append(out, m)
		cur = m
	}
	return out
}

// listEndingWith returns the members of the coordinated list that ends with
// last, before it: names of its type joined by connectors or commas only.
func listEndingWith(text []rune, ms []*mention, last *mention) []*mention {
	var out []*mention
	cur := last
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.virtual || m.end > cur.start || m.ent.Type != last.ent.Type || m.ent == cur.ent {
			continue
		}
		gap := strings.Trim(stripGlosses(string(text[m.end:cur.start])), " 等")
		if runeLen(gap) > 2 || strings.Trim(gap, "、，,和及与或以") != "" {
			break
		}
		out = append(out, m)
		cur = m
	}
	return out
}

// branchStarts reports whether a bare branch name may start at st: after
// a list or clause boundary, or after a pronoun's 的 (它的外侧束: the
// branch of the nerve the pronoun stands for).
func branchStarts(text []rune, from, st int) bool {
	if strings.ContainsRune(branchBoundary, text[st-1]) {
		return true
	}
	if text[st-1] != '的' {
		return false
	}
	for _, p := range lexicon("pronoun") {
		if n := runeLen(p); st-1-n >= from && string(text[st-1-n:st-1]) == p {
			return true
		}
	}
	return false
}

// ownerBefore reports whether a nerve's name and 的 stand right before st:
// 面神经的颞支 is the branch of the nerve that owns it.
func ownerBefore(nerves []*mention, text []rune, st int) bool {
	if text[st-1] != '的' {
		return false
	}
	for _, m := range nerves {
		if m.end == st-1 {
			return true
		}
	}
	return false
}

// branchBoundary may stand before a bare branch name in a list.
const branchBoundary = "、，,；;：:和及与或为出由有从自支（(\"“ ①②③④⑤⑥⑦⑧⑨⑩❶❷❸❹❺•·"

// bareBranches finds branch names written without their nerve, which an
// earlier mention in the sentence (or the three before) supplies: 面神经…分为颞支、颧支、颊支 names
// 面神经颞支, 面神经颧支, 面神经颊支.
func (x *Extractor) bareBranches(text []rune, ms []*mention, sents []medkg.Sentence, ps patternSet) []*mention {
	var out []*mention
	ms = sortedByStart(ms)
	for i, s := range sents {
		// the nerve may be named a few sentences before: a heading and
		// then one list item per branch
		from := sents[max(0, i-lim().branchWindow)].Start
		var nerves []*mention
		for _, m := range near(ms, from, s.End) {
			if m.start >= from && m.end <= s.End && m.ent.Type == medkg.Nerve {
				nerves = append(nerves, m)
			}
		}
		if len(nerves) == 0 {
			continue
		}
		for e := s.Start + 2; e <= s.End; e++ {
			if text[e-1] != '支' {
				continue
			}
			for n := 2; n <= 4 && e-n >= s.Start; n++ {
				st := e - n
				if b := x.dividedBranch(text, s, st, e, nerves, ms, ps); b != nil {
					out = append(out, b)
					break
				}
				if !allHan(text[st:e]) || containsString(lexicon("generic_branch"), string(text[st:e])) || strings.ContainsAny(string(text[st:e]), ordinals) || (st > s.Start && !branchStarts(text, s.Start, st) && !ownerBefore(nerves, text, st)) {
					continue
				}
				if covered(ms, st, e) {
					// a structure of the same name (下颌支, the ramus of the
					// mandible) reads as the branch where a nerve it
					// branches from is in context
					if h := homonym(ms, st, e); h != nil {
						if ent := x.branchOf(nerves, st, string(text[st:e])); ent != nil {
							h.ent = ent
							break
						}
					}
					continue
				}
				if ent := x.branchOf(nerves, st, string(text[st:e])); ent != nil {
					out = append(out, &mention{ent: ent, start: st, end: e})
					break
				}
			}
			out = append(out, x.countedBranches(text, s, e, nerves, ms, ps)...)
		}
		// a cord or trunk named alone (外侧束, 上干): the part of the
		// plexus named before
		for _, part := range x.k.list("bare_part") {
			n := runeLen(part)
			for st := s.Start; st+n <= s.End; st++ {
				if hasPrefixAt(text[:s.End], st, part) == 0 || covered(ms, st, st+n) || covered(out, st, st+n) ||
					(st > s.Start && !branchStarts(text, s.Start, st)) {
					continue
				}
				if ent := x.branchOf(nerves, st, part); ent != nil {
					out = append(out, &mention{ent: ent, start: st, end: st + n})
				}
			}
		}
	}
	return out
}

// subtypeLabels finds a disease's subtypes written by their label alone —
// 神经根型, 混合型, 继发性 — as the items of a list or the labels of list
// lines, under the condition named before them (the page's disease): 颈椎病
// 分为中央型、侧隐窝型 under 腰椎管狭窄症 names 中央型腰椎管狭窄症 and
// 侧隐窝型腰椎管狭窄症.
func (x *Extractor) subtypeLabels(text []rune, ms []*mention, sents []medkg.Sentence, ps patternSet) []*mention {
	var out []*mention
	ms = sortedByStart(ms)
	var disease *mention // the disease the labels stand under
	di := -1
	for i, s := range sents {
		here := near(ms, s.Start, s.End)
		labelled := false
		for e := s.Start + 3; e <= s.End; e++ {
			if r := text[e-1]; !x.k.runeSets["subtype_suffix"][r] && !x.k.prefixEnds[r] {
				continue // a label ends in a subtype suffix or as a condition_prefix does
			}
			st := x.subtypeLabelAt(text, s, e)
			if st < 0 || covered(out, st, e) || coveredBy(here, st, e, func(m *mention) bool { return m.start < st || m.end > e || m.ent.Type == medkg.Condition }) {
				continue
			}
			// the disease: named before the label in its sentence, else
			// the one the labels before stand under
			d := disease
			if i-di > lim().subtypeWindow {
				d = nil
			}
			for _, m := range here {
				if m.ent.Type == medkg.Condition && !m.container && m.end <= st {
					d = m
					break
				}
			}
			if d == nil {
				continue
			}
			label := string(text[st:e])
			name := label + d.ent.Name
			if strings.HasPrefix(d.ent.Name, label) {
				continue // the disease is itself a subtype
			}
			ent := x.known(name)
			if ent == nil || ent.Type != medkg.Condition {
				ent = ps.derive(medkg.Condition, name, label, d.ent)
			}
			out = append(out, &mention{ent: ent, start: st, end: e})
			disease, di, labelled = d, i, true
			// 侧隐窝型：这类狭窄… — the disease named again with a
			// determiner on the label's line is the subtype
			for _, m := range here {
				if m.start >= e && m.ent == d.ent && hasSuffixAny(string(text[max(s.Start, m.start-2):m.start]), x.k.list("subtype_det")) {
					m.ent = ent
				}
			}
		}
		// a sentence without labels that opens with a disease names the
		// disease the next labels stand under
		if !labelled {
			start := skipListMarker(text, s.Start, s.End, x.k)
			for _, m := range here {
				if m.ent.Type == medkg.Condition && !m.container && (m.start-start <= 2 || disease == nil) {
					disease, di = m, i
					break
				}
				if m.ent.Type != medkg.Condition || disease != nil {
					break
				}
			}
		}
	}
	return out
}

// coveredBy reports whether a mention of ms overlapping [start, end)
// satisfies blocks.
func coveredBy(ms []*mention, start, end int, blocks func(*mention) bool) bool {
	for _, m := range ms {
		if m.start < end && start < m.end && blocks(m) {
			return true
		}
	}
	return false
}

// subtypeLabelAt returns where a subtype label ending at e starts, or -1: a
// qualifier of the lexicon's condition_prefix (继发性), or two to five Han
// runes ending in a subtype_suffix (型), standing as a list item or a line's label — after
// the line start, a list marker or a list separator, and before a
// separator, a colon or a gloss.
func (x *Extractor) subtypeLabelAt(text []rune, s medkg.Sentence, e int) int {
	if e < s.End && !strings.ContainsRune("、，,；;：:（(和及或等。 ", text[e]) {
		return -1
	}
	st := -1
	if x.k.runeSets["subtype_suffix"][text[e-1]] {
		for n := 3; n <= 6 && e-n >= s.Start; n++ {
			if !allHan(text[e-n : e]) {
				break
			}
			if b := e - n; b == s.Start || b == skipListMarker(text, s.Start, s.End, x.k) || strings.ContainsRune("、，,；;：:（(为是有即如括和及或", text[b-1]) {
				st = b
				break
			}
		}
	} else {
		for _, p := range x.k.list("condition_prefix") {
			if n := runeLen(p); e-n >= s.Start && string(text[e-n:e]) == p {
				if b := e - n; b == skipListMarker(text, s.Start, s.End, x.k) && e < s.End && strings.ContainsRune("：:（(", text[e]) {
					st = b // only as a line's label: 继发性：
				}
				break
			}
		}
	}
	return st
}

// homonym returns the structure mention spanning exactly [start, end), if
// that is the only mention there.
func homonym(ms []*mention, start, end int) *mention {
	var h *mention
	for _, m := range near(ms, start-maxMention, end) {
		if m.start < end && start < m.end {
			if h != nil || m.start != start || m.end != end || m.ent.Type != medkg.Anatomy {
				return nil
			}
			h = m
		}
	}
	return h
}

// countedBranches reads an elliptical pair of branch names ending at e —
// 深浅两支, 深、浅两支 — as the two branches of the nerve named before
// (尺神经深支, 尺神经浅支), each mention spanning the whole phrase.
func (x *Extractor) countedBranches(text []rune, s medkg.Sentence, e int, nerves, ms []*mention, ps patternSet) []*mention {
	// …[c1]、?[c2][count]个?分?支
	k := e - 1
	if k > s.Start && text[k-1] == '分' {
		k--
	}
	if k > s.Start && (text[k-1] == '个' || text[k-1] == '条') {
		k--
	}
	j := k
	for j > s.Start && containsString(x.k.list("numeral"), string(text[j-1])) || j > s.Start && text[j-1] == '两' {
		j--
	}
	if j == k || j-2 < s.Start {
		return nil
	}
	c2 := j - 1
	c1 := c2 - 1
	if c1 > s.Start && strings.ContainsRune("、,，和及", text[c1]) {
		c1--
	}
	mods := x.k.list("branch_modifier")
	if c1 < s.Start || !containsString(mods, string(text[c1])) || !containsString(mods, string(text[c2])) || covered(ms, c1, e) {
		return nil
	}
	owner := x.divided(text, s, c1, nerves)
	if owner != nil {
		nerves = []*mention{owner} // the divided nerve's, not an earlier one's
	}
	b1 := x.branchOf(nerves, c1, string(text[c1])+"支")
	b2 := x.branchOf(nerves, c1, string(text[c2])+"支")
	if owner != nil {
		// 股外侧皮神经分成前后二支: branches the vocabulary lacks are built
		if b1 == nil {
			b1 = ps.derive(medkg.Nerve, owner.ent.Name+string(text[c1])+"支", string(text[c1])+"支", owner.ent)
		}
		if b2 == nil {
			b2 = ps.derive(medkg.Nerve, owner.ent.Name+string(text[c2])+"支", string(text[c2])+"支", owner.ent)
		}
	}
	if b1 == nil || b2 == nil || b1 == b2 {
		return nil
	}
	m1, m2 := siblings(b1, b2, c1, e)
	return []*mention{m1, m2}
}

// dividedBranch returns the mention of a positional branch (lexicon
// positional_branch: 前支, 外侧支, 中间支) written alone at [st, e) in a
// sentence that divides a nerve into branches (股外侧皮神经分为前支和后支):
// the vocabulary's branch of that nerve, else one built from its name.
// Elsewhere such words name no branch of their own (颈神经的前支).
func (x *Extractor) dividedBranch(text []rune, s medkg.Sentence, st, e int, nerves, ms []*mention, ps patternSet) *mention {
	b := string(text[st:e])
	if !containsString(x.k.list("positional_branch"), b) || covered(ms, st, e) || st > s.Start && !branchStarts(text, s.Start, st) {
		return nil
	}
	owner := x.divided(text, s, st, nerves)
	if owner == nil {
		return nil
	}
	ent := x.branchOf([]*mention{owner}, st, b)
	if ent == nil {
		ent = ps.derive(medkg.Nerve, owner.ent.Name+b, b, owner.ent)
	}
	return &mention{ent: ent, start: st, end: e}
}

// divided returns the nerve a division verb (lexicon division: 分为, 分成)
// before st in sentence s divides: the last nerve named before the verb in
// its clause, else the nerve that opens the statement (X由Y发出，在…分为
// 深、浅两支: X, not Y); nil when a named nerve
// stands between the verb and st (the items are named nerves).
func (x *Extractor) divided(text []rune, s medkg.Sentence, st int, nerves []*mention) *mention {
	verb := -1
	for _, w := range x.k.list("division") {
		if i := strings.LastIndex(string(text[s.Start:st]), w); i >= 0 {
			if at := s.Start + runeLen(string(text[s.Start:st])[:i]); at > verb {
				verb = at
			}
		}
	}
	if verb < 0 {
		return nil
	}
	cs := clauseStartAt(text, s.Start, verb)
	ss := s.Start // the statement: semicolons separate statements
	for j := verb - 1; j > s.Start; j-- {
		if text[j] == '；' || text[j] == ';' {
			ss = j + 1
			break
		}
	}
	var owner, first *mention
	for _, n := range nerves {
		if n.start >= verb && n.start < st {
			return nil
		}
		if n.start < ss || n.end > verb {
			continue
		}
		if first == nil {
			first = n
		}
		if n.start >= cs {
			owner = n
		}
	}
	if owner == nil && first != nil && first.start-skipListMarker(text, ss, s.End, x.k) <= 2 {
		owner = first
	}
	return owner
}

// branchOf returns the nerve entity "<nerve><branch>" for the nearest nerve
// mentioned before pos, trying its name and aliases.
func (x *Extractor) branchOf(nerves []*mention, pos int, branch string) *entity {
	for i := len(nerves) - 1; i >= 0; i-- {
		n := nerves[i]
		if n.end > pos {
			continue
		}
		for _, name := range append([]string{n.ent.Name}, n.ent.Aliases...) {
			if t := x.terms.has(name + branch); t != nil && t.entity.Type == medkg.Nerve {
				return t.entity
			}
			// a sibling part: after 臂丛后束, 内侧束 is 臂丛's
			for _, part := range x.k.list("bare_part") {
				if owner, ok := strings.CutSuffix(name, part); ok && owner != "" {
					if t := x.terms.has(owner + branch); t != nil && t.entity.Type == medkg.Nerve {
						return t.entity
					}
				}
			}
		}
	}
	return nil
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
	}
	return true
}

// covered reports whether a mention of ms (sorted by start) overlaps
// [start, end).
func covered(ms []*mention, start, end int) bool {
	for _, m := range near(ms, start-maxMention, end) {
		if m.start < end && start < m.end {
			return true
		}
	}
	return false
}

// maxMention bounds the length of a mention in runes (titles included), so
// that the mentions overlapping a span are found by binary search.
const maxMention = 256

// near returns the mentions of ms (sorted by start) that start in
// [from, to): a window found by binary search, so that per-position
// look-ups stay logarithmic on long documents.
func near(ms []*mention, from, to int) []*mention {
	lo := sort.Search(len(ms), func(i int) bool { return ms[i].start >= from })
	hi := sort.Search(len(ms), func(i int) bool { return ms[i].start >= to })
	if hi < lo {
		hi = lo
	}
	return ms[lo:hi]
}

// sortedByStart returns a copy of ms sorted by start offset.
func sortedByStart(ms []*mention) []*mention {
	out := append([]*mention(nil), ms...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}
