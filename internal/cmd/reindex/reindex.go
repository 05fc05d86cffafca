// Package reindex implements `medkg reindex`.
package reindex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// ReindexOptions are the inputs of `medkg reindex`.
type ReindexOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)
	Extractor  func() (*extract.Extractor, error)
	Store      func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Format string
}

// NewCmdReindex returns the reindex command.
func NewCmdReindex(f *cmdutil.Factory, runF func(*ReindexOptions) error) *cobra.Command {
	opts := &ReindexOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary, Extractor: f.Extractor, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Re-extract the documents an older vocabulary or extractor produced",
		Long: `Re-extract every stored document that another version of the vocabulary
or of the extraction rules produced (each document stores the version of
the extractor that produced it; medkg ingest says how many are stale), so
that terms added to the vocabulary reach the answers.

The graph keeps only the sentences of assertions, not whole texts: each
stale document is read again from the file it was ingested from. A
document read from standard input, or whose file is gone, is listed as
not re-extracted (ingest it again, or forget it). A file that changed
since is re-extracted as it is now.

Each document is replaced in one transaction: an interruption leaves
every document either as it was or re-extracted, and running the command
again finishes the job. Progress goes to stderr.`,
		Example: `  $ medkg --vocab my-terms.tsv reindex`,
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return reindexRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// Summary is what reindex did.
type Summary struct {
	Stale       int      `json:"stale"`       // stale documents found
	Reextracted int      `json:"reextracted"` // re-extracted and replaced
	Skipped     []Skip   `json:"skipped"`     // not re-extractable
	Version     string   `json:"version"`     // the current extractor's
	Sources     []string `json:"sources"`     // the documents re-extracted
}

// Skip is a stale document that could not be re-extracted.
type Skip struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
}

func reindexRun(ctx context.Context, opts *ReindexOptions) (err error) {
	store, _, _, err := cmdutil.OpenForWrite(ctx, opts.Store, opts.Vocabulary)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	x, err := opts.Extractor()
	if err != nil {
		return err
	}
	stale, err := store.StaleDocuments(ctx, x.Version())
	if err != nil {
		return err
	}
	sum := &Summary{Stale: len(stale), Version: x.Version(), Skipped: []Skip{}, Sources: []string{}}
	for i, d := range stale {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "reindex: interrupted after %d of %d document(s)\n", i, len(stale))
			break
		}
		fmt.Fprintf(opts.IO.ErrOut, "reindex %d/%d %s\n", i+1, len(stale), d.Source)
		doc, reason, err := reextract(ctx, x, d)
		if err != nil {
			return err
		}
		if reason != "" {
			sum.Skipped = append(sum.Skipped, Skip{Source: d.Source, Reason: reason})
			continue
		}
		if _, err := store.Ingest(context.WithoutCancel(ctx), doc); err != nil {
			return fmt.Errorf("reindex %s: %w", d.Source, err)
		}
		sum.Reextracted++
		sum.Sources = append(sum.Sources, d.Source)
	}
	if err := printSummary(opts, sum); err != nil {
		return err
	}
	return ctx.Err()
}

// reextract reads a stored document's file again and extracts it; reason
// says why it cannot be.
func reextract(ctx context.Context, x *extract.Extractor, d graph.DocInfo) (*medkg.Document, string, error) {
	if strings.HasPrefix(d.Source, "stdin:") {
		return nil, "read from standard input: ingest it again", nil
	}
	data, err := os.ReadFile(d.Source)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "the file is gone: ingest it again from where it is, or forget it", nil
	}
	if err != nil {
		return nil, "cannot read the file: " + err.Error(), nil
	}
	a, err := extract.ReadArticle(d.Source, data)
	if err != nil {
		return nil, err.Error(), nil
	}
	doc, err := x.Extract(ctx, a)
	if err != nil {
		return nil, "", fmt.Errorf("reindex %s: extract: %w", d.Source, err)
	}
	return doc, "", nil
}

func printSummary(opts *ReindexOptions, sum *Summary) error {
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, sum)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.AddRow("stale", strconv.Itoa(sum.Stale))
	tp.AddRow("reextracted", strconv.Itoa(sum.Reextracted))
	tp.AddRow("skipped", strconv.Itoa(len(sum.Skipped)))
	if err := tp.Render(); err != nil {
		return err
	}
	for _, s := range sum.Skipped {
		fmt.Fprintf(opts.IO.Out, "  %s: %s\n", s.Source, s.Reason)
	}
	return nil
}
