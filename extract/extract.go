// Package extract turns articles into medkg documents: it reads Markdown,
// HTML and plain text (including PDF-extracted text), normalises it, finds
// the vocabulary's entities in it with gse and a longest-match scan, and
// extracts typed relations from cue words, with negation, hedging and the
// evidence sentence.
//
// It never imports the graph store or the CLI: it returns domain values.
package extract

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/vocab"
)

// Extractor finds entities and relations in articles. It is safe for
// concurrent use once built.
type Extractor struct {
	vocab *vocab.Vocabulary
	terms *trie
	seg   *segmenter
	k     *knowledge
	ar    *actionRules // regulatory actions (actions.go)

	sources *sourceRules // source kinds (sourcekind.go)
	version string       // ExtractorVersion (version.go)
}

// New builds an extractor for the vocabulary: a term index over every
// name, alias and derived variant, and a gse segmenter that knows them.
func New(v *vocab.Vocabulary) (*Extractor, error) {
	k, err := builtinKnowledge()
	if err != nil {
		return nil, err
	}
	ar, err := builtinActionRules()
	if err != nil {
		return nil, err
	}
	x := &Extractor{vocab: v, terms: buildTrie(v), k: k, ar: ar}
	if err := x.initProvenance(); err != nil {
		return nil, err
	}
	seg, err := newSegmenter(x.terms.texts(), k.allCues())
	if err != nil {
		return nil, err
	}
	x.seg = seg
	return x, nil
}

// mention is an occurrence of an entity in the text.
type mention struct {
	ent        *entity
	start, end int      // rune offsets into the document text
	container  bool     // a title that may hold other mentions (regulations)
	virtual    bool     // a resolved demonstrative (该手术): used for relations, not listed
	sibling    *mention // the other name of a coordinated phrase over the same span
	implied    []implied
	sentence   int
}

// implied is a relation a name states about its own parts: 副神经离断瘦肩术
// cuts 副神经.
type implied struct {
	pred   medkg.Predicate
	object *entity
}

// entity is a vocabulary entry or an entity recognised by pattern.
type entity struct {
	medkg.Entity
}

// Extract finds the entities and relations of an article.
func (x *Extractor) Extract(ctx context.Context, a *Article) (*medkg.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	text := []rune(a.Text)
	keys := foldKeys(text)
	sents := splitSentences(text)
	patterns := newPatternSet()

	ms := chainProcedures(x.findTerms(text, keys, patterns), text, patterns)
	ms = x.mergePatterns(ms, patterns, a.Text, text, sents)
	ms = append(ms, x.sharedHeads(text, keys, ms)...)
	ms = append(ms, x.bareBranches(text, ms, sents, patterns)...)
	ms = append(ms, x.subtypeLabels(text, ms, sents, patterns)...)
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].start != ms[j].start {
			return ms[i].start < ms[j].start
		}
		return ms[i].end > ms[j].end
	})
	ms = dropLikenesses(dropGlossClashes(dropNested(ms), text), text)
	ms = definedAbbreviations(ms, a.Text, text)
	releaseCues(ms, text)
	assignSentences(ms, sents)
	ms = append(ms, resolveDemonstratives(text, ms, sents)...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })

	doc := &medkg.Document{
		Source: a.Source, Title: a.Title, Date: a.Date, URL: a.URL, Author: a.Author, Hash: a.Hash,
		Text: a.Text, Sentences: sents, Entities: []medkg.DocEntity{}, Relations: []medkg.Relation{},
	}
	doc.SourceKind, doc.SourceFlags = x.sources.kindOf(a)
	doc.Extractor = x.version
	doc.Entities = docEntities(ms, text)
	doc.Actions = x.actions(text, sents, ms, a.Date)

	bySentence := make([][]*mention, len(sents))
	for _, m := range ms {
		if m.sentence >= 0 {
			bySentence[m.sentence] = append(bySentence[m.sentence], m)
		}
	}
	topic, heading := topics(text, sents, bySentence, x.k)
	for i, s := range sents {
		// 关键词：A；B；C — a list of index terms states nothing of them
		if start := skipListMarker(text, s.Start, s.End, x.k); hasPrefixAny(strings.ToLower(string(text[start:min(s.End, start+12)])), x.k.list("keyword_label")) {
			bySentence[i] = nil
		}
	}
	for _, v := range x.zeroSubjects(text, sents, bySentence, topic, heading) {
		bySentence[v.sentence] = append(bySentence[v.sentence], v)
	}
	for _, b := range bySentence {
		sort.SliceStable(b, func(i, j int) bool { return b[i].start < b[j].start })
	}
	for i, s := range sents {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(bySentence[i]) < 2 {
			continue
		}
		doc.Relations = append(doc.Relations, x.relations(text, s, i, bySentence[i])...)
	}
	doc.Relations = append(doc.Relations, x.frameRelations(text, sents, bySentence, topic, heading)...)
	doc.Relations = append(doc.Relations, x.trailingFrames(text, sents, bySentence, topic)...)
	doc.Relations = append(doc.Relations, x.copulaFrames(text, sents, bySentence, topic)...)
	doc.Relations = append(doc.Relations, x.caseCounts(text, sents, bySentence, topic)...)
	doc.Relations = dropUnreported(dedupeRelations(doc.Relations))
	markClaims(doc.Relations, x.ar)
	x.branchPrecision(text, sents, ms, doc.Relations)
	doc.Relations = dedupeRelations(doc.Relations)
	return doc, nil
}

