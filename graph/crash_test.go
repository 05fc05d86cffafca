package graph

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

const crashBatch = 25

// TestKillDuringBatchedIngest kills (SIGKILL) a process in the middle of
// writing batches of documents, then checks that every document in the
// store is whole: all its quads are there, as many as its counts say,
// and every relation's assertion is complete. Re-running the same
// ingest then finishes the job.
func TestKillDuringBatchedIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIngestBatches$")
	cmd.Env = append(os.Environ(), "MEDKG_TEST_INGEST_STORE="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Readiness: the helper prints a line after each committed batch and
	// then immediately starts the next; kill it after the third, while
	// the fourth is being written.
	r := bufio.NewReader(stdout)
	committed := 0
	for committed < 3 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("helper stopped early: %q, %v", line, err)
		}
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "committed "); ok {
			committed, _ = strconv.Atoi(n)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // killed: the error is expected

	ctx := context.Background()
	s, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer s.Close()
	docs, err := s.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < committed*crashBatch {
		t.Errorf("%d documents after %d committed batches of %d", len(docs), committed, crashBatch)
	}
	if len(docs)%crashBatch != 0 {
		t.Errorf("%d documents: not whole batches", len(docs))
	}
	for _, d := range docs {
		assertWholeDocument(t, s, d)
	}
	checkIndex(t, s) // committed with the quads, batch by batch

	// Re-running the ingest finishes the job.
	all := make([]*medkg.Document, 0, crashTotal)
	for i := range crashTotal {
		all = append(all, synthDoc(i))
	}
	res, err := s.IngestBatch(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if r.Status == Added {
			added++
		}
	}
	if len(docs)+added != crashTotal {
		t.Errorf("re-run added %d to %d documents, want %d in all", added, len(docs), crashTotal)
	}
	checkIndex(t, s)
}

// assertWholeDocument checks a document's quads against its own counts
// and its assertions for all their parts.
func assertWholeDocument(t *testing.T, s *Store, d DocInfo) {
	t.Helper()
	ctx := context.Background()
	quads, err := s.quadsWith(ctx, quad.Label, quad.IRI(d.IRI))
	if err != nil {
		t.Fatal(err)
	}
	if len(quads) != d.Quads || d.Quads == 0 {
		t.Errorf("%s: %d quads under its label, its count says %d", d.Source, len(quads), d.Quads)
	}
	parts := map[string]int{}
	for _, q := range quads {
		if strings.HasPrefix(valueString(q.Subject), d.IRI+"/r/") {
			parts[valueString(q.Subject)]++
		}
	}
	if len(parts) != d.Relations {
		t.Errorf("%s: %d assertion nodes, %d relations", d.Source, len(parts), d.Relations)
	}
	for a, n := range parts {
		if n != 9 { // type, subject, predicate, object, negated, hedged, sentence, evidence, document
			t.Errorf("%s: assertion %s has %d quads, want 9", d.Source, a, n)
		}
	}
}

const crashTotal = 400

// TestHelperIngestBatches is not a test: TestKillDuringBatchedIngest
// runs it in a child process, which ingests crashTotal documents in
// batches, announcing each commit, until it is killed.
func TestHelperIngestBatches(t *testing.T) {
	dir := os.Getenv("MEDKG_TEST_INGEST_STORE")
	if dir == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	s, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < crashTotal; start += crashBatch {
		batch := make([]*medkg.Document, 0, crashBatch)
		for i := start; i < start+crashBatch; i++ {
			batch = append(batch, synthDoc(i))
		}
		if _, err := s.IngestBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("committed %d\n", start/crashBatch+1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
