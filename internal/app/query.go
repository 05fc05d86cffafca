// Package app is medkg's application layer: the use cases that the CLI
// commands and the HTTP API both call — the registry of named queries and
// the resolution of names — so that neither imports the other. It sits
// between the commands (internal/cmd/…, internal/httpapi) and the graph,
// and is internal because its API follows the commands', not a promise to
// other modules.
package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/vocab"
)

// Argument kinds.
const (
	EntityArg    = "entity"    // a name, alias, English name or id, resolved by Resolver
	PredicateArg = "predicate" // a predicate (bans, branch_of, branch-of, …)
)

// Arg is an argument of a named query.
type Arg struct {
	Name  string             `json:"name"`            // as in usage lines: NAME, A, S, P, …
	Param string             `json:"param"`           // its HTTP query parameter
	Kind  string             `json:"kind"`            // EntityArg or PredicateArg
	Types []medkg.EntityType `json:"types,omitempty"` // entity types accepted; none: any (or, for evidence, those of the predicate)
}

// Query is a named question over the graph: what `medkg query --list`,
// help, completion and GET /api/queries show, and what runs it.
type Query struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Args        []Arg    `json:"args"`
	Columns     []string `json:"columns"` // the columns of its table
	Options     []Option `json:"options,omitempty"`
	run         func(ctx context.Context, env Env, args []string) (Result, error)
}

// Env is what a query runs against.
type Env struct {
	Store      *graph.Store
	Vocabulary func() (*vocab.Vocabulary, error)
	MaxHops    int // for path; 0 means graph.DefaultMaxHops

	options Options // set by RunWith
}

// Result holds the rows of a query: a slice of the graph's result type
// (e.g. []graph.BannedNerve), exactly as the store returned it.
type Result struct {
	Rows  any
	Total int
	head  func(n int) any
}

// Head returns at most n rows (all when n ≤ 0), never nil: an empty
// result is an empty slice.
func (r Result) Head(n int) any { return r.head(n) }

func rowsOf[R any](rows []R) Result {
	return Result{Rows: rows, Total: len(rows), head: func(n int) any {
		out := rows
		if n > 0 && len(out) > n {
			out = out[:n]
		}
		if out == nil {
			out = []R{}
		}
		return out
	}}
}

// run adapts a store method returning typed rows to a query's run.
func run[R any](fn func(ctx context.Context, env Env, args []string) ([]R, error)) func(context.Context, Env, []string) (Result, error) {
	return func(ctx context.Context, env Env, args []string) (Result, error) {
		rows, err := fn(ctx, env, args)
		if err != nil {
			return Result{}, err
		}
		return rowsOf(rows), nil
	}
}

func entityArg(name string, types ...medkg.EntityType) Arg {
	return Arg{Name: name, Param: strings.ToLower(name), Kind: EntityArg, Types: types}
}

func resolver(env Env) *Resolver { return &Resolver{Store: env.Store, Vocabulary: env.Vocabulary} }

