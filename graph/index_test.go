package graph

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/medkg/medkg"
)

// checkIndex compares the store's query index with one computed afresh
// from the quads of every label: after any sequence of writes (or a
// crash) they must be equal, entry for entry.
func checkIndex(t *testing.T, s *Store) {
	t.Helper()
	if !s.indexed() {
		t.Fatal("store has no query index")
	}
	ctx := context.Background()
	docs, err := s.documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels := []quad.IRI{iri(iriVocabulary)}
	for _, d := range docs {
		labels = append(labels, quad.IRI(d.IRI))
	}
	want := map[string][]byte{}
	seqs := map[string]quad.IRI{}
	var maxSeq uint64
	for _, l := range labels {
		// The sequence number is the store's: each label has its own,
		// the vocabulary 0, and the next one is beyond them all.
		seq, err := s.labelSeq(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		if other, dup := seqs[seq]; dup {
			t.Errorf("query index: %s and %s have the same sequence number %s", other, l, seq)
		}
		seqs[seq] = l
		n, _ := strconv.ParseUint(seq, 10, 64)
		maxSeq = max(maxSeq, n)
		quads, err := s.quadsWith(ctx, quad.Label, l)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range ixEntries(seq, quads) {
			want[k] = v
		}
	}
	if len(s.ixPending) > 0 {
		t.Fatalf("query index: a document without a sequence number (%d changes staged)", len(s.ixPending))
	}
	want[ixSeqKey] = nil // checked below
	got := map[string][]byte{}
	x, err := s.openIxReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = x.src.scan(ctx, nil, func(k, v []byte) (bool, error) {
		if !bytes.Equal(k, sqlIxVersionKey) {
			got[string(k)] = slices.Clone(v)
		}
		return true, nil
	})
	x.close()
	if err != nil {
		t.Fatal(err)
	}
	if next, err := strconv.ParseUint(string(got[ixSeqKey]), 10, 64); err != nil || next <= maxSeq {
		t.Errorf("query index: next sequence number %q, want beyond %d", got[ixSeqKey], maxSeq)
	}
	want[ixSeqKey] = got[ixSeqKey]
	bad := 0
	for _, k := range slices.Sorted(mapsKeysB(want)) {
		if v, ok := got[k]; !ok || !bytes.Equal(v, want[k]) {
			if bad++; bad <= 5 {
				t.Errorf("query index: %q = %q (present %v), want %q", k, v, ok, want[k])
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			if bad++; bad <= 5 {
				t.Errorf("query index: stale entry %q", k)
			}
		}
	}
	if bad > 0 {
		t.Errorf("query index: %d wrong entries of %d", bad, len(want))
	}
	if len(want) == 0 {
		t.Error("query index: nothing to compare")
	}
}

func mapsKeysB(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// answersWithoutIndex is answers read through cayley alone, as on a
// store written before the index.
func answersWithoutIndex(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ix, ixdb := s.ix, s.ixdb
	s.ix, s.ixdb = nil, nil
	defer func() { s.ix, s.ixdb = ix, ixdb }()
	return answers(t, s)
}

func compareAnswers(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(mapsKeys(want)) {
		if got[k] != want[k] {
			t.Errorf("%s, %s:\ngot  %s\nwant %s", what, k, got[k], want[k])
		}
	}
}

// TestQueryIndexConsistent writes, replaces and forgets documents and
// re-syncs the vocabulary on a bolt store and on PostgreSQL, and after each step checks
// the query index entry by entry, and every answer against the same
// store read without it.
func TestQueryIndexConsistent(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) { testQueryIndexConsistent(t, MustOpenStore(t, b)) })
	}
}

