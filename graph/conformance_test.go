package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/medkg/medkg"
)

// TestConformance asks every question of a store on each backend and
// compares the answers with memstore's, after ingesting, re-ingesting,
// replacing and forgetting documents. The other tests that loop over
// backends check each operation's own contract; this one checks that the
// backends agree on everything a user can see.
func TestConformance(t *testing.T) {
	ctx := context.Background()
	steps := []struct {
		name string
		do   func(t *testing.T, s *Store)
	}{
		{"ingest", func(t *testing.T, s *Store) { mustLoad(t, s, seedDoc(), muscleDoc()) }},
		{"re-ingest", func(t *testing.T, s *Store) { mustLoad(t, s, seedDoc(), muscleDoc()) }},
		{"replace", func(t *testing.T, s *Store) {
			d := seedDoc()
			d.Hash = fmt.Sprintf("%064x", 7)
			d.Relations = d.Relations[1:]
			if res, err := s.Ingest(ctx, d); err != nil || res.Status != Replaced {
				t.Fatalf("replace: %+v, %v", res, err)
			}
		}},
		{"forget", func(t *testing.T, s *Store) {
			if _, err := s.Forget(ctx, muscleDoc().Source); err != nil {
				t.Fatal(err)
			}
		}},
	}
	stores := map[string]*Store{}
	for _, b := range backends {
		if b == Postgres && os.Getenv(postgresEnv) == "" {
			t.Logf("postgres: skipped, no server (set %s)", postgresEnv)
			continue
		}
		stores[b] = MustOpenStore(t, b)
	}
	for _, step := range steps {
		var ref map[string]string
		for _, b := range append([]string{Memstore}, slices.DeleteFunc(slices.Clone(backends), func(b string) bool { return b == Memstore })...) {
			s := stores[b]
			if s == nil {
				continue // skipped: no server
			}
			t.Run(step.name+"/"+b, func(t *testing.T) {
				step.do(t, s)
				got := answers(t, s)
				if b == Memstore {
					ref = got
				}
				for _, k := range slices.Sorted(mapsKeys(ref)) {
					if got[k] != ref[k] {
						t.Errorf("%s differs from %s:\ngot  %s\nwant %s", k, Memstore, got[k], ref[k])
					}
				}
			})
		}
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// answers is everything the store can be asked, as JSON per question.
func answers(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	put := func(name string, v any, err error) {
		if medkg.ErrorCode(err) == medkg.ENOTFOUND {
			v, err = "not found: "+err.Error(), nil // an answer too
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	bn, err := s.BannedNerves(ctx)
	put("banned-nerves", bn, err)
	bp, err := s.BannedProcedures(ctx)
	put("banned-procedures", bp, err)
	for _, name := range []string{"胫神经", "腓肠肌", "tibial nerve"} {
		in, err := s.Innervation(ctx, name)
		put("innervation "+name, in, err)
	}
	nb, err := s.Neighbors(ctx, "小腿神经离断瘦腿手术")
	put("neighbors", nb, err)
	p, err := s.Path(ctx, "国家卫健委", "腓肠肌", 4)
	put("path", p, err)
	ev, err := s.Evidence(ctx, "小腿神经离断瘦腿手术", medkg.Cuts, "腓肠内侧皮神经")
	put("evidence", ev, err)
	docs, err := s.Documents(ctx)
	put("documents", docs, err)
	st, err := s.Stats(ctx)
	st.Backend, st.Path = "", ""
	put("stats", st, err)
	g, err := s.Gizmo(ctx, `g.V().Has("<medkg:negated>", true).Save("<medkg:evidence>", "evidence").All()`, 100)
	put("gizmo", g, err)
	out["export nquads"] = fmt.Sprint(sortedLines(exportString(t, s, "nquads")))
	return out
}

// TestPostgresConcurrentWriters has two stores (as two medkg processes
// would) write different documents into one database at once: no file
// lock, and both documents arrive whole.
func TestPostgresConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	url := postgresTestURL(t)
	var stores [2]*Store
	for i := range stores {
		s, err := Open(ctx, Options{Path: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if s.Backend() != Postgres {
			t.Fatalf("backend for %s = %s, want postgres", redactURL(url), s.Backend())
		}
		stores[i] = s
	}
	mustLoad(t, stores[0])
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, d := range []*medkg.Document{seedDoc(), muscleDoc()} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = stores[i].Ingest(ctx, d)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ref := MustOpenStore(t, Memstore)
	mustLoad(t, ref, seedDoc(), muscleDoc())
	got, want := answers(t, stores[1]), answers(t, ref)
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s after concurrent writes:\ngot  %s\nwant %s", k, got[k], want[k])
		}
	}
}

// TestIngestBatch writes several documents, an invalid one and two
// versions of one source in one batch: the invalid one is reported and
// skipped, the later version wins, and the store equals a fresh one.
func TestIngestBatch(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s)
			changed := seedDoc()
			changed.Hash = fmt.Sprintf("%064x", 9)
			changed.Relations = changed.Relations[2:]
			bad := muscleDoc()
			bad.Source = "/corpus/bad.txt"
			bad.Relations = append(bad.Relations, medkg.Relation{Subject: "agency:nhc", Predicate: "loves", Object: "nerve:tibial"})
			res, err := s.IngestBatch(ctx, []*medkg.Document{seedDoc(), muscleDoc(), bad, changed})
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := []IngestStatus{Added, Added, "", Replaced}
			for i, r := range res {
				if r.Status != wantStatus[i] || (i == 2) != (r.Err != nil) {
					t.Errorf("result %d = %+v, want status %q", i, r, wantStatus[i])
				}
			}
			if medkg.ErrorCode(res[2].Err) != medkg.EINVALID {
				t.Errorf("invalid document: err = %v, want EINVALID", res[2].Err)
			}
			again, err := s.IngestBatch(ctx, []*medkg.Document{muscleDoc(), changed})
			if err != nil || again[0].Status != Unchanged || again[1].Status != Unchanged {
				t.Errorf("same batch again = %+v, %v; want unchanged", again, err)
			}
			ref := MustOpenStore(t, Memstore)
			mustLoad(t, ref, muscleDoc(), changed)
			got, want := answers(t, s), answers(t, ref)
			for k := range want {
				if got[k] != want[k] {
					t.Errorf("%s after batch:\ngot  %s\nwant %s", k, got[k], want[k])
				}
			}
		})
	}
}

// TestPostgresReadOnlyNewDatabase: a query on an empty database answers
// nothing instead of failing on missing tables.
func TestPostgresReadOnlyNewDatabase(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{Path: postgresTestURL(t), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.BannedNerves(ctx)
	if err != nil || len(rows) != 0 {
		t.Errorf("BannedNerves on a new database: %v, %v", rows, err)
	}
	if _, err := s.Ingest(ctx, seedDoc()); medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("Ingest on a read-only store: err = %v, want EINVALID", err)
	}
}
