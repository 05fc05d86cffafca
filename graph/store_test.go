package graph

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg"
)

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name, db, xdg, home, want string
	}{
		{"MEDKG_DB wins", "/x/db", "/x/data", "/x/home", "/x/db"},
		{"XDG_DATA_HOME", "", "/x/data", "/x/home", "/x/data/medkg/graph"},
		{"home fallback", "", "", "/x/home", "/x/home/.local/share/medkg/graph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("MEDKG_DB", tt.db)
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := DefaultPath()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("DefaultPath() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOpenUnknownBackend(t *testing.T) {
	_, err := Open(context.Background(), Options{Backend: "oracle"})
	if medkg.ErrorCode(err) != medkg.EINVALID {
		t.Fatalf("Open(oracle) error = %v, want EINVALID", err)
	}
}

func quadCount(t *testing.T, s *Store) int64 {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Quads
}

func TestIngestIdempotent(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			s := MustOpenStore(t, b)
			mustLoad(t, s)
			first, err := s.Ingest(ctx, seedDoc())
			if err != nil {
				t.Fatal(err)
			}
			if first.Status != Added || first.Quads == 0 || !strings.HasPrefix(first.Doc, "medkg:doc/") {
				t.Fatalf("first ingest = %+v, want added with quads", first)
			}
			n := quadCount(t, s)
			second, err := s.Ingest(ctx, seedDoc())
			if err != nil {
				t.Fatal(err)
			}
			want := IngestResult{Doc: first.Doc, Status: Unchanged, Quads: first.Quads}
			if second != want {
				t.Errorf("second ingest = %+v, want %+v", second, want)
			}
			if got := quadCount(t, s); got != n {
				t.Errorf("quads after re-ingest = %d, want %d", got, n)
			}
			docs, err := s.Documents(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 || docs[0].Quads != first.Quads || docs[0].Source != seedSource || docs[0].Relations != 5 || docs[0].Entities != 7 {
				t.Errorf("Documents() = %+v", docs)
			}
		})
	}
}

func TestIngestReplaces(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc())
			changed := seedDoc()
			changed.Hash = strings.Repeat("d", 64)
			changed.Title = "更正：只切断腓肠内侧皮神经"
			changed.Relations = changed.Relations[:3] // drops the lateral nerve and the co_occurs
			res, err := s.Ingest(ctx, changed)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != Replaced {
				t.Fatalf("status = %s, want replaced", res.Status)
			}
			rows, err := s.BannedNerves(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Nerve.ID == "nerve:lateral_sural_cutaneous" || r.Nerve.ID == "nerve:common_peroneal" {
					t.Errorf("old fact still answers: %+v", r)
				}
				if len(r.BanEvidence) != 1 || r.BanEvidence[0].Title != changed.Title {
					t.Errorf("ban evidence = %+v, want one with the new title %q", r.BanEvidence, changed.Title)
				}
			}
			if len(rows) == 0 {
				t.Fatal("no rows after replacement")
			}
			// The store must hold exactly what a fresh ingest of the new
			// version holds.
			fresh := MustOpenStore(t, Memstore)
			mustLoad(t, fresh, changed)
			if got, want := quadCount(t, s), quadCount(t, fresh); got != want {
				t.Errorf("quads after replacement = %d, fresh ingest has %d", got, want)
			}
			docs, _ := s.Documents(ctx)
			if len(docs) != 1 || docs[0].Hash != changed.Hash || docs[0].Quads != res.Quads {
				t.Errorf("Documents() = %+v", docs)
			}
		})
	}
}

func TestIngestCancelled(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s)
			before := quadCount(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := s.Ingest(ctx, seedDoc()); !errors.Is(err, context.Canceled) {
				t.Fatalf("Ingest with cancelled ctx: err = %v, want context.Canceled", err)
			}
			if got := quadCount(t, s); got != before {
				t.Errorf("quads = %d after cancelled ingest, want %d", got, before)
			}
		})
	}
}

