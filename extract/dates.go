package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// dateSpan is a date written in a document, resolved as far as the text
// allows. Resolution uses only what the document gives: the dates it
// writes (a month and day take the year of the date written before them
// on their line) and the article's own date (本月, 今年, 昨天, a month and
// day written without a year); a date that cannot be resolved keeps its
// text and says why, and is never guessed. The words are data
// (rules/dates.tsv).
type dateSpan struct {
	start, end int    // rune offsets into the normalised text
	text       string // as written
	y, m, d    int    // resolved parts; 0 when unknown
	note       string // why the date is not (fully) resolved, or what to know about it
	hasYear    bool   // the year is written
	rng        bool   // one end of a range or a period (…至…, …期间)
	rangeText  string // the whole range or period as written, on its ends
	effective  bool   // followed by 起/施行/…: the action takes effect then
	issue      bool   // 自…印发之日起: the day a document was issued
	vague      bool   // 近日, 日前: no date
	event      bool   // the date of another event (出生, 成立于): never an action's
	issueKey   bool   // keyed as the day a document was issued (发布日期：)
	decision   bool   // keyed as a penalty decision's date (处罚日期：)
	alone      bool   // the only thing on its line (a notice's signature date)
	line       int    // the line it is written on
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

// written is the date as the action reports it: the whole range or
// period for one of its ends.
func (d dateSpan) written() string {
	if d.rng && d.rangeText != "" {
		return d.rangeText
	}
	return d.text
}

const cnNum = `[〇○零一二三四五六七八九十]`

var (
	reISODate   = regexp.MustCompile(`((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})`)
	reFullDate  = regexp.MustCompile(`((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年(?:\s*(\d{1,2}|` + cnNum + `{1,3})\s*月(?:\s*(\d{1,2}|` + cnNum + `{1,3})\s*[日号])?)?`)
	reMonthDay  = regexp.MustCompile(`(\d{1,2}|` + cnNum + `{1,3})月(\d{1,2}|` + cnNum + `{1,3})[日号]`)
	reMonthOnly = regexp.MustCompile(`(\d{1,2}|` + cnNum + `{1,3})月(?:份)?`)
	reDayOnly   = regexp.MustCompile(`(\d{1,2})日`)
)

// Notes on a date: why it is not (fully) resolved or what to know.
const (
	noteYearOnly        = "year only"
	notePartOfYear      = "part of a year: kept as the year"
	notePartOfMonth     = "part of a month: kept as the month"
	noteNoArticleDate   = "relative to the article's date, which the document does not give"
	noteYearFromArticle = "year taken from the article's date"
	noteDayFromArticle  = "month and year taken from the article's date"
	noteYearFromText    = "year taken from a date written earlier in the text"
	noteYearFromSameDay = "year taken from the same day written in full in the text"
	noteNoYear          = "no year in the text"
	noteNoMonth         = "no month in the text"
	noteYearUnclear     = "the year is unclear: it would fall before the date written before it"
	noteVague           = "vague: no date to resolve"
	noteRange           = "part of a range or period: kept as written"
	noteNotCalendar     = "not a calendar date"
	noteAfterArticle    = "after the article's date"
	noteNoContextDay    = "the day it refers to is not given"
)

// dateKind is what a pattern matched, in priority order for overlaps.
type dateKind int

const (
	dkISO dateKind = iota
	dkYearRange
	dkFull
	dkRelYear
	dkRelMonth
	dkIssue
	dkMonthDay
	dkMonthOnly
	dkRelDay
	dkDayOnly
	dkVague
)

type rawDate struct {
	kind       dateKind
	start, end int // byte offsets
	sub        []string
}

// findDates finds and resolves the dates of a text. article is the
// article's date as read (front matter, page or URL), possibly empty.
func findDates(text []rune, article string, ar *actionRules) []dateSpan {
	dr := ar.dates
	s := string(text)
	var raws []rawDate
	// Each pattern runs only on windows around the characters every one of
	// its matches holds (年, 月, 日 …): the text between dates, most of it,
	// is never scanned by the patterns.
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
	add(dkYearRange, dr.yearRange, "年")
	add(dkFull, reFullDate, "年")
	add(dkRelYear, dr.relYear, dr.relYearAt)
	add(dkRelMonth, dr.relMonth, dr.relMonthAt)
	add(dkIssue, dr.issueDay, dr.issueDayAt)
	add(dkMonthDay, reMonthDay, "月")
	add(dkMonthOnly, reMonthOnly, "月")
	add(dkRelDay, dr.relDay, dr.relDayAt)
	add(dkDayOnly, reDayOnly, "日")
	add(dkVague, dr.vague, dr.vagueAt)
	// Leftmost, then longest, then by kind; drop overlaps.
	sortRaw(raws)
	runeAt := byteToRune(s)
	var kept []rawDate
	lastEnd := -1
	for _, r := range raws {
		if r.start < lastEnd {
			continue
		}
		if (r.kind == dkMonthOnly || r.kind == dkDayOnly) && !standsAsDate(text, runeAt[r.start], runeAt[r.end], r.kind, dr) {
			continue
		}
		kept = append(kept, r)
		lastEnd = r.end
	}

	art := articleDate(article)
	lines := lineStarts(text)
	var out []dateSpan
	var ctx dateContext
	for _, r := range kept {
		d := dateSpan{start: runeAt[r.start], end: runeAt[r.end], text: s[r.start:r.end]}
		d.line = sort.SearchInts(lines, d.start+1) - 1
		placeDate(text, &d, dr)
		switch r.kind {
		case dkISO, dkFull:
			d.y, d.m, d.d = cnInt(r.sub[0]), cnInt(r.sub[1]), cnInt(r.sub[2])
			d.hasYear = true
			d.note = partNote(text, &d, dr)
		case dkYearRange:
			d.y, d.hasYear, d.rng, d.rangeText = cnInt(r.sub[0]), true, true, d.text
			d.effective = false
		case dkRelYear:
			d.m, d.d = cnInt(r.sub[1]), cnInt(r.sub[2])
			if !art.ok {
				d.note = noteNoArticleDate
				break
			}
			d.y = art.y + dr.offset["relative_year"][r.sub[0]]
			d.note = partNote(text, &d, dr)
		case dkRelMonth:
			if !art.ok || art.m == 0 {
				d.note = noteNoArticleDate
				break
			}
			t := time.Date(art.y, time.Month(art.m), 1, 0, 0, 0, 0, time.UTC).AddDate(0, dr.offset["relative_month"][r.sub[0]], 0)
			d.y, d.m, d.d = t.Year(), int(t.Month()), cnInt(r.sub[1])
			if d.d == 0 {
				d.note = partNote(text, &d, dr)
			}
		case dkMonthDay, dkMonthOnly:
			d.m = cnInt(r.sub[0])
			if r.kind == dkMonthDay {
				d.d = cnInt(r.sub[1])
			}
			d.text = strings.TrimSuffix(d.text, "份")
			ctx.placePartial(&d, art, false)
			if d.d == 0 && d.y != 0 && d.note == "" {
				d.note = partNote(text, &d, dr)
			}
		case dkDayOnly:
			d.d = cnInt(r.sub[0])
			ctx.placePartial(&d, art, true)
		case dkRelDay:
			if off, ok := dr.offset["context_day"][d.text]; ok {
				if p := ctx.fullDate; p != nil {
					t := time.Date(p.y, time.Month(p.m), p.d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, off)
					d.y, d.m, d.d = t.Year(), int(t.Month()), t.Day()
				} else {
					d.note = noteNoContextDay
				}
				break
			}
			if !art.ok || art.d == 0 {
				d.note = noteNoArticleDate
				break
			}
			t := time.Date(art.y, time.Month(art.m), art.d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, dr.offset["relative_day"][d.text])
			d.y, d.m, d.d = t.Year(), int(t.Month()), t.Day()
		case dkVague:
			d.vague, d.note, d.effective = true, noteVague, false
		case dkIssue:
			d.issue, d.effective = true, true
		}
		if d.m > 12 || d.d > 31 || d.y != 0 && d.m == 0 && d.d != 0 ||
			d.d != 0 && d.y != 0 && time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC).Day() != d.d {
			d.y, d.m, d.d = 0, 0, 0
			d.note = noteNotCalendar
		}
		if art.ok && d.y != 0 && d.note == "" && d.value() > art.String()[:len(d.value())] {
			d.note = noteAfterArticle
		}
		ctx.add(&d)
		out = append(out, d)
	}
	sameDayWritten(out)
	markRanges(text, out, dr)
	resolveIssue(text, out, dr)
	return out
}

