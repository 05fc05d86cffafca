package graph

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/medkg/medkg"
)

// MustOpenStore opens a writable, empty store for a test: bolt in
// t.TempDir(), memstore, or a fresh schema of the PostgreSQL database
// named by $MEDKG_TEST_POSTGRES (the test is skipped without it). It is
// closed when the test ends.
func MustOpenStore(tb testing.TB, backend string) *Store {
	tb.Helper()
	s, _ := mustOpenStorePath(tb, backend)
	return s
}

// mustOpenStorePath is MustOpenStore, also returning the directory or
// database URL.
func mustOpenStorePath(tb testing.TB, backend string) (*Store, string) {
	tb.Helper()
	o := Options{Backend: backend}
	switch backend {
	case Bolt:
		o.Path = tb.TempDir()
	case Postgres:
		o.Path = postgresTestURL(tb)
	}
	s, err := Open(context.Background(), o)
	if err != nil {
		tb.Fatalf("open %s store: %v", backend, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return s, o.Path
}

// backends is what the conformance tests (every test looping over it)
// run against. PostgreSQL is always listed: without $MEDKG_TEST_POSTGRES
// its subtests skip with a message, and .ci/run always sets it.
var backends = []string{Bolt, Memstore, Postgres}

const postgresEnv = "MEDKG_TEST_POSTGRES"

var schemaSeq atomic.Int64

// postgresTestURL creates an empty schema in the test server and returns
// a URL whose connections use it; the schema is dropped after the test.
func postgresTestURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		tb.Skipf("no PostgreSQL server: set %s=postgres://user@host/db?sslmode=disable (.ci/run starts one)", postgresEnv)
	}
	u, drop, err := postgresSchema(base)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Error(err)
		}
	})
	return u
}

// postgresBenchURL is postgresTestURL for stores shared by benchmarks:
// the schema is dropped when the test binary exits.
func postgresBenchURL(tb testing.TB) string {
	tb.Helper()
	u, drop, err := postgresSchema(os.Getenv(postgresEnv))
	if err != nil {
		tb.Fatal(err)
	}
	benchCleanup = append(benchCleanup, func() { drop() })
	return u
}

// postgresKeptURL is the URL of the schema medkg_bench_N that
// MEDKG_BENCH_KEEP keeps between runs, created if missing; done reports
// whether a previous run finished loading it (markPostgresKept).
func postgresKeptURL(tb testing.TB, n int) (string, bool) {
	tb.Helper()
	base := os.Getenv(postgresEnv)
	db, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	schema := fmt.Sprintf("medkg_bench_%d", n)
	var done sql.NullString
	if err := db.QueryRow("SELECT to_regclass($1)::text", schema+".medkg_bench_complete").Scan(&done); err != nil {
		tb.Fatal(err)
	}
	if !done.Valid {
		// A run that stopped half way: start again.
		if _, err := db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
			tb.Fatal(err)
		}
	}
	return withSearchPath(tb, base, schema), done.Valid
}

// markPostgresKept records that the kept schema of url is complete.
func markPostgresKept(url string) error {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("CREATE TABLE medkg_bench_complete ()")
	return err
}

