package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// dateSpan is a date written in a document, resolved as far as the text
// allows. Resolution uses only what the document gives: the dates it
// writes (a month and day take the year of the last date written with
// one) and the article's own date (本月, 今年, 昨天); a date that cannot be
// resolved keeps its text and says why, and is never guessed.
type dateSpan struct {
	start, end int    // rune offsets into the normalised text
	text       string // as written
	y, m, d    int    // resolved parts; 0 when unknown
	note       string // why the date is not (fully) resolved, or what to know about it
	hasYear    bool   // the year is written
	rng        bool   // one end of a range or a period (…至…, …期间)
	effective  bool   // followed by 起/施行/…: the action takes effect then
	issue      bool   // 自…印发之日起: the day a document was issued
}

// value is the resolved date: YYYY-MM-DD, YYYY-MM, YYYY, or "".
func (d dateSpan) value() string {
	switch {
	case d.y == 0:
		return ""
	case d.m == 0:
		return fmt.Sprintf("%04d", d.y)
	case d.d == 0:
		return fmt.Sprintf("%04d-%02d", d.y, d.m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d)
}

const cnNum = `[〇○零一二三四五六七八九十]`

var (
	reISODate  = regexp.MustCompile(`((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})`)
	reFullDate = regexp.MustCompile(`((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年(?:\s*(\d{1,2}|` + cnNum + `{1,3})\s*月(?:\s*(\d{1,2}|` + cnNum + `{1,3})\s*[日号])?)?`)
	reRelYear  = regexp.MustCompile(`(今|去|明|前)年(?:(\d{1,2}|` + cnNum + `{1,3})月(?:(\d{1,2}|` + cnNum + `{1,3})[日号])?)?`)
	reRelMonth = regexp.MustCompile(`(本|上|下)月(?:(\d{1,2}|` + cnNum + `{1,3})[日号])?`)
	reMonthDay = regexp.MustCompile(`(\d{1,2}|` + cnNum + `{1,3})月(\d{1,2}|` + cnNum + `{1,3})[日号]`)
	reMonthOn  = regexp.MustCompile(`(\d{1,2}|` + cnNum + `{1,3})月(?:份)?(?:起|初|底|份)`)
	reRelDay   = regexp.MustCompile(`昨天|昨日|今天|今日|前天|当天|当日`)
	reVague    = regexp.MustCompile(`日前|近日|近期|前不久|此前|近年来|近年`)
	reIssueDay = regexp.MustCompile(`自(?:本|该|此)?(?:通知|文件|办法|规定|公告|决定|意见|条例|标准|规范|通告)?(?:印发|发布|公布|下发|施行|实施|颁布|发文)之日起|(?:自|从)?即日起`)
)

// dateKind is what a pattern matched, in priority order for overlaps.
type dateKind int

const (
	dkISO dateKind = iota
	dkFull
	dkRelYear
	dkRelMonth
	dkIssue
	dkMonthDay
	dkMonthOnly
	dkRelDay
	dkVague
)

type rawDate struct {
	kind       dateKind
	start, end int // byte offsets
	sub        []string
}

// findDates finds and resolves the dates of a text. article is the
// article's date as read (front matter or page), possibly empty.
func findDates(text []rune, article string, ar *actionRules) []dateSpan {
	s := string(text)
	var raws []rawDate
	// Each pattern runs only on windows around the characters every one of
	// its matches holds (年, 月, 日 …): the text between dates, most of it,
	// is never scanned by the nine patterns.
	add := func(k dateKind, re *regexp.Regexp, anchors string) {
		for _, w := range anchorWindows(s, anchors) {
			for _, m := range re.FindAllStringSubmatchIndex(s[w[0]:w[1]], -1) {
				r := rawDate{kind: k, start: w[0] + m[0], end: w[0] + m[1]}
				for i := 2; i < len(m); i += 2 {
					if m[i] < 0 {
						r.sub = append(r.sub, "")
					} else {
						r.sub = append(r.sub, s[w[0]+m[i]:w[0]+m[i+1]])
					}
				}
				raws = append(raws, r)
			}
		}
	}
	add(dkISO, reISODate, "-/.")
	add(dkFull, reFullDate, "年")
	add(dkRelYear, reRelYear, "年")
	add(dkRelMonth, reRelMonth, "月")
	add(dkIssue, reIssueDay, "日")
	add(dkMonthDay, reMonthDay, "月")
	add(dkMonthOnly, reMonthOn, "月")
	add(dkRelDay, reRelDay, "天日")
	add(dkVague, reVague, "日期久前年")
	// Leftmost, then longest, then by kind; drop overlaps.
	sortRaw(raws)
	var kept []rawDate
	lastEnd := -1
	for _, r := range raws {
		if r.start < lastEnd {
			continue
		}
		kept = append(kept, r)
		lastEnd = r.end
	}

	ay, am, ad, aok := parseArticleDate(article)
	runeAt := byteToRune(s)
	var out []dateSpan
	lastYear := 0 // the year of the last date written with one
	for _, r := range kept {
		d := dateSpan{start: runeAt[r.start], end: runeAt[r.end], text: s[r.start:r.end]}
		switch r.kind {
		case dkISO, dkFull:
			d.y, d.m, d.d = cnInt(r.sub[0]), cnInt(r.sub[1]), cnInt(r.sub[2])
			d.hasYear = true
			if strings.HasPrefix(s[r.end:], "底") || strings.HasPrefix(s[r.end:], "初") || strings.HasPrefix(s[r.end:], "年底") {
				d.note = "part of a year: kept as the year"
			} else if d.m == 0 {
				d.note = "year only"
			}
		case dkRelYear:
			if !aok {
				d.note = "relative to the article's date, which the document does not give"
				break
			}
			d.y = ay + map[string]int{"今": 0, "去": -1, "明": 1, "前": -2}[r.sub[0]]
			d.m, d.d = cnInt(r.sub[1]), cnInt(r.sub[2])
		case dkRelMonth:
			if !aok {
				d.note = "relative to the article's date, which the document does not give"
				break
			}
			t := time.Date(ay, time.Month(am), 1, 0, 0, 0, 0, time.UTC).AddDate(0, map[string]int{"本": 0, "上": -1, "下": 1}[r.sub[0]], 0)
			d.y, d.m, d.d = t.Year(), int(t.Month()), cnInt(r.sub[1])
		case dkMonthDay, dkMonthOnly:
			d.m = cnInt(r.sub[0])
			if r.kind == dkMonthDay {
				d.d = cnInt(r.sub[1])
			}
			d.text = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(d.text, "起"), "份"), "初底")
			switch {
			case lastYear != 0:
				d.y = lastYear
			case aok:
				d.y = ay
				d.note = "year taken from the article's date"
			default:
				d.y, d.m, d.d = 0, 0, 0
				d.note = "no year in the text"
			}
		case dkRelDay:
			switch {
			case d.text == "当天" || d.text == "当日":
				if p := lastFullDate(out); p != nil {
					d.y, d.m, d.d = p.y, p.m, p.d
				} else {
					d.note = "the day it refers to is not given"
				}
			case !aok || ad == 0:
				d.note = "relative to the article's date, which the document does not give"
			default:
				t := time.Date(ay, time.Month(am), ad, 0, 0, 0, 0, time.UTC).AddDate(0, 0, map[string]int{"昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "前天": -2}[d.text])
				d.y, d.m, d.d = t.Year(), int(t.Month()), t.Day()
			}
		case dkVague:
			d.note = "vague: no date to resolve"
		case dkIssue:
			d.issue = true
		}
		if d.m > 12 || d.d > 31 {
			d.y, d.m, d.d = 0, 0, 0
			d.note = "not a calendar date"
		}
		if d.hasYear && d.y != 0 {
			lastYear = d.y
		}
		rest := text[d.end:min(len(text), d.end+4)]
		for _, w := range ar.list("effective_after") {
			if hasPrefixRunes(rest, w) || hasPrefixRunes(trimLead(rest, "日零时"), w) {
				d.effective = true
			}
		}
		if d.issue {
			d.effective = true
		}
		if aok && d.y != 0 && d.value() > fmt.Sprintf("%04d-%02d-%02d", ay, am, max(ad, 1))[:len(d.value())] && d.note == "" {
			d.note = "after the article's date"
		}
		out = append(out, d)
	}
	markRanges(text, out)
	resolveIssue(text, out, ar)
	return out
}

// markRanges marks the ends of ranges (A至B, A-B) and dates opening a
// period (A以来, A期间).
func markRanges(text []rune, ds []dateSpan) {
	for i := range ds {
		after := string(text[ds[i].end:min(len(text), ds[i].end+3)])
		if i+1 < len(ds) && ds[i+1].start-ds[i].end <= 2 {
			between := strings.TrimSpace(string(text[ds[i].end:ds[i+1].start]))
			if between == "至" || between == "到" || between == "-" || between == "—" || between == "~" || between == "－" || between == "–" || between == "至今" {
				ds[i].rng, ds[i+1].rng = true, true
			}
		}
		if r := []rune(after); len(r) >= 2 && (r[0] == '至' || r[0] == '到') && (isDigit(r[1]) || strings.ContainsRune("一二三四五六七八九十", r[1])) {
			ds[i].rng = true
		}
		if strings.HasPrefix(after, "至今") || strings.HasPrefix(after, "以来") || strings.HasPrefix(after, "期间") || strings.HasPrefix(after, "前后") {
			ds[i].rng = true
		}
	}
	for i := range ds {
		if ds[i].rng {
			ds[i].effective = false
			if ds[i].note == "" {
				ds[i].note = "part of a range or period: kept as written"
			}
		}
	}
}

// resolveIssue resolves 自…印发之日起 to the day the text says a
// document was issued (…在本月26日发布…通知); else it keeps the text.
func resolveIssue(text []rune, ds []dateSpan, ar *actionRules) {
	for i := range ds {
		if !ds[i].issue {
			continue
		}
		var best *dateSpan
		// the nearest dates around it only: linear on a hostile page of dates
		for j := max(0, i-64); j < min(len(ds), i+64); j++ {
			c := &ds[j]
			vague := c.note == "vague: no date to resolve"
			if c.issue || c.rng || ((c.y == 0 || c.d == 0) && !vague) {
				continue
			}
			tail := string(text[c.end:min(len(text), c.end+12)])
			for _, v := range ar.list("issue_verb") {
				if strings.Contains(tail, v) {
					if best == nil || abs(c.start-ds[i].start) < abs(best.start-ds[i].start) {
						best = c
					}
					break
				}
			}
		}
		if best == nil {
			ds[i].note = "the day the document was issued is not given in the text"
			continue
		}
		if best.y == 0 {
			ds[i].note = "the document was issued " + best.text + ": no date to resolve"
			continue
		}
		ds[i].y, ds[i].m, ds[i].d = best.y, best.m, best.d
		ds[i].note = "the issuing date written as " + best.text
	}
}

func lastFullDate(ds []dateSpan) *dateSpan {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].d != 0 {
			return &ds[i]
		}
	}
	return nil
}