// Queries lists the named queries in a stable order. A new question is
// one more value here and one more test.
func Queries() []Query {
	return []Query{
		{
			Name:        "banned-nerves",
			Description: "Nerves related to a banned or suspended procedure: cut or targeted directly, or through a muscle or a branch, with the procedure, the kind of action, the acting agency or regulation, the jurisdiction, the scope, the effective date and the evidence",
			Columns:     []string{"nerve", "relation", "through", "procedure", "kind", "banner", "jurisdiction", "scope", "effective", "evidence"},
			Options:     actionOptions(),
			run: run(func(ctx context.Context, env Env, _ []string) ([]graph.BannedNerve, error) {
				f, err := actionFilter(ctx, env, env.options)
				if err != nil {
					return nil, err
				}
				rows, err := env.Store.BannedNervesWith(ctx, f)
				return supported(rows, env.options), err
			}),
		},
		{
			Name:        "banned-procedures",
			Description: "Procedures banned or suspended (national or local): the kind of action, the acting agency or regulation, the jurisdiction, the scope and conditions, the effective date from the text and the evidence",
			Columns:     []string{"procedure", "kind", "banner", "jurisdiction", "scope", "effective", "support", "evidence"},
			Options:     actionOptions(),
			run: run(func(ctx context.Context, env Env, _ []string) ([]graph.BannedProcedure, error) {
				f, err := actionFilter(ctx, env, env.options)
				if err != nil {
					return nil, err
				}
				rows, err := env.Store.BannedProceduresWith(ctx, f)
				return supported(rows, env.options), err
			}),
		},
		{
			Name:        "innervation",
			Description: "For a nerve, the muscles it supplies (also through its branches); for a muscle, the nerves supplying it (with the parents of branches)",
			Args:        []Arg{entityArg("NAME", medkg.Nerve, medkg.Muscle)},
			Columns:     []string{"nerve", "branch", "muscle", "support", "evidence"},
			Options:     []Option{minSupportOption()},
			run: run(func(ctx context.Context, env Env, args []string) ([]graph.InnervationRow, error) {
				id, err := resolver(env).Resolve(ctx, args[0], medkg.Nerve, medkg.Muscle)
				if err != nil {
					return nil, err
				}
				rows, err := env.Store.Innervation(ctx, id)
				return supported(rows, env.options), err
			}),
		},
		{
			Name:        "neighbors",
			Description: "Every edge in and out of an entity, with the number of documents asserting and denying it and whether the vocabulary states it",
			Args:        []Arg{entityArg("NAME")},
			Columns:     []string{"direction", "subject", "predicate", "object", "documents", "negated", "vocabulary", "kinds"},
			Options:     []Option{minSupportOption()},
			run: run(func(ctx context.Context, env Env, args []string) ([]graph.Edge, error) {
				id, err := resolver(env).Resolve(ctx, args[0])
				if err != nil {
					return nil, err
				}
				rows, err := env.Store.Neighbors(ctx, id)
				return supported(rows, env.options), err
			}),
		},
		{
			Name:        "path",
			Description: "Shortest connection between two entities over the typed predicates, in either direction",
			Args:        []Arg{entityArg("A"), entityArg("B")},
			Columns:     []string{"step", "from", "predicate", "to", "evidence"},
			run: run(func(ctx context.Context, env Env, args []string) ([]graph.Step, error) {
				r := resolver(env)
				from, err := r.Resolve(ctx, args[0])
				if err != nil {
					return nil, err
				}
				to, err := r.Resolve(ctx, args[1])
				if err != nil {
					return nil, err
				}
				return env.Store.Path(ctx, from, to, env.MaxHops)
			}),
		},
		{
			Name:        "evidence",
			Description: "Documents and sentences asserting S P O, negated ones included and marked",
			Args:        []Arg{entityArg("S"), {Name: "P", Param: "p", Kind: PredicateArg}, entityArg("O")},
			Columns:     []string{"source", "kind", "date", "flags", "sentence"},
			Options:     []Option{minSupportOption()},
			run: run(func(ctx context.Context, env Env, args []string) ([]graph.Evidence, error) {
				p, err := ParsePredicate(args[1])
				if err != nil {
					return nil, err
				}
				sig := medkg.Signatures[p]
				r := resolver(env)
				subj, err := r.Resolve(ctx, args[0], sig.Subject...)
				if err != nil {
					return nil, err
				}
				obj, err := r.Resolve(ctx, args[2], sig.Object...)
				if err != nil {
					return nil, err
				}
				rows, err := env.Store.Evidence(ctx, subj, p, obj)
				if n := minSupport(env.options); err == nil && len(rows) > 0 && rows[0].Support != nil && !rows[0].Support.Meets(n) {
					rows = []graph.Evidence{}
				}
				return rows, err
			}),
		},
	}
}

// Find returns the query called name. An unknown name is ENOTFOUND,
// listing the known ones.
func Find(name string) (Query, error) {
	for _, q := range Queries() {
		if q.Name == name {
			return q, nil
		}
	}
	return Query{}, medkg.Errorf(medkg.ENOTFOUND, "unknown query %q; known queries: %s", name, strings.Join(Names(), ", "))
}

// Names returns the names of the queries in order.
func Names() []string {
	var out []string
	for _, q := range Queries() {
		out = append(out, q.Name)
	}
	return out
}

// ArgNames returns the usage names of q's arguments (NAME, A B, …).
func (q Query) ArgNames() []string {
	var out []string
	for _, a := range q.Args {
		out = append(out, a.Name)
	}
	return out
}

// ArgsUsage says how many arguments q takes: "no arguments", "one
// argument: NAME", "3 arguments: S P O".
func (q Query) ArgsUsage() string {
	switch len(q.Args) {
	case 0:
		return "no arguments"
	case 1:
		return "one argument: " + q.Args[0].Name
	}
	return fmt.Sprintf("%d arguments: %s", len(q.Args), strings.Join(q.ArgNames(), " "))
}

// Check validates args without touching the graph: their number, and
// every predicate argument. Its errors are EINVALID.
func (q Query) Check(args []string) error {
	if len(args) != len(q.Args) {
		return medkg.Errorf(medkg.EINVALID, "query %s takes %s", q.Name, q.ArgsUsage())
	}
	for i, a := range q.Args {
		if a.Kind == PredicateArg {
			if _, err := ParsePredicate(args[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Run checks args and runs q against env with its options' defaults.
func (q Query) Run(ctx context.Context, env Env, args []string) (Result, error) {
	return q.RunWith(ctx, env, args, nil)
}

// RunWith checks args and options and runs q against env.
func (q Query) RunWith(ctx context.Context, env Env, args []string, opts Options) (Result, error) {
	if err := q.Check(args); err != nil {
		return Result{}, err
	}
	if err := q.CheckOptions(opts); err != nil {
		return Result{}, err
	}
	env.options = opts
	return q.run(ctx, env, args)
}

// ParsePredicate reads a predicate as users write it: any case, - for _.
func ParsePredicate(s string) (medkg.Predicate, error) {
	p := medkg.Predicate(strings.ReplaceAll(strings.ToLower(s), "-", "_"))
	if _, ok := medkg.Signatures[p]; ok {
		return p, nil
	}
	var known []string
	for k := range medkg.Signatures {
		known = append(known, string(k))
	}
	sort.Strings(known)
	return "", medkg.Errorf(medkg.EINVALID, "unknown predicate %q; known predicates: %s", s, strings.Join(known, ", "))
}