// sameDayWritten gives a day written relative to an article date the
// document does not give (今年2月27日) the year of the same month and day
// written in full elsewhere in the text (2025年2月27日): one day, written
// twice. Several such years, or none, leave it unresolved.
func sameDayWritten(ds []dateSpan) {
	for i := range ds {
		d := &ds[i]
		if d.note != noteNoArticleDate || d.y != 0 || d.m == 0 || d.d == 0 {
			continue
		}
		year := 0
		for _, o := range ds {
			if o.hasYear && o.m == d.m && o.d == d.d && o.y != 0 {
				if year != 0 && year != o.y {
					year = -1
					break
				}
				year = o.y
			}
		}
		if year > 0 {
			d.y, d.note = year, noteYearFromSameDay
		}
	}
}

// placeDate reads what stands around a date: a word after it saying it
// takes effect (time of day skipped), the date of another event, a key
// before it, or a line of its own.
func placeDate(text []rune, d *dateSpan, dr *dateRules) {
	rest := text[d.end:min(len(text), d.end+8)]
	for {
		n := prefixLen(rest, dr.list("time_of_day"))
		if n == 0 {
			break
		}
		rest = rest[n:]
	}
	if prefixLen(rest, dr.list("effective_after")) > 0 {
		d.effective = true
	} else if prefixLen(text[d.end:min(len(text), d.end+4)], dr.list("other_event_after")) > 0 {
		d.event = true
	}
	before := []rune(strings.TrimRight(string(text[max(0, d.start-12):d.start]), ":： 为是"))
	if hasSuffixAnyRunes(before, dr.list("other_event_before")) {
		d.event = true
	}
	d.issueKey = hasSuffixAnyRunes(before, dr.list("issue_key"))
	d.decision = hasSuffixAnyRunes(before, dr.list("decision_key"))
	// a line of its own: only spaces and punctuation around it, looked
	// for a few runes each way (linear on a line of dates)
	ls, le := d.start, d.end
	for ls > 0 && d.start-ls < 8 && text[ls-1] != '\n' && (unicode.IsSpace(text[ls-1]) || unicode.IsPunct(text[ls-1])) {
		ls--
	}
	for le < len(text) && le-d.end < 8 && text[le] != '\n' && (unicode.IsSpace(text[le]) || unicode.IsPunct(text[le])) {
		le++
	}
	d.alone = (ls == 0 || text[ls-1] == '\n') && (le == len(text) || text[le] == '\n')
}

