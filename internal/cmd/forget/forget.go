// Package forget implements `medkg forget`.
package forget

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// ForgetOptions are the inputs of `medkg forget`.
type ForgetOptions struct {
	IO    *iostreams.IOStreams
	Store func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Refs   []string
	Format string
}

// NewCmdForget returns the forget command.
func NewCmdForget(f *cmdutil.Factory, runF func(*ForgetOptions) error) *cobra.Command {
	opts := &ForgetOptions{IO: f.IOStreams, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "forget DOC...",
		Short: "Remove documents and what they asserted from the graph",
		Long: `Remove documents from the graph, with the mentions, relations and evidence
they contributed. Entities and curated vocabulary facts stay.

DOC is the path the document was ingested from (a relative path is
resolved against the current directory, as ingest does; the file need not
exist any more), its IRI or source ("stdin:…"), or a unique prefix of its
content hash (at least 4 hex digits), as listed by medkg stats.`,
		Example: `  $ medkg forget testdata/devset/000_nhc_ban_zaobao.md
  $ medkg forget 3fa94c2e
  $ medkg forget stdin:3fa94c2e1b07`,
		Args: cmdutil.MinimumArgs(1, "name at least one document: its path, IRI or hash prefix"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Refs = args
			if runF != nil {
				return runF(opts)
			}
			return forgetRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// Forgotten is one document reference and what removing it took away.
type Forgotten struct {
	Ref     string `json:"ref"`
	Removed int    `json:"removed"`
	Error   string `json:"error,omitempty"`
}

// Ref turns a DOC argument into what the graph looks documents up by: an
// existing file as its absolute path (the source ingest stored), anything
// else as given: a source, an IRI or a hash prefix. The graph also tries
// the absolute form of a path that no longer exists.
func Ref(arg string) (string, error) {
	if _, err := os.Stat(arg); err != nil {
		return arg, nil
	}
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", fmt.Errorf("resolve %q: %w", arg, err)
	}
	return abs, nil
}

func forgetRun(ctx context.Context, opts *ForgetOptions) (err error) {
	// A read-only open first: it fails (exit 3) where no store exists,
	// where a writable open would create an empty one just to find
	// nothing in it.
	probe, err := opts.Store(ctx, true)
	if err != nil {
		return err
	}
	if err := probe.Close(); err != nil {
		return fmt.Errorf("close graph: %w", err)
	}
	store, err := opts.Store(ctx, false)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()

	results := make([]Forgotten, 0, len(opts.Refs))
	failed := 0
	var lastErr error
	for _, arg := range opts.Refs {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := forgetOne(ctx, store, arg)
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, arg) {
				msg = arg + ": " + msg
			}
			fmt.Fprintln(opts.IO.ErrOut, msg)
			results = append(results, Forgotten{Ref: arg, Error: err.Error()})
			failed++
			lastErr = err
			continue
		}
		results = append(results, Forgotten{Ref: arg, Removed: n})
	}

	if opts.Format == cmdutil.FormatJSON {
		if err := cmdutil.WriteJSON(opts.IO, results); err != nil {
			return err
		}
	} else {
		tp := cmdutil.NewTablePrinter(opts.IO)
		tp.Header("document", "removed")
		for _, r := range results {
			if r.Error == "" {
				tp.AddRow(r.Ref, strconv.Itoa(r.Removed))
			}
		}
		if err := tp.Render(); err != nil {
			return err
		}
	}
	switch {
	case failed == 0:
		return nil
	case failed == len(opts.Refs):
		return &medkg.Error{Code: medkg.ErrorCode(lastErr), Message: "nothing forgotten", Err: cmdutil.ErrSilent}
	default:
		return medkg.Errorf(medkg.EPARTIAL, "%d of %d documents not forgotten", failed, len(opts.Refs))
	}
}

func forgetOne(ctx context.Context, store *graph.Store, arg string) (int, error) {
	ref, err := Ref(arg)
	if err != nil {
		return 0, err
	}
	n, err := store.Forget(ctx, ref)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, medkg.Errorf(medkg.ENOTFOUND, "no document in the graph matches %s (see medkg stats)", ref)
	}
	return n, nil
}
