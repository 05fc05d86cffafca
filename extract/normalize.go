package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// keepFullWidth are full-width punctuation marks that are the normal
// Chinese forms; folding them to ASCII would only make evidence harder to
// read.
var keepFullWidth = map[rune]bool{'，': true, '！': true, '？': true, '；': true, '：': true, '（': true, '）': true}

// Normalize prepares text for matching. Mention offsets are rune offsets
// into its result, so every step is documented here:
//
//   - full-width ASCII letters, digits and symbols become half-width
//     (ＭＲＩ → MRI, ５％ → 5%); the Chinese comma, colon, semicolon, marks
//     and parentheses stay full-width; ideographic and no-break spaces
//     become spaces; zero-width characters are dropped;
//   - obfuscations common on Chinese health sites are undone: a full stop
//     between two Chinese characters (彻.底 → 彻底) and a lone Z standing
//     for 最 before a Chinese character (Z常见 → 最常见);
//   - when hardWrapped is true (plain text, possibly extracted from a PDF),
//     lines that were wrapped at a fixed width are joined (腓\n总神经 →
//     腓总神经, conduc-\ntion → conduction), while short lines stay
//     paragraph breaks;
//   - a line that breaks off after 、 or a comma goes on in the next
//     (unless that opens a list item or a numbered heading);
//   - runs of spaces collapse to one, spaces between Chinese characters are
//     dropped, lines are trimmed and empty lines removed, so paragraphs are
//     separated by a single newline.
func Normalize(s string, hardWrapped bool) string {
	s = strings.Map(foldRune, s)
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = cleanLine(l); l != "" {
			kept = append(kept, l)
		}
	}
	lines = kept
	if hardWrapped {
		lines = joinWrapped(lines)
	}
	return strings.Join(joinBroken(lines), "\n")
}

// joinBroken joins a line that breaks off inside a sentence — after an
// enumeration comma or a comma, where no sentence ends (A、B、\nC等引起) —
// with the next, unless the next opens a list item or numbered heading.
func joinBroken(lines []string) []string {
	out := lines[:0]
	for _, l := range lines {
		if n := len(out); n > 0 && brokenOff(out[n-1]) && !heading.MatchString(l) && !strings.ContainsRune(itemMarks, []rune(l)[0]) {
			out[n-1] = joinPair(out[n-1], l)
			continue
		}
		out = append(out, l)
	}
	return out
}

// brokenOff reports whether line l ends inside a sentence: on 、 or a comma.
func brokenOff(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return r == '、' || r == '，' || r == ','
}

// itemMarks open list items (and table rows) at a line's start.
const itemMarks = "-*•·●○■□◆◇▲△★☆►▶☞※>|#"

func foldRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～' && !keepFullWidth[r]:
		return r - 0xFEE0
	case r == '\u3000' || r == '\u00a0' || r == '\t' || r == '\f' || r == '\v':
		return ' '
	case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
		return -1
	}
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isCJK reports whether r is a Chinese character or Chinese punctuation,
// between which spaces carry no meaning.
func isCJK(r rune) bool {
	return isHan(r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…'
}

// cleanLine undoes obfuscations and removes meaningless spaces in a line.
func cleanLine(line string) string {
	rs := []rune(strings.TrimSpace(line))
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		prev, next := rune(0), rune(0)
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r == '.' && isHan(prev) && isHan(next):
			continue
		case r == 'Z' && isHan(next) && !isASCIILetter(prev) && !isDigit(prev):
			r = '最'
		case r == ' ':
			if prev == ' ' || prev == 0 {
				continue
			}
			// drop a space between CJK characters (looking past further spaces)
			j := i + 1
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
			if j < len(rs) && isCJK(prev) && isCJK(rs[j]) {
				continue
			}
		}
		out = append(out, r)
	}
	return strings.TrimSpace(string(out))
}

func isASCIILetter(r rune) bool { return r < 128 && (unicode.IsLetter(r)) }
func isDigit(r rune) bool       { return r >= '0' && r <= '9' }

