// Package export implements `medkg export`.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// ExportOptions are the inputs of `medkg export`.
type ExportOptions struct {
	IO    *iostreams.IOStreams
	Store func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Format string
	Output string
}

// NewCmdExport returns the export command.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Store: f.Store}
	formats := graph.ExportFormats()
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the whole graph in an interchange format",
		Long: `Write the whole graph, entities, relations, documents and evidence, to
standard output or to a file.

With -o the graph is written to a temporary file next to FILE and renamed
over it only when complete, so a failed or interrupted export never leaves
a partial file.`,
		Example: `  $ medkg export > graph.nq
  $ medkg export --format json -o graph.json
  $ medkg export --format dot | dot -Tsvg > graph.svg
  $ medkg export --format graphml -o graph.graphml`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	def := "nquads"
	ordered := []string{def}
	for _, f := range formats {
		if f != def {
			ordered = append(ordered, f)
		}
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, ordered...)
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "Write to `FILE` instead of standard output")
	return cmd
}

func exportRun(ctx context.Context, opts *ExportOptions) (err error) {
	store, err := opts.Store(ctx, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	if opts.Output == "" || opts.Output == "-" {
		if err := store.Export(ctx, opts.IO.Out, opts.Format); err != nil {
			return fmt.Errorf("export %s: %w", opts.Format, err)
		}
		return nil
	}
	return writeAtomic(opts.Output, func(w io.Writer) error {
		if err := store.Export(ctx, w, opts.Format); err != nil {
			return fmt.Errorf("export %s to %s: %w", opts.Format, opts.Output, err)
		}
		return nil
	})
}

// writeAtomic writes path through a temporary file in the same directory
// renamed over path once write and Close have succeeded.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("set mode of %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	return nil
}