func withSearchPath(tb testing.TB, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func postgresSchema(base string) (string, func() error, error) {
	db, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", postgresEnv, err)
	}
	schema := fmt.Sprintf("medkg_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema in %s: %w", redactURL(base), err)
	}
	drop := func() error {
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("%s: %w", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema) // lib/pq passes it on as a run-time parameter
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// testVocabulary is a small curated vocabulary: the leg's nerves and
// muscles.
func testVocabulary() (string, []medkg.Entity, []medkg.Relation) {
	ents := []medkg.Entity{
		{ID: "nerve:sciatic", Type: medkg.Nerve, Name: "坐骨神经", NameEn: "sciatic nerve", Codes: []string{"FMA:19034"}},
		{ID: "nerve:tibial", Type: medkg.Nerve, Name: "胫神经", Aliases: []string{"胫后神经"}, NameEn: "tibial nerve", Codes: []string{"FMA:44685"}},
		{ID: "nerve:common_peroneal", Type: medkg.Nerve, Name: "腓总神经", NameEn: "common peroneal nerve|common fibular nerve"},
		{ID: "nerve:medial_sural_cutaneous", Type: medkg.Nerve, Name: "腓肠内侧皮神经", NameEn: "medial sural cutaneous nerve"},
		{ID: "nerve:lateral_sural_cutaneous", Type: medkg.Nerve, Name: "腓肠外侧皮神经", NameEn: "lateral sural cutaneous nerve"},
		{ID: "nerve:saphenous", Type: medkg.Nerve, Name: "隐神经", NameEn: "saphenous nerve"},
		{ID: "muscle:gastrocnemius", Type: medkg.Muscle, Name: "腓肠肌", NameEn: "gastrocnemius"},
		{ID: "muscle:soleus", Type: medkg.Muscle, Name: "比目鱼肌", NameEn: "soleus"},
		{ID: "muscle:tibialis_anterior", Type: medkg.Muscle, Name: "胫骨前肌", NameEn: "tibialis anterior"},
		{ID: "nerve:deep_peroneal", Type: medkg.Nerve, Name: "腓深神经", NameEn: "deep peroneal nerve"},
		{ID: "agency:nhc", Type: medkg.Agency, Name: "国家卫生健康委员会", Aliases: []string{"国家卫健委", "卫健委"}, NameEn: "National Health Commission"},
		{ID: "agency:nhc_general_office", Type: medkg.Agency, Name: "国家卫生健康委员会办公厅", Aliases: []string{"卫健委办公厅"}},
		{ID: "agency:cma", Type: medkg.Agency, Name: "中华医学会", NameEn: "Chinese Medical Association"},
		{ID: "procedure:calf_nerve_transection", Type: medkg.Procedure, Name: "小腿神经离断瘦腿手术", Aliases: []string{"小腿神经阻断术", "小腿肌肉阻断术"}, NameEn: "calf nerve transection"},
	}
	facts := []medkg.Relation{
		{Subject: "nerve:tibial", Predicate: medkg.BranchOf, Object: "nerve:sciatic"},
		{Subject: "nerve:common_peroneal", Predicate: medkg.BranchOf, Object: "nerve:sciatic"},
		{Subject: "nerve:medial_sural_cutaneous", Predicate: medkg.BranchOf, Object: "nerve:tibial"},
		{Subject: "nerve:lateral_sural_cutaneous", Predicate: medkg.BranchOf, Object: "nerve:common_peroneal"},
		{Subject: "nerve:deep_peroneal", Predicate: medkg.BranchOf, Object: "nerve:common_peroneal"},
		{Subject: "nerve:tibial", Predicate: medkg.Innervates, Object: "muscle:gastrocnemius"},
		{Subject: "nerve:tibial", Predicate: medkg.Innervates, Object: "muscle:soleus"},
		{Subject: "nerve:deep_peroneal", Predicate: medkg.Innervates, Object: "muscle:tibialis_anterior"},
		{Subject: "agency:nhc_general_office", Predicate: medkg.PartOf, Object: "agency:nhc"},
	}
	return "test-1", ents, facts
}

func ent(id, name string) medkg.DocEntity {
	return medkg.DocEntity{Entity: medkg.Entity{ID: id, Type: typeOfID(id), Name: name}}
}

const (
	seedSource   = "/corpus/000_nhc_ban_zaobao.md"
	banSentence  = "中国国家卫健委发文叫停一些美容减肥机构推出的“小腿神经离断瘦腿手术”，因该手术缺乏科学依据和循证医学证据，存在严重安全性问题，也有悖于医学伦理原则。"
	cutsSentence = "按照网站、医美机构的介绍，小腿神经阻断术具体的操作就是切断小腿一些相对不那么重要的肌肉神经，例如腓肠内侧皮神经和腓肠外侧皮神经，让肌肉失去活力而自然萎缩，进而达到瘦小腿的效果。"
)

// seedDoc mirrors what the extractor should make of
// testdata/devset/000_nhc_ban_zaobao.md.
func seedDoc() *medkg.Document {
	reg := medkg.DocEntity{Entity: medkg.Entity{ID: "regulation:x_3c1f9a", Type: medkg.Regulation, Name: "《医疗技术临床应用管理办法》", Pattern: true}}
	office := "卫健委办公厅在本月26日发布关于禁止开展“小腿神经离断瘦腿手术”的通知"
	return &medkg.Document{
		Source: seedSource,
		Title:  "中国官方发文禁“小腿神经离断瘦腿手术”",
		Date:   "2021-07-31",
		URL:    "https://www.zaobao.com/realtime/china/story20210731-1176236",
		Author: "联合早报",
		Hash:   "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
		Entities: []medkg.DocEntity{
			ent("agency:nhc", "国家卫生健康委员会"),
			ent("agency:nhc_general_office", "国家卫生健康委员会办公厅"),
			ent("agency:cma", "中华医学会"),
			ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"),
			reg,
			ent("nerve:medial_sural_cutaneous", "腓肠内侧皮神经"),
			ent("nerve:lateral_sural_cutaneous", "腓肠外侧皮神经"),
		},
		Relations: []medkg.Relation{
			{Subject: "agency:nhc", Predicate: medkg.Bans, Object: "procedure:calf_nerve_transection", Sentence: 0, Evidence: banSentence},
			{Subject: "agency:nhc_general_office", Predicate: medkg.Bans, Object: "procedure:calf_nerve_transection", Sentence: 1, Evidence: office},
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:medial_sural_cutaneous", Sentence: 5, Evidence: cutsSentence},
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:lateral_sural_cutaneous", Sentence: 5, Evidence: cutsSentence},
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.CoOccurs, Object: "agency:cma", Sentence: 1, Evidence: office},
		},
	}
}

