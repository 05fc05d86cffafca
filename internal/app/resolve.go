package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/vocab"
)

// Suggestion is a known entity whose name is close to one that was not
// found.
type Suggestion struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (s Suggestion) String() string { return s.Name + " (" + s.ID + ")" }

// NotFoundError reports a name that names nothing, with the known names
// closest to it. It unwraps to an ENOTFOUND *medkg.Error, so that exit
// statuses and HTTP statuses follow from the code alone, while the CLI
// and the API can still read the suggestions with errors.As.
type NotFoundError struct {
	What        string // "entity", "document", …
	Name        string
	Suggestions []Suggestion
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("no %s named %q", e.What, e.Name)
	if len(e.Suggestions) > 0 {
		s := make([]string, len(e.Suggestions))
		for i, x := range e.Suggestions {
			s[i] = x.String()
		}
		return msg + "; did you mean: " + strings.Join(s, ", ") + "?"
	}
	return msg + "; try `medkg vocab list` to see known names"
}

// Unwrap returns the ENOTFOUND error carrying the same message.
func (e *NotFoundError) Unwrap() error {
	return &medkg.Error{Code: medkg.ENOTFOUND, Message: e.Error()}
}

// Suggest returns up to n vocabulary entries close to name.
func Suggest(v *vocab.Vocabulary, name string, n int) []Suggestion {
	var out []Suggestion
	for _, e := range v.Suggest(name, n) {
		out = append(out, Suggestion{ID: e.ID, Name: e.Name})
	}
	return out
}

// maxSuggestions bounds the "did you mean" list.
const maxSuggestions = 5

// Resolver turns a user's name for an entity into entities: through the
// vocabulary first (id, Chinese name, alias, English name), then through
// the graph (agencies and regulations found by pattern in documents). It
// is the one resolver of the CLI and the HTTP API.
type Resolver struct {
	Store *graph.Store
	// Vocabulary is a function so that queries without names never load
	// the vocabulary.
	Vocabulary func() (*vocab.Vocabulary, error)
}

// Candidates returns every entity name may denote. None is a
// *NotFoundError with suggestions.
func (r *Resolver) Candidates(ctx context.Context, name string) ([]medkg.Entity, error) {
	return candidates(ctx, r, name, func(e *vocab.Entry) medkg.Entity { return e.Entity }, r.Store.Lookup)
}

// candidates is Candidates with the entities as T: through the
// vocabulary (as vocab), else the graph (lookup).
func candidates[T any](ctx context.Context, r *Resolver, name string, fromVocab func(*vocab.Entry) T, lookup func(context.Context, string) ([]T, error)) ([]T, error) {
	v, err := r.Vocabulary()
	if err != nil {
		return nil, err
	}
	var cands []T
	for _, e := range v.Resolve(name) {
		cands = append(cands, fromVocab(e))
	}
	if len(cands) == 0 {
		found, err := lookup(ctx, name)
		if err != nil {
			return nil, err
		}
		cands = found
	}
	if len(cands) == 0 {
		return nil, &NotFoundError{What: "entity", Name: name, Suggestions: Suggest(v, name, maxSuggestions)}
	}
	return cands, nil
}

// Resolve returns the id of the one entity of one of types (any type if
// none) that name denotes. A name of another type or naming several
// entities is EINVALID. It needs only the candidates' ids and types
// (Store.LookupRefs): an entity's full record (aliases, codes) is read
// through cayley, on PostgreSQL one more connection.
func (r *Resolver) Resolve(ctx context.Context, name string, types ...medkg.EntityType) (string, error) {
	cands, err := candidates(ctx, r, name, func(e *vocab.Entry) graph.EntityRef {
		return graph.EntityRef{ID: e.ID, Type: e.Type, Name: e.Name, NameEn: e.NameEn}
	}, r.Store.LookupRefs)
	if err != nil {
		return "", err
	}
	if len(types) > 0 {
		var keep []graph.EntityRef
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