// ExtractText is a convenience for tests and callers holding plain text.
func (x *Extractor) ExtractText(ctx context.Context, source, text string) (*medkg.Document, error) {
	a, err := ReadArticle(source, []byte(text))
	if err != nil {
		return nil, err
	}
	return x.Extract(ctx, a)
}

// findTerms scans the folded text for vocabulary terms, leftmost-longest.
// A regulation title does not hide the terms inside it (关于禁止X的通知
// names the procedure X too), so the scan continues inside it.
func (x *Extractor) findTerms(text, keys []rune, ps patternSet) []*mention {
	var ms []*mention
	for i := 0; i < len(keys); {
		end, t := x.terms.longest(keys, i)
		if t == nil || !wordStart(keys, i) || !wordEnd(keys, end) {
			i++
			continue
		}
		// 颈椎病变: the term's last character starts another word (病变,
		// a lesion) and what comes before it is a structure: the
		// structure is the mention (周围神经病变 stays a neuropathy)
		if tailWord(text, end) {
			if e2, t2 := x.terms.longest(keys[:end-1], i); t2 != nil && e2 == end-1 && t2.entity.Type == medkg.Anatomy {
				end, t = e2, t2
			}
		}
		// 脉冲射频治疗腰突: the name is 脉冲射频, 治疗 is the verb
		if strings.HasSuffix(t.text, "治疗") && end-i > 4 {
			if e2, t2 := x.terms.longest(keys[:end-2], i); t2 != nil && e2 == end-2 && t2.entity == t.entity {
				end = e2
			}
		}
		if verbWithComplement(t, text, end) || departmentAt(text, end) || muscleStrength(t, text, end) ||
			(end-i <= 2 && !headFollows(t.entity, text, end) && !locativeFollows(t.entity, text, end) && !x.wholeWords(text, i, end)) || localBody(text, i, t.entity) {
			i++
			continue
		}
		// 右手骨间肌: when the match minus its first character is a term too,
		// and gse joins that character with the one before (右手), the
		// shorter term is the mention.
		if i > 0 && isHan(text[i-1]) {
			if e2, t2 := x.terms.longest(keys, i+1); t2 != nil && e2 >= end && t2.entity != t.entity && !x.startsWord(text, i) {
				i++
				continue
			}
		}
		m := &mention{ent: t.entity, start: i, end: end, container: t.entity.Type == medkg.Regulation}
		if m.ent.Type == medkg.Muscle || m.ent.Type == medkg.Nerve {
			extendMuscle(m, text, ps, x.known)
		}
		agencyUnit(m, text, ps)
		var prev *mention
		if len(ms) > 0 {
			prev = ms[len(ms)-1]
		}
		if m.ent.Type == medkg.Nerve && prev != nil && prev.ent.Type == medkg.Nerve && prev.end == m.start && !prev.container && ownedPart(m.ent.Name) {
			// 三叉神经 + 半月节: the owner written before its part is one name
			m.start, ms = prev.start, ms[:len(ms)-1]
		} else if m.ent.Type != medkg.Procedure && compoundCondition(m, text, ps, x.known) {
			// 肩胛提肌麻痹: the structure names a condition of it
		} else if injectionOf(m, text, x.known) {
			// 注射玻尿酸: what is injected names the injection
		} else if compoundProcedure(m, prev, text, ps) {
			ms = ms[:len(ms)-1]
		} else if m.ent.Type == medkg.Procedure && prev != nil && prev.end == m.start && !prev.container &&
			prev.ent.Type == medkg.Condition && hasSuffixAny(prev.ent.Name, lexicon("operated_lesion")) {
			// 肱骨干骨折 + 内固定术: an operation named after the lesion it
			// repairs is one name, and says nothing more of the lesion
			surface := string(text[prev.start:m.end])
			m.ent = ps.derive(medkg.Procedure, surface, surface, prev.ent, m.ent)
			m.start, ms = prev.start, ms[:len(ms)-1]
		} else if m.ent.Type == medkg.Procedure && prev != nil && prev.end == m.start &&
			(prev.ent.Type == medkg.Anatomy || prev.ent.Type == medkg.Drug) {
			// 颈后三角 + 淋巴结切除活检术, 肉毒素 + 瘦肩针: one name
			m.start, ms = prev.start, ms[:len(ms)-1]
		}
		if m.ent.Type == medkg.Procedure {
			anaesthesia(m, text, ps)
			m.start -= approachBefore(text, m.start)
			if !m.ent.Pattern {
				m.start -= regionBefore(text, m.start) // 面部 + 埋线提升
			}
		}
		ms = append(ms, m)
		if m.container {
			i++
		} else {
			i = m.end
		}
	}
	return ms
}

