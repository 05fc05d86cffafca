package extract

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// dateRules is the loaded data of rules/dates.tsv: the words that find,
// resolve and place the dates of a text (extract/dates.go).
type dateRules struct {
	offset map[string]map[string]int // role → word → offset, for the relative roles
	words  map[string][]string       // role → words, for every role

	// Patterns built from the words, with the runes each of their
	// matches holds (findDates scans only around those).
	relYear, relMonth, relDay, vague, issueDay, yearRange *regexp.Regexp
	relYearAt, relMonthAt, relDayAt, vagueAt, issueDayAt  string
}

// dateRoles are the roles of dates.tsv; those with an offset take an
// integer in the third column, the others "-". Every role must be given.
var dateRoles = map[string]bool{
	"relative_year": true, "relative_month": true, "relative_day": true, "context_day": true,
	"vague": false, "year_part": false, "month_part": false, "range_link": false, "period_after": false,
	"effective_after": false, "time_of_day": false, "other_event_after": false, "other_event_before": false,
	"issue_phrase_doc": false, "issue_phrase_verb": false, "today_phrase": false, "issue_verb": false,
	"issue_key": false, "decision_key": false, "day_alone_before": false, "day_alone_after": false,
	"day_alone_not_after": false,
}

// standalone are the roles whose words are found by themselves in a
// text: a word may stand in one of them only.
var standalone = []string{"relative_year", "relative_month", "relative_day", "context_day", "vague", "today_phrase"}

// loadDateRules reads dates.tsv from the rule files, reporting every
// problem as file:line.
func loadDateRules(files *ruleFiles) *dateRules {
	dr := &dateRules{offset: map[string]map[string]int{}, words: map[string][]string{}}
	owner := map[string]string{} // standalone word → file:line of its role
	files.read("dates.tsv", 3, func(file string, line int, f []string) {
		role := f[0]
		hasOffset, known := dateRoles[role]
		if !known {
			files.report(file, line, "unknown date role %q", role)
			return
		}
		ws := splitWords(f[1])
		if len(ws) == 0 {
			files.report(file, line, "role %q needs words", role)
			return
		}
		off := 0
		switch {
		case hasOffset:
			n, err := strconv.Atoi(f[2])
			if err != nil {
				files.report(file, line, "role %q needs an integer offset, not %q", role, f[2])
				return
			}
			off = n
		case f[2] != "-" && f[2] != "":
			files.report(file, line, "role %q takes no offset (write -), not %q", role, f[2])
			return
		}
		isStandalone := containsString(standalone, role)
		for _, w := range ws {
			if containsString(dr.words[role], w) {
				files.report(file, line, "%q is listed twice in role %q", w, role)
				continue
			}
			if at, dup := owner[w]; dup && isStandalone {
				files.report(file, line, "%q is already a word of %s", w, at)
				continue
			}
			if isStandalone {
				owner[w] = fmt.Sprintf("%s (%s:%d)", role, file, line)
			}
			dr.words[role] = append(dr.words[role], w)
			if hasOffset {
				if dr.offset[role] == nil {
					dr.offset[role] = map[string]int{}
				}
				dr.offset[role][w] = off
			}
		}
	})
	if len(files.errs) > 0 {
		return nil
	}
	for role := range dateRoles {
		if len(dr.words[role]) == 0 {
			files.errs = append(files.errs, fmt.Errorf("dates.tsv: role %q is missing (the code uses it)", role))
		}
	}
	if len(files.errs) > 0 {
		return nil
	}
	dr.compile()
	return dr
}

// compile builds the patterns of the relative, vague and issuing-day
// words.
func (dr *dateRules) compile() {
	num := `(\d{1,2}|` + cnNum + `{1,3})`
	dr.relYear = regexp.MustCompile(alternation(dr.words["relative_year"]) + `(?:` + num + `月(?:` + num + `[日号])?)?`)
	dr.relMonth = regexp.MustCompile(alternation(dr.words["relative_month"]) + `(?:` + num + `[日号])?`)
	dr.relDay = regexp.MustCompile(alternation(append(slices.Clone(dr.words["relative_day"]), dr.words["context_day"]...)))
	dr.vague = regexp.MustCompile(alternation(dr.words["vague"]))
	dr.issueDay = regexp.MustCompile(`自(?:本|该|此|这一)?` + `(?:` + alternation(dr.words["issue_phrase_doc"]) + `)?` +
		`(?:《[^》\n]{1,40}》)?` + alternation(dr.words["issue_phrase_verb"]) + `之日起|(?:自|从)?` + alternation(dr.words["today_phrase"]))
	dr.yearRange = regexp.MustCompile(`((?:19|20)\d{2})\s*年?\s*` + alternation(dr.words["range_link"]) + `\s*((?:19|20)\d{2})\s*年`)
	dr.relYearAt = anchorRunes(dr.words["relative_year"])
	dr.relMonthAt = anchorRunes(dr.words["relative_month"])
	dr.relDayAt = anchorRunes(append(slices.Clone(dr.words["relative_day"]), dr.words["context_day"]...))
	dr.vagueAt = anchorRunes(dr.words["vague"])
	dr.issueDayAt = anchorRunes(append([]string{"之日起"}, dr.words["today_phrase"]...))
}

// alternation is a capturing group matching any of ws, longest first.
func alternation(ws []string) string {
	sorted := slices.Clone(ws)
	// longest first, so that 上个月 wins over 上月 at the same position
	slices.SortStableFunc(sorted, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	q := make([]string, len(sorted))
	for i, w := range sorted {
		q[i] = regexp.QuoteMeta(w)
	}
	return "(" + strings.Join(q, "|") + ")"
}

// anchorRunes is a small set of runes such that every word of ws holds
// one (chosen greedily: the rune most words hold first), so that a
// pattern of the words runs only around them.
func anchorRunes(ws []string) string {
	left := slices.Clone(ws)
	var out []rune
	for len(left) > 0 {
		count := map[rune]int{}
		for _, w := range left {
			seen := map[rune]bool{}
			for _, r := range w {
				if !seen[r] {
					seen[r] = true
					count[r]++
				}
			}
		}
		var best rune
		for r, n := range count {
			if n > count[best] || n == count[best] && r < best {
				best = r
			}
		}
		out = append(out, best)
		left = slices.DeleteFunc(left, func(w string) bool { return strings.ContainsRune(w, best) })
	}
	return string(out)
}

// list returns the words of a role.
func (dr *dateRules) list(role string) []string {
	l, ok := dr.words[role]
	if !ok {
		panic("extract: date role " + role + " not loaded") // loadDateRules guards this
	}
	return l
}
