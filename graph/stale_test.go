package graph

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	csql "github.com/cayleygraph/cayley/graph/sql"
	bolt "github.com/coreos/bbolt"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"

	"github.com/medkg/medkg"
)

// TestQueryIndexStale writes a store, then damages its query index as
// an older medkg would — a version marker of an older format, or quads
// written by a program that does not maintain the index (cayley's own
// writer, as an older medkg writes) — and checks on bolt and PostgreSQL
// that the next open notices: a writable open fails naming `medkg
// migrate`, a read-only one warns (naming it) and answers without the
// index, and Migrate rebuilds an index that matches the quads.
func TestQueryIndexStale(t *testing.T) {
	damages := []struct {
		name string
		want string // in the message
		do   func(t *testing.T, backend, path string)
	}{
		{"older version", "older format", func(t *testing.T, backend, path string) {
			setIndexVersion(t, backend, path, []byte("1"))
		}},
		{"newer version", "newer format", func(t *testing.T, backend, path string) {
			setIndexVersion(t, backend, path, []byte("99"))
		}},
		{"written by cayley", "does not maintain", func(t *testing.T, backend, path string) {
			d := muscleDoc()
			qs, err := documentQuads(docIRI(d.Source), d, d.Hash)
			if err != nil {
				t.Fatal(err)
			}
			deltas := make([]graph.Delta, len(qs))
			for i, q := range qs {
				deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
			}
			foreignWrite(t, backend, path, deltas)
		}},
	}
	for _, b := range []string{Bolt, Postgres} {
		for _, dmg := range damages {
			t.Run(b+"/"+dmg.name, func(t *testing.T) {
				ctx := context.Background()
				s, path := mustOpenStorePath(t, b)
				mustLoad(t, s, seedDoc())
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				dmg.do(t, b, path)

				_, err := Open(ctx, Options{Path: path, Backend: b})
				if medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "medkg migrate") && dmg.want != "newer format" ||
					!strings.Contains(err.Error(), dmg.want) {
					t.Fatalf("writable open: err = %v, want EINVALID saying %q and naming medkg migrate", err, dmg.want)
				}

				var logs bytes.Buffer
				ro, err := Open(ctx, Options{Path: path, Backend: b, ReadOnly: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
				if err != nil {
					t.Fatal(err)
				}
				if ro.indexed() {
					t.Error("read-only open uses the damaged index")
				}
				if !strings.Contains(logs.String(), dmg.want) || !strings.Contains(logs.String(), "level=WARN") {
					t.Errorf("read-only open logged %q, want a warning saying %q", logs.String(), dmg.want)
				}
				before := answers(t, ro)
				if err := ro.Close(); err != nil {
					t.Fatal(err)
				}
				if dmg.want == "newer format" {
					if _, err := Migrate(ctx, Options{Path: path, Backend: b}); medkg.ErrorCode(err) != medkg.EINVALID {
						t.Fatalf("Migrate of a newer index: %v, want EINVALID", err)
					}
					return
				}

				res, err := Migrate(ctx, Options{Path: path, Backend: b})
				if err != nil || !res.Changed {
					t.Fatalf("Migrate = %+v, %v; want a rebuilt index", res, err)
				}
				s, err = Open(ctx, Options{Path: path, Backend: b})
				if err != nil {
					t.Fatalf("writable open after migrate: %v", err)
				}
				defer s.Close()
				checkIndex(t, s)
				compareAnswers(t, "after migrate", answers(t, s), before)
				// medkg's own writes keep it current.
				mustLoad(t, s, actionsDoc())
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s, err = Open(ctx, Options{Path: path, Backend: b})
				if err != nil {
					t.Fatalf("open after medkg wrote: %v", err)
				}
				checkIndex(t, s)
			})
		}
	}
}

// setIndexVersion rewrites the store's index version marker.
func setIndexVersion(t *testing.T, backend, path string, v []byte) {
	t.Helper()
	switch backend {
	case Bolt:
		db, err := hbolt.Open(filepath.Join(path, boltFile), &bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := hkv.Update(context.Background(), db, func(tx hkv.Tx) error { return tx.Put(ixMetaKey, v) }); err != nil {
			t.Fatal(err)
		}
	case Postgres:
		db, err := sql.Open("postgres", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE medkg_ix SET v = $1 WHERE k = $2`, v, sqlIxVersionKey); err != nil {
			t.Fatal(err)
		}
	}
}

// foreignWrite applies deltas with cayley's own writer, as a program
// that knows nothing of the query index.
func foreignWrite(t *testing.T, backend, path string, deltas []graph.Delta) {
	t.Helper()
	var qs graph.QuadStore
	switch backend {
	case Bolt:
		db, err := hbolt.Open(filepath.Join(path, boltFile), &bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if qs, err = kv.New(db, graph.Options{kv.OptNoBloom: true}); err != nil {
			t.Fatal(err)
		}
	case Postgres:
		var err error
		if qs, err = csql.New(Postgres, path, nil); err != nil {
			t.Fatal(err)
		}
	}
	defer qs.Close()
	if err := qs.ApplyDeltas(deltas, graph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
}