// dropLikenesses drops the procedures a text names only to describe a
// sensation: 针刺样疼痛, 犹如刀割、针刺 — a procedure followed by 样, 感 or
// 般, or in a list opened by a word of likeness (lexicon likeness).
func dropLikenesses(ms []*mention, text []rune) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if m.ent.Type == medkg.Procedure && (m.end < len(text) && strings.ContainsRune("样感般", text[m.end]) || likenessBefore(text, m.start)) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// likenessBefore reports whether a word of likeness opens the 、-list that
// reaches i (犹如刀割、针刺: true at 针刺): within 16 runes before i, the
// word is followed only by Han items and 、.
func likenessBefore(text []rune, i int) bool {
	from := max(0, i-16)
	window := string(text[from:i])
	end := -1
	for _, w := range lexicon("likeness") {
		if k := strings.LastIndex(window, w); k >= 0 && k+len(w) > end {
			end = k + len(w)
		}
	}
	if end < 0 {
		return false
	}
	for _, r := range window[end:] {
		if !isHan(r) && r != '、' {
			return false
		}
	}
	return true
}

// releaseCues gives back the verb that a procedure's name swallowed when
// the name is followed right away by a condition: in 针灸治疗腰痛 the alias
// 针灸治疗 holds the cue of P治疗C. The mention keeps its entity and ends
// where a shorter name of it ends.
func releaseCues(ms []*mention, text []rune) {
	for i, m := range ms {
		if m.ent.Type != medkg.Procedure || m.virtual || i+1 >= len(ms) {
			continue
		}
		n := ms[i+1]
		if n.start != m.end || n.ent.Type != medkg.Condition {
			continue
		}
		surface := string(text[m.start:m.end])
		for _, cue := range lexicon("treat") {
			short, ok := strings.CutSuffix(surface, cue)
			if ok && short != "" && (short == m.ent.Name || slices.Contains(m.ent.Aliases, short)) {
				m.end -= runeLen(cue)
				break
			}
		}
	}
}

