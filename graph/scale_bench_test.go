package graph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// The scale benchmarks (docs/scale.md explains the numbers):
//
//	go test -run XXX -bench 'Scale' -benchtime 2000x ./graph
//
// MEDKG_BENCH_DOCS sets the sizes of the stores the replace, forget and
// query benchmarks use (default "1000,10000"); with MEDKG_TEST_POSTGRES
// set they run on PostgreSQL too (MEDKG_BENCH_BACKENDS narrows).
// MEDKG_BENCH_KEEP=DIR keeps the bolt stores in DIR/bolt-N and reuses
// them in later runs (and for timing whole `medkg query --db DIR/bolt-N`
// commands); on PostgreSQL it keeps the schema medkg_bench_N (the URL is
// $MEDKG_TEST_POSTGRES with search_path=medkg_bench_N).

// scaleDoc is synthDoc made to look like a corpus where one article in a
// hundred is about a ban: the others treat a condition instead.
func scaleDoc(i int) *medkg.Document {
	d := synthDoc(i)
	if i%100 != 0 {
		cond := fmt.Sprintf("condition:bench_%d", i%50)
		d.Entities = append(d.Entities, ent(cond, "病"+cond))
		d.Relations[0] = medkg.Relation{Subject: d.Relations[0].Object, Predicate: medkg.Treats, Object: cond, Sentence: 0, Evidence: d.Relations[0].Evidence}
	}
	return d
}

const scaleBatch = 200