// muscleDoc bans a procedure that targets a muscle, so the nerves come
// through the vocabulary's innervation.
func muscleDoc() *medkg.Document {
	reg := medkg.DocEntity{Entity: medkg.Entity{ID: "regulation:x_77aa01", Type: medkg.Regulation, Name: "《美容整形管理规定》", Pattern: true}}
	return &medkg.Document{
		Source: "/corpus/010_gastrocnemius_resection.txt",
		Title:  "腓肠肌切除术被叫停",
		Date:   "2022-03-01",
		Hash:   "bb00000000000000000000000000000000000000000000000000000000000001",
		Entities: []medkg.DocEntity{
			reg,
			ent("procedure:gastrocnemius_resection", "腓肠肌切除术"),
			ent("muscle:gastrocnemius", "腓肠肌"),
		},
		Relations: []medkg.Relation{
			{Subject: "regulation:x_77aa01", Predicate: medkg.Bans, Object: "procedure:gastrocnemius_resection", Sentence: 0, Evidence: "《美容整形管理规定》禁止腓肠肌切除术。"},
			{Subject: "procedure:gastrocnemius_resection", Predicate: medkg.Targets, Object: "muscle:gastrocnemius", Sentence: 1, Evidence: "该手术切除部分腓肠肌。"},
		},
	}
}

// negatedDoc denies things: they must never answer a positive question.
func negatedDoc() *medkg.Document {
	return &medkg.Document{
		Source: "/corpus/020_saphenous_case.txt",
		Title:  "隐神经病例",
		Date:   "2023-05-05",
		Hash:   "cc00000000000000000000000000000000000000000000000000000000000002",
		Entities: []medkg.DocEntity{
			ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"),
			ent("nerve:saphenous", "隐神经"),
			ent("agency:cma", "中华医学会"),
			ent("procedure:radiofrequency_ablation", "射频消融术"),
		},
		Relations: []medkg.Relation{
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:saphenous", Negated: true, Sentence: 2, Evidence: "小腿神经离断瘦腿手术并不切断隐神经。"},
			{Subject: "agency:cma", Predicate: medkg.Bans, Object: "procedure:radiofrequency_ablation", Negated: true, Sentence: 3, Evidence: "中华医学会并未禁止射频消融术。"},
			{Subject: "procedure:radiofrequency_ablation", Predicate: medkg.Cuts, Object: "nerve:saphenous", Hedged: true, Sentence: 4, Evidence: "射频消融术可能损伤隐神经。"},
		},
	}
}

// mustLoad syncs the test vocabulary and ingests docs.
func mustLoad(tb testing.TB, s *Store, docs ...*medkg.Document) {
	tb.Helper()
	ctx := context.Background()
	v, ents, facts := testVocabulary()
	if _, err := s.SyncVocabulary(ctx, v, ents, facts); err != nil {
		tb.Fatalf("sync vocabulary: %v", err)
	}
	for _, d := range docs {
		if _, err := s.Ingest(ctx, d); err != nil {
			tb.Fatalf("ingest %s: %v", d.Source, err)
		}
	}
}
