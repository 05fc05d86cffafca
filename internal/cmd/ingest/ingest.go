// Package ingest implements `medkg ingest`.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/input"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// IngestOptions are the inputs of `medkg ingest`.
type IngestOptions struct {
	IO         *iostreams.IOStreams
	Logger     func() *slog.Logger
	Vocabulary func() (*vocab.Vocabulary, error)
	Extractor  func() (*extract.Extractor, error)
	Store      func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Paths  []string
	Format string
}

// NewCmdIngest returns the ingest command.
func NewCmdIngest(f *cmdutil.Factory, runF func(*IngestOptions) error) *cobra.Command {
	opts := &IngestOptions{
		IO:         f.IOStreams,
		Logger:     f.Logger,
		Vocabulary: f.Vocabulary,
		Extractor:  f.Extractor,
		Store:      f.Store,
	}
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Extract articles and store them in the graph",
		Long: `Extract articles and store their entities, relations and evidence in the
graph. PATH may be a file, a directory (walked recursively for *.md,
*.markdown, *.html, *.htm and *.txt; hidden files are skipped) or "-" for
standard input.

The vocabulary is synchronised into the graph first. A document is known by
its absolute path: ingesting an unchanged file again changes nothing, and
ingesting a changed one replaces its previous version.

A file that cannot be read or extracted is listed with its reason and the
others are still ingested; the exit status is then 6. Ctrl-C stops after
the current document: what was ingested stays, consistent.`,
		Example: `  $ medkg ingest testdata/devset
  $ medkg ingest article.md other.html
  $ medkg ingest --format json ~/articles > summary.json
  $ cat article.txt | medkg ingest -`,
		Args: cmdutil.MinimumArgs(1, `name at least one file or directory, or "-" for standard input`),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return ingestRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// Summary is the result of an ingest, printed at the end.
type Summary struct {
	Added        int       `json:"added"`
	Replaced     int       `json:"replaced"`
	Unchanged    int       `json:"unchanged"`
	Entities     int       `json:"entities"`
	Relations    int       `json:"relations"`
	Quads        int       `json:"quads"`
	Skipped      int       `json:"skipped"` // files left alone in directories, and documents not reached after Ctrl-C
	SkippedFiles []Skipped `json:"skipped_files"`
	Failed       int       `json:"failed"`
	Documents    []DocLine `json:"documents"`
	Failures     []Failure `json:"failures"`
	Took         string    `json:"took"`
	took         time.Duration
}

// DocLine is one ingested document.
type DocLine struct {
	File      string             `json:"file"`
	Source    string             `json:"source"`
	Title     string             `json:"title"`
	Status    graph.IngestStatus `json:"status"`
	Entities  int                `json:"entities"`
	Relations int                `json:"relations"`
	Quads     int                `json:"quads"`
}

// Skipped is a file found in a directory and not read: not an article
// file, or not a regular file (FIFO, device, socket).
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Failure is an input that could not be ingested.
type Failure struct {
	File  string `json:"file"`
	Error string `json:"error"`
	code  string
}

func ingestRun(ctx context.Context, opts *IngestOptions) error {
	start := time.Now()
	log := opts.Logger()
	articles, skipped, expandFailures := input.Expand(opts.Paths)
	sum := &Summary{Documents: []DocLine{}, Failures: []Failure{}, SkippedFiles: []Skipped{}}
	for _, sk := range skipped {
		log.Debug("skipped", "file", sk.Arg, "reason", sk.Reason)
		sum.SkippedFiles = append(sum.SkippedFiles, Skipped{File: sk.Arg, Reason: sk.Reason})
	}
	sum.Skipped = len(skipped)
	fail := func(a input.Article, err error) {
		fmt.Fprintln(opts.IO.ErrOut, input.Describe(a, err))
		sum.Failures = append(sum.Failures, Failure{File: a.Arg, Error: err.Error(), code: medkg.ErrorCode(err)})
		sum.Failed++
	}
	for _, fl := range expandFailures {
		fail(input.Article{Arg: fl.Arg}, fl.Err)
	}

	if len(articles) > 0 {
		if err := ingestArticles(ctx, opts, log, articles, sum, fail); err != nil {
			return err
		}
	}
	sum.took = time.Since(start)
	sum.Took = sum.took.Round(time.Millisecond).String()
	if err := printSummary(opts, sum); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	total := len(articles) + len(expandFailures)
	switch {
	case sum.Failed == 0:
		return nil
	case sum.Failed == total:
		// Nothing was ingested: the failures' own code (the last one's)
		// is the exit status; each has been printed with its file.
		code := sum.Failures[len(sum.Failures)-1].code
		return &medkg.Error{Code: code, Message: "nothing ingested", Err: cmdutil.ErrSilent}
	default:
		return medkg.Errorf(medkg.EPARTIAL, "%d of %d inputs failed", sum.Failed, total)
	}
}

// ingestArticles opens the graph, synchronises the vocabulary and ingests
// each article, stopping between documents when ctx is cancelled.
func ingestArticles(ctx context.Context, opts *IngestOptions, log *slog.Logger, articles []input.Article, sum *Summary, fail func(input.Article, error)) (err error) {
	v, err := opts.Vocabulary()
	if err != nil {
		return err
	}
	// Open the graph before building the extractor, so that a locked
	// graph fails at once.
	store, err := opts.Store(ctx, false)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	changed, err := store.SyncVocabulary(ctx, v.Version(), v.Entities(), v.Facts())
	if err != nil {
		return fmt.Errorf("synchronise vocabulary into the graph: %w", err)
	}
	log.Debug("vocabulary synchronised", "version", v.Version(), "changed", changed)
	x, err := opts.Extractor()
	if err != nil {
		return err
	}

	bar := newProgress(opts.IO, len(articles))
	defer bar.done()
	for i, a := range articles {
		if ctx.Err() != nil {
			sum.Skipped += len(articles) - i
			bar.done()
			fmt.Fprintf(opts.IO.ErrOut, "interrupted: %d document(s) not ingested\n", len(articles)-i)
			return nil
		}
		bar.step(i, a.Arg)
		line, err := ingestOne(ctx, x, store, opts.IO, a)
		if err != nil {
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				sum.Skipped += len(articles) - i
				bar.done()
				fmt.Fprintf(opts.IO.ErrOut, "interrupted: %d document(s) not ingested\n", len(articles)-i)
				return nil
			}
			bar.clear()
			fail(a, err)
			continue
		}
		log.Debug("ingested", "file", a.Arg, "status", line.Status, "quads", line.Quads)
		sum.Documents = append(sum.Documents, line)
		sum.Entities += line.Entities
		sum.Relations += line.Relations
		sum.Quads += line.Quads
		switch line.Status {
		case graph.IngestStatus("added"):
			sum.Added++
		case graph.IngestStatus("replaced"):
			sum.Replaced++
		default:
			sum.Unchanged++
		}
	}
	return nil
}

