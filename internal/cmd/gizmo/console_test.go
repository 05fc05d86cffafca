package gizmo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/chzyer/readline"
)

func TestComplete(t *testing.T) {
	tests := []struct {
		script string
		want   bool
	}{
		{`g.V().All()`, true},
		{`g.V(`, false},
		{"g.V(\n\"<nerve:tibial>\"", false},
		{"g.V(\n\"<nerve:tibial>\").All()", true},
		{`var f = function() {`, false},
		{"var f = function() {\n return 1\n}", true},
		{`g.V("(").All()`, true},   // bracket in a string
		{`g.V('[').All()`, true},   // single quotes
		{`g.V("\")").All()`, true}, // escaped quote
		{"g.V() // (", true},       // line comment
		{"g.V() /* ( */", true},    // block comment
		{"g.V() /* ( ", false},     // open block comment
		{"var s = `a\n(", false},   // open template literal
		{"g.V())", true},           // too many closers: let the engine report it
		{"[1, 2,\n 3]", true},
		{"{", false},
		{"g.V(\"<medkg:nerve/tibial>\").", false},         // chain continues on the next line
		{"g.V(\"<medkg:nerve/tibial>\"). // more", false}, // … even with a comment
		{"var a = 1 +", false},
		{"var ok = a ==", false},
		{"var s = \"a.\"", true},
		{"g.V(\"<medkg:nerve/tibial>\")\n.All()", true},
	}
	for _, tt := range tests {
		if got := Complete(tt.script); got != tt.want {
			t.Errorf("Complete(%q) = %v, want %v", tt.script, got, tt.want)
		}
	}
}

// scriptedReader replays lines, then io.EOF; an entry of nil error with
// interrupt set simulates Ctrl-C.
type scriptedReader struct {
	lines   []string
	prompts []string
	history []string
}

const ctrlC = "\x03"

func (r *scriptedReader) Readline() (string, error) {
	if len(r.lines) == 0 {
		return "", io.EOF
	}
	l := r.lines[0]
	r.lines = r.lines[1:]
	if l == ctrlC {
		return "", readline.ErrInterrupt
	}
	return l, nil
}

func (r *scriptedReader) SetPrompt(p string)         { r.prompts = append(r.prompts, p) }
func (r *scriptedReader) SaveHistory(l string) error { r.history = append(r.history, l); return nil }

func TestRepl(t *testing.T) {
	tests := []struct {
		name        string
		lines       []string
		wantRun     []string
		wantPrompts []string
		wantErrOut  string
	}{
		{
			name:        "single and multi-line statements",
			lines:       []string{"g.V().All()", "g.V(", `  "<nerve:tibial>"`, ").All()"},
			wantRun:     []string{"g.V().All()", "g.V(\n  \"<nerve:tibial>\"\n).All()"},
			wantPrompts: []string{prompt, prompt, contPrompt, contPrompt, prompt},
		},
		{
			name:    "blank lines and :quit",
			lines:   []string{"", "  ", "g.V().All()", ":quit", "never()"},
			wantRun: []string{"g.V().All()"},
		},
		{
			name:       "Ctrl-C drops a pending statement",
			lines:      []string{"g.V(", ctrlC, "g.V().All()", ctrlC},
			wantRun:    []string{"g.V().All()"},
			wantErrOut: "(:quit or Ctrl-D to leave)\n",
		},
		{
			name:       "a failing statement is reported and the loop goes on",
			lines:      []string{"bad()", "g.V().All()"},
			wantRun:    []string{"bad()", "g.V().All()"},
			wantErrOut: "error: boom\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rl := &scriptedReader{lines: tt.lines}
			var errOut bytes.Buffer
			var ran []string
			err := repl(context.Background(), rl, &errOut, func(s string) error {
				ran = append(ran, s)
				if s == "bad()" {
					return errors.New("boom")
				}
				return nil
			})
			if err != nil {
				t.Fatalf("repl: %v", err)
			}
			if strings.Join(ran, "|") != strings.Join(tt.wantRun, "|") {
				t.Errorf("ran %q, want %q", ran, tt.wantRun)
			}
			if tt.wantPrompts != nil && strings.Join(rl.prompts, "|") != strings.Join(tt.wantPrompts, "|") {
				t.Errorf("prompts %q, want %q", rl.prompts, tt.wantPrompts)
			}
			if errOut.String() != tt.wantErrOut {
				t.Errorf("stderr %q, want %q", errOut.String(), tt.wantErrOut)
			}
			if len(rl.history) != len(tt.wantRun) {
				t.Errorf("history %q, want one entry per statement", rl.history)
			}
		})
	}
}

func TestReplStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rl := &scriptedReader{lines: []string{"a()", "b()"}}
	var ran []string
	err := repl(ctx, rl, io.Discard, func(s string) error {
		ran = append(ran, s)
		cancel()
		return context.Canceled
	})
	if !errors.Is(err, context.Canceled) || len(ran) != 1 {
		t.Errorf("err = %v, ran = %q; want context.Canceled after the first statement", err, ran)
	}
}

func TestHistoryFile(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := HistoryFile(); got != "/state/medkg/gizmo_history" {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got := HistoryFile(); got != "/home/u/.local/state/medkg/gizmo_history" {
		t.Errorf("without XDG_STATE_HOME: %q", got)
	}
}
