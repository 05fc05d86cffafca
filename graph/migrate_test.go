package graph

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

// oldStore copies into a temp dir a store written by medkg before this
// layout, with the archived github.com/boltdb/bolt v1.3.1: the test
// vocabulary, seedDoc and muscleDoc.
func oldStore(t *testing.T) string {
	t.Helper()
	in, err := os.Open(filepath.Join("testdata", "bolt-v1.3.1", "indexes.bolt.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, boltFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMigrateOldStore(t *testing.T) {
	ctx := context.Background()
	dir := oldStore(t)

	// bbolt reads the old file: queries work read-only.
	ro, err := Open(ctx, Options{Path: dir, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	before := answers(t, ro)
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	ref := MustOpenStore(t, Memstore)
	mustLoad(t, ref, seedDoc(), muscleDoc())
	want := answers(t, ref)
	// Documents written before counts were kept have one quad fewer:
	// documents, stats and export differ by that; every answer agrees.
	layout := map[string]bool{"documents": true, "stats": true, "export nquads": true}
	for k := range want {
		if !layout[k] && before[k] != want[k] {
			t.Errorf("old store, %s:\ngot  %s\nwant %s", k, before[k], want[k])
		}
	}

	// Writing needs the migration, and says so.
	_, err = Open(ctx, Options{Path: dir})
	if medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "medkg migrate") {
		t.Fatalf("open old store for writing: err = %v, want EINVALID naming medkg migrate", err)
	}

	res, err := Migrate(ctx, Options{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Quads == 0 || res.Backup == "" {
		t.Fatalf("Migrate = %+v", res)
	}
	if _, err := os.Stat(res.Backup); err != nil {
		t.Errorf("backup: %v", err)
	}
	s, err := Open(ctx, Options{Path: dir})
	if err != nil {
		t.Fatalf("open migrated store for writing: %v", err)
	}
	checkIndex(t, s)
	after := answers(t, s)
	for k := range want {
		if !layout[k] && after[k] != want[k] {
			t.Errorf("migrated store, %s:\ngot  %s\nwant %s", k, after[k], want[k])
		}
	}
	// Stats of documents written before counts were kept come from their
	// quads: the same but for the counts quads themselves.
	got, _ := s.Stats(ctx)
	exp, _ := ref.Stats(ctx)
	if fmt.Sprint(got.Entities, got.Edges, got.Assertions, got.Negated) != fmt.Sprint(exp.Entities, exp.Edges, exp.Assertions, exp.Negated) ||
		got.Quads != exp.Quads-3 {
		t.Errorf("stats of the migrated store = %+v\nwant %+v, 3 quads fewer", got, exp)
	}
	// Writes work, in O(document): forget reads the label index.
	if _, err := s.Forget(ctx, muscleDoc().Source); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Migrate(ctx, Options{Path: dir})
	if err != nil || again.Changed {
		t.Errorf("second Migrate = %+v, %v; want unchanged", again, err)
	}
}