// partNote is the note of a date written with its year and maybe its
// month: a part of a year (2021年底) or of a month (8月下旬), or a year
// alone.
func partNote(text []rune, d *dateSpan, dr *dateRules) string {
	rest := text[d.end:min(len(text), d.end+6)]
	switch {
	case d.m == 0 && prefixLen(rest, dr.list("year_part")) > 0:
		return notePartOfYear
	case d.m != 0 && d.d == 0 && prefixLen(rest, dr.list("month_part")) > 0:
		return notePartOfMonth
	case d.m == 0 && d.y != 0:
		return noteYearOnly
	}
	return ""
}

// standsAsDate reports whether a month or a day written alone ([s, e))
// is a date: at the start of a clause, after a word of day_alone_before,
// or before a word of day_alone_after (for a month: 起, 份 or a part of
// a month, or a clause break); never before a word of
// day_alone_not_after (停业15日内 is a duration).
func standsAsDate(text []rune, s, e int, k dateKind, dr *dateRules) bool {
	if s > 0 && (isDigit(text[s-1]) || strings.ContainsRune(".第每-—–~～至到", text[s-1])) {
		return false // a number, or the end of a range whose start is no date (1-3月)
	}
	rest := text[e:min(len(text), e+4)]
	if prefixLen(rest, dr.list("day_alone_not_after")) > 0 {
		return false
	}
	if s == 0 || text[s-1] == '\n' || text[s-1] == ' ' || actionClauseBreak(text[s-1]) || strings.ContainsRune("。！？（(、", text[s-1]) ||
		hasSuffixAnyRunes(text[max(0, s-3):s], dr.list("day_alone_before")) {
		return true
	}
	if k == dkMonthOnly {
		return len(rest) == 0 || actionClauseBreak(rest[0]) || strings.ContainsRune("。起", rest[0]) ||
			prefixLen(rest, dr.list("month_part")) > 0
	}
	return prefixLen(rest, dr.list("day_alone_after")) > 0
}

// dateContext is what the dates read so far give the next: the last
// date on the current line, the last year written, the last full date.
type dateContext struct {
	onLine   *dateSpan // the last date of line with a year, no other event's, no vague or issue phrase
	line     int
	year     int // the last year written, no other event's
	fullDate *dateSpan
}

