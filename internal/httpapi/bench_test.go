package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/vocab"
)

// The serving benchmark:
//
//	MEDKG_BENCH_ARTICLES=10000 MEDKG_BENCH_STORE=/tmp/medkg-bench \
//	  go test -run XXX -bench Serve -benchtime 2000x ./internal/httpapi
//
// It serves a bolt store of MEDKG_BENCH_ARTICLES synthetic articles
// (default 1000; built once in MEDKG_BENCH_STORE when set and reused,
// else in a temporary directory) through the real handler, opening the
// store for each request as `medkg serve` does, with 32 clients at once,
// and reports p50 and p99 latency and requests/s.

const benchClients = 32

// benchArticle writes article i, in sentences of our own over vocabulary
// names: one article in a hundred reports a ban, the others a case.
func benchArticle(i int, nerves, muscles, procs, conds []string) string {
	pick := func(xs []string, k int) string { return xs[(i*7+k*13)%len(xs)] }
	if i%100 == 0 {
		return fmt.Sprintf("---\ntitle: 第%d号通报\ndate: 2024-01-%02d\n---\n国家卫生健康委员会禁止开展%s。\n该手术切断%s，导致%s萎缩。\n专家指出，%s支配%s。\n",
			i, 1+i%28, pick(procs, 0), pick(nerves, 1), pick(muscles, 2), pick(nerves, 3), pick(muscles, 4))
	}
	return fmt.Sprintf("---\ntitle: 病例%d\ndate: 2023-03-%02d\n---\n患者因%s就诊，查体见%s无力。\n医生为患者行%s，术中保护%s。\n%s支配%s和%s。\n术后%s缓解，未见%s。\n%s压迫%s可导致%s。\n",
		i, 1+i%28, pick(conds, 0), pick(muscles, 1), pick(procs, 2), pick(nerves, 3), pick(nerves, 4), pick(muscles, 5), pick(muscles, 6), pick(conds, 7), pick(conds, 8), pick(muscles, 9), pick(nerves, 10), pick(conds, 11))
}

// benchStore returns the directory of a store of n synthetic articles.
func benchStore(b *testing.B, n int) string {
	dir := os.Getenv("MEDKG_BENCH_STORE")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "graph")
	} else {
		dir = filepath.Join(dir, strconv.Itoa(n))
		if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
			return dir
		}
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	v := cmdtest.Vocabulary(b)
	byType := map[medkg.EntityType][]string{}
	for _, e := range v.Entries() {
		byType[e.Type] = append(byType[e.Type], e.Name)
	}
	x := cmdtest.Extractor(b)
	s, err := graph.Open(ctx, graph.Options{Path: dir})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.SyncVocabulary(ctx, v.Version(), v.Entities(), v.Facts()); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var batch []*medkg.Document
	flush := func() {
		if _, err := s.IngestBatch(ctx, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range n {
		src := fmt.Sprintf("/bench/article_%06d.md", i)
		a, err := extract.ReadArticle(src, []byte(benchArticle(i, byType[medkg.Nerve], byType[medkg.Muscle], byType[medkg.Procedure], byType[medkg.Condition])))
		if err != nil {
			b.Fatal(err)
		}
		d, err := x.Extract(ctx, a)
		if err != nil {
			b.Fatal(err)
		}
		batch = append(batch, d)
		if len(batch) == 200 {
			flush()
		}
	}
	flush()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d articles, %d quads in %s", dir, n, st.Quads, time.Since(start).Round(time.Second))
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkServe(b *testing.B) {
	n := 1000
	if s := os.Getenv("MEDKG_BENCH_ARTICLES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("MEDKG_BENCH_ARTICLES=%q", s)
		}
	}
	dir := benchStore(b, n)
	open := cmdtest.MissingStoreOpener(dir)
	srv := httptest.NewServer(New(Options{
		Store:      func(ctx context.Context) (*graph.Store, error) { return open(ctx, true) },
		Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(b), nil },
		Logger:     cmdtest.Logger(),
		Timeout:    5 * time.Minute,
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}

	for _, bc := range []struct{ name, path string }{
		{"neighbourhood", "/api/neighbourhood/" + url.PathEscape("nerve:tibial") + "?depth=1"},
		{"neighbourhood-depth2", "/api/neighbourhood/" + url.PathEscape("nerve:tibial") + "?depth=2&limit=150"},
		{"banned-nerves", "/api/query/banned-nerves"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			get := func() (time.Duration, error) {
				t0 := time.Now()
				resp, err := client.Get(srv.URL + bc.path)
				if err != nil {
					return 0, err
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					return 0, fmt.Errorf("status %d", resp.StatusCode)
				}
				return time.Since(t0), err
			}
			if _, err := get(); err != nil { // warm the page cache
				b.Fatal(err)
			}
			lat := make([]time.Duration, b.N)
			var next sync.Mutex
			i := 0
			var wg sync.WaitGroup
			errs := make(chan error, benchClients)
			b.ResetTimer()
			start := time.Now()
			for range benchClients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						next.Lock()
						k := i
						i++
						next.Unlock()
						if k >= b.N {
							return
						}
						d, err := get()
						if err != nil {
							errs <- err
							return
						}
						lat[k] = d
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
		})
	}
}