// verbWithComplement reports whether a derived bare stem (尺神经前置 from
// 尺神经前置术) is used as a verb with its complement: 将尺神经前置于皮下.
func verbWithComplement(t *termInfo, text []rune, end int) bool {
	return t.derived && !strings.HasSuffix(t.text, "术") && end < len(text) && strings.ContainsRune("于到至在入", text[end])
}

// muscleStrength reports whether a muscle name runs into 肌力 (伸趾肌力1级:
// the strength of toe extension, not the muscle).
func muscleStrength(t *termInfo, text []rune, end int) bool {
	return t.entity.Type == medkg.Muscle && end < len(text) && text[end] == '力' && text[end-1] == '肌'
}

// localBody reports whether an agency name at i stands for a local body of
// that kind rather than the national one: 市卫健委, 当地卫健委, 各级卫健委.
// Named local bodies (北京市卫健委) are recognised by pattern instead.
func localBody(text []rune, i int, e *entity) bool {
	if e.Type != medkg.Agency || i == 0 {
		return false
	}
	if strings.ContainsRune("省市区县州镇乡", text[i-1]) {
		return true
	}
	before := string(text[max(0, i-2):i])
	return before == "当地" || before == "各地" || before == "地方" || before == "各级" || before == "基层"
}

// departmentAt reports whether a hospital unit named after a body part or
// disease (lexicon department: 脊柱外科) follows: the name there is not a
// mention of the structure.
func departmentAt(text []rune, end int) bool {
	rest := string(text[end:min(len(text), end+2)])
	for _, d := range lexicon("department") {
		if strings.HasPrefix(rest, d) {
			return true
		}
	}
	return false
}

// wholeWords reports whether the short term at [start, end) is not part of
// a longer ordinary word on either side, as gse segments its surroundings:
// 腰突 in 腰突然 (腰/突然), 卫生部 in 卫生部门. Longer terms are specific
// enough to be taken wherever they occur.
func (x *Extractor) wholeWords(text []rune, start, end int) bool {
	from, to := max(0, start-4), min(len(text), end+4)
	for _, t := range x.seg.cut(string(text[from:to])) {
		ts, te := t.start+from, t.end+from
		if runeLen(t.text) < 2 {
			continue
		}
		if (ts < start && te > start) || (ts < end && te > end) {
			return false
		}
	}
	return true
}

// startsWord reports whether gse starts a word at i, looking at a few
// characters around it.
func (x *Extractor) startsWord(text []rune, i int) bool {
	from, to := max(0, i-3), min(len(text), i+6)
	for _, t := range x.seg.cut(string(text[from:to])) {
		if ts, te := t.start+from, t.end+from; ts < i && te > i {
			return false
		}
	}
	return true
}

// wordEnd rejects matches that end inside an ASCII word (ACDF in ACDFX).
func wordEnd(keys []rune, end int) bool {
	if end == 0 || end >= len(keys) {
		return true
	}
	isAlnum := func(r rune) bool { return r < 128 && (isASCIILetter(r) || isDigit(r)) }
	return !(isAlnum(keys[end-1]) && isAlnum(keys[end]))
}

// wordStart rejects matches that begin inside an ASCII word or number
// (L45 is not L4…); Chinese has no such boundaries.
func wordStart(keys []rune, i int) bool {
	if i == 0 {
		return true
	}
	prev, cur := keys[i-1], keys[i]
	isAlnum := func(r rune) bool { return r < 128 && (isASCIILetter(r) || isDigit(r)) }
	return !(isAlnum(prev) && isAlnum(cur))
}

// typePriority orders the entries of a term declared ambiguous across
// types: the more specific kinds win.
var typePriority = map[medkg.EntityType]int{
	medkg.Nerve: 0, medkg.Muscle: 1, medkg.Procedure: 2, medkg.Condition: 3, medkg.Agency: 4,
	medkg.Regulation: 5, medkg.Anatomy: 6, medkg.Drug: 7, medkg.Exam: 8,
}

