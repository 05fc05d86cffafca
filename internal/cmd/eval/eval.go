// Package eval implements `medkg eval`.
package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/score"
)

// EvalOptions are the inputs of `medkg eval`.
type EvalOptions struct {
	IO        *iostreams.IOStreams
	Extractor func() (*extract.Extractor, error)

	GoldDir     string
	ArticleDirs []string
	Format      string
	Errors      bool
	Actions     bool
}

// NewCmdEval returns the eval command.
func NewCmdEval(f *cmdutil.Factory, runF func(*EvalOptions) error) *cobra.Command {
	opts := &EvalOptions{IO: f.IOStreams, Extractor: f.Extractor}
	cmd := &cobra.Command{
		Use:   "eval GOLD_DIR [ARTICLE_DIR...]",
		Short: "Score extraction against gold annotations",
		Long: `Extract every article that has a gold file and score the result the way
../shared/ANNOTATION.md and the devset README describe: per document, the
(type, surface) pairs found against the gold entities and the positive
relations against the gold relations (cuts and targets interchangeable),
micro-averaged. Prints precision, recall and F1 overall, for core entities
(nerve, muscle, procedure, agency), by entity type and by predicate, the
statements the gold denies that came out as positive edges, and with
--errors every false positive (FP) and false negative (FN).

Gold files are GOLD_DIR/gold/NAME.json (or GOLD_DIR/NAME.json); the article
NAME.* is looked for in GOLD_DIR and then in each ARTICLE_DIR.

With --actions the gold files hold regulatory actions instead (format of
testdata/corpus/actions/README.md): an extracted action matches a gold one
when their evidence is the same statement (preferring the same target,
then actor; never the kind). Prints precision and recall of actions, kind
accuracy over matched actions, effective-date accuracy over matched actions
whose gold gives a date, how many matched actions whose gold gives none
got one, actor and jurisdiction agreement, and with --errors the misses,
the spurious actions, kind confusions, wrong dates and dates the gold does
not give.`,
		Example: `  $ medkg eval testdata/devset
  $ medkg eval --errors testdata/corpus/dev ../shared/corpus/texts
  $ medkg eval --format json testdata/heldout | jq .relations
  $ medkg eval --actions --errors testdata/corpus/actions ../shared/corpus/texts`,
		Args: cmdutil.MinimumArgs(1, "name a directory of gold files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.GoldDir, opts.ArticleDirs = args[0], args[1:]
			if runF != nil {
				return runF(opts)
			}
			return evalRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	cmd.Flags().BoolVar(&opts.Errors, "errors", false, "List every false positive and false negative")
	cmd.Flags().BoolVar(&opts.Actions, "actions", false, "Score regulatory actions against action gold")
	return cmd
}

func evalRun(ctx context.Context, opts *EvalOptions) error {
	cases, err := score.FindCases(opts.GoldDir, opts.ArticleDirs...)
	if err != nil {
		var missing *score.MissingArticleError
		if errors.As(err, &missing) {
			return medkg.Errorf(medkg.ENOTFOUND, "%v (name the directory holding the articles)", err)
		}
		return err
	}
	x, err := opts.Extractor()
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "scoring %d documents\n", len(cases))
	extractFile := func(ctx context.Context, path string) (*medkg.Document, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		a, err := extract.ReadArticle(path, data)
		if err != nil {
			return nil, err
		}
		return x.Extract(ctx, a)
	}
	if opts.Actions {
		res, err := score.RunActions(ctx, cases, extractFile)
		if err != nil {
			return err
		}
		return printActions(opts, res)
	}
	res, err := score.Run(ctx, cases, extractFile)
	if err != nil {
		return err
	}
	if opts.Format == cmdutil.FormatJSON {
		if !opts.Errors {
			res.Errors = []score.Error{}
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return printTable(opts, res)
}

func printTable(opts *EvalOptions, res *score.Result) error {
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("what", "precision", "recall", "f1", "tp", "fp", "fn")
	row := func(what string, c score.Counts) {
		tp.AddRow(what, fmt.Sprintf("%.3f", c.Precision()), fmt.Sprintf("%.3f", c.Recall()), fmt.Sprintf("%.3f", c.F1()),
			fmt.Sprint(c.TP), fmt.Sprint(c.FP), fmt.Sprint(c.FN))
	}
	row("core entities", res.Core)
	row("all entities", res.Entities)
	row("relations", res.Relations)
	for _, k := range sortedKeys(res.ByType) {
		row("  "+k, res.ByType[k])
	}
	for _, k := range sortedKeys(res.ByPredicate) {
		row("  "+k, res.ByPredicate[k])
	}
	if err := tp.Render(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "\n%d documents; %d denied statements asserted\n", res.Docs, len(res.Denied))
	for _, d := range res.Denied {
		fmt.Fprintf(opts.IO.Out, "  denied but asserted: %s\n", d)
	}
	if !opts.Errors {
		return nil
	}
	fmt.Fprintln(opts.IO.Out)
	tp = cmdutil.NewTablePrinter(opts.IO)
	tp.Header("doc", "error", "kind", "type", "what", "evidence")
	for _, e := range res.Errors {
		what := "FP"
		if e.Miss {
			what = "FN"
		}
		tp.AddRow(e.Doc, what, e.Kind, e.Type, e.Text, strings.ReplaceAll(e.Evidence, "\n", " "))
	}
	return tp.Render()
}

func sortedKeys(m map[string]score.Counts) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// actionsReport is `medkg eval --actions --format json`.
type actionsReport struct {
	*score.ActionResult
	Precision    float64 `json:"precision"`
	Recall       float64 `json:"recall"`
	KindAccuracy float64 `json:"kind_accuracy"`
	DateAccuracy float64 `json:"date_accuracy"`
}

func printActions(opts *EvalOptions, res *score.ActionResult) error {
	if !opts.Errors {
		res.Errors, res.Confusions, res.DateErrors, res.DateExtras = []score.Error{}, []string{}, []string{}, []string{}
	}
	if opts.Format == cmdutil.FormatJSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(actionsReport{res, res.Actions.Precision(), res.Actions.Recall(), res.KindAccuracy(), res.DateAccuracy()})
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("what", "value", "of")
	frac := func(what string, n, d int) {
		v := "-"
		if d > 0 {
			v = fmt.Sprintf("%.3f", float64(n)/float64(d))
		}
		tp.AddRow(what, v, fmt.Sprintf("%d/%d", n, d))
	}
	frac("actions precision", res.Actions.TP, res.Actions.TP+res.Actions.FP)
	frac("actions recall", res.Actions.TP, res.Actions.TP+res.Actions.FN)
	frac("kind accuracy (matched)", res.KindRight, res.Matched)
	frac("effective-date accuracy (matched, gold dated)", res.DateRight, res.Dated)
	frac("a date where the gold gives none (matched, gold undated)", res.DateExtra, res.Undated)
	frac("actor agreement (matched)", res.ActorRight, res.Matched)
	frac("jurisdiction agreement (matched)", res.JurisRight, res.Matched)
	for _, k := range sortedKeys(res.ByKind) {
		c := res.ByKind[k]
		tp.AddRow("  "+k, fmt.Sprintf("tp %d fp %d fn %d", c.TP, c.FP, c.FN), "")
	}
	if err := tp.Render(); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "\n%d documents\n", res.Docs)
	if !opts.Errors {
		return nil
	}
	for _, c := range res.Confusions {
		fmt.Fprintf(opts.IO.Out, "  kind: %s\n", c)
	}
	for _, d := range res.DateErrors {
		fmt.Fprintf(opts.IO.Out, "  date: %s\n", d)
	}
	for _, d := range res.DateExtras {
		fmt.Fprintf(opts.IO.Out, "  date where the gold gives none: %s\n", d)
	}
	fmt.Fprintln(opts.IO.Out)
	tp = cmdutil.NewTablePrinter(opts.IO)
	tp.Header("doc", "error", "kind", "what", "evidence")
	for _, e := range res.Errors {
		what := "FP"
		if e.Miss {
			what = "FN"
		}
		tp.AddRow(e.Doc, what, e.Type, e.Text, strings.ReplaceAll(e.Evidence, "\n", " "))
	}
	return tp.Render()
}
