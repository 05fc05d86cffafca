package graph

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/medkg/medkg"
)

// synthDoc is a document in the shape of the seed article: a ban, cuts,
// a targeted muscle, a negated and a weak relation, about 100 quads.
func synthDoc(i int) *medkg.Document {
	agency := fmt.Sprintf("agency:bench_%d", i%5)
	proc := fmt.Sprintf("procedure:bench_%d", i%20)
	n1 := fmt.Sprintf("nerve:bench_%d", i%30)
	n2 := fmt.Sprintf("nerve:bench_%d", (i+7)%30)
	n3 := fmt.Sprintf("nerve:bench_%d", (i+13)%30)
	m := fmt.Sprintf("muscle:bench_%d", i%10)
	sent := fmt.Sprintf("第%d篇：某机构禁止该手术，该手术切断两条神经。", i)
	return &medkg.Document{
		Source: fmt.Sprintf("/bench/doc-%05d.md", i),
		Title:  fmt.Sprintf("基准文章 %d", i),
		Date:   fmt.Sprintf("2021-%02d-%02d", 1+i%12, 1+i%28),
		URL:    fmt.Sprintf("https://example.org/%d", i),
		Hash:   fmt.Sprintf("%064x", i+1),
		Entities: []medkg.DocEntity{
			ent(agency, "机构"+agency), ent(proc, "手术"+proc), ent(n1, "神经"+n1), ent(n2, "神经"+n2), ent(n3, "神经"+n3), ent(m, "肌"+m),
		},
		Relations: []medkg.Relation{
			{Subject: agency, Predicate: medkg.Bans, Object: proc, Sentence: 0, Evidence: sent},
			{Subject: proc, Predicate: medkg.Cuts, Object: n1, Sentence: 1, Evidence: sent},
			{Subject: proc, Predicate: medkg.Cuts, Object: n2, Sentence: 1, Evidence: sent},
			{Subject: proc, Predicate: medkg.Targets, Object: m, Sentence: 2, Evidence: sent},
			{Subject: n3, Predicate: medkg.Innervates, Object: m, Sentence: 3, Evidence: sent},
			{Subject: n1, Predicate: medkg.BranchOf, Object: n3, Sentence: 3, Evidence: sent},
			{Subject: proc, Predicate: medkg.Cuts, Object: n3, Negated: true, Sentence: 4, Evidence: sent},
			{Subject: proc, Predicate: medkg.CoOccurs, Object: agency, Sentence: 5, Evidence: sent},
		},
	}
}

func BenchmarkIngestBolt(b *testing.B) {
	s := MustOpenStore(b, Bolt)
	mustLoad(b, s)
	ctx := context.Background()
	quads := 0
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		res, err := s.Ingest(ctx, synthDoc(i))
		if err != nil {
			b.Fatal(err)
		}
		quads += res.Quads
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)/sec, "docs/s")
	b.ReportMetric(float64(quads)/sec, "quads/s")
}

const benchDocs = 1000

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchStoreDir builds, once per test binary, a bolt store holding the
// test vocabulary and benchDocs synthetic documents.
func benchStoreDir(b *testing.B) string {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "medkg-bench-")
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		s, err := Open(ctx, Options{Path: benchDir})
		if err != nil {
			benchErr = err
			return
		}
		defer s.Close()
		v, ents, facts := testVocabulary()
		if _, benchErr = s.SyncVocabulary(ctx, v, ents, facts); benchErr != nil {
			return
		}
		for i := range benchDocs {
			if _, benchErr = s.Ingest(ctx, synthDoc(i)); benchErr != nil {
				return
			}
		}
		_, benchErr = s.Ingest(ctx, seedDoc())
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	for _, f := range benchCleanup {
		f()
	}
	os.Exit(code)
}

// BenchmarkBannedNerves is the warm query on an open store of ~1000
// documents.
func BenchmarkBannedNerves(b *testing.B) {
	dir := benchStoreDir(b)
	s, err := Open(context.Background(), Options{Path: dir, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	rows := 0
	for range b.N {
		r, err := s.BannedNerves(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(r)
	}
	b.ReportMetric(float64(rows), "rows")
}

// BenchmarkBannedNervesCold is what `medkg query banned-nerves` costs:
// open read-only, answer, close.
func BenchmarkBannedNervesCold(b *testing.B) {
	dir := benchStoreDir(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		s, err := Open(ctx, Options{Path: dir, ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.BannedNerves(ctx); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenReadOnly(b *testing.B) {
	dir := benchStoreDir(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		s, err := Open(ctx, Options{Path: dir, ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStats(b *testing.B) {
	dir := benchStoreDir(b)
	s, err := Open(context.Background(), Options{Path: dir, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for range b.N {
		if _, err := s.Stats(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