// dropNested removes mentions that lie inside a longer non-container
// mention, and duplicates of the same entity inside a container.
func dropNested(ms []*mention) []*mention {
	out := ms[:0]
	var covers []*mention // earlier mentions still open
	for _, m := range ms {
		keep := true
		for _, c := range covers {
			if m.start >= c.start && m.end <= c.end && m != c && m.sibling != c {
				if !c.container || c.ent == m.ent || (m.container && m.end-m.start < c.end-c.start) {
					keep = false
					break
				}
			}
		}
		if !keep {
			continue
		}
		// prune covers that ended
		live := covers[:0]
		for _, c := range covers {
			if c.end > m.start {
				live = append(live, c)
			}
		}
		covers = append(live, m)
		out = append(out, m)
	}
	return out
}

func assignSentences(ms []*mention, sents []medkg.Sentence) {
	j := 0
	for _, m := range ms {
		m.sentence = -1
		for j < len(sents) && sents[j].End <= m.start {
			j++
		}
		if j < len(sents) && m.start >= sents[j].Start {
			m.sentence = j
		}
	}
}

// reported reports whether mentions of type t are part of a document.
// Drugs and exams are in the vocabulary so that their names are read as
// units (肌电图 is not a procedure), but they are not graph entities.
func reported(t medkg.EntityType) bool { return t != medkg.Drug && t != medkg.Exam }

// docEntities groups real (non-virtual) mentions by entity, in order of
// first mention.
func docEntities(ms []*mention, text []rune) []medkg.DocEntity {
	index := map[*entity]int{}
	out := []medkg.DocEntity{}
	for _, m := range ms {
		if m.virtual || !reported(m.ent.Type) || containsString(lexicon("unreported"), m.ent.ID) {
			continue
		}
		i, ok := index[m.ent]
		if !ok {
			i = len(out)
			index[m.ent] = i
			e := m.ent.Entity
			if e.Aliases == nil {
				e.Aliases = []string{} // the output contract always has the key
			}
			out = append(out, medkg.DocEntity{Entity: e})
		}
		out[i].Mentions = append(out[i].Mentions, medkg.Mention{
			Text: string(text[m.start:m.end]), Start: m.start, End: m.end, Sentence: m.sentence,
		})
	}
	return out
}

// String renders a mention for debugging.
func (m *mention) String() string {
	return fmt.Sprintf("%s[%d,%d)%s", m.ent.ID, m.start, m.end, map[bool]string{true: "*"}[m.virtual])
}