func testQueryIndexConsistent(t *testing.T, s *Store) {
	ctx := context.Background()
	steps := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"ingest", func(t *testing.T) { mustLoad(t, s, seedDoc(), muscleDoc()) }},
		{"batch with hubs", func(t *testing.T) {
			var docs []*medkg.Document
			for i := range 40 {
				docs = append(docs, synthDoc(i))
			}
			if _, err := s.IngestBatch(ctx, docs); err != nil {
				t.Fatal(err)
			}
		}},
		{"replace smaller", func(t *testing.T) {
			d := seedDoc()
			d.Hash = fmt.Sprintf("%064x", 7)
			d.Relations = d.Relations[1:]
			d.Title = "另一个标题"
			if res, err := s.Ingest(ctx, d); err != nil || res.Status != Replaced {
				t.Fatalf("replace: %+v, %v", res, err)
			}
		}},
		{"replace in a batch, twice", func(t *testing.T) {
			a, b := synthDoc(3), synthDoc(3)
			a.Hash, b.Hash = fmt.Sprintf("%064x", 1<<30), fmt.Sprintf("%064x", 1<<31)
			a.Relations = a.Relations[2:]
			b.Relations[1].Negated = true
			b.Relations[2].Evidence = "改过的句子。"
			if _, err := s.IngestBatch(ctx, []*medkg.Document{a, synthDoc(50), b}); err != nil {
				t.Fatal(err)
			}
		}},
		{"forget", func(t *testing.T) {
			for _, src := range []string{muscleDoc().Source, synthDoc(7).Source} {
				if _, err := s.Forget(ctx, src); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"vocabulary changed", func(t *testing.T) {
			_, ents, facts := testVocabulary()
			facts = facts[1:]
			ents[0].Name += "（新名）"
			if _, err := s.SyncVocabulary(ctx, "test-2", ents, facts); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			checkIndex(t, s)
			got := answers(t, s)
			compareAnswers(t, "with the index", got, answersWithoutIndex(t, s))
			s.ixPrevious = true
			entries := answers(t, s)
			s.ixPrevious = false
			compareAnswers(t, "the previous index paths", got, entries)
		})
	}
}

// TestQueryIndexOldStore: a store written before the query index
// answers read-only through cayley, refuses writes with a message naming
// `medkg migrate`, and after Migrate has the index and the same answers.
func TestQueryIndexOldStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, seedDoc(), muscleDoc())
	want := answers(t, s)
	// Make it a store of the previous layout: no index, no mark.
	err = hkv.Update(ctx, s.ix.KV, func(tx hkv.Tx) error {
		if err := tx.Del(ixMetaKey); err != nil {
			return err
		}
		it := tx.Scan(hkv.Key{ixBucket})
		defer it.Close()
		var keys []hkv.Key
		for it.Next(ctx) {
			keys = append(keys, it.Key().Clone())
		}
		for _, k := range keys {
			if err := tx.Del(k); err != nil {
				return err
			}
		}
		return it.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := Open(ctx, Options{Path: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.ix != nil {
		t.Fatal("a store without the index mark was opened with the index")
	}
	compareAnswers(t, "read-only without the index", answers(t, ro), want)
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	_, err = Open(ctx, Options{Path: dir})
	if medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "medkg migrate") {
		t.Fatalf("open for writing: err = %v, want EINVALID naming medkg migrate", err)
	}
	res, err := Migrate(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Indexed != 3 || res.Backup != "" {
		t.Errorf("Migrate = %+v, want changed in place, 3 labels (vocabulary and 2 documents) indexed", res)
	}
	s, err = Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatalf("open migrated store: %v", err)
	}
	defer s.Close()
	checkIndex(t, s)
	compareAnswers(t, "migrated", answers(t, s), want)
	if again, err := Migrate(ctx, Options{Path: t.TempDir() + "/none"}); medkg.ErrorCode(err) != medkg.ENOTFOUND {
		t.Errorf("Migrate of no store = %+v, %v; want ENOTFOUND", again, err)
	}
}

// TestQueryIndexOldPostgres: the same for a PostgreSQL database written
// before the query index.
func TestQueryIndexOldPostgres(t *testing.T) {
	ctx := context.Background()
	url := postgresTestURL(t)
	s, err := Open(ctx, Options{Path: url})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, s, seedDoc(), muscleDoc())
	want := answers(t, s)
	if _, err := s.ixdb.ExecContext(ctx, `DROP TABLE medkg_ix`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(ctx, Options{Path: url, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ro.ixdb != nil {
		t.Fatal("a database without the query index was opened with it")
	}
	compareAnswers(t, "read-only without the index", answers(t, ro), want)
	ro.Close()
	_, err = Open(ctx, Options{Path: url})
	if medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "medkg migrate") {
		t.Fatalf("open for writing: err = %v, want EINVALID naming medkg migrate", err)
	}
	res, err := Migrate(ctx, Options{Path: url})
	if err != nil || !res.Changed || res.Indexed != 3 {
		t.Fatalf("Migrate = %+v, %v; want 3 labels indexed", res, err)
	}
	s, err = Open(ctx, Options{Path: url})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkIndex(t, s)
	compareAnswers(t, "migrated", answers(t, s), want)
	if again, err := Migrate(ctx, Options{Path: url}); err != nil || again.Changed {
		t.Errorf("second Migrate = %+v, %v; want unchanged", again, err)
	}
}

// TestIndexHeads checks the distinct reads of a hub on bolt and
// PostgreSQL: one head per distinct part however many documents' keys
// carry it, heads that extend one another kept apart, and the label
// suffix found only where a key has it.
func TestIndexHeads(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			ctx := context.Background()
			var ops []ixOp
			for i := range 30 {
				for _, end := range []string{"nerve:a", "nerve:ab", "nerve:a-b", "muscle:z"} {
					ops = append(ops, ixOp{key: ixKey("o", "proc:hub", "cuts", end, ixSeq(uint64(100+i)), fmt.Sprintf("doc/%d", i))})
				}
			}
			ops = append(ops,
				ixOp{key: ixKey("o", "proc:hub", "cuts", "nerve:v", ixSeq(0), "vocabulary")},
				ixOp{key: ixKey("o", "proc:hub", "targets", "nerve:t", ixSeq(5), "doc/5")},
				ixOp{key: ixKey("o", "proc:hubx", "cuts", "nerve:other", ixSeq(5), "doc/5")},
			)
			x := readerOver(t, ctx, s, ops)
			defer x.close()
			tests := []struct {
				prefix string
				want   []string
			}{
				{ixKey("o", "proc:hub", "cuts") + ixSep, []string{"muscle:z", "nerve:a", "nerve:a-b", "nerve:ab", "nerve:v"}},
				{ixKey("o", "proc:hub") + ixSep, []string{"cuts", "targets"}},
				{ixKey("o", "proc:none") + ixSep, nil},
			}
			// One prefix at a time, then all in one batch.
			var pres [][]byte
			for _, tt := range tests {
				pres = append(pres, []byte(tt.prefix))
			}
			batch, err := x.src.heads(ctx, pres)
			if err != nil {
				t.Fatal(err)
			}
			if len(batch) != len(tests) {
				t.Fatalf("heads of %d prefixes: %d answers", len(tests), len(batch))
			}
			for i, tt := range tests {
				one, err := x.src.heads(ctx, [][]byte{[]byte(tt.prefix)})
				if err != nil {
					t.Fatal(err)
				}
				for _, hs := range [][][]byte{one[0], batch[i]} {
					var got []string
					for _, h := range hs {
						got = append(got, string(h))
					}
					if !slices.Equal(got, tt.want) {
						t.Errorf("heads(%q) = %q, want %q", tt.prefix, got, tt.want)
					}
				}
			}
			vocab := []byte(ixSep + "vocabulary")
			for end, want := range map[string]bool{"nerve:v": true, "nerve:a": false, "nerve:none": false} {
				got, err := x.src.anySuffix(ctx, []byte(ixKey("o", "proc:hub", "cuts", end)+ixSep), vocab)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("anySuffix(%s, vocabulary) = %v, want %v", end, got, want)
				}
			}
		})
	}
}