func TestIngestInvalid(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	bad := seedDoc()
	bad.Relations = append(bad.Relations, medkg.Relation{Subject: "agency:nhc", Predicate: "loves", Object: "nerve:tibial"})
	tests := []struct {
		name string
		doc  *medkg.Document
	}{
		{"nil", nil},
		{"no source", &medkg.Document{}},
		{"unknown predicate", bad},
		{"bad id", &medkg.Document{Source: "x", Entities: []medkg.DocEntity{ent("tibial", "胫神经")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Ingest(context.Background(), tt.doc); medkg.ErrorCode(err) != medkg.EINVALID {
				t.Errorf("err = %v, want EINVALID", err)
			}
		})
	}
	if n := quadCount(t, s); n != 0 {
		t.Errorf("invalid documents wrote %d quads", n)
	}
}

func TestForget(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			tests := []struct {
				name string
				ref  func(DocInfo) string
			}{
				{"source", func(d DocInfo) string { return d.Source }},
				{"iri", func(d DocInfo) string { return d.IRI }},
				{"bracketed iri", func(d DocInfo) string { return "<" + d.IRI + ">" }},
				{"hash prefix", func(d DocInfo) string { return d.Hash[:8] }},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s := MustOpenStore(t, b)
					mustLoad(t, s, muscleDoc())
					withoutSeed := quadCount(t, s)
					res, err := s.Ingest(ctx, seedDoc())
					if err != nil {
						t.Fatal(err)
					}
					docs, _ := s.Documents(ctx)
					var seed DocInfo
					for _, d := range docs {
						if d.IRI == res.Doc {
							seed = d
						}
					}
					n, err := s.Forget(ctx, tt.ref(seed))
					if err != nil {
						t.Fatal(err)
					}
					if n != res.Quads {
						t.Errorf("Forget removed %d quads, ingest wrote %d", n, res.Quads)
					}
					if got := quadCount(t, s); got != withoutSeed {
						t.Errorf("quads after forget = %d, want %d", got, withoutSeed)
					}
					rows, _ := s.BannedNerves(ctx)
					for _, r := range rows {
						if r.Procedure.ID == "procedure:calf_nerve_transection" {
							t.Errorf("forgotten document still answers: %+v", r)
						}
					}
					if _, err := s.Forget(ctx, tt.ref(seed)); medkg.ErrorCode(err) != medkg.ENOTFOUND || !strings.Contains(err.Error(), tt.ref(seed)) {
						t.Errorf("second Forget err = %v, want ENOTFOUND naming the ref", err)
					}
				})
			}
		})
	}
}