func hasAny(s string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// dropUnreported removes relations with an entity the articles' gold does
// not count (lexicon unreported: muscle groups such as 咀嚼肌, which
// ANNOTATION.md names), kept in the vocabulary for its own relations.
func dropUnreported(rs []medkg.Relation) []medkg.Relation {
	skip := lexicon("unreported")
	out := rs[:0]
	for _, r := range rs {
		if !containsString(skip, r.Subject) && !containsString(skip, r.Object) {
			out = append(out, r)
		}
	}
	return out
}

// known returns the vocabulary entity named exactly name, or nil.
func (x *Extractor) known(name string) *entity {
	if t := x.terms.has(name); t != nil {
		return t.entity
	}
	return nil
}

// dropGlossClashes drops a name written as the gloss of the name before it
// (肘管综合征(CTS)) when it names another entity of the same type: the text
// defines the abbreviation as that name, and the vocabulary's reading of
// it (CTS, carpal tunnel syndrome) is not what the text says.
func dropGlossClashes(ms []*mention, text []rune) []*mention {
	out := ms[:0]
	var prev *mention
	for _, m := range ms {
		if prev != nil && m.start == prev.end+1 && m.end < len(text) &&
			(text[prev.end] == '(' || text[prev.end] == '（') && (text[m.end] == ')' || text[m.end] == '）') &&
			m.ent.Type == prev.ent.Type && m.ent != prev.ent {
			continue
		}
		out = append(out, m)
		prev = m
	}
	return out
}

// tailWord reports whether the rune before end starts a word of the
// lexicon's tail_word list that runs past end.
func tailWord(text []rune, end int) bool {
	if end == 0 || end >= len(text) {
		return false
	}
	for _, w := range lexicon("tail_word") {
		if n := hasPrefixAt(text, end-1, w); n > 1 {
			return true
		}
	}
	return false
}

// locativeFollows reports whether a locative word (lexicon locative:
// 内, 上, 深面) follows a structure's name ending at i: 咬肌内注射 names
// 咬肌 even where the segmenter joins its last character with the
// locative (肌内).
func locativeFollows(e *entity, text []rune, i int) bool {
	switch e.Type {
	case medkg.Nerve, medkg.Muscle, medkg.Anatomy:
	default:
		return false
	}
	for _, w := range lexicon("locative") {
		if hasPrefixAt(text, i, w) > 0 {
			return true
		}
	}
	return false
}

// definedAbbreviations reads the abbreviations a text defines — a name
// followed by a gloss whose last part is an abbreviation: 腰椎管狭窄症
// (lumbar spinal stenosis, LSS), 经皮内镜椎间盘切除术（PED） — and names
// that entity wherever the abbreviation is written afterwards, whatever the
// vocabulary reads it as. ms is sorted by start; so is the result.
func definedAbbreviations(ms []*mention, str string, text []rune) []*mention {
	defs := map[string]*entity{}
	var order []string
	var glosses [][2]int // the definitions themselves, where no mention is added
	for _, m := range ms {
		if m.container || m.end >= len(text) || (text[m.end] != '(' && text[m.end] != '（') {
			continue
		}
		end := -1
		for j := m.end + 1; j < len(text) && j-m.end <= glossASCIIMax; j++ {
			if text[j] == ')' || text[j] == '）' {
				end = j + 1
				break
			}
		}
		if end < 0 {
			continue
		}
		inner := string(text[m.end+1 : end-1])
		if i := strings.LastIndexAny(inner, ",，;；"); i >= 0 {
			inner = inner[i+1:]
		}
		inner = strings.TrimSpace(inner)
		if !abbreviation.MatchString(inner) {
			continue
		}
		if _, ok := defs[inner]; !ok {
			order = append(order, inner)
		}
		defs[inner] = m.ent
		glosses = append(glosses, [2]int{m.end, end})
	}
	if len(defs) == 0 {
		return ms
	}
	var added []*mention
	for _, ab := range order {
		ent := defs[ab]
		at := &runeCounter{s: str}
		for off := 0; ; {
			i := strings.Index(str[off:], ab)
			if i < 0 {
				break
			}
			b := off + i
			off = b + len(ab)
			if b > 0 && isASCIIAlnum(str[b-1]) || off < len(str) && isASCIIAlnum(str[off]) {
				continue // inside a longer word
			}
			start := at.at(b)
			end := start + len(ab) // ASCII: one rune per byte
			if h := exactly(ms, start, end); h != nil {
				h.ent = ent // the text's own reading of the abbreviation
				continue
			}
			if !covered(ms, start, end) && !inSpans(glosses, start) {
				added = append(added, &mention{ent: ent, start: start, end: end})
			}
		}
	}
	if len(added) == 0 {
		return ms
	}
	ms = append(ms, added...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	return ms
}

// abbreviation matches what a text defines as an abbreviation: two to
// twelve letters, digits or hyphens, starting with a capital, with at
// least two capitals (LSS, PETD, DC-CIK).
var abbreviation = regexp.MustCompile(`^[A-Z](?:[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)$`)

func isASCIIAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func inSpans(spans [][2]int, i int) bool {
	for _, sp := range spans {
		if sp[0] <= i && i < sp[1] {
			return true
		}
	}
	return false
}

// exactly returns the mention of ms spanning exactly [start, end), if any.
func exactly(ms []*mention, start, end int) *mention {
	for _, m := range near(ms, start, start+1) {
		if m.start == start && m.end == end {
			return m
		}
	}
	return nil
}
