// Package ingest implements `medkg ingest`.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
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

	Paths      []string
	Format     string
	BatchDocs  int // documents per graph transaction
	BatchBytes int // input bytes per graph transaction
	Jobs       int // extraction goroutines; 0 = one per core
}

// ingestMemoryLimit is the soft limit on the heap of `medkg ingest`
// unless GOMEMLIMIT is set.
const ingestMemoryLimit = 192 << 20

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
others are still ingested; the exit status is then 6.

Articles are extracted on all cores while the graph is written; documents
are written in batches (--batch documents or --batch-bytes of input,
whichever comes first), one transaction each, so a reader or a crash never
sees half a document, and running the same command again finishes the
job. Ctrl-C stops after writing what was already extracted.

The heap is kept near 192 MiB (set GOMEMLIMIT to change it; a batch that
needs more still gets it).`,
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
			if os.Getenv("GOMEMLIMIT") == "" {
				// A long ingest's heap is mostly garbage between batches:
				// collect it before it doubles the live heap (the
				// dictionaries and two batches in flight).
				debug.SetMemoryLimit(ingestMemoryLimit)
			}
			return ingestRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	cmd.Flags().IntVar(&opts.BatchDocs, "batch", 100, "Documents per graph transaction (at most)")
	cmd.Flags().IntVar(&opts.BatchBytes, "batch-bytes", 16<<20, "Input bytes per graph transaction (at most)")
	cmd.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "Articles extracted at once (default: one per core)")
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
	// Stale counts the stored documents another vocabulary or extractor
	// produced (none of this run's): `medkg reindex` re-extracts them.
	Stale     int       `json:"stale"`
	Documents []DocLine `json:"documents"`
	Failures  []Failure `json:"failures"`
	Took      string    `json:"took"`
	took      time.Duration
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
	// The graph opens before the extractor is built, so that a locked
	// graph fails at once.
	store, v, changed, err := cmdutil.OpenForWrite(ctx, opts.Store, opts.Vocabulary)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	log.Debug("vocabulary synchronised", "version", v.Version(), "changed", changed)
	x, err := opts.Extractor()
	if err != nil {
		return err
	}

	bar := newProgress(opts.IO, len(articles))
	defer bar.done()
	record := func(line DocLine) {
		log.Debug("ingested", "file", line.File, "status", line.Status, "quads", line.Quads)
		sum.Documents = append(sum.Documents, line)
		sum.Entities += line.Entities
		sum.Relations += line.Relations
		sum.Quads += line.Quads
		switch line.Status {
		case graph.Added:
			sum.Added++
		case graph.Replaced:
			sum.Replaced++
		default:
			sum.Unchanged++
		}
	}
	w := &batchWriter{store: store, maxDocs: opts.BatchDocs, maxBytes: opts.BatchBytes}
	defer func() {
		if err != nil || ctx.Err() != nil {
			return
		}
		stale, serr := store.StaleDocuments(context.WithoutCancel(ctx), x.Version())
		if serr != nil {
			err = serr
			return
		}
		sum.Stale = len(stale)
		if sum.Stale > 0 {
			bar.clear()
			fmt.Fprintf(opts.IO.ErrOut, "%d stored document(s) were extracted with another vocabulary or extractor: run `medkg reindex` to re-extract them\n", sum.Stale)
		}
	}()
	done := 0
	flush := func() error {
		lines, fails, err := w.flush(ctx)
		if err != nil {
			return err
		}
		for _, f := range fails {
			bar.clear()
			fail(f.article, f.err)
		}
		for _, l := range lines {
			record(l)
		}
		done += len(lines) + len(fails)
		bar.step(done)
		return nil
	}
	ectx, stop := context.WithCancel(ctx) // stops the extractors on any return
	defer stop()
	results, release := extractAll(ectx, x, opts.IO, articles, opts.Jobs, 2*max(opts.BatchDocs, 1))
	for i, r := range results {
		ex, ok := <-r
		if ok {
			release()
		}
		if !ok || ctx.Err() != nil {
			// Interrupted: what was extracted is written whole, the rest
			// is skipped.
			if err := flush(); err != nil {
				return err
			}
			sum.Skipped += len(articles) - i
			bar.done()
			fmt.Fprintf(opts.IO.ErrOut, "interrupted: %d document(s) not ingested\n", len(articles)-i)
			return nil
		}
		if ex.err != nil {
			bar.clear()
			fail(ex.article, ex.err)
			done++
			bar.step(done)
			continue
		}
		if w.add(ex) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// extracted is one article read and extracted, or why not.
type extracted struct {
	article input.Article
	doc     *medkg.Document
	size    int // bytes read
	err     error
}

// extractAll reads and extracts the articles on jobs goroutines and
// returns one channel per article, in input order; each yields the
// article's result, or is closed without one when ctx is cancelled first.
// At most ahead articles are extracted and not yet consumed: the consumer
// calls release after taking each result.
func extractAll(ctx context.Context, x *extract.Extractor, ios *iostreams.IOStreams, articles []input.Article, jobs, ahead int) (results []chan extracted, release func()) {
	if jobs < 1 {
		jobs = runtime.GOMAXPROCS(0)
	}
	out := make([]chan extracted, len(articles))
	for i := range out {
		out[i] = make(chan extracted, 1)
	}
	next := make(chan int)
	tokens := make(chan struct{}, ahead)
	go func() {
		defer close(next)
		for i := range articles {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				for _, c := range out[i:] {
					close(c)
				}
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				for _, c := range out[i:] {
					close(c)
				}
				return
			}
		}
	}()
	for range jobs {
		go func() {
			for i := range next {
				var ex extracted
				if ctx.Err() == nil {
					ex = extractOne(ctx, x, ios, articles[i])
				}
				if ctx.Err() != nil && (ex.doc == nil || errors.Is(ex.err, context.Canceled)) {
					close(out[i])
					continue
				}
				out[i] <- ex
			}
		}()
	}
	return out, func() { <-tokens }
}

func extractOne(ctx context.Context, x *extract.Extractor, ios *iostreams.IOStreams, a input.Article) extracted {
	ex := extracted{article: a}
	data, err := input.Read(ios.In, a)
	if err != nil {
		ex.err = err
		return ex
	}
	ex.size = len(data)
	art, err := extract.ReadArticle(a.Path, data)
	if err != nil {
		ex.err = err
		return ex
	}
	if a.IsStdin() && (art.Source == "" || art.Source == input.Stdin) && len(art.Hash) >= 12 {
		art.Source = "stdin:" + art.Hash[:12]
	}
	doc, err := x.Extract(ctx, art)
	if err != nil {
		ex.err = fmt.Errorf("extract: %w", err)
		return ex
	}
	ex.doc = doc
	return ex
}

// batchWriter collects extracted documents into one graph transaction,
// bounded by a count and a size.
type batchWriter struct {
	store    *graph.Store
	maxDocs  int
	maxBytes int
	pending  []extracted
	bytes    int
}

type batchFailure struct {
	article input.Article
	err     error
}

// add queues a document and reports whether the batch is full.
func (w *batchWriter) add(ex extracted) bool {
	w.pending = append(w.pending, ex)
	w.bytes += ex.size
	return len(w.pending) >= max(w.maxDocs, 1) || (w.maxBytes > 0 && w.bytes >= w.maxBytes)
}

// flush writes the queued documents in one transaction. Once extracted, a
// batch is stored whole even if Ctrl-C arrives meanwhile: the
// interruption takes effect before the next one.
func (w *batchWriter) flush(ctx context.Context) ([]DocLine, []batchFailure, error) {
	if len(w.pending) == 0 {
		return nil, nil, nil
	}
	docs := make([]*medkg.Document, len(w.pending))
	for i, ex := range w.pending {
		docs[i] = ex.doc
	}
	res, err := w.store.IngestBatch(context.WithoutCancel(ctx), docs)
	if err != nil {
		return nil, nil, fmt.Errorf("store %d documents: %w", len(docs), err)
	}
	var (
		lines []DocLine
		fails []batchFailure
	)
	for i, ex := range w.pending {
		if res[i].Err != nil {
			fails = append(fails, batchFailure{ex.article, fmt.Errorf("store: %w", res[i].Err)})
			continue
		}
		lines = append(lines, DocLine{
			File:      ex.article.Arg,
			Source:    ex.doc.Source,
			Title:     ex.doc.Title,
			Status:    res[i].Status,
			Entities:  len(ex.doc.Entities),
			Relations: len(ex.doc.Relations),
			Quads:     res[i].Quads,
		})
	}
	w.pending, w.bytes = w.pending[:0], 0
	return lines, fails, nil
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
	tp.AddRow("stale", strconv.Itoa(sum.Stale))
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