// displayWidth counts wide (CJK) characters as 2 columns, as a PDF line
// layout does.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (isCJK(r) || unicode.Is(unicode.Han, r) || r >= 0xac00 && r <= 0xd7a3) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// joinWrapped joins lines of text that was wrapped at a fixed width. It
// finds the typical full-line width; lines at least ¾ of it long are
// continued by the next line. Text without such a regular width (one
// paragraph per line) is returned unchanged.
func joinWrapped(lines []string) []string {
	width := typicalWidth(lines)
	if width == 0 {
		return lines
	}
	var out []string
	cur := ""
	for i, l := range lines {
		if cur == "" {
			cur = l
		} else {
			cur = joinPair(cur, l)
		}
		// A short line ends a paragraph; so does the title, a line that
		// ends a sentence (joining it would only lose the line break a
		// list or heading after it is read by), and any line before a
		// numbered heading.
		if displayWidth(l) < width*3/4 || i == 0 || endsSentence(l) || (i+1 < len(lines) && heading.MatchString(lines[i+1])) {
			out = append(out, cur)
			cur = ""
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// typicalWidth returns the most common width of long lines if enough lines
// share it to suggest fixed-width wrapping, and 0 otherwise.
func typicalWidth(lines []string) int {
	var widths []int
	for _, l := range lines {
		if w := displayWidth(l); w >= 24 {
			widths = append(widths, w)
		}
	}
	if len(widths) < 5 {
		return 0
	}
	sort.Ints(widths)
	// the width with the most lines within ±8% of it
	best, bestN := 0, 0
	for _, w := range widths {
		lo, hi := w*92/100, w*108/100
		n := sort.SearchInts(widths, hi+1) - sort.SearchInts(widths, lo)
		if n > bestN {
			best, bestN = w, n
		}
	}
	if bestN*10 < len(lines)*3 || bestN*10 < len(widths)*5 {
		return 0
	}
	return best
}

// heading matches numbered section headings and list items: 2 讨论,
// 1.2 方法, 三、治疗, 2、手术, (3) 病因, ① 症状.
var heading = regexp.MustCompile(`^(\d+(\.\d+)*\s+[\p{Han}]|[一二三四五六七八九十]+、|\d+[、.．]\s*[\p{Han}]|[(（]\d+[)）]|[①-⑳])`)

// endsSentence reports whether line l ends with a sentence-final mark.
func endsSentence(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return r == '。' || r == '！' || r == '？' || r == '!' || r == '?' || r == '；'
}

func joinPair(a, b string) string {
	ar, br := []rune(a), []rune(b)
	last, first := ar[len(ar)-1], br[0]
	switch {
	case last == '-' && len(ar) > 1 && isASCIILetter(ar[len(ar)-2]) && isASCIILetter(first):
		return string(ar[:len(ar)-1]) + b
	case (isASCIILetter(last) || isDigit(last) || last == ',' || last == '.') && isASCIILetter(first):
		return a + " " + b
	}
	return a + b
}

// sentenceEnd marks the end of a sentence; closing quotes and brackets
// that follow it belong to the sentence.
func sentenceEnd(r rune) bool {
	return r == '。' || r == '！' || r == '？' || r == '!' || r == '?' || r == '\n'
}

func closer(r rune) bool {
	return r == '”' || r == '’' || r == '」' || r == '』' || r == '）' || r == ')' || r == '"' || r == '】'
}

// MaxSentence is the longest sentence, in runes, that extraction reads as
// one: longer runs are cut, at a clause break where one is near.
const MaxSentence = 1000

// splitSentences splits normalised text into sentences at 。！？!? and
// line breaks. Offsets are rune offsets; sentence text is trimmed.
func splitSentences(text []rune) []medkg.Sentence {
	var out []medkg.Sentence
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && (text[s] == ' ' || text[s] == '\n') {
			s++
		}
		for e > s && (text[e-1] == ' ' || text[e-1] == '\n') {
			e--
		}
		// A run-on "sentence" (a list of thousands of items, a page
		// without punctuation) is cut at a clause break, else anywhere,
		// so that the work per sentence stays bounded.
		for e-s > MaxSentence {
			cut := s + MaxSentence
			for j := cut; j > s+MaxSentence/2; j-- {
				if clauseBreak(text[j-1]) {
					cut = j
					break
				}
			}
			out = append(out, medkg.Sentence{Start: s, End: cut, Text: string(text[s:cut])})
			s = cut
		}
		if e > s {
			out = append(out, medkg.Sentence{Start: s, End: e, Text: string(text[s:e])})
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		if !sentenceEnd(text[i]) {
			continue
		}
		j := i + 1
		for j < len(text) && (closer(text[j]) || (text[i] != '\n' && sentenceEnd(text[j]) && text[j] != '\n')) {
			j++
		}
		emit(j)
		i = j - 1
	}
	emit(len(text))
	return out
}

// clauseBreak separates clauses inside a sentence; a parenthesis opens or
// closes an aside.
func clauseBreak(r rune) bool {
	switch r {
	case '，', ',', '；', ';', '：', ':', '(', ')', '（', '）':
		return true
	}
	return false
}