func ingestOne(ctx context.Context, x *extract.Extractor, store *graph.Store, ios *iostreams.IOStreams, a input.Article) (DocLine, error) {
	data, err := input.Read(ios.In, a)
	if err != nil {
		return DocLine{}, err
	}
	art, err := extract.ReadArticle(a.Path, data)
	if err != nil {
		return DocLine{}, err
	}
	if a.IsStdin() && (art.Source == "" || art.Source == input.Stdin) && len(art.Hash) >= 12 {
		art.Source = "stdin:" + art.Hash[:12]
	}
	doc, err := x.Extract(ctx, art)
	if err != nil {
		return DocLine{}, fmt.Errorf("extract: %w", err)
	}
	// Once extracted, a document is stored whole even if Ctrl-C arrives
	// meanwhile: the interruption takes effect before the next one.
	res, err := store.Ingest(context.WithoutCancel(ctx), doc)
	if err != nil {
		return DocLine{}, fmt.Errorf("store: %w", err)
	}
	return DocLine{
		File:      a.Arg,
		Source:    doc.Source,
		Title:     doc.Title,
		Status:    res.Status,
		Entities:  len(doc.Entities),
		Relations: len(doc.Relations),
		Quads:     res.Quads,
	}, nil
}

func printSummary(opts *IngestOptions, sum *Summary) error {
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, sum)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	if opts.IO.IsStdoutTTY() {
		tp.Header("file", "status", "entities", "relations", "title")
		for _, d := range sum.Documents {
			tp.AddRow(d.File, string(d.Status), strconv.Itoa(d.Entities), strconv.Itoa(d.Relations), d.Title)
		}
		if err := tp.Render(); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.Out)
		tp = cmdutil.NewTablePrinter(opts.IO)
	}
	tp.AddRow("added", strconv.Itoa(sum.Added))
	tp.AddRow("replaced", strconv.Itoa(sum.Replaced))
	tp.AddRow("unchanged", strconv.Itoa(sum.Unchanged))
	tp.AddRow("entities", strconv.Itoa(sum.Entities))
	tp.AddRow("relations", strconv.Itoa(sum.Relations))
	tp.AddRow("skipped", strconv.Itoa(sum.Skipped))
	tp.AddRow("failed", strconv.Itoa(sum.Failed))
	if err := tp.Render(); err != nil {
		return err
	}
	if len(sum.SkippedFiles) > 0 && opts.IO.IsStdoutTTY() {
		fmt.Fprintln(opts.IO.Out, "\nSkipped:")
		for _, sk := range sum.SkippedFiles {
			fmt.Fprintf(opts.IO.Out, "  %s: %s\n", sk.File, sk.Reason)
		}
	}
	if len(sum.Failures) > 0 && opts.IO.IsStdoutTTY() {
		fmt.Fprintln(opts.IO.Out, "\nFailed:")
		for _, f := range sum.Failures {
			fmt.Fprintf(opts.IO.Out, "  %s: %s\n", f.File, f.Error)
		}
	}
	return nil
}