func TestSyncVocabulary(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			s := MustOpenStore(t, b)
			v, ents, facts := testVocabulary()
			for i, want := range []bool{true, false} {
				changed, err := s.SyncVocabulary(ctx, v, ents, facts)
				if err != nil {
					t.Fatal(err)
				}
				if changed != want {
					t.Errorf("sync %d: changed = %v, want %v", i, changed, want)
				}
			}
			// A new version drops the soleus fact: it must be gone.
			var fewer = facts[:0:0]
			for _, f := range facts {
				if f.Object != "muscle:soleus" {
					fewer = append(fewer, f)
				}
			}
			if changed, err := s.SyncVocabulary(ctx, "test-2", ents, fewer); err != nil || !changed {
				t.Fatalf("sync test-2: changed=%v err=%v", changed, err)
			}
			rows, err := s.Innervation(ctx, "muscle:soleus")
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 0 {
				t.Errorf("soleus innervation after the fact was dropped: %+v", rows)
			}
			st, _ := s.Stats(ctx)
			if st.Vocabulary != "test-2" {
				t.Errorf("vocabulary version = %q, want test-2", st.Vocabulary)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	mustLoad(t, w, seedDoc())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Two readers share the store.
	r1, err := Open(ctx, Options{Path: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(ctx, Options{Path: dir, ReadOnly: true, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	rows, err := r2.BannedNerves(ctx)
	if err != nil || len(rows) == 0 {
		t.Fatalf("BannedNerves on read-only store: %d rows, err %v", len(rows), err)
	}
	if _, err := r1.Ingest(ctx, muscleDoc()); medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("Ingest on read-only store: err = %v, want EINVALID", err)
	}
	// A writer must wait for the readers, and give up with ELOCKED.
	_, err = Open(ctx, Options{Path: dir, LockTimeout: 200 * time.Millisecond})
	if medkg.ErrorCode(err) != medkg.ELOCKED {
		t.Fatalf("writer while readers hold the store: err = %v, want ELOCKED", err)
	}
}

// TestReadOnlyMissingStore: a reader never creates a store, so a mistyped
// --db fails with ENOTFOUND instead of answering from an empty graph.
func TestReadOnlyMissingStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fresh")
	_, err := Open(context.Background(), Options{Path: dir, ReadOnly: true})
	if medkg.ErrorCode(err) != medkg.ENOTFOUND || !strings.Contains(err.Error(), dir) {
		t.Fatalf("read-only open of a missing store: err = %v, want ENOTFOUND naming %s", err, dir)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only open created %s (stat: %v)", dir, err)
	}
}

// TestCreateAtomic: a new store appears whole or not at all; a temporary
// file left by a killed creation is ignored and the store still opens.
func TestCreateAtomic(t *testing.T) {
	dir := t.TempDir()
	// What a kill during the first open used to leave: an empty file.
	if err := os.WriteFile(filepath.Join(dir, "."+boltFile+".123.tmp"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(context.Background(), Options{Path: dir, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a new store: %v", err)
	}
	defer r.Close()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, boltFile) || len(names) != 2 {
		t.Errorf("store directory holds %v, want %s and the stale temporary file only", names, boltFile)
	}
}

func TestLockedInProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	for _, ro := range []bool{false, true} {
		_, err := Open(ctx, Options{Path: dir, ReadOnly: ro, LockTimeout: 300 * time.Millisecond})
		assertLocked(t, err, dir)
	}
}

// assertLocked checks that Open gave up on a held store. ELOCKED is only
// returned once bolt's lock timeout expired, so the error itself shows
// that Open did not wait forever; wall time on a loaded machine is not
// checked (the open benchmarks measure it).
func assertLocked(t *testing.T, err error, dir string) {
	t.Helper()
	if medkg.ErrorCode(err) != medkg.ELOCKED {
		t.Fatalf("Open of a held store: err = %v, want ELOCKED", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the store %s", err, dir)
	}
}

// TestLockedAcrossProcesses holds the store in a child process (this
// test binary running TestHelperHoldStore) and opens it here.
func TestLockedAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldStore$")
	cmd.Env = append(os.Environ(), "MEDKG_TEST_HOLD_STORE="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper process: %v", err)
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "holding" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	_, err = Open(context.Background(), Options{Path: dir})
	assertLocked(t, err, dir)
}

// TestHelperHoldStore is not a test: TestLockedAcrossProcesses runs it in
// a child process to hold a store until its stdin closes.
func TestHelperHoldStore(t *testing.T) {
	dir := os.Getenv("MEDKG_TEST_HOLD_STORE")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open(context.Background(), Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("holding")
	io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentReadersAndWriter runs queries, Gizmo and ingests at once:
// bolt deadlocks and memstore races unless Store serialises writes.
func TestConcurrentReadersAndWriter(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc())
			done := make(chan error, 4)
			go func() {
				var err error
				for i := 0; i < 40 && err == nil; i++ {
					_, err = s.Ingest(ctx, synthDoc(i))
				}
				done <- err
			}()
			go func() {
				var err error
				for i := 0; i < 40 && err == nil; i++ {
					_, err = s.BannedNerves(ctx)
				}
				done <- err
			}()
			go func() {
				var err error
				for i := 0; i < 40 && err == nil; i++ {
					_, err = s.Gizmo(ctx, `g.V().Out("<medkg:cuts>").All()`, 0)
				}
				done <- err
			}()
			go func() {
				var err error
				for i := 0; i < 20 && err == nil; i++ {
					_, err = s.Stats(ctx)
				}
				done <- err
			}()
			// No wall-clock budget: a deadlock shows as the test binary's own
			// timeout, with every goroutine's stack, and a loaded machine
			// cannot fail a slow but correct run.
			for range 4 {
				if err := <-done; err != nil {
					t.Error(err)
				}
			}
			docs, _ := s.Documents(ctx)
			if len(docs) != 41 {
				t.Errorf("%d documents, want 41", len(docs))
			}
		})
	}
}
