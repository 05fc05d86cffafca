package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/vocab"
)

// TestEveryQueryExports: every query of the registry (which export
// --query and the HTTP API select from) has a subgraph to export, so a
// new query cannot be listed without one.
func TestEveryQueryExports(t *testing.T) {
	sample := map[string][]string{
		"innervation": {"胫神经"},
		"neighbors":   {"胫神经"},
		"path":        {"比目鱼肌", "坐骨神经"},
		"evidence":    {"nerve:tibial", "branch_of", "nerve:sciatic"},
	}
	open := cmdtest.SeededStore(t)
	ctx := context.Background()
	s, err := open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range app.Queries() {
		if len(q.Columns) == 0 || q.Description == "" {
			t.Errorf("%s: no columns or description", q.Name)
		}
		for _, a := range q.Args {
			if a.Param == "" || (a.Kind != app.EntityArg && a.Kind != app.PredicateArg) {
				t.Errorf("%s: argument %+v", q.Name, a)
			}
		}
		args := sample[q.Name]
		if err := q.Check(args); err != nil {
			t.Errorf("%s: no sample arguments in this test: %v", q.Name, err)
			continue
		}
		g, err := s.EntityGraph(ctx, graph.Selection{Scope: graph.ScopeAll, Query: q.Name, Args: args})
		if err != nil || len(g.Nodes) == 0 {
			t.Errorf("export --query %s %q: %v", q.Name, args, err)
		}
	}
}

func TestFindAndCheck(t *testing.T) {
	if _, err := app.Find("nope"); medkg.ErrorCode(err) != medkg.ENOTFOUND || !strings.Contains(err.Error(), "banned-nerves") {
		t.Errorf("Find(nope) = %v", err)
	}
	tests := []struct {
		query   string
		args    []string
		wantErr string
	}{
		{"banned-nerves", nil, ""},
		{"banned-nerves", []string{"x"}, "query banned-nerves takes no arguments"},
		{"innervation", nil, "query innervation takes one argument: NAME"},
		{"path", []string{"a"}, "query path takes 2 arguments: A B"},
		{"evidence", []string{"a", "branch-of", "b"}, ""},
		{"evidence", []string{"a", "loves", "b"}, `unknown predicate "loves"`},
	}
	for _, tt := range tests {
		q, err := app.Find(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		err = q.Check(tt.args)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s %q: %v", tt.query, tt.args, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || medkg.ErrorCode(err) != medkg.EINVALID):
			t.Errorf("%s %q: %v, want EINVALID %q", tt.query, tt.args, err, tt.wantErr)
		}
	}
}

func TestRunAndResolve(t *testing.T) {
	open := cmdtest.SeededStore(t)
	ctx := context.Background()
	s, err := open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v := func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil }
	env := app.Env{Store: s, Vocabulary: v}

	q, _ := app.Find("innervation")
	res, err := q.Run(ctx, env, []string{"胫神经"})
	if err != nil {
		t.Fatal(err)
	}
	rows, ok := res.Rows.([]graph.InnervationRow)
	if !ok || len(rows) == 0 || res.Total != len(rows) {
		t.Fatalf("rows %T, %d, total %d", res.Rows, len(rows), res.Total)
	}
	if head := res.Head(1).([]graph.InnervationRow); len(head) != 1 {
		t.Errorf("Head(1) = %d rows", len(head))
	}

	_, err = q.Run(ctx, env, []string{"胫神精"})
	var nf *app.NotFoundError
	if !errors.As(err, &nf) || medkg.ErrorCode(err) != medkg.ENOTFOUND || len(nf.Suggestions) == 0 || nf.Suggestions[0].ID != "nerve:tibial" {
		t.Fatalf("unknown name: %v", err)
	}
	if !strings.Contains(err.Error(), "did you mean: 胫神经 (nerve:tibial)") {
		t.Errorf("message %q", err)
	}

	r := &app.Resolver{Store: s, Vocabulary: v}
	if id, err := r.Resolve(ctx, "Tibial Nerve", medkg.Nerve); err != nil || id != "nerve:tibial" {
		t.Errorf("Resolve = %q, %v", id, err)
	}
	if _, err := r.Resolve(ctx, "胫神经", medkg.Muscle); medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("wrong type: %v", err)
	}
}

func TestEmptyResultIsEmptySlice(t *testing.T) {
	open := cmdtest.StoreOpener(t)
	s, err := open(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	q, _ := app.Find("banned-nerves")
	res, err := q.Run(context.Background(), app.Env{Store: s}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := res.Head(10).([]graph.BannedNerve); !ok || h == nil || res.Total != 0 {
		t.Errorf("Head of nothing = %#v", res.Head(10))
	}
}

// TestNotFoundError: the one "no X named Y" message of the CLI and the
// API, with its exit code and suggestions.
func TestNotFoundError(t *testing.T) {
	err := error(&app.NotFoundError{What: "entity", Name: "胫神精", Suggestions: []app.Suggestion{{ID: "nerve:tibial", Name: "胫神经"}}})
	if medkg.ErrorCode(err) != medkg.ENOTFOUND {
		t.Errorf("code %q", medkg.ErrorCode(err))
	}
	for _, want := range []string{`no entity named "胫神精"`, "did you mean: 胫神经 (nerve:tibial)?"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if err := (&app.NotFoundError{What: "entity", Name: "xyz"}); !strings.Contains(err.Error(), "medkg vocab list") {
		t.Errorf("error without suggestions should point at vocab list: %q", err)
	}
}