// add records a resolved date.
func (c *dateContext) add(d *dateSpan) {
	if d.event {
		return
	}
	if d.y != 0 && !d.vague && !d.issue {
		c.onLine, c.line = d, d.line
	}
	if d.hasYear && d.y != 0 {
		c.year = d.y
	}
	if d.d != 0 {
		c.fullDate = d
	}
}

// placePartial resolves a date written without its year (a month and
// day, a month, or a day alone): from the date written before it on its
// line, else from the article's date (the latest such day not after it;
// the nearest for a day something takes effect), else from a year written
// earlier in the text. A day alone takes its month the same way.
func (c *dateContext) placePartial(d *dateSpan, art artDate, dayOnly bool) {
	var prev *dateSpan
	if c.onLine != nil && c.line == d.line {
		prev = c.onLine
	}
	switch {
	case prev != nil && (!dayOnly || prev.m != 0):
		d.y = prev.y
		if dayOnly {
			d.m = prev.m
		}
		if prev.m != 0 && (d.m < prev.m || d.m == prev.m && prev.d != 0 && d.d != 0 && d.d < prev.d) {
			d.y, d.m, d.d = 0, 0, 0
			d.note = noteYearUnclear
		}
	case art.ok && (!dayOnly || art.d != 0):
		d.y, d.m = art.place(d.m, d.d, d.effective)
		d.note = noteYearFromArticle
		if dayOnly {
			d.note = noteDayFromArticle
		}
	case dayOnly:
		d.d = 0
		d.note = noteNoMonth
	case c.year != 0:
		d.y, d.note = c.year, noteYearFromText
	default:
		d.m, d.d = 0, 0
		d.note = noteNoYear
	}
}

// artDate is the article's own date.
type artDate struct {
	y, m, d int
	ok      bool
}

func articleDate(s string) artDate {
	y, m, d, ok := parseArticleDate(s)
	return artDate{y, m, d, ok}
}

// String is the date as YYYY-MM-DD (a missing day as 01).
func (a artDate) String() string { return fmt.Sprintf("%04d-%02d-%02d", a.y, max(a.m, 1), max(a.d, 1)) }

