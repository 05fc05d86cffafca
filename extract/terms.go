package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/vocab"
)

// foldKey maps a rune to its matching key: case, dash and quote variants
// compare equal. It maps one rune to one rune, so offsets into the folded
// text are offsets into the text.
func foldKey(r rune) rune {
	if r >= 0x4E00 && r <= 0x9FFF {
		return r // CJK ideographs fold to themselves: most of a document
	}
	switch r {
	case '—', '–', '－', '‐', '‑', '―', '~', '～':
		return '-'
	case '“', '”', '「', '」', '『', '』', '＂':
		return '"'
	case '‘', '’', '＇':
		return '\''
	case '（':
		return '('
	case '）':
		return ')'
	}
	return unicode.ToLower(r)
}

func foldKeys(text []rune) []rune {
	out := make([]rune, len(text))
	for i, r := range text {
		out[i] = foldKey(r)
	}
	return out
}

func foldString(s string) []rune { return foldKeys([]rune(s)) }

// termInfo is what a matched term names.
type termInfo struct {
	text    string
	entity  *entity
	derived bool
}

type trieNode struct {
	next map[rune]*trieNode
	term *termInfo

	// read paths, set by freeze: most inner nodes have one child, and the
	// root's children are looked up at every rune of every document
	one    rune
	oneKid *trieNode
	dense  []*trieNode // the root's children in the Basic Multilingual Plane
}

// child returns the node after r, or nil.
func (n *trieNode) child(r rune) *trieNode {
	switch {
	case n.oneKid != nil:
		if r == n.one {
			return n.oneKid
		}
		return nil
	case n.dense != nil && r < rune(len(n.dense)):
		return n.dense[r]
	}
	return n.next[r]
}

// freeze sets the read paths of n and the nodes under it.
func (n *trieNode) freeze(root bool) {
	n.oneKid, n.dense = nil, nil
	if root {
		n.dense = make([]*trieNode, 0x10000)
		for r, c := range n.next {
			if r < 0x10000 {
				n.dense[r] = c
			}
		}
	} else if len(n.next) == 1 {
		for r, c := range n.next {
			n.one, n.oneKid = r, c
		}
	}
	for _, c := range n.next {
		c.freeze(false)
	}
}

// trie indexes terms by their folded runes for leftmost-longest matching.
type trie struct {
	root  trieNode
	count int
	all   []string
}

func (t *trie) insert(text string, info *termInfo) bool {
	n := &t.root
	for _, r := range foldString(text) {
		if n.next == nil {
			n.next = map[rune]*trieNode{}
		}
		c := n.next[r]
		if c == nil {
			c = &trieNode{}
			n.next[r] = c
		}
		n = c
	}
	if n.term != nil {
		return false
	}
	n.term = info
	t.count++
	t.all = append(t.all, text)
	return true
}

// longest returns the end and term of the longest term starting at i.
func (t *trie) longest(keys []rune, i int) (int, *termInfo) {
	n := &t.root
	end, found := 0, (*termInfo)(nil)
	for j := i; j < len(keys); j++ {
		n = n.child(keys[j])
		if n == nil {
			break
		}
		if n.term != nil {
			end, found = j+1, n.term
		}
	}
	return end, found
}

func (t *trie) has(s string) *termInfo {
	keys := foldString(s)
	end, info := t.longest(keys, 0)
	if info == nil || end != len(keys) {
		return nil
	}
	return info
}

func (t *trie) texts() []string { return t.all }

// buildTrie indexes every Chinese name and alias of the vocabulary, then
// variants writers use that the files need not spell out: a procedure
// 神经松解术 is also written 神经松解, 神经松解手术, 神经松解技术; a
// condition 腰椎间盘突出症 also 腰椎间盘突出; …损伤 also …损害. Variants
// never take a form that an entry claims.
func buildTrie(v *vocab.Vocabulary) *trie {
	t := &trie{}
	ents := map[*vocab.Entry]*entity{}
	entOf := func(e *vocab.Entry) *entity {
		if x, ok := ents[e]; ok {
			return x
		}
		x := &entity{Entity: e.Entity}
		ents[e] = x
		return x
	}
	for _, term := range v.Terms() {
		es := append([]*vocab.Entry(nil), term.Entries...)
		sort.SliceStable(es, func(i, j int) bool { return typePriority[es[i].Type] < typePriority[es[j].Type] })
		t.insert(term.Text, &termInfo{text: term.Text, entity: entOf(es[0])})
	}
	for _, e := range v.Entries() {
		// Abbreviations written in Chinese text: ACDF, PTED, TLIF.
		for _, en := range e.English() {
			if acronym.MatchString(en) && t.has(en) == nil {
				t.insert(en, &termInfo{text: en, entity: entOf(e)})
			}
		}
		for i, name := range e.Names() {
			for _, variant := range variants(e.Type, name, i == 0) {
				if t.has(variant) == nil {
					t.insert(variant, &termInfo{text: variant, entity: entOf(e), derived: true})
				}
			}
		}
	}
	t.root.freeze(true) // no insert after this
	return t
}

