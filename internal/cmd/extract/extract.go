// Package extract implements `medkg extract`.
package extract

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/input"
	"github.com/medkg/medkg/internal/iostreams"
)

// ExtractOptions are the inputs of `medkg extract`.
type ExtractOptions struct {
	IO        *iostreams.IOStreams
	Extractor func() (*extract.Extractor, error)

	Files  []string
	Format string
}

// NewCmdExtract returns the extract command.
func NewCmdExtract(f *cmdutil.Factory, runF func(*ExtractOptions) error) *cobra.Command {
	opts := &ExtractOptions{IO: f.IOStreams, Extractor: f.Extractor}
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "Extract entities and relations from articles without storing them",
		Long: `Read articles (Markdown, HTML or plain text; "-" is standard input), find the
entities they mention and the relations their sentences state, and print
them. Nothing is written to the graph: use medkg ingest for that.

With --format json each document is printed as one JSON object per line
(source, title, date, url, hash, entities with mentions, relations with
negated/hedged flags and the evidence sentence).

A file that cannot be read or decoded is reported as "file: reason" on
stderr and the others are still extracted; the exit status is then 6
(partial failure).`,
		Example: `  $ medkg extract testdata/devset/000_nhc_ban_zaobao.md
  $ medkg extract --format json article.md | jq '.relations[]'
  $ curl -s https://example.org/a.html | medkg extract -`,
		Args: cmdutil.MinimumArgs(1, `name at least one article file, or "-" for standard input`),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return extractRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func extractRun(ctx context.Context, opts *ExtractOptions) error {
	articles, skipped, failures := input.Expand(opts.Files)
	if len(skipped) > 0 {
		// Counted, not listed: directories of articles often hold other
		// files (`medkg ingest --format json` lists them).
		fmt.Fprintf(opts.IO.ErrOut, "skipped %d file(s) that are not article files or not regular files\n", len(skipped))
	}
	for _, fl := range failures {
		fmt.Fprintf(opts.IO.ErrOut, "%s: %v\n", fl.Arg, fl.Err)
	}
	failed := len(failures)
	var lastErr error
	if failed > 0 {
		lastErr = failures[len(failures)-1].Err
	}
	var x *extract.Extractor
	if len(articles) > 0 {
		var err error
		if x, err = opts.Extractor(); err != nil {
			return err
		}
	}
	for i, a := range articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		doc, err := extractOne(ctx, x, opts.IO.In, a)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintln(opts.IO.ErrOut, input.Describe(a, err))
			failed++
			lastErr = err
			continue
		}
		if err := printDoc(opts, doc, i == 0); err != nil {
			return err
		}
	}
	total := len(articles) + len(failures)
	switch {
	case failed == 0:
		return nil
	case total == 1:
		// A single input: its own error says what went wrong (and picks
		// the exit status); it has been printed with the file name.
		return &medkg.Error{Code: medkg.ErrorCode(lastErr), Message: "extraction failed", Err: cmdutil.ErrSilent}
	default:
		return medkg.Errorf(medkg.EPARTIAL, "%d of %d inputs failed", failed, total)
	}
}

// extractOne reads and extracts one article.
func extractOne(ctx context.Context, x *extract.Extractor, in io.Reader, a input.Article) (*medkg.Document, error) {
	data, err := input.Read(in, a)
	if err != nil {
		return nil, err
	}
	// The output's source is the path as the user gave it ("-" for
	// standard input): that is the extract contract, unlike ingest, which
	// keys documents by absolute path.
	art, err := extract.ReadArticle(a.Arg, data)
	if err != nil {
		return nil, err
	}
	doc, err := x.Extract(ctx, art)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	return doc, nil
}

func printDoc(opts *ExtractOptions, doc *medkg.Document, first bool) error {
	if opts.Format == cmdutil.FormatJSON {
		// One object per line whatever the terminal: this is the JSON
		// Lines contract of extract.
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("encode %s: %w", doc.Source, err)
		}
		_, err = fmt.Fprintf(opts.IO.Out, "%s\n", b)
		return err
	}
	w := opts.IO.Out
	if opts.IO.IsStdoutTTY() {
		if !first {
			fmt.Fprintln(w)
		}
		title := doc.Title
		if title == "" {
			title = "(untitled)"
		}
		fmt.Fprintf(w, "%s\n", title)
		meta := []string{doc.Source}
		if doc.Date != "" {
			meta = append(meta, doc.Date)
		}
		if doc.URL != "" {
			meta = append(meta, doc.URL)
		}
		fmt.Fprintf(w, "%s\n\n", strings.Join(meta, "  "))
		fmt.Fprintf(w, "Entities (%d)\n", len(doc.Entities))
	}
	names := map[string]string{}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("type", "id", "name", "mentions")
	for _, e := range doc.Entities {
		names[e.ID] = e.Name
		row := []string{string(e.Type), e.ID, e.Name, strconv.Itoa(len(e.Mentions))}
		if !opts.IO.IsStdoutTTY() {
			row = append([]string{doc.Source, "entity"}, row...)
		}
		tp.AddRow(row...)
	}
	if err := tp.Render(); err != nil {
		return err
	}
	if opts.IO.IsStdoutTTY() {
		fmt.Fprintf(w, "\nRelations (%d)\n", len(doc.Relations))
	}
	tp = cmdutil.NewTablePrinter(opts.IO)
	tp.Header("subject", "predicate", "object", "flags", "evidence")
	for _, r := range doc.Relations {
		row := []string{label(names, r.Subject), string(r.Predicate), label(names, r.Object), flags(r), r.Evidence}
		if !opts.IO.IsStdoutTTY() {
			row = append([]string{doc.Source, "relation"}, row...)
		}
		tp.AddRow(row...)
	}
	if err := tp.Render(); err != nil {
		return err
	}
	if opts.IO.IsStdoutTTY() {
		fmt.Fprintf(w, "\nActions (%d)\n", len(doc.Actions))
	}
	tp = cmdutil.NewTablePrinter(opts.IO)
	tp.Header("kind", "actor", "target", "scope", "jurisdiction", "effective", "evidence")
	for _, a := range doc.Actions {
		actor := a.ActorText
		if actor == "" {
			actor = "-"
		}
		scope := a.Scope
		if len(a.Conditions) > 0 {
			scope = strings.TrimSpace(scope + " [" + strings.Join(a.Conditions, "、") + "]")
		}
		date := a.EffectiveDate
		if date == "" && a.DateText != "" {
			date = a.DateText + "?"
		}
		row := []string{string(a.Kind), actor, a.TargetText, dash(scope), string(a.Jurisdiction), dash(date), a.Evidence}
		if !opts.IO.IsStdoutTTY() {
			row = append([]string{doc.Source, "action"}, row...)
		}
		tp.AddRow(row...)
	}
	return tp.Render()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func label(names map[string]string, id string) string {
	if n, ok := names[id]; ok && n != "" {
		return n
	}
	return id
}

func flags(r medkg.Relation) string {
	var f []string
	if r.Negated {
		f = append(f, "negated")
	}
	if r.Hedged {
		f = append(f, "hedged")
	}
	if r.Claim {
		f = append(f, "claim")
	}
	if r.ViaBranch {
		f = append(f, "via_branch")
	}
	if len(f) == 0 {
		return "-"
	}
	return strings.Join(f, ",")
}
