package cmdutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg/internal/iostreams"
)

// WriteJSON writes v as one JSON document: indented for a terminal,
// compact (one line) for pipes, so `| jq` and `> file` both work.
//
// A list is written an element at a time, with the bytes encoding/json
// would write for the whole: an answer of thousands of evidence
// sentences is megabytes of JSON, and encoding it whole grew a buffer
// to its size by doubling (a quarter of banned-nerves's time on a 1M-quad
// store).
func WriteJSON(ios *iostreams.IOStreams, v any) error {
	indent := ios.IsStdoutTTY()
	if err := writeJSON(ios.Out, v, indent); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

var jsonMarshaler = reflect.TypeFor[json.Marshaler]()

func writeJSON(out io.Writer, v any, indent bool) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Slice || rv.Len() == 0 || rv.Type().Elem().Kind() == reflect.Uint8 ||
		rv.Type().Implements(jsonMarshaler) || reflect.PointerTo(rv.Type()).Implements(jsonMarshaler) {
		return encodeJSON(out, v, "", indent)
	}
	// As json.Indent lays out an array: each element on its own lines,
	// one level in.
	w := bufio.NewWriterSize(out, 64<<10)
	open, sep, end, prefix := "[", ",", "]\n", ""
	if indent {
		open, sep, end, prefix = "[\n  ", ",\n  ", "\n]\n", "  "
	}
	w.WriteString(open)
	var buf bytes.Buffer
	for i := range rv.Len() {
		if i > 0 {
			w.WriteString(sep)
		}
		buf.Reset()
		// The element where it is, as the whole would encode it: methods on
		// its pointer apply.
		if err := encodeJSON(&buf, rv.Index(i).Addr().Interface(), prefix, indent); err != nil {
			return err
		}
		w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	w.WriteString(end)
	return w.Flush()
}

// encodeJSON writes v as json.Encoder does, HTML characters unescaped;
// indented lines after the first begin with prefix.
func encodeJSON(out io.Writer, v any, prefix string, indent bool) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent(prefix, "  ")
	}
	return enc.Encode(v)
}

// TablePrinter prints rows of fields. On a terminal it prints an upper-case
// header and aligns columns by display width (a Chinese character is two
// cells), fitting the terminal's width: the widest columns are cut with
// "…" unless SetWide. Otherwise it prints tab-separated values with a
// header line of the column names, every field whole, for cut, awk and
// spreadsheets.
type TablePrinter struct {
	out      io.Writer
	tty      bool
	maxWidth int // 0: no limit
	header   []string
	rows     [][]string
}

// NewTablePrinter returns a printer writing to ios.Out.
func NewTablePrinter(ios *iostreams.IOStreams) *TablePrinter {
	t := &TablePrinter{out: ios.Out, tty: ios.IsStdoutTTY()}
	if t.tty {
		t.maxWidth = ios.TerminalWidth()
	}
	return t
}

// SetWide turns off fitting the terminal's width (--wide).
func (t *TablePrinter) SetWide(wide bool) {
	if wide {
		t.maxWidth = 0
	}
}

// Header sets the column names.
func (t *TablePrinter) Header(cols ...string) { t.header = cols }

// AddRow adds a row; missing trailing fields print empty.
func (t *TablePrinter) AddRow(fields ...string) { t.rows = append(t.rows, fields) }

// Len returns the number of rows added.
func (t *TablePrinter) Len() int { return len(t.rows) }

// Render writes the table.
func (t *TablePrinter) Render() error {
	// A tab or newline inside a field would break the columns.
	clean := strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = make([]string, len(r))
		for j, f := range r {
			rows[i][j] = clean.Replace(f)
		}
	}
	if !t.tty {
		if len(t.header) > 0 {
			rows = append([][]string{t.header}, rows...)
		}
		for _, r := range rows {
			if _, err := fmt.Fprintln(t.out, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	if len(t.header) > 0 {
		h := make([]string, len(t.header))
		for i, c := range t.header {
			h[i] = strings.ToUpper(c)
		}
		rows = append([][]string{h}, rows...)
	}
	var widths []int
	for _, r := range rows {
		for i, f := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], DisplayWidth(f))
		}
	}
	fitWidths(widths, t.maxWidth)
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, f := range r {
			f = Truncate(f, widths[i])
			b.WriteString(f)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-DisplayWidth(f)+2))
			}
		}
		if _, err := fmt.Fprintln(t.out, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

// Floors of the cut: the last column (evidence, titles: the long text
// every table ends with) gives way first, down to lastColumnFloor cells;
// then the widest columns, down to columnFloor (seven Chinese
// characters), so that names stay readable; on a narrow terminal, down to
// narrowFloor.
const (
	lastColumnFloor = 30
	columnFloor     = 14
	narrowFloor     = 8
)

// fitWidths narrows columns until the table, with its two-space gutters,
// fits in limit cells, or no column can shrink further.
func fitWidths(widths []int, limit int) {
	if limit <= 0 || len(widths) == 0 {
		return
	}
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	last := len(widths) - 1
	if total > limit && widths[last] > lastColumnFloor {
		cut := min(total-limit, widths[last]-lastColumnFloor)
		widths[last] -= cut
		total -= cut
	}
	for _, floor := range []int{columnFloor, narrowFloor} {
		for total > limit {
			widest := -1
			for i, w := range widths {
				if i == last && floor == columnFloor {
					continue // the last column gave way first; names go next
				}
				if w > floor && (widest < 0 || w > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			next := floor
			for i, w := range widths {
				if i != widest && w > next && w < widths[widest] {
					next = w
				}
			}
			cut := max(1, min(total-limit, widths[widest]-next))
			widths[widest] -= cut
			total -= cut
		}
	}
}

// Truncate cuts s to at most width display cells, ending it with "…"
// when cut.
func Truncate(s string, width int) string {
	if DisplayWidth(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := DisplayWidth(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// DisplayWidth returns the number of terminal cells s takes: two for wide
// East Asian characters, zero for combining marks, one otherwise.
func DisplayWidth(s string) int {
	w := 0
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case unicode.Is(unicode.Mn, r) || r == '\u200b':
		case isWide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115f || // Hangul Jamo
		(r >= 0x2e80 && r <= 0xa4cf && r != 0x303f) || // CJK radicals … Yi
		(r >= 0xac00 && r <= 0xd7a3) || // Hangul syllables
		(r >= 0xf900 && r <= 0xfaff) || // CJK compatibility ideographs
		(r >= 0xfe30 && r <= 0xfe4f) || // CJK compatibility forms
		(r >= 0xff00 && r <= 0xff60) || // full-width forms
		(r >= 0xffe0 && r <= 0xffe6) ||
		(r >= 0x20000 && r <= 0x3fffd))
}