// parseArticleDate reads the article's date: 2021-07-31, 2021-07-31T12:…,
// 2021/7/31, 2021年7月31日.
func parseArticleDate(s string) (y, m, d int, ok bool) {
	if s = strings.TrimSpace(s); s == "" {
		return 0, 0, 0, false
	}
	if mm := reISODate.FindStringSubmatch(s); mm != nil {
		y, m, d = cnInt(mm[1]), cnInt(mm[2]), cnInt(mm[3])
	} else if mm := reFullDate.FindStringSubmatch(s); mm != nil && mm[2] != "" {
		y, m, d = cnInt(mm[1]), cnInt(mm[2]), cnInt(mm[3])
	} else {
		return 0, 0, 0, false
	}
	return y, m, d, m >= 1 && m <= 12 && d <= 31
}

// cnInt reads a number written in digits or Chinese numerals (二〇〇九,
// 十一, 二十六); "" is 0.
func cnInt(s string) int {
	digits := map[rune]int{'〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	if s == "" {
		return 0
	}
	if s[0] >= '0' && s[0] <= '9' {
		n := 0
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	if !strings.ContainsRune(s, '十') {
		n := 0
		for _, r := range s {
			n = n*10 + digits[r]
		}
		return n
	}
	tens, ones := 1, 0
	before, after, _ := strings.Cut(s, "十")
	if before != "" {
		tens = digits[[]rune(before)[0]]
	}
	if after != "" {
		ones = digits[[]rune(after)[0]]
	}
	return tens*10 + ones
}

func sortRaw(rs []rawDate) {
	sort.Slice(rs, func(i, j int) bool { return lessRaw(rs[i], rs[j]) })
}

func lessRaw(a, b rawDate) bool {
	if a.start != b.start {
		return a.start < b.start
	}
	if a.end != b.end {
		return a.end > b.end
	}
	return a.kind < b.kind
}

// byteToRune maps every byte offset of s (and len(s)) to a rune offset.
func byteToRune(s string) []int {
	idx := make([]int, len(s)+1)
	n := 0
	for i := range s {
		_, size := utf8.DecodeRuneInString(s[i:])
		for k := 0; k < size; k++ {
			idx[i+k] = n
		}
		n++
	}
	idx[len(s)] = n
	return idx
}

// hasPrefixRunes reports whether rs starts with w, without allocating.
func hasPrefixRunes(rs []rune, w string) bool {
	i := 0
	for _, r := range w {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// trimLead drops leading runes that are in cut.
func trimLead(rs []rune, cut string) []rune {
	for len(rs) > 0 && strings.ContainsRune(cut, rs[0]) {
		rs = rs[1:]
	}
	return rs
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// anchorWindow is how far, in bytes, a date pattern's match reaches on
// either side of the anchor character it holds (自本通知印发之日起 is the
// longest before its 日).
const anchorWindow = 72

// anchorWindows returns the disjoint byte ranges of s within anchorWindow
// of a rune of anchors, cut at rune boundaries, in order.
func anchorWindows(s, anchors string) [][2]int {
	var at []int
	for _, r := range anchors {
		for i := 0; ; {
			j := strings.IndexRune(s[i:], r)
			if j < 0 {
				break
			}
			at = append(at, i+j)
			i += j + utf8.RuneLen(r)
		}
	}
	sort.Ints(at)
	var out [][2]int
	for _, p := range at {
		from, to := max(0, p-anchorWindow), min(len(s), p+anchorWindow)
		for from > 0 && !utf8.RuneStart(s[from]) {
			from--
		}
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		if n := len(out); n > 0 && from <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], to)
		} else {
			out = append(out, [2]int{from, to})
		}
	}
	return out
}
