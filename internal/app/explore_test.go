package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdtest"
)

func TestSearch(t *testing.T) {
	v := cmdtest.Vocabulary(t)
	ctx := context.Background()
	tests := []struct {
		q     string
		first string // id of the first match
		field string
		none  bool
	}{
		{q: "胫神经", first: "nerve:tibial", field: "name"},         // exact before the longer names starting with it
		{q: "胫神", first: "nerve:tibial", field: "name"},          // prefix, shortest first
		{q: "胫后神", first: "nerve:tibial", field: "alias"},        // alias prefix
		{q: "TIBIAL N", first: "nerve:tibial", field: "english"}, // folded case
		{q: "nerve:tibia", first: "nerve:tibial", field: "id"},
		{q: "火星", none: true},
	}
	for _, tt := range tests {
		ms, err := app.Search(ctx, nil, v, tt.q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if tt.none {
			if len(ms) != 0 {
				t.Errorf("%q: %+v", tt.q, ms)
			}
			continue
		}
		if len(ms) == 0 || ms[0].ID != tt.first || ms[0].Field != tt.field {
			t.Errorf("%q: %+v, want %s by %s first", tt.q, ms, tt.first, tt.field)
		}
		if len(ms) > 5 {
			t.Errorf("%q: %d matches over the limit", tt.q, len(ms))
		}
		for _, m := range ms {
			if m.Type == medkg.Drug || m.Type == medkg.Exam {
				t.Errorf("%q: %s is not a graph entity", tt.q, m.ID)
			}
		}
	}
	// A substring match ranks after every prefix match.
	ms, _ := app.Search(ctx, nil, v, "神经", 500)
	seenContains := false
	for _, m := range ms {
		prefix := strings.HasPrefix(m.Matched, "神经")
		if seenContains && prefix {
			t.Fatalf("prefix match %s after a substring match", m.Matched)
		}
		seenContains = seenContains || !prefix
	}
	if _, err := app.Search(ctx, nil, v, "  ", 5); medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("blank query: %v", err)
	}
}

func TestNeighbourhoods(t *testing.T) {
	open := cmdtest.SeededStore(t)
	ctx := context.Background()
	s, err := open(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	one, err := app.Neighbourhoods(ctx, s, "nerve:tibial", app.NeighbourhoodOptions{Depth: 1, MaxNodes: 500})
	if err != nil {
		t.Fatal(err)
	}
	two, err := app.Neighbourhoods(ctx, s, "nerve:tibial", app.NeighbourhoodOptions{Depth: 2, MaxNodes: 500})
	if err != nil {
		t.Fatal(err)
	}
	if one.Nodes[0].ID != "nerve:tibial" || one.Nodes[0].Depth != 0 || len(two.Nodes) <= len(one.Nodes) || len(two.Edges) <= len(one.Edges) {
		t.Fatalf("depth 1: %d nodes, depth 2: %d", len(one.Nodes), len(two.Nodes))
	}
	in := map[string]int{}
	for _, n := range two.Nodes {
		in[n.ID] = n.Depth
	}
	for _, e := range two.Edges {
		if _, ok := in[e.Subject.ID]; !ok {
			t.Errorf("edge %s %s %s leaves the neighbourhood", e.Subject.ID, e.Predicate, e.Object.ID)
		}
		if _, ok := in[e.Object.ID]; !ok {
			t.Errorf("edge %s %s %s leaves the neighbourhood", e.Subject.ID, e.Predicate, e.Object.ID)
		}
		if e.Predicate == medkg.CoOccurs {
			t.Errorf("co_occurs without asking for it")
		}
	}
	if in["nerve:sciatic"] != 1 || in["muscle:soleus"] != 1 {
		t.Errorf("depths %v", in)
	}

	small, err := app.Neighbourhoods(ctx, s, "nerve:tibial", app.NeighbourhoodOptions{Depth: 2, MaxNodes: 3})
	if err != nil || len(small.Nodes) != 3 || !small.Truncated {
		t.Errorf("limit 3: %d nodes, truncated %v, %v", len(small.Nodes), small.Truncated, err)
	}
	muscles, err := app.Neighbourhoods(ctx, s, "nerve:tibial", app.NeighbourhoodOptions{Depth: 1, MaxNodes: 500, Types: []medkg.EntityType{medkg.Muscle}, Predicates: []medkg.Predicate{medkg.Innervates}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range muscles.Nodes[1:] {
		if n.Type != medkg.Muscle {
			t.Errorf("type filter let %s through", n.ID)
		}
	}
	for _, e := range muscles.Edges {
		if e.Predicate != medkg.Innervates {
			t.Errorf("predicate filter let %s through", e.Predicate)
		}
	}
	if len(muscles.Nodes) < 2 {
		t.Errorf("no muscle innervated by the tibial nerve")
	}
	if _, err := app.Neighbourhoods(ctx, s, "nerve:nope", app.NeighbourhoodOptions{Depth: 1, MaxNodes: 5}); medkg.ErrorCode(err) != medkg.ENOTFOUND {
		t.Errorf("unknown centre: %v", err)
	}
}

// TestReadDocumentText: the text read again, and what happens when the
// file changed or is gone.
func TestReadDocumentText(t *testing.T) {
	x := cmdtest.Extractor(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "note.txt")
	const text = "医生检查了胫神经和腓总神经。\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err := x.ExtractText(ctx, path, text)
	if err != nil {
		t.Fatal(err)
	}
	info := graph.DocInfo{Source: path, Hash: doc.Hash}
	got, err := app.ReadDocumentText(ctx, x, info)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(got.Text)
	if got.Stale || len(got.Sentences) == 0 || len(got.Mentions) == 0 {
		t.Fatalf("%+v", got)
	}
	found := false
	for _, m := range got.Mentions {
		found = found || string(runes[m.Start:m.End]) == "胫神经"
	}
	if !found {
		t.Errorf("mentions %+v", got.Mentions)
	}
	info.Hash = "0000"
	if got, err := app.ReadDocumentText(ctx, x, info); err != nil || !got.Stale {
		t.Errorf("changed file: %v, stale %v", err, got != nil && got.Stale)
	}
	for _, src := range []string{filepath.Join(t.TempDir(), "gone.txt"), "stdin:0123456789ab"} {
		if _, err := app.ReadDocumentText(ctx, x, graph.DocInfo{Source: src}); medkg.ErrorCode(err) != medkg.ENOTFOUND {
			t.Errorf("%s: %v", src, err)
		}
	}
}