func scaleSizes() []int {
	spec := os.Getenv("MEDKG_BENCH_DOCS")
	if spec == "" {
		spec = "1000,10000"
	}
	var out []int
	for _, f := range splitComma(spec) {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// scaleBackends: bolt, and postgres with MEDKG_TEST_POSTGRES set;
// MEDKG_BENCH_BACKENDS=postgres (or bolt) narrows it.
func scaleBackends() []string {
	out := []string{Bolt}
	if os.Getenv(postgresEnv) != "" {
		out = append(out, Postgres)
	}
	if only := os.Getenv("MEDKG_BENCH_BACKENDS"); only != "" {
		out = slices.DeleteFunc(out, func(b string) bool { return !strings.Contains(only, b) })
	}
	return out
}

// BenchmarkScaleIngest writes b.N documents into an empty store, side by
// side: medkg's IngestBatch and Ingest, and cayley's own ApplyDeltas
// given the same quads in the same batches (no lookups, no diff).
func BenchmarkScaleIngest(b *testing.B) {
	for _, backend := range scaleBackends() {
		for _, batch := range []int{scaleBatch, 1} {
			b.Run(fmt.Sprintf("%s/medkg/batch=%d", backend, batch), func(b *testing.B) {
				s := MustOpenStore(b, backend)
				mustLoad(b, s)
				ctx := context.Background()
				docs := make([]*medkg.Document, b.N)
				for i := range docs {
					docs[i] = scaleDoc(i)
				}
				quads := 0
				b.ResetTimer()
				start := time.Now()
				for lo := 0; lo < len(docs); lo += batch {
					res, err := s.IngestBatch(ctx, docs[lo:min(lo+batch, len(docs))])
					if err != nil {
						b.Fatal(err)
					}
					for _, r := range res {
						quads += r.Quads
					}
				}
				reportRate(b, start, b.N, quads)
			})
			b.Run(fmt.Sprintf("%s/cayley/batch=%d", backend, batch), func(b *testing.B) {
				s, path := mustOpenStorePath(b, backend)
				mustLoad(b, s)
				var all [][]quad.Quad
				for i := range b.N {
					d := scaleDoc(i)
					q, err := documentQuads(docIRI(d.Source), d, d.Hash)
					if err != nil {
						b.Fatal(err)
					}
					all = append(all, q)
				}
				quads := 0
				b.ResetTimer()
				start := time.Now()
				for lo := 0; lo < len(all); lo += batch {
					var deltas []graph.Delta
					for _, qs := range all[lo:min(lo+batch, len(all))] {
						for _, q := range qs {
							deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
						}
					}
					if err := cayleyWriter(b, s, path).ApplyDeltas(deltas, graph.IgnoreOpts{}); err != nil {
						b.Fatal(err)
					}
					quads += len(deltas)
				}
				reportRate(b, start, b.N, quads)
			})
		}
	}
}

// BenchmarkScaleIngestPaired writes the same b.N documents into two
// stores in turns, batch by batch: medkg's IngestBatch into one, cayley's
// ApplyDeltas with the same quads into the other, timing each. Taking
// turns keeps the ratio meaningful on a machine whose speed drifts.
func BenchmarkScaleIngestPaired(b *testing.B) {
	for _, backend := range scaleBackends() {
		b.Run(backend, func(b *testing.B) {
			ctx := context.Background()
			ms := MustOpenStore(b, backend)
			cs, cpath := mustOpenStorePath(b, backend)
			mustLoad(b, ms)
			mustLoad(b, cs)
			cw := cayleyWriter(b, cs, cpath)
			var tm, tc time.Duration
			quads := 0
			b.ResetTimer()
			for lo := 0; lo < b.N; lo += scaleBatch {
				var docs []*medkg.Document
				var deltas []graph.Delta
				for i := lo; i < min(lo+scaleBatch, b.N); i++ {
					d := scaleDoc(i)
					docs = append(docs, d)
					q, err := documentQuads(docIRI(d.Source), d, d.Hash)
					if err != nil {
						b.Fatal(err)
					}
					for _, q := range q {
						deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
					}
				}
				t0 := time.Now()
				if _, err := ms.IngestBatch(ctx, docs); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := cw.ApplyDeltas(deltas, graph.IgnoreOpts{}); err != nil {
					b.Fatal(err)
				}
				tm, tc = tm+t1.Sub(t0), tc+time.Since(t1)
				quads += len(deltas)
			}
			b.ReportMetric(float64(quads)/tm.Seconds(), "medkg-quads/s")
			b.ReportMetric(float64(quads)/tc.Seconds(), "cayley-quads/s")
			b.ReportMetric(tm.Seconds()/tc.Seconds(), "medkg/cayley")
		})
	}
}

// cayleyWriter is cayley's own writer on s's database: for bolt the
// store's, for PostgreSQL cayley's postgres flavour (one statement per
// row), not medkg's.
func cayleyWriter(b *testing.B, s *Store, path string) graph.QuadStore {
	if s.backend != Postgres {
		return s.qs
	}
	b.Helper()
	qs, err := csql.New(Postgres, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { qs.Close() })
	return qs
}

func reportRate(b *testing.B, start time.Time, docs, quads int) {
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(docs)/sec, "docs/s")
	b.ReportMetric(float64(quads)/sec, "quads/s")
}

var (
	scaleMu     sync.Mutex
	scaleStores = map[string]string{} // "backend/docs" -> path or URL
)

// scaleStore returns a store (bolt directory or PostgreSQL schema URL)
// holding the test vocabulary and n scaleDocs, built once per test binary
// with batched ingest.
func scaleStore(b *testing.B, backend string, n int) string {
	scaleMu.Lock()
	defer scaleMu.Unlock()
	key := fmt.Sprintf("%s/%d", backend, n)
	if p, ok := scaleStores[key]; ok {
		return p
	}
	var path string
	keep := os.Getenv("MEDKG_BENCH_KEEP")
	switch {
	case backend == Bolt && keep != "":
		path = filepath.Join(keep, fmt.Sprintf("bolt-%d", n))
		if _, err := os.Stat(filepath.Join(path, "complete")); err == nil {
			b.Logf("reusing %s", path)
			scaleStores[key] = path
			return path
		}
	case backend == Bolt:
		dir, err := os.MkdirTemp("", "medkg-scale-")
		if err != nil {
			b.Fatal(err)
		}
		benchCleanup = append(benchCleanup, func() { os.RemoveAll(dir) })
		path = dir
	case backend == Postgres && keep != "":
		var done bool
		path, done = postgresKeptURL(b, n)
		if done {
			b.Logf("reusing %s", redactURL(path))
			scaleStores[key] = path
			return path
		}
	case backend == Postgres:
		path = postgresBenchURL(b)
	}
	ctx := context.Background()
	s, err := Open(ctx, Options{Path: path, Backend: backend})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mustLoad(b, s)
	start := time.Now()
	type step struct {
		quads int
		took  time.Duration
	}
	var steps []step
	for lo := 0; lo < n; lo += scaleBatch {
		var docs []*medkg.Document
		for i := lo; i < min(lo+scaleBatch, n); i++ {
			docs = append(docs, scaleDoc(i))
		}
		t0 := time.Now()
		res, err := s.IngestBatch(ctx, docs)
		if err != nil {
			b.Fatal(err)
		}
		q := 0
		for _, r := range res {
			q += r.Quads
		}
		steps = append(steps, step{q, time.Since(t0)})
	}
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// Throughput of the first and the last 100k quads: ingest must not
	// slow down as the store grows.
	rate := func(steps []step) float64 {
		q, d := 0, time.Duration(0)
		for _, s := range steps {
			if q >= 100000 {
				break
			}
			q, d = q+s.quads, d+s.took
		}
		return float64(q) / d.Seconds()
	}
	rev := slices.Clone(steps)
	slices.Reverse(rev)
	b.Logf("built %s store of %d documents, %d quads, in %s; first 100k quads %.0f quads/s, last 100k %.0f quads/s",
		backend, n, st.Quads, time.Since(start).Round(time.Millisecond), rate(steps), rate(rev))
	if keep != "" && backend == Bolt {
		if err := os.WriteFile(filepath.Join(path, "complete"), nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	if keep != "" && backend == Postgres {
		if err := markPostgresKept(path); err != nil {
			b.Fatal(err)
		}
	}
	scaleStores[key] = path
	return path
}

var (
	benchCleanup []func()
	replaceSeq   atomic.Int64
)

// BenchmarkScaleReplace replaces one document by a changed version, on
// stores of each size: the time should not depend on the size.
func BenchmarkScaleReplace(b *testing.B) {
	for _, backend := range scaleBackends() {
		for _, n := range scaleSizes() {
			b.Run(fmt.Sprintf("%s/docs=%d", backend, n), func(b *testing.B) {
				s := openScale(b, backend, n)
				ctx := context.Background()
				b.ResetTimer()
				for i := range b.N {
					d := scaleDoc((i * 7919) % n)
					d.Hash = fmt.Sprintf("%064x", 1<<40+replaceSeq.Add(1)) // new content every time
					d.Relations = d.Relations[:len(d.Relations)-1-i%2]
					res, err := s.Ingest(ctx, d)
					if err != nil || res.Status != Replaced {
						b.Fatalf("replace: %+v, %v", res, err)
					}
				}
			})
		}
	}
}

// BenchmarkScaleForget forgets one document (and, untimed, puts it back).
func BenchmarkScaleForget(b *testing.B) {
	for _, backend := range scaleBackends() {
		for _, n := range scaleSizes() {
			b.Run(fmt.Sprintf("%s/docs=%d", backend, n), func(b *testing.B) {
				s := openScale(b, backend, n)
				ctx := context.Background()
				b.ResetTimer()
				for i := range b.N {
					d := scaleDoc((i*7919 + 13) % n)
					if _, err := s.Forget(ctx, d.Source); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if _, err := s.Ingest(ctx, d); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			})
		}
	}
}

// BenchmarkScaleQueryCold is `medkg query …` on a large store: open
// read-only, answer, close. read=cayley answers the same question
// without the query index (as on a store written before it), side by
// side; read=previous is the index path before hub edges were read per
// distinct end and d entries told whether a document has actions.
func BenchmarkScaleQueryCold(b *testing.B) {
	queries := []struct {
		name string
		run  func(ctx context.Context, s *Store) (int, error)
	}{
		{"banned-nerves", func(ctx context.Context, s *Store) (int, error) {
			r, err := s.BannedNerves(ctx)
			return len(r), err
		}},
		{"innervation", func(ctx context.Context, s *Store) (int, error) {
			r, err := s.Innervation(ctx, "胫神经")
			return len(r), err
		}},
		// A nerve a tenth of the documents state things about, as 胫神经
		// is in real articles.
		{"innervation-hub", func(ctx context.Context, s *Store) (int, error) {
			r, err := s.Innervation(ctx, "nerve:bench_3")
			return len(r), err
		}},
	}
	for _, backend := range scaleBackends() {
		for _, n := range scaleSizes() {
			for _, q := range queries {
				for _, read := range []string{"index", "previous", "cayley"} {
					b.Run(fmt.Sprintf("%s/%s/read=%s/docs=%d", q.name, backend, read, n), func(b *testing.B) {
						path := scaleStore(b, backend, n)
						ctx := context.Background()
						rows := 0
						b.ResetTimer()
						for range b.N {
							s, err := Open(ctx, Options{Path: path, Backend: backend, ReadOnly: true})
							if err != nil {
								b.Fatal(err)
							}
							switch read {
							case "cayley":
								s.ix, s.ixdb = nil, nil
							case "previous":
								s.ixPrevious = true
							}
							if rows, err = q.run(ctx, s); err != nil {
								b.Fatal(err)
							}
							if err := s.Close(); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(rows), "rows")
					})
				}
			}
		}
	}
}

func openScale(b *testing.B, backend string, n int) *Store {
	path := scaleStore(b, backend, n)
	s, err := Open(context.Background(), Options{Path: path, Backend: backend})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
