package cmdutil

import (
	"encoding/json"
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
		{"pipe is tab-separated without header", false,
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
