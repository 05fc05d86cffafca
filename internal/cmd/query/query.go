// Package query implements `medkg query`, the named questions over the
// graph (graph.Queries).
package query

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
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
An entity is named by its id (nerve:tibial), Chinese name, alias or English
name. An unknown name fails with suggestions (exit status 3).

Tables fit the terminal, cutting long evidence with "…" (--wide or
--format json for the full text); piped, they are tab-separated with a
header line, every field whole, one line per piece of evidence. Evidence
is shown as SOURCE#N: N is the 0-based index of the sentence in the
document's normalised text, as "sentence" in JSON and in medkg extract.`,
		Example: `  $ medkg query banned-nerves
  $ medkg query banned-nerves --format json
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
			for _, q := range graph.Queries() {
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
			if len(args) == 0 {
				return cmdutil.FlagErrorf("name a query (see medkg query --list)")
			}
			q, ok := findQuery(args[0])
			if !ok {
				return cmdutil.FlagErrorf("unknown query %q; known queries: %s", args[0], strings.Join(queryNames(), ", "))
			}
			if len(args)-1 != len(q.Args) {
				return cmdutil.FlagErrorf("query %s takes %s", q.Name, argsUsage(q))
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
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func queryList() string {
	var b strings.Builder
	for _, q := range graph.Queries() {
		use := q.Name
		if len(q.Args) > 0 {
			use += " " + strings.Join(q.Args, " ")
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

func findQuery(name string) (graph.QueryInfo, bool) {
	for _, q := range graph.Queries() {
		if q.Name == name {
			return q, true
		}
	}
	return graph.QueryInfo{}, false
}

func queryNames() []string {
	var out []string
	for _, q := range graph.Queries() {
		out = append(out, q.Name)
	}
	return out
}

func argsUsage(q graph.QueryInfo) string {
	switch len(q.Args) {
	case 0:
		return "no arguments"
	case 1:
		return "one argument: " + q.Args[0]
	}
	return fmt.Sprintf("%d arguments: %s", len(q.Args), strings.Join(q.Args, " "))
}

func queryRun(ctx context.Context, opts *QueryOptions) (err error) {
	if opts.List {
		return listQueries(opts)
	}
	var p medkg.Predicate
	if opts.Name == "evidence" {
		// Check the predicate before opening anything.
		if p, err = parsePredicate(opts.Args[1]); err != nil {
			return err
		}
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
	r := &resolver{ctx: ctx, store: store, vocab: opts.Vocabulary}

	switch opts.Name {
	case "banned-nerves":
		rows, err := store.BannedNerves(ctx)
		if err != nil {
			return err
		}
		return printBannedNerves(opts, rows)
	case "banned-procedures":
		rows, err := store.BannedProcedures(ctx)
		if err != nil {
			return err
		}
		return printBannedProcedures(opts, rows)
	case "innervation":
		id, err := r.resolve(opts.Args[0], medkg.Nerve, medkg.Muscle)
		if err != nil {
			return err
		}
		rows, err := store.Innervation(ctx, id)
		if err != nil {
			return err
		}
		return printInnervation(opts, rows)
	case "neighbors":
		id, err := r.resolve(opts.Args[0])
		if err != nil {
			return err
		}
		rows, err := store.Neighbors(ctx, id)
		if err != nil {
			return err
		}
		return printNeighbors(opts, rows)
	case "path":
		from, err := r.resolve(opts.Args[0])
		if err != nil {
			return err
		}
		to, err := r.resolve(opts.Args[1])
		if err != nil {
			return err
		}
		steps, err := store.Path(ctx, from, to, opts.MaxHops)
		if err != nil {
			return err
		}
		return printPath(opts, steps)
	case "evidence":
		sig := medkg.Signatures[p]
		subj, err := r.resolve(opts.Args[0], sig.Subject...)
		if err != nil {
			return err
		}
		obj, err := r.resolve(opts.Args[2], sig.Object...)
		if err != nil {
			return err
		}
		ev, err := store.Evidence(ctx, subj, p, obj)
		if err != nil {
			return err
		}
		return printEvidence(opts, ev)
	}
	return cmdutil.FlagErrorf("unknown query %q; known queries: %s", opts.Name, strings.Join(queryNames(), ", "))
}

func parsePredicate(s string) (medkg.Predicate, error) {
	p := medkg.Predicate(strings.ReplaceAll(strings.ToLower(s), "-", "_"))
	if _, ok := medkg.Signatures[p]; ok {
		return p, nil
	}
	var known []string
	for k := range medkg.Signatures {
		known = append(known, string(k))
	}
	sort.Strings(known)
	return "", cmdutil.FlagErrorf("unknown predicate %q; known predicates: %s", s, strings.Join(known, ", "))
}

func listQueries(opts *QueryOptions) error {
	qs := graph.Queries()
	if opts.Format == cmdutil.FormatJSON {
		for i := range qs {
			if qs[i].Args == nil {
				qs[i].Args = []string{}
			}
		}
		return cmdutil.WriteJSON(opts.IO, qs)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("query", "args", "description")
	for _, q := range qs {
		tp.AddRow(q.Name, strings.Join(q.Args, " "), q.Description)
	}
	return tp.Render()
}

// resolver turns a user's name for an entity into an id: through the
// vocabulary first (id, Chinese name, alias, English name), then through
// the graph (agencies and regulations found by pattern in documents).
type resolver struct {
	ctx   context.Context
	store *graph.Store
	vocab func() (*vocab.Vocabulary, error)
}

func (r *resolver) resolve(name string, types ...medkg.EntityType) (string, error) {
	v, err := r.vocab()
	if err != nil {
		return "", err
	}
	var cands []medkg.Entity
	for _, e := range v.Resolve(name) {
		cands = append(cands, e.Entity)
	}
	if len(cands) == 0 {
		found, err := r.store.Lookup(r.ctx, name)
		if err != nil {
			return "", err
		}
		cands = found
	}
	if len(cands) == 0 {
		return "", cmdutil.NotFoundError("entity", name, cmdutil.Suggestions(v, name, 5))
	}
	if len(types) > 0 {
		var keep []medkg.Entity
		for _, e := range cands {
			if slices.Contains(types, e.Type) {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			var want []string
			for _, t := range types {
				want = append(want, string(t))
			}
			return "", medkg.Errorf(medkg.EINVALID, "%q is %s (%s), not a %s", name, cands[0].ID, cands[0].Type, strings.Join(want, " or "))
		}
		cands = keep
	}
	if len(cands) > 1 {
		var ids []string
		for _, e := range cands {
			ids = append(ids, e.ID)
		}
		return "", medkg.Errorf(medkg.EINVALID, "%q is ambiguous: it names %s; give an id", name, strings.Join(ids, ", "))
	}
	return cands[0].ID, nil
}
