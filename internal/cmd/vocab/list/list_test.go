package list

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ListOptions
		wantErr bool
	}{
		{name: "defaults", args: nil, want: ListOptions{Format: "table"}},
		{name: "type and json", args: []string{"-t", "nerve", "--format", "json"}, want: ListOptions{Type: "nerve", Format: "json"}},
		{name: "bad type", args: []string{"--type", "bone"}, wantErr: true},
		{name: "argument", args: []string{"x"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdList, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if got.Type != tt.want.Type || got.Format != tt.want.Format {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestListRun(t *testing.T) {
	load := func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil }
	tests := []struct {
		name, typ, format string
		tty               bool
		check             func(t *testing.T, out string)
	}{
		{"tty table", "nerve", "table", true, func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "ALIASES") {
				t.Errorf("no header: %q", lines[0])
			}
			if !strings.Contains(out, "nerve:tibial") || strings.Contains(out, "muscle:") {
				t.Errorf("--type nerve not honoured:\n%s", out)
			}
		}},
		{"piped tsv", "muscle", "table", false, func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if lines[0] != "id\ttype\tname\tenglish\taliases" {
				t.Errorf("header %q", lines[0])
			}
			for _, l := range lines[1:] {
				if f := strings.Split(l, "\t"); len(f) != 5 || !strings.HasPrefix(f[0], "muscle:") {
					t.Fatalf("bad line %q", l)
				}
			}
		}},
		{"json", "", "json", false, func(t *testing.T, out string) {
			var es []struct{ ID, Type, Name string }
			if err := json.Unmarshal([]byte(out), &es); err != nil {
				t.Fatal(err)
			}
			if len(es) != len(cmdtest.Vocabulary(t).Entries()) {
				t.Errorf("%d entries, want all %d", len(es), len(cmdtest.Vocabulary(t).Entries()))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			if err := listRun(&ListOptions{IO: ios, Vocabulary: load, Type: tt.typ, Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			tt.check(t, out.String())
		})
	}
}
