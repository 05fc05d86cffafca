// Package cmdutil holds what every command shares: the Factory of lazy
// dependencies, the mapping of errors to exit statuses, argument and
// --format helpers, and the table and JSON printers.
package cmdutil

import (
	"context"
	"log/slog"
	"time"

	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// GlobalOptions are the values of the root command's persistent flags.
// The root command binds them; the Factory's lazy functions read them when
// first called, i.e. after flag parsing.
type GlobalOptions struct {
	DB          string        // --db; empty means $MEDKG_DB or graph.DefaultPath()
	Backend     string        // --backend: one of graph.Backends
	VocabFiles  []string      // --vocab, repeatable
	Verbose     bool          // --verbose
	LockTimeout time.Duration // --lock-timeout
}

// Factory provides a command's dependencies. Everything expensive is a
// function, called only by the commands that need it, so that --help,
// version and completion never load the vocabulary, build the extractor
// or open the graph.
type Factory struct {
	IOStreams  *iostreams.IOStreams
	AppVersion string
	Globals    *GlobalOptions

	// Logger returns the logger writing to stderr: debug level with
	// --verbose, warnings only otherwise.
	Logger func() *slog.Logger

	// Vocabulary loads (once) the built-in vocabulary merged with the
	// user's directory and --vocab files.
	Vocabulary func() (*vocab.Vocabulary, error)

	// Extractor builds (once) the extractor over Vocabulary().
	Extractor func() (*extract.Extractor, error)

	// GraphPath returns the directory of the graph: --db, $MEDKG_DB or
	// the default data directory.
	GraphPath func() (string, error)

	// Store opens the graph; the caller closes it. Read-only stores are
	// for commands that only read (query, gizmo, export, stats).
	Store func(ctx context.Context, readOnly bool) (*graph.Store, error)
}
