package gizmo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chzyer/readline"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
)

const (
	prompt     = "gizmo> "
	contPrompt = "   ... "
)

// lineReader is the part of *readline.Instance the console uses, so tests
// can drive it with scripted lines.
type lineReader interface {
	Readline() (string, error)
	SetPrompt(string)
	SaveHistory(string) error
}

func console(ctx context.Context, opts *GizmoOptions, store *graph.Store) error {
	cfg := &readline.Config{
		Prompt:                 prompt,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		InterruptPrompt:        "^C",
		EOFPrompt:              ":quit",
		Stdout:                 opts.IO.Out,
		Stderr:                 opts.IO.ErrOut,
	}
	if f, ok := opts.IO.StdinFile(); ok {
		cfg.Stdin = f
	} else {
		cfg.Stdin = io.NopCloser(opts.IO.In)
	}
	if h := opts.HistoryFile(); h != "" {
		if err := os.MkdirAll(filepath.Dir(h), 0o755); err != nil {
			opts.Logger().Warn("no gizmo history", "err", err)
		} else {
			cfg.HistoryFile = h
		}
	}
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return fmt.Errorf("start console: %w", err)
	}
	defer rl.Close()
	fmt.Fprintf(opts.IO.ErrOut, "Gizmo console: end a statement with balanced brackets; :quit or Ctrl-D to leave.\n")
	return repl(ctx, rl, opts.IO.ErrOut, func(script string) error {
		results, err := runQuery(ctx, opts, store, script)
		if err != nil {
			return err
		}
		return cmdutil.WriteJSON(opts.IO, results)
	})
}

// repl reads statements from rl, one or more lines each, and runs them
// until EOF, :quit or cancellation. A failing statement is reported on
// errOut and the loop goes on.
func repl(ctx context.Context, rl lineReader, errOut io.Writer, run func(string) error) error {
	var buf []string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(buf) == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(contPrompt)
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			if len(buf) == 0 {
				fmt.Fprintln(errOut, "(:quit or Ctrl-D to leave)")
			}
			buf = nil
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("read console input: %w", err)
		}
		if len(buf) == 0 {
			switch strings.TrimSpace(line) {
			case "":
				continue
			case ":quit", ":q", ":exit", "exit", "quit":
				return nil
			case ":help", "help":
				fmt.Fprintln(errOut, `Type a Gizmo query, e.g. g.V("<medkg:nerve/tibial>").Out("<medkg:innervates>").All()`)
				continue
			}
		}
		buf = append(buf, line)
		script := strings.Join(buf, "\n")
		if !Complete(script) {
			continue
		}
		buf = nil
		_ = rl.SaveHistory(strings.Join(strings.Fields(script), " "))
		if err := run(script); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(errOut, "error: %v\n", err)
		}
	}
}

// Complete reports whether script is a complete statement: every (, [ and
// { closed, no template literal or block comment left open, and the last
// line not ending in an operator that needs more (".", ",", "+", "&&",
// "||", "="), so that a chain can be split before or after its dots.
// Brackets inside strings and comments do not count.
func Complete(script string) bool {
	depth := 0
	var quote rune // ', " or ` while inside a string
	r := []rune(script)
	for i := 0; i < len(r); i++ {
		c := r[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			quote = c
		case '/':
			if i+1 < len(r) && r[i+1] == '/' {
				for i < len(r) && r[i] != '\n' {
					i++
				}
			} else if i+1 < len(r) && r[i+1] == '*' {
				end := strings.Index(string(r[i+2:]), "*/")
				if end < 0 {
					return false
				}
				i += 2 + len([]rune(string(r[i+2:])[:end])) + 1
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
	}
	// A string left open at the end of a line is a syntax error in
	// JavaScript (except template literals); let the engine report it.
	if depth > 0 || quote == '`' {
		return false
	}
	code := strings.TrimRight(stripLineComment(script), " \t\r\n")
	for _, op := range []string{".", ",", "+", "&&", "||", "="} {
		if strings.HasSuffix(code, op) {
			return false
		}
	}
	return true
}

// stripLineComment removes a trailing // comment from the last line, when
// the // is outside quotes.
func stripLineComment(script string) string {
	start := strings.LastIndex(script, "\n") + 1
	last := script[start:]
	var quote rune
	for i, c := range last {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '/' && strings.HasPrefix(last[i:], "//"):
			return script[:start] + last[:i]
		}
	}
	return script
}