// TestQueryIndexDocEntryWithoutActions: a d entry written before it
// said whether its document has actions (one byte shorter) is asked of
// cayley, and the answers stay those of the current entries.
func TestQueryIndexDocEntryWithoutActions(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc(), actionsDoc(), muscleDoc())
			ctx := context.Background()
			want := answers(t, s)
			x, err := s.openIxReader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ops []ixOp
			err = x.src.scan(ctx, []byte("d"+ixSep), func(k, v []byte) (bool, error) {
				var info DocInfo
				if actions, err := decodeDoc(v[ixSeqWidth:], &info); err != nil || actions == docActionsUnknown {
					t.Errorf("d entry %q: actions %d, %v", k, actions, err)
				}
				ops = append(ops, ixOp{key: string(k), val: append(slices.Clone(v[:ixSeqWidth]), encodeDocBeforeActions(info)...)})
				return true, nil
			})
			x.close()
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != 3 {
				t.Fatalf("%d d entries, want 3", len(ops))
			}
			if err := s.writeIxOps(ctx, ops); err != nil {
				t.Fatal(err)
			}
			compareAnswers(t, "d entries without the actions flag", answers(t, s), want)
		})
	}
}

// readerOver writes the index entries ops and opens a reader of the index.
func readerOver(t *testing.T, ctx context.Context, s *Store, ops []ixOp) *ixReader {
	t.Helper()
	if err := s.writeIxOps(ctx, ops); err != nil {
		t.Fatal(err)
	}
	x, err := s.openIxReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// encodeDocBeforeActions is a d entry as written before the actions
// flag (and the source fields after it).
func encodeDocBeforeActions(info DocInfo) []byte {
	var b []byte
	for _, s := range []string{info.Source, info.Title, info.Date, info.URL, info.Author, info.Hash} {
		b = appendString(b, s)
	}
	b = binary.AppendVarint(b, int64(info.Quads))
	return binary.AppendVarint(b, int64(info.Entities))
}

// TestIndexFirstNames checks the name entity() picks, read on bolt and
// PostgreSQL (where the server picks it): the vocabulary's first, then
// the smallest label (a label that another extends comes first), then
// the smallest value; nothing for an entity without names. Several
// batched in one read.
func TestIndexFirstNames(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			ctx := context.Background()
			name := func(x string, seq uint64, label, v string) ixOp {
				return ixOp{key: ixKey("n", x, ixSeq(seq), label, v)}
			}
			ops := []ixOp{
				name("nerve:v", 9, "doc/a", "文档名"),
				name("nerve:v", 0, "vocabulary", "词表名乙"),
				name("nerve:v", 0, "vocabulary", "词表名"),
				name("nerve:v", 1, "doc/0", "更早的文档"),
				name("nerve:d", 7, "doc/a-", "乙"),
				name("nerve:d", 8, "doc/a", "丙"),
				name("nerve:d", 8, "doc/a", "丁"),
				name("nerve:d", 2, "doc/b", "甲"),
				name("nerve:dx", 1, "doc/0", "另一个"),
				{key: ixKey("x", "nerve:none", ixSeq(3), "doc/c")},
			}
			x := readerOver(t, ctx, s, ops)
			defer x.close()
			xs := []string{"nerve:v", "nerve:d", "nerve:none"}
			want := []string{"词表名", "丁", ""} // 丁 (U+4E01) sorts before 丙
			pres := make([][]byte, len(xs))
			for i, e := range xs {
				pres[i] = []byte(ixKey("n", e) + ixSep)
			}
			keys, err := x.src.firstNames(ctx, pres)
			if err != nil {
				t.Fatal(err)
			}
			for i, k := range keys {
				got := ""
				if k != nil {
					got = nameOfKey(k, len(pres[i]))
				}
				if got != want[i] {
					t.Errorf("name of %s = %q (key %q), want %q", xs[i], got, k, want[i])
				}
			}
		})
	}
}

