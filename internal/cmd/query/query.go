// Package query implements `medkg query`, the named questions over the
// graph (app.Queries).
package query

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// QueryOptions are the inputs of `medkg query`.
type QueryOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)
	Store      func(ctx context.Context, readOnly bool) (*graph.Store, error)

	List    bool
	Name    string
	Args    []string
	MaxHops int
	Format  string
	Wide    bool
	// Options are the query options given (--kind, --jurisdiction,
	// --since), by name; only those set on the command line.
	Options app.Options
}

// NewCmdQuery returns the query command.
func NewCmdQuery(f *cmdutil.Factory, runF func(*QueryOptions) error) *cobra.Command {
	opts := &QueryOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "query NAME [ARGS...]",
		Short: "Answer a named question over the graph, with evidence",
		Long: `Answer one of the named questions over the graph, each answer with the
sentences (or vocabulary facts) supporting it.

Queries:
` + queryList() + `
banned-nerves and banned-procedures answer with bans and suspensions,
national or local: a penalty on one institution or a public warning is
not a ban (--kind penalty,warning, or --kind all, to see those). Each row
shows the kind of action, the acting body (or "-" when the statement names
none), its jurisdiction, the scope and [conditions], and the date the
action took effect as the text gives it (a date written but not resolved
ends in "?"); the article's own date is "date" in JSON.

An entity is named by its id (nerve:tibial), Chinese name, alias or English
name. An unknown name fails with suggestions (exit status 3).

Tables fit the terminal, cutting long evidence with "…" (--wide or
--format json for the full text); piped, they are tab-separated with a
header line, every field whole, one line per piece of evidence. Evidence
is shown as SOURCE#N: N is the 0-based index of the sentence in the
document's normalised text, as "sentence" in JSON and in medkg extract.`,
		Example: `  $ medkg query banned-nerves
  $ medkg query banned-nerves --format json
  $ medkg query banned-procedures --kind all --jurisdiction national,provincial
  $ medkg query banned-procedures --since 2021-01
  $ medkg query banned-procedures --actor 国家卫生健康委员会   # with 卫生部, 国家卫计委 and their offices
  $ medkg query innervation 胫神经
  $ medkg query neighbors "tibial nerve"
  $ medkg query path 小腿神经离断术 腓肠肌
  $ medkg query evidence 国家卫生健康委员会 bans 小腿神经离断术
  $ medkg query --list`,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, q := range app.Queries() {
				names = append(names, q.Name+"\t"+firstSentence(q.Description))
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.List {
				if len(args) > 0 {
					return cmdutil.FlagErrorf("--list takes no query name")
				}
				return nil
			}
			opts.Options = app.Options{}
			for _, o := range queryOptions() {
				if f := cmd.Flags().Lookup(o.Name); f != nil && f.Changed {
					opts.Options[o.Name] = f.Value.String()
				}
			}
			if len(args) == 0 {
				return cmdutil.FlagErrorf("name a query (see medkg query --list)")
			}
			q, err := findQuery(args[0])
			if err != nil {
				return err
			}
			if len(args)-1 != len(q.Args) {
				return &cmdutil.FlagError{Err: q.Check(args[1:])}
			}
			if err := q.CheckOptions(opts.Options); err != nil {
				return &cmdutil.FlagError{Err: err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Name, opts.Args = args[0], args[1:]
			}
			if runF != nil {
				return runF(opts)
			}
			return queryRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.List, "list", "l", false, "List the queries and their arguments")
	cmd.Flags().IntVar(&opts.MaxHops, "max-hops", graph.DefaultMaxHops, "For path: give up beyond this many hops")
	cmd.Flags().BoolVar(&opts.Wide, "wide", false, "Do not cut table columns to the terminal's width")
	for _, o := range queryOptions() {
		cmd.Flags().String(o.Name, "", "For "+strings.Join(o.queries, " and ")+": "+o.Usage)
		values := o.Values
		_ = cmd.RegisterFlagCompletionFunc(o.Name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return values, cobra.ShellCompDirectiveNoFileComp
		})
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// namedOption is a query option with the queries taking it.
type namedOption struct {
	app.Option
	queries []string
}

// queryOptions lists the options of every query once, in order.
func queryOptions() []namedOption {
	var out []namedOption
	for _, q := range app.Queries() {
		for _, o := range q.Options {
			i := slices.IndexFunc(out, func(n namedOption) bool { return n.Name == o.Name })
			if i < 0 {
				out = append(out, namedOption{Option: o})
				i = len(out) - 1
			}
			out[i].queries = append(out[i].queries, q.Name)
		}
	}
	return out
}

func queryList() string {
	var b strings.Builder
	for _, q := range app.Queries() {
		use := q.Name
		if len(q.Args) > 0 {
			use += " " + strings.Join(q.ArgNames(), " ")
		}
		fmt.Fprintf(&b, "  %-22s %s\n", use, firstSentence(q.Description))
	}
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ": "); i > 0 && i < 60 {
		return s[:i]
	}
	return s
}

// findQuery returns the named query; an unknown name is a usage error.
func findQuery(name string) (app.Query, error) {
	q, err := app.Find(name)
	if err != nil {
		return q, &cmdutil.FlagError{Err: err}
	}
	return q, nil
}

func queryRun(ctx context.Context, opts *QueryOptions) (err error) {
	if opts.List {
		return listQueries(opts)
	}
	q, err := findQuery(opts.Name)
	if err != nil {
		return err
	}
	// Check the arguments (a predicate's spelling) before opening anything.
	if err := q.Check(opts.Args); err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	if err := q.CheckOptions(opts.Options); err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	vocabulary := opts.Vocabulary
	if len(opts.Args) > 0 && vocabulary != nil {
		// Names resolve through the vocabulary first: load it while the
		// store opens (on a server, connections take as long).
		type loaded struct {
			v   *vocab.Vocabulary
			err error
		}
		ch := make(chan loaded, 1)
		go func() {
			v, err := opts.Vocabulary()
			ch <- loaded{v, err}
		}()
		vocabulary = sync.OnceValues(func() (*vocab.Vocabulary, error) {
			l := <-ch
			return l.v, l.err
		})
		defer vocabulary() // no load outlives the command
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
	res, err := q.RunWith(ctx, app.Env{Store: store, Vocabulary: vocabulary, MaxHops: opts.MaxHops}, opts.Args, opts.Options)
	if err != nil {
		return err
	}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, res.Rows)
	}
	// Tables are the CLI's business: one printer per result type.
	switch rows := res.Rows.(type) {
	case []graph.BannedNerve:
		return printBannedNerves(opts, q, rows)
	case []graph.BannedProcedure:
		return printBannedProcedures(opts, q, rows)
	case []graph.InnervationRow:
		return printInnervation(opts, q, rows)
	case []graph.Edge:
		return printNeighbors(opts, q, rows)
	case []graph.Step:
		return printPath(opts, q, rows)
	case []graph.Evidence:
		return printEvidence(opts, q, rows)
	}
	return fmt.Errorf("query %s: no table for rows of type %T", q.Name, res.Rows)
}

// listEntry is a query in `medkg query --list --format json`.
type listEntry struct {
	Name        string       `json:"name"`
	Args        []string     `json:"args"`
	Description string       `json:"description"`
	Options     []app.Option `json:"options,omitempty"`
}

func listQueries(opts *QueryOptions) error {
	qs := app.Queries()
	if opts.Format == cmdutil.FormatJSON {
		out := make([]listEntry, len(qs))
		for i, q := range qs {
			out[i] = listEntry{Name: q.Name, Args: q.ArgNames(), Description: q.Description, Options: q.Options}
			if out[i].Args == nil {
				out[i].Args = []string{}
			}
		}
		return cmdutil.WriteJSON(opts.IO, out)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("query", "args", "description")
	for _, q := range qs {
		tp.AddRow(q.Name, strings.Join(q.ArgNames(), " "), q.Description)
	}
	return tp.Render()
}
