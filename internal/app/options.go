package app

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
)

// Option is a named setting a query takes besides its arguments (--kind
// on the command line, ?kind= over HTTP). Options are declared with the
// query, so that the CLI and the HTTP API offer the same ones.
type Option struct {
	Name   string   `json:"name"`             // flag name and HTTP parameter
	Usage  string   `json:"usage"`            // one line of help
	Values []string `json:"values,omitempty"` // allowed values (a comma-separated list of them is accepted); none: free
}

// Options are the values given for a query's options, by name.
type Options map[string]string

// The options of the ban questions.
const (
	OptKind         = "kind"
	OptJurisdiction = "jurisdiction"
	OptSince        = "since"
	OptActor        = "actor"
	OptMinSupport   = "min-support"
)

// minSupportOption is the option of every query whose answers are
// edges: keep those asserted by at least N documents.
func minSupportOption() Option {
	return Option{Name: OptMinSupport, Usage: "Only answers whose every edge at least N documents assert positively (claims and denials do not count; an edge the vocabulary states always passes)"}
}

// minSupport reads --min-support (0 when not given; CheckOptions has
// validated it).
func minSupport(opts Options) int {
	n, _ := strconv.Atoi(strings.TrimSpace(opts[OptMinSupport]))
	return n
}

// supported keeps the rows that meet the minimum support of opts.
func supported[R interface{ Meets(int) bool }](rows []R, opts Options) []R {
	n := minSupport(opts)
	if n <= 0 {
		return rows
	}
	return slices.DeleteFunc(rows, func(r R) bool { return !r.Meets(n) })
}

// actionOptions are the options of banned-nerves and banned-procedures.
func actionOptions() []Option {
	var kinds, jurs []string
	for _, k := range medkg.ActionKinds {
		kinds = append(kinds, string(k))
	}
	kinds = append(kinds, "all")
	for _, j := range medkg.Jurisdictions {
		jurs = append(jurs, string(j))
	}
	return []Option{
		{Name: OptKind, Values: kinds, Usage: "Kinds of action, comma-separated (default ban,suspension: what answers \"banned\"; all for every kind)"},
		{Name: OptJurisdiction, Values: jurs, Usage: "Only actions of these jurisdictions, comma-separated (from the acting body's name)"},
		{Name: OptSince, Usage: "Only actions in effect from this date on: YYYY, YYYY-MM or YYYY-MM-DD (actions without a date in their text are left out)"},
		{Name: OptActor, Usage: "Only actions of this agency or regulation, of its predecessors (succeeded_by) and of their units (part_of), each under the name used at the time"},
		minSupportOption(),
	}
}

// CheckOptions validates opts against q's options: unknown names and
// values are EINVALID, naming what q accepts.
func (q Query) CheckOptions(opts Options) error {
	names := make([]string, 0, len(opts))
	for n := range opts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		i := slices.IndexFunc(q.Options, func(o Option) bool { return o.Name == n })
		if i < 0 {
			var takes []string
			for _, o := range q.Options {
				takes = append(takes, o.Name)
			}
			if len(takes) == 0 {
				return medkg.Errorf(medkg.EINVALID, "query %s takes no option %s", q.Name, n)
			}
			return medkg.Errorf(medkg.EINVALID, "query %s takes no option %s (it takes %s)", q.Name, n, strings.Join(takes, ", "))
		}
		o := q.Options[i]
		if len(o.Values) > 0 {
			for _, v := range splitList(opts[n]) {
				if !slices.Contains(o.Values, v) {
					return medkg.Errorf(medkg.EINVALID, "%s %q: want one or more of %s", n, v, strings.Join(o.Values, ", "))
				}
			}
			if len(splitList(opts[n])) == 0 {
				return medkg.Errorf(medkg.EINVALID, "%s is empty: want one or more of %s", n, strings.Join(o.Values, ", "))
			}
		}
		if n == OptMinSupport {
			if v, err := strconv.Atoi(strings.TrimSpace(opts[n])); err != nil || v < 0 {
				return medkg.Errorf(medkg.EINVALID, "%s %q: want a number of documents (0 or more)", n, opts[n])
			}
		}
		if n == OptSince {
			if err := graph.CheckSince(opts[n]); err != nil {
				return err
			}
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// actionFilter reads the ban questions' options; --actor is resolved to
// an agency or regulation.
func actionFilter(ctx context.Context, env Env, opts Options) (graph.ActionFilter, error) {
	var f graph.ActionFilter
	if name := opts[OptActor]; name != "" {
		id, err := resolver(env).Resolve(ctx, name, medkg.Agency, medkg.Regulation)
		if err != nil {
			return f, err
		}
		f.Actor = id
	}
	for _, k := range splitList(opts[OptKind]) {
		if k == "all" {
			f.Kinds = append([]medkg.ActionKind(nil), medkg.ActionKinds...)
			break
		}
		f.Kinds = append(f.Kinds, medkg.ActionKind(k))
	}
	for _, j := range splitList(opts[OptJurisdiction]) {
		f.Jurisdictions = append(f.Jurisdictions, medkg.Jurisdiction(j))
	}
	f.Since = opts[OptSince]
	return f, nil
}
