package extract

import (
	"strings"

	"github.com/medkg/medkg"
)

// This file shapes a matched term into the mention the text really makes:
// the tendon or head of a muscle (拇长屈肌腱), an operation named after a
// structure (尺神经松解术), a product and what is done with it (奥美定注射
// 隆胸), and the approach written before an operation (颈椎后路…).

// Parts named by adding to a muscle's name. Unless the vocabulary lists
// them, they become entities of their own, so that the muscle is not
// reported for its tendon.
var (
	tendonSuffixes = []string{"肌腱", "腱"}
	headSuffixes   = []string{"内侧头", "外侧头", "浅头", "深头", "长头", "短头", "横头", "斜头", "锁骨头", "胸肋头"}
	ordinals       = "一二三四五六七八九十"
)

// extendMuscle widens a muscle or nerve mention over an ordinal before it
// (第一骨间背侧肌) and turns a muscle followed by a tendon or head suffix
// into a mention of that part.
func extendMuscle(m *mention, text []rune, ps patternSet) {
	if m.start >= 2 && text[m.start-2] == '第' && strings.ContainsRune(ordinals, text[m.start-1]) {
		m.start -= 2
	}
	if m.ent.Type != medkg.Muscle {
		return
	}
	for _, suf := range tendonSuffixes {
		if n := hasPrefixAt(text, m.end, suf); n > 0 {
			m.ent = ps.get(medkg.Anatomy, m.ent.Name+"腱", string(text[m.start:m.end+n]))
			m.end += n
			return
		}
	}
	for _, suf := range headSuffixes {
		if n := hasPrefixAt(text, m.end, suf); n > 0 {
			m.ent = ps.get(medkg.Muscle, m.ent.Name+suf, string(text[m.start:m.end+n]))
			m.end += n
			return
		}
	}
}

// procedureHeads turn a nerve, muscle or structure into the name of an
// operation on it: 尺神经松解术, 斜方肌神经阻断术, 淋巴结活检术. Longest
// first. A bare verb head gets 术 in the canonical name.
var procedureHeads = []string{
	"神经阻断术", "神经离断术", "神经切断术", "神经松解术", "松解减压术", "切除活检术", "端端吻合术", "切开松解术", "切开减压术",
	"水分离术", "松解术", "减压术", "前置术", "切断术", "离断术", "阻断术", "移位术", "转位术", "吻合术",
	"探查术", "阻滞术", "活检术", "清扫术", "取出术", "切开术", "成形术", "重建术", "修复术", "切除术", "取骨术",
	"水分离", "切除活检", "活检", "松解", "减压", "前置", "阻滞", "注射",
}

// productHeads turn a drug or material into what is done with it:
// 奥美定注射隆胸, 奥美定取出术, 玻尿酸填充.
var productHeads = []string{"注射隆胸", "注射丰胸", "注射填充", "取出术", "填充术", "注射术", "注射", "填充", "取出"}

// regionWords are body regions (not entities themselves) that belong to
// the name of an operation written right after them: 颈部淋巴结活检术.
var regionWords = []string{"颈部", "颈后", "颈前", "腰部", "背部", "腹部", "胸部", "面部", "头部", "肩部", "膝部", "腕部", "肘部", "踝部", "足部", "手部", "腿部", "臀部", "额部", "眼部", "鼻部", "唇部", "颞部", "眉间"}

// compoundProcedure widens a nerve, muscle, structure, drug or material
// mention followed by an operation word into a mention of that operation,
// unless the vocabulary already names the whole (the longest match would
// then have taken it). A body region or a structure written right before
// belongs to the name (颈部淋巴结活检术, 颈后三角淋巴结活检): prev is the
// mention before m, and merged reports that m now covers it.
func compoundProcedure(m, prev *mention, text []rune, ps patternSet) (merged bool) {
	var heads []string
	switch m.ent.Type {
	case medkg.Nerve, medkg.Muscle, medkg.Anatomy:
		heads = procedureHeads
	case medkg.Drug:
		heads = productHeads
	default:
		return false
	}
	for _, h := range heads {
		n := hasPrefixAt(text, m.end, h)
		if n == 0 || !headEnds(text, m.end+n, h) {
			continue
		}
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
		m.ent = ps.get(medkg.Procedure, name, surface)
		m.end += n
		return merged
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
	for _, w := range regionWords {
		n := runeLen(w)
		if i >= n && string(text[i-n:i]) == w {
			return n
		}
	}
	return 0
}

// approachPrefixes name the approach of an operation and are part of its
// name as written (颈椎后路单开门椎管扩大成形术, 腹腔镜腹股沟疝修补术).
// Phrases saying under what it is done — 关节镜下, 内镜下, 超声引导下 — are
// left out, as the devset annotators leave out 超声引导下.
var approachPrefixes = []string{
	"颈椎前路", "颈椎后路", "胸椎后路", "腰椎前路", "腰椎后路", "前路", "后路", "侧路", "经皮脊柱", "经皮", "小切口", "显微",
	"腹腔镜", "胸腔镜", "冠状切口",
}

// approachBefore returns the length of the approach prefixes (possibly
// several: 颈椎后路内镜下) ending at i.
func approachBefore(text []rune, i int) int {
	total := 0
	for {
		found := 0
		for _, p := range approachPrefixes {
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

// agencyUnits are offices of an agency named after it: 国家医保局办公室.
var agencyUnits = []string{"办公厅", "办公室"}

// agencyUnit widens an agency mention followed by the name of one of its
// offices into a mention of that office, unless the vocabulary names it.
func agencyUnit(m *mention, text []rune, ps patternSet) {
	if m.ent.Type != medkg.Agency {
		return
	}
	for _, u := range agencyUnits {
		if n := hasPrefixAt(text, m.end, u); n > 0 {
			m.ent = ps.get(medkg.Agency, m.ent.Name+u, string(text[m.start:m.end+n]))
			m.end += n
			return
		}
	}
}

// procedureVerbs join the parts of a long operation name and may open it:
// 颈椎前路椎间盘切除减压植骨融合术, 腰椎后路减压植骨融合内固定术.
var procedureVerbs = []string{"减压", "松解", "切除", "切开", "复位", "固定", "清理", "探查", "植骨", "融合"}

// cutVerbs between a nerve or muscle and an operation name make them one
// name that says what it cuts: 副神经离断瘦肩术.
var cutVerbs = []string{"离断", "切断", "阻断", "切除"}

// chainProcedures merges operation names written back to back, or joined
// only by operation verbs, into one operation named by the whole, and
// widens each operation over the verbs and approach written before it.
func chainProcedures(ms []*mention, text []rune, ps patternSet) []*mention {
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.ent.Type == medkg.Procedure && !m.container {
			prev := out[n-1]
			if (prev.ent.Type == medkg.Nerve || prev.ent.Type == medkg.Muscle) && prev.end <= m.start && containsString(cutVerbs, string(text[prev.end:m.start])) {
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

// onlyVerbs reports whether rs is empty or a run of procedureVerbs.
func onlyVerbs(rs []rune) bool {
	for len(rs) > 0 {
		n := 0
		for _, v := range procedureVerbs {
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
	for _, v := range procedureVerbs {
		n := runeLen(v)
		if i >= n && string(text[i-n:i]) == v {
			return n
		}
	}
	return 0
}