// place gives a month and day (month 0: a day alone) the year (and
// month) that puts it on the latest such day not after the article's
// date, or, for a day something takes effect (effective), the nearest
// one before or after it.
func (a artDate) place(m, d int, effective bool) (int, int) {
	at := time.Date(a.y, time.Month(max(a.m, 1)), max(a.d, 1), 0, 0, 0, 0, time.UTC)
	var cands []time.Time
	for k := -1; k <= 1; k++ {
		if m == 0 { // a day alone: the months around the article's
			cands = append(cands, time.Date(a.y, time.Month(a.m)+time.Month(k), 1, 0, 0, 0, 0, time.UTC))
		} else {
			cands = append(cands, time.Date(a.y+k, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
		}
	}
	day := func(t time.Time) time.Time {
		if d == 0 {
			if t.Year() == at.Year() && t.Month() == at.Month() {
				return at // a month alone: the article's month is not after it
			}
			return t
		}
		return t.AddDate(0, 0, d-1)
	}
	best := cands[1]
	for _, c := range cands {
		t, bt := day(c), day(best)
		if effective {
			if absDur(t.Sub(at)) < absDur(bt.Sub(at)) {
				best = c
			}
		} else if !t.After(at) && (bt.After(at) || t.After(bt)) {
			best = c
		}
	}
	if m == 0 {
		return best.Year(), int(best.Month())
	}
	return best.Year(), m
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// markRanges marks the ends of ranges (A至B, A-B) and dates opening a
// period (A以来, A期间), with the whole range or period as written.
func markRanges(text []rune, ds []dateSpan, dr *dateRules) {
	links := dr.list("range_link")
	for i := range ds {
		if i+1 < len(ds) && ds[i+1].start-ds[i].end <= 3 {
			between := strings.TrimSpace(string(text[ds[i].end:ds[i+1].start]))
			if containsString(links, between) {
				ds[i].rng, ds[i+1].rng = true, true
				ds[i].rangeText = string(text[ds[i].start:ds[i+1].end])
				ds[i+1].rangeText = ds[i].rangeText
				continue
			}
		}
		if ds[i].rng {
			continue
		}
		after := text[ds[i].end:min(len(text), ds[i].end+12)]
		if n := prefixLen(after, links); n > 0 && n < len(after) && (isDigit(after[n]) || strings.ContainsRune("一二三四五六七八九十", after[n])) {
			// a range whose other end is no date of its own (3月至5月期间)
			e := n
			for e < len(after) && (isDigit(after[e]) || strings.ContainsRune("〇○零一二三四五六七八九十年月日号", after[e])) {
				e++
			}
			ds[i].rng, ds[i].rangeText = true, string(text[ds[i].start:ds[i].end+e])
			continue
		}
		if n := prefixLen(after, dr.list("period_after")); n > 0 {
			ds[i].rng, ds[i].rangeText = true, string(text[ds[i].start:ds[i].end+n])
		}
	}
	for i := range ds {
		if ds[i].rng {
			ds[i].effective = false
			ds[i].note = noteRange
		}
	}
}

// resolveIssue resolves 自…印发之日起 (and 即日起) to the day the text
// says the document was issued: the nearest date followed in its clause
// by an issuing verb (…在本月26日印发…通知); for 自…施行之日起, the
// nearest day the text says something takes effect; else the nearest
// date keyed as an issuing or publication date (发布日期：); else a date
// on a line of its own after it (the notice's signature). Else it keeps
// the text.
func resolveIssue(text []rune, ds []dateSpan, dr *dateRules) {
	for i := range ds {
		if !ds[i].issue {
			continue
		}
		// 自本办法施行之日起: the day it takes effect, not the day it was issued
		verb := strings.TrimSuffix(ds[i].text, "之日起")
		effectivePhrase := verb != ds[i].text && hasSuffixAny(verb, dr.list("effective_after"))
		var best *dateSpan
		near := func(c *dateSpan) {
			if best == nil || abs(c.start-ds[i].start) < abs(best.start-ds[i].start) {
				best = c
			}
		}
		lo, hi := max(0, i-64), min(len(ds), i+64) // the nearest dates only: linear on a hostile page of dates
		for j := lo; j < hi; j++ {
			c := &ds[j]
			if c.issue || c.rng || c.event || c.y == 0 && !c.vague || c.y != 0 && c.d == 0 {
				continue
			}
			if effectivePhrase {
				if c.effective {
					near(c)
				}
				continue
			}
			if issuedThen(text, c, dr) {
				near(c)
			}
		}
		how := "the issuing date written as "
		if best == nil && !effectivePhrase {
			for j := lo; j < hi; j++ {
				if c := &ds[j]; c.issueKey && c.y != 0 && c.d != 0 {
					near(c)
				}
			}
			how = "the issuing or publication date given as "
		}
		if best == nil && !effectivePhrase {
			for j := i + 1; j < hi; j++ {
				if c := &ds[j]; c.alone && !c.rng && !c.event && c.y != 0 && c.d != 0 {
					best = c // the first after it: the notice's signature
					break
				}
			}
			how = "the date on a line of its own after it (the notice's signature): "
		}
		switch {
		case best == nil && effectivePhrase:
			ds[i].note = "the day it takes effect is not given in the text"
		case best == nil:
			ds[i].note = "the day the document was issued is not given in the text"
		case best.y == 0:
			ds[i].note = "the document was issued " + best.text + ": no date to resolve"
		default:
			ds[i].y, ds[i].m, ds[i].d = best.y, best.m, best.d
			if effectivePhrase {
				how = "the day it takes effect written as "
			}
			ds[i].note = how + best.text
		}
	}
}

// issuedThen reports whether an issuing verb follows a date in its clause
// (or, when the date closes its clause, in the next), within 24 runes:
// 2021年7月26日，国家卫生健康委员会办公厅印发….
func issuedThen(text []rune, c *dateSpan, dr *dateRules) bool {
	e := c.end
	end := min(len(text), c.end+24)
	for e < end && text[e] != '\n' && text[e] != '。' {
		if actionClauseBreak(text[e]) && e > c.end+1 {
			break
		}
		e++
	}
	tail := string(text[c.end:e])
	for _, v := range dr.list("issue_verb") {
		if strings.Contains(tail, v) {
			return true
		}
	}
	return false
}

// lineStarts returns the rune offset of every line's start.
func lineStarts(text []rune) []int {
	out := []int{0}
	for i, r := range text {
		if r == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// prefixLen is the length in runes of the longest word of ws that rs
// starts with, 0 if none.
func prefixLen(rs []rune, ws []string) int {
	n := 0
	for _, w := range ws {
		if k := utf8.RuneCountInString(w); k > n && hasPrefixRunes(rs, w) {
			n = k
		}
	}
	return n
}

func hasSuffixAnyRunes(rs []rune, ws []string) bool {
	for _, w := range ws {
		if hasSuffixRunes(rs, w) {
			return true
		}
	}
	return false
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
