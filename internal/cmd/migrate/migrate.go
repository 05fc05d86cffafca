// Package migrate implements `medkg migrate`.
package migrate

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// MigrateOptions are the inputs of `medkg migrate`.
type MigrateOptions struct {
	IO      *iostreams.IOStreams
	Migrate func(ctx context.Context) (graph.MigrateResult, error)

	Format string
}

// NewCmdMigrate returns the migrate command.
func NewCmdMigrate(f *cmdutil.Factory, runF func(*MigrateOptions) error) *cobra.Command {
	opts := &MigrateOptions{IO: f.IOStreams}
	opts.Migrate = func(ctx context.Context) (graph.MigrateResult, error) {
		path, err := f.GraphPath()
		if err != nil {
			return graph.MigrateResult{}, err
		}
		return graph.Migrate(ctx, graph.Options{
			Backend:     f.Globals.Backend,
			Path:        path,
			LockTimeout: f.Globals.LockTimeout,
			Logger:      f.Logger(),
		})
	}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring a graph store written by an older medkg up to date",
		Long: `Bring a graph store written by an older medkg to the current layout.

Stores from before the per-document index open read-only (queries work)
but refuse writes until migrated. Migrating a bolt store copies every quad
into a new file with the current indexes and swaps it in; the old file is
kept beside it as indexes.bolt.pre-migrate (delete it once satisfied). The
store is held exclusively meanwhile; an interrupted migration leaves the
old store as it was. A current store is left alone.

Stores and PostgreSQL databases from before the query index (which keeps
the named queries fast on large graphs) likewise answer queries, slowly,
and refuse writes; migrating builds the index in place from every
document's quads, about a minute per million quads. It is marked complete
last, so an interrupted build is simply run again.`,
		Example: `  $ medkg migrate
  $ medkg --db ~/old-graph migrate`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return migrateRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func migrateRun(ctx context.Context, opts *MigrateOptions) error {
	res, err := opts.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, res)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.AddRow("store", res.Store)
	tp.AddRow("migrated", strconv.FormatBool(res.Changed))
	if res.Changed && res.Backup != "" {
		tp.AddRow("quads", strconv.FormatInt(res.Quads, 10))
		tp.AddRow("backup", res.Backup)
	}
	if res.Indexed > 0 {
		tp.AddRow("indexed", strconv.Itoa(res.Indexed)+" labels (the vocabulary and each document)")
	}
	return tp.Render()
}
