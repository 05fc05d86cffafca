// Package gizmo implements `medkg gizmo`, the Gizmo (JavaScript) query
// console over the graph.
package gizmo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// GizmoOptions are the inputs of `medkg gizmo`.
type GizmoOptions struct {
	IO     *iostreams.IOStreams
	Logger func() *slog.Logger
	Store  func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Expr    string // -e
	File    string // FILE.js
	Timeout time.Duration
	Limit   int

	// HistoryFile returns where the console keeps its history ("" for
	// none).
	HistoryFile func() string
}

// NewCmdGizmo returns the gizmo command.
func NewCmdGizmo(f *cmdutil.Factory, runF func(*GizmoOptions) error) *cobra.Command {
	opts := &GizmoOptions{IO: f.IOStreams, Logger: f.Logger, Store: f.Store, HistoryFile: HistoryFile}
	cmd := &cobra.Command{
		Use:   "gizmo [FILE.js]",
		Short: "Query the graph with Gizmo (JavaScript)",
		Long: `Run Gizmo queries, Cayley's JavaScript path language, over the graph and print
the results as JSON on standard output.

With -e, run one query; with FILE.js, run the file; with neither, start an
interactive console on a terminal (line editing, history in
$XDG_STATE_HOME/medkg/gizmo_history; a statement continues over several
lines while brackets are open or a line ends with "."; Ctrl-C at the
prompt drops the pending statement, Ctrl-C during a query stops it and
leaves; :quit or Ctrl-D leaves), or run standard input as one query when
it is not a terminal.

Each query is stopped after --timeout (exit status 5) and returns at most
--limit results.`,
		Example: `  $ medkg gizmo -e 'g.V("<medkg:nerve/tibial>").Out("<medkg:innervates>").All()'
  $ medkg gizmo --limit 10 queries/banned.js
  $ echo 'g.V().Limit(5).All()' | medkg gizmo
  $ medkg gizmo`,
		Args: cmdutil.RangeArgs(0, 1, "give at most one script file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			if opts.File != "" && opts.Expr != "" {
				return cmdutil.FlagErrorf("give either -e or a script file, not both")
			}
			if opts.Timeout <= 0 {
				return cmdutil.FlagErrorf("--timeout must be positive, got %s", opts.Timeout)
			}
			if opts.Limit < 0 {
				return cmdutil.FlagErrorf("--limit must be 0 (no limit) or more, got %d", opts.Limit)
			}
			if runF != nil {
				return runF(opts)
			}
			return gizmoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Expr, "exec", "e", "", "Run this Gizmo `query` and exit")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 30*time.Second, "Stop a query after this long")
	cmd.Flags().IntVar(&opts.Limit, "limit", 100, "Return at most this many results per query (0: no limit)")
	return cmd
}

// HistoryFile returns $XDG_STATE_HOME/medkg/gizmo_history, or
// ~/.local/state/medkg/gizmo_history, or "" when there is no home.
func HistoryFile() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "medkg", "gizmo_history")
}

func gizmoRun(ctx context.Context, opts *GizmoOptions) (err error) {
	script := opts.Expr
	switch {
	case opts.File != "":
		data, err := os.ReadFile(opts.File)
		if err != nil {
			if os.IsNotExist(err) {
				return medkg.Errorf(medkg.ENOTFOUND, "read script %s: no such file", opts.File)
			}
			return fmt.Errorf("read script %s: %w", opts.File, err)
		}
		script = string(data)
	case script == "" && !opts.IO.IsStdinTTY():
		data, err := io.ReadAll(opts.IO.In)
		if err != nil {
			return fmt.Errorf("read script from standard input: %w", err)
		}
		script = string(data)
	}

	store, err := opts.Store(ctx, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()

	if script == "" && opts.File == "" && opts.IO.IsStdinTTY() {
		return console(ctx, opts, store)
	}
	results, err := runQuery(ctx, opts, store, script)
	if err != nil {
		return err
	}
	return cmdutil.WriteJSON(opts.IO, results)
}

// runQuery runs one script under the --timeout deadline.
func runQuery(ctx context.Context, opts *GizmoOptions, store *graph.Store, script string) ([]any, error) {
	qctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	// Tests wait for this line (with --verbose) before interrupting.
	opts.Logger().Debug("gizmo query started", "timeout", opts.Timeout, "limit", opts.Limit)
	// One result more than --limit tells whether the limit cut anything.
	fetch := opts.Limit
	if fetch > 0 {
		fetch++
	}
	results, err := store.Gizmo(qctx, script, fetch)
	opts.Logger().Debug("gizmo query", "results", len(results), "took", time.Since(start), "err", err)
	if err != nil {
		if errors.Is(qctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, &medkg.Error{Code: medkg.ETIMEOUT,
				Message: fmt.Sprintf("query stopped after --timeout %s; raise --timeout or narrow the query", opts.Timeout)}
		}
		// The graph's errors already say "gizmo: …".
		return nil, err
	}
	if results == nil {
		results = []any{}
	}
	if opts.Limit > 0 && len(results) > opts.Limit {
		results = results[:opts.Limit]
		fmt.Fprintf(opts.IO.ErrOut, "gizmo: stopped at --limit %d; the query has more results (raise --limit, or --limit 0 for all)\n", opts.Limit)
	}
	return results, nil
}