// acronym matches an English abbreviation worth finding in Chinese text:
// three or more capitals (digits and hyphens allowed after the first).
var acronym = regexp.MustCompile(`^[A-Z][A-Z0-9-]{2,9}$`)

// variants returns the derived spellings of a name. Only an entry's
// standard name yields its bare stem (神经松解术 → 神经松解): aliases are
// often generic once their head is cut off (神经卡压综合征 → 神经卡压).
func variants(typ medkg.EntityType, name string, standard bool) []string {
	var out []string
	stemOf := func(suffixes ...string) string {
		for _, s := range suffixes {
			if strings.HasSuffix(name, s) {
				return strings.TrimSuffix(name, s)
			}
		}
		return ""
	}
	switch typ {
	case medkg.Procedure:
		// 淋巴结活检 is also written 淋巴结活检术, 单侧双通道脊柱内镜技术
		if runeLen(name) >= 3 && !strings.HasSuffix(name, "术") && !strings.HasSuffix(name, "法") &&
			!strings.HasSuffix(name, "针") && !strings.HasSuffix(name, "治疗") && hasHanSuffix(name) {
			out = append(out, name+"术", name+"技术", name+"手术")
		}
		stem := stemOf("微创手术", "微创技术", "手术", "技术", "术")
		if stem == "" || !hasHanSuffix(stem) || strings.HasSuffix(stem, "微创") {
			break
		}
		if standard && runeLen(stem) >= 5 {
			out = append(out, stem)
		}
		if runeLen(stem) >= 2 {
			for _, s := range []string{"术", "手术", "技术", "微创手术", "微创技术", "治疗术"} {
				out = append(out, stem+s)
			}
		}
	case medkg.Nerve:
		// A nerve is also named by its stem and 支, as a branch of the
		// nerve it leaves: 上颌支 (上颌神经), 上牙槽后支 (上牙槽后神经).
		// Stems of one character are too ambiguous (面支, 眼支 are left to
		// the nerve in context), and a bone's stem names a bone's ramus
		// (坐骨支, 耻骨支).
		// A positional stem (中间神经: 中间支) names a branch of whatever
		// nerve is divided (lexicon positional_branch).
		if stem := stemOf("神经"); runeLen(stem) >= 2 && hasHanSuffix(stem) && !strings.HasSuffix(stem, "骨") && !containsString(lexicon("positional_branch"), stem+"支") {
			out = append(out, stem+"支")
		}
	case medkg.Muscle:
		// 拇收肌 is also written 拇指收肌 (lexicon name_prefix_variant)
		for short, long := range lexiconMap("name_prefix_variant") {
			if rest, ok := strings.CutPrefix(name, short); ok && !strings.HasPrefix(name, long) && rest != "" {
				out = append(out, long+rest)
			}
		}
	case medkg.Condition:
		if stem := stemOf("综合征", "综合症", "症"); standard && stem != "" && runeLen(stem) >= 5 {
			out = append(out, stem)
		}
		if stem := stemOf("综合征"); stem != "" && runeLen(stem) >= 2 {
			out = append(out, stem+"综合症")
		}
		if stem := stemOf("损伤"); stem != "" && runeLen(stem) >= 2 {
			out = append(out, stem+"损害")
		}
		if stem := stemOf("损害"); stem != "" && runeLen(stem) >= 2 {
			out = append(out, stem+"损伤")
		}
	}
	return out
}

func hasHanSuffix(s string) bool {
	rs := []rune(s)
	return len(rs) > 0 && isHan(rs[len(rs)-1])
}

func runeLen(s string) int { return len([]rune(s)) }