// TestIndexEdgeEvidence checks the combined read of edges' evidence:
// for each edge the vocabulary check and the assertions in key order, in
// one round trip on PostgreSQL however many edges.
func TestIndexEdgeEvidence(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc(), muscleDoc())
			ctx := context.Background()
			x, err := s.openIxReader(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer x.close()
			cut := edgeProbeOf(long("procedure/calf_nerve_transection"), medkg.Cuts, long("nerve/medial_sural_cutaneous"))
			vocab := edgeProbeOf(long("nerve/tibial"), medkg.Innervates, long("muscle/gastrocnemius"))
			none := edgeProbeOf(long("nerve/tibial"), medkg.Cuts, long("muscle/none"))
			check := func(what string, got edgeRead, wantVocab bool, wantRows int, asserts []byte) {
				t.Helper()
				if got.vocab != wantVocab || len(got.rows) != wantRows {
					t.Errorf("%s: vocab %v, %d rows; want %v, %d", what, got.vocab, len(got.rows), wantVocab, wantRows)
				}
				for i, row := range got.rows {
					if !bytes.HasPrefix(row.k, asserts) || i > 0 && bytes.Compare(got.rows[i-1].k, row.k) >= 0 {
						t.Errorf("%s: row %d key %q: not under %q in key order", what, i, row.k, asserts)
					}
				}
			}
			one, err := x.src.edgeEvidence(ctx, []edgeProbe{cut})
			if err != nil || len(one) != 1 {
				t.Fatalf("edgeEvidence(cut) = %d answers, %v", len(one), err)
			}
			check("seed document's cut", one[0], false, 1, cut.asserts)
			all, err := x.src.edgeEvidence(ctx, []edgeProbe{vocab, cut, none, cut})
			if err != nil || len(all) != 4 {
				t.Fatalf("edgeEvidence(4 edges) = %d answers, %v", len(all), err)
			}
			check("vocabulary edge", all[0], true, 0, vocab.asserts)
			check("cut in a batch", all[1], false, 1, cut.asserts)
			check("no such edge", all[2], false, 0, none.asserts)
			check("cut again", all[3], false, 1, cut.asserts)
		})
	}
}
