package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/iostreams"
)

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"胫神经", 6},
		{"nerve:胫", 8},
		{"（全角）", 8},
	}
	for _, tt := range tests {
		if got := DisplayWidth(tt.s); got != tt.want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestTablePrinter(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{"tty aligns by display width with a header", true,
			"ID            NAME    COUNT\n" +
				"nerve:tibial  胫神经  3\n" +
				"x             a b     10\n"},
		{"pipe is tab-separated with a header", false,
			"id\tname\tcount\n" +
				"nerve:tibial\t胫神经\t3\n" +
				"x\ta b\t10\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			tp := NewTablePrinter(ios)
			tp.Header("id", "name", "count")
			tp.AddRow("nerve:tibial", "胫神经", "3")
			tp.AddRow("x", "a\tb", "10")
			if err := tp.Render(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", out.String(), tt.want)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		if err := WriteJSON(ios, map[string]any{"name": "胫神经", "html": "<a>"}); err != nil {
			t.Fatal(err)
		}
		var v map[string]string
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("tty=%v: invalid JSON %q: %v", tty, out, err)
		}
		if v["name"] != "胫神经" || v["html"] != "<a>" {
			t.Errorf("tty=%v: round trip = %v", tty, v)
		}
		lines := 0
		for _, c := range out.String() {
			if c == '\n' {
				lines++
			}
		}
		if tty && lines < 3 || !tty && lines != 1 {
			t.Errorf("tty=%v: %d lines in %q", tty, lines, out)
		}
	}
}

// pointerMarshaler marshals itself only where it is addressable, as an
// element of a list is.
type pointerMarshaler struct{ N int }

func (p *pointerMarshaler) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`"n=%d"`, p.N)), nil
}

// TestWriteJSONAsEncoder: lists, written an element at a time, come out
// byte for byte as encoding/json writes them whole, indented or not.
func TestWriteJSONAsEncoder(t *testing.T) {
	type row struct {
		Name  string            `json:"name"`
		Items []string          `json:"items"`
		Tags  map[string]string `json:"tags,omitempty"`
		Next  *row              `json:"next,omitempty"`
	}
	values := []any{
		[]row{{Name: "胫神经 <b>&", Items: []string{"a", "b"}, Tags: map[string]string{"k": "v"}}, {Name: "x", Next: &row{Name: "y"}}},
		[]row{},
		[]row(nil),
		[]*row{nil, {Name: "p"}},
		[]any{1, "two", nil, []int{3}, map[string]any{}},
		[]pointerMarshaler{{1}, {2}},
		[]byte("bytes"),
		map[string]int{"a": 1},
		"just a string",
		nil,
	}
	for i, v := range values {
		for _, tty := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if tty {
				enc.SetIndent("", "  ")
			}
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tty)
			if err := WriteJSON(ios, v); err != nil {
				t.Fatal(err)
			}
			if out.String() != want.String() {
				t.Errorf("value %d, tty=%v:\n%s\nwant:\n%s", i, tty, out, &want)
			}
		}
	}
}

func TestTablePrinterFitsWidth(t *testing.T) {
	long := "中国国家卫健委发文叫停小腿神经离断瘦腿手术，要求各地立即停止开展此类手术并加强监管"
	tests := []struct {
		name  string
		width int
		wide  bool
		tty   bool
		check func(t *testing.T, out string)
	}{
		{"cut to the terminal", 40, false, true, func(t *testing.T, out string) {
			for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if w := DisplayWidth(l); w > 40 {
					t.Errorf("line of %d cells: %q", w, l)
				}
			}
			if !strings.Contains(out, "…") {
				t.Errorf("no ellipsis: %q", out)
			}
		}},
		{"--wide keeps everything", 40, true, true, func(t *testing.T, out string) {
			if !strings.Contains(out, long) {
				t.Errorf("cut with --wide: %q", out)
			}
		}},
		{"pipes keep everything", 40, false, false, func(t *testing.T, out string) {
			if !strings.Contains(out, long) {
				t.Errorf("cut when piped: %q", out)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			ios.SetTerminalWidth(tt.width)
			tp := NewTablePrinter(ios)
			tp.SetWide(tt.wide)
			tp.Header("nerve", "evidence")
			tp.AddRow("腓肠内侧皮神经", long)
			if err := tp.Render(); err != nil {
				t.Fatal(err)
			}
			tt.check(t, out.String())
		})
	}
	if got := Truncate("胫神经损伤", 5); got != "胫神…" {
		t.Errorf("Truncate = %q", got)
	}
}
