// Package cmdtest provides what command tests share: a Factory over
// buffers, the real vocabulary and extractor built once per test binary,
// graph stores in temporary directories, and the development articles.
// It is imported by tests only.
package cmdtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

var (
	loadVocab = sync.OnceValues(func() (*vocab.Vocabulary, error) { return vocab.Builtin() })
	buildX    = sync.OnceValues(func() (*extract.Extractor, error) {
		v, err := loadVocab()
		if err != nil {
			return nil, err
		}
		return extract.New(v)
	})
)

// Vocabulary returns the built-in vocabulary (user directories are never
// read), loaded once per test binary.
func Vocabulary(tb testing.TB) *vocab.Vocabulary {
	tb.Helper()
	v, err := loadVocab()
	if err != nil {
		tb.Fatalf("load built-in vocabulary: %v", err)
	}
	return v
}

// Extractor returns an extractor over the built-in vocabulary, built once
// per test binary.
func Extractor(tb testing.TB) *extract.Extractor {
	tb.Helper()
	x, err := buildX()
	if err != nil {
		tb.Fatalf("build extractor: %v", err)
	}
	return x
}

// StoreOpener returns a function opening a bolt graph in a fresh temporary
// directory, like Factory.Store does. The store exists but is empty, as
// after a first ingest of nothing: read-only opens of a missing store
// fail (MissingStoreOpener).
func StoreOpener(tb testing.TB) func(context.Context, bool) (*graph.Store, error) {
	dir := filepath.Join(tb.TempDir(), "graph")
	s, err := graph.Open(context.Background(), graph.Options{Path: dir})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	return MissingStoreOpener(dir)
}

// MissingStoreOpener opens the bolt graph in dir, which may not exist.
func MissingStoreOpener(dir string) func(context.Context, bool) (*graph.Store, error) {
	return func(ctx context.Context, readOnly bool) (*graph.Store, error) {
		return graph.Open(ctx, graph.Options{Path: dir, ReadOnly: readOnly})
	}
}

// Logger discards everything.
func Logger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Factory returns a Factory over test streams whose dependencies are the
// real ones, with a graph in a temporary directory, and the streams'
// buffers (stdin, stdout, stderr).
func Factory(tb testing.TB) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	ios, in, out, errOut := iostreams.Test()
	store := StoreOpener(tb)
	return &cmdutil.Factory{
		IOStreams:  ios,
		AppVersion: "test",
		Globals:    &cmdutil.GlobalOptions{Backend: "bolt"},
		Logger:     Logger,
		Vocabulary: func() (*vocab.Vocabulary, error) { return Vocabulary(tb), nil },
		Extractor:  func() (*extract.Extractor, error) { return Extractor(tb), nil },
		GraphPath:  func() (string, error) { return "", nil },
		Store:      store,
	}, in, out, errOut
}

// Devset returns the directory holding the four development articles.
func Devset(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot locate the source tree")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "devset")
	if _, err := os.Stat(dir); err != nil {
		tb.Fatalf("development articles: %v", err)
	}
	return dir
}

// Exec runs cmd with args, its output going to buffers, and returns the
// error of the execution.
func Exec(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetIn(&bytes.Buffer{})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	_, err := cmd.ExecuteC()
	return err
}

// ParseFlags builds a command with newCmd and a runF that captures its
// options, runs it with args and returns the options. With wantErr it
// checks that the command line was refused and returns nil.
func ParseFlags[O any](tb testing.TB, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, wantErr bool, args ...string) *O {
	tb.Helper()
	ios, _, _, _ := iostreams.Test()
	var got *O
	cmd := newCmd(&cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{}}, func(o *O) error { got = o; return nil })
	err := Exec(cmd, args...)
	switch {
	case wantErr && err == nil:
		tb.Fatalf("%q: want an error", args)
	case wantErr:
		return nil
	case err != nil:
		tb.Fatalf("%q: %v", args, err)
	}
	return got
}

// SeededStore returns an opener for a graph in a temporary directory that
// already holds the vocabulary and the development articles.
func SeededStore(tb testing.TB) func(context.Context, bool) (*graph.Store, error) {
	tb.Helper()
	open := StoreOpener(tb)
	ctx := context.Background()
	s, err := open(ctx, false)
	if err != nil {
		tb.Fatalf("open graph: %v", err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			tb.Fatalf("close graph: %v", err)
		}
	}()
	v := Vocabulary(tb)
	if _, err := s.SyncVocabulary(ctx, v.Version(), v.Entities(), v.Facts()); err != nil {
		tb.Fatalf("sync vocabulary: %v", err)
	}
	x := Extractor(tb)
	files, err := filepath.Glob(filepath.Join(Devset(tb), "*.*"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("development articles: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		a, err := extract.ReadArticle(f, data)
		if err != nil {
			tb.Fatalf("read %s: %v", f, err)
		}
		doc, err := x.Extract(ctx, a)
		if err != nil {
			tb.Fatalf("extract %s: %v", f, err)
		}
		if _, err := s.Ingest(ctx, doc); err != nil {
			tb.Fatalf("ingest %s: %v", f, err)
		}
	}
	return open
}
