package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdIngest(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    IngestOptions
		wantErr bool
	}{
		{name: "paths", args: []string{"dir", "a.md", "-"}, want: IngestOptions{Paths: []string{"dir", "a.md", "-"}, Format: "table"}},
		{name: "json", args: []string{"--format=json", "dir"}, want: IngestOptions{Paths: []string{"dir"}, Format: "json"}},
		{name: "nothing", args: nil, wantErr: true},
		{name: "bad format", args: []string{"--format", "csv", "a"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdIngest, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if strings.Join(got.Paths, ",") != strings.Join(tt.want.Paths, ",") || got.Format != tt.want.Format {
				t.Errorf("got %q %q, want %q %q", got.Paths, got.Format, tt.want.Paths, tt.want.Format)
			}
		})
	}
}

type env struct {
	opts        *IngestOptions
	in          *bytes.Buffer
	out, errOut *bytes.Buffer
}

func newEnv(t *testing.T, store func(context.Context, bool) (*graph.Store, error), tty bool, format string, paths ...string) env {
	ios, in, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetStderrTTY(tty)
	return env{
		opts: &IngestOptions{
			IO:         ios,
			Logger:     cmdtest.Logger,
			Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
			Extractor:  func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
			Store:      store,
			Paths:      paths,
			Format:     format,
		},
		in: in, out: out, errOut: errOut,
	}
}

func summary(t *testing.T, out *bytes.Buffer) Summary {
	t.Helper()
	var s Summary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("invalid JSON summary: %v\n%s", err, out)
	}
	return s
}

func TestIngestRunTwice(t *testing.T) {
	store := cmdtest.StoreOpener(t)
	dir := cmdtest.Devset(t)

	e := newEnv(t, store, false, "json", dir)
	if err := ingestRun(context.Background(), e.opts); err != nil {
		t.Fatalf("first ingest: %v\n%s", err, e.errOut)
	}
	first := summary(t, e.out)
	if first.Added != 4 || first.Failed != 0 || first.Entities == 0 || first.Relations == 0 || len(first.Documents) != 4 {
		t.Errorf("first ingest: %+v", first)
	}
	for _, d := range first.Documents {
		if !filepath.IsAbs(d.Source) {
			t.Errorf("source %q is not an absolute path", d.Source)
		}
	}
	if e.errOut.Len() != 0 {
		t.Errorf("stderr not empty without a terminal: %q", e.errOut)
	}

	e = newEnv(t, store, false, "json", dir)
	if err := ingestRun(context.Background(), e.opts); err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	if second := summary(t, e.out); second.Unchanged != 4 || second.Added != 0 || second.Replaced != 0 {
		t.Errorf("second ingest: %+v, want 4 unchanged", second)
	}
}

func TestIngestRunTable(t *testing.T) {
	store := cmdtest.StoreOpener(t)
	file := filepath.Join(cmdtest.Devset(t), "000_nhc_ban_zaobao.md")
	tests := []struct {
		name    string
		tty     bool
		want    []string
		notWant []string
	}{
		{"tty", true, []string{"FILE", "STATUS", "added", "failed"}, nil},
		{"pipe", false, []string{"added\t", "unchanged\t", "failed\t0"}, []string{"FILE", "\x1b["}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, store, tt.tty, "table", file)
			if err := ingestRun(context.Background(), e.opts); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, e.out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(e.out.String()+e.errOut.String(), w) {
					t.Errorf("output has %q:\n%s%s", w, e.out, e.errOut)
				}
			}
		})
	}
}

func TestIngestRunFailures(t *testing.T) {
	store := cmdtest.StoreOpener(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.md")
	if err := os.WriteFile(bad, []byte("\x00\x01\x02\xff\xfe\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(cmdtest.Devset(t), "001_calf_nerve_block_zaobao.md")

	e := newEnv(t, store, false, "json", bad, good, filepath.Join(dir, "missing.md"))
	err := ingestRun(context.Background(), e.opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitPartial {
		t.Fatalf("err = %v, want partial failure", err)
	}
	s := summary(t, e.out)
	if s.Added != 1 || s.Failed != 2 || len(s.Failures) != 2 {
		t.Errorf("summary %+v", s)
	}
	for _, w := range []string{"bad.md", "missing.md: no such file"} {
		if !strings.Contains(e.errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, e.errOut)
		}
	}

	// Nothing ingested: the failure's own status.
	e = newEnv(t, store, false, "table", bad)
	if err := ingestRun(context.Background(), e.opts); cmdutil.ExitCode(err) != cmdutil.ExitInvalid || !cmdutil.IsSilent(err) {
		t.Errorf("single bad file: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

func TestIngestRunStdin(t *testing.T) {
	e := newEnv(t, cmdtest.StoreOpener(t), false, "json", "-")
	e.in.WriteString("国家卫生健康委员会发布通知，禁止开展小腿神经离断瘦腿手术。\n")
	if err := ingestRun(context.Background(), e.opts); err != nil {
		t.Fatal(err)
	}
	s := summary(t, e.out)
	if len(s.Documents) != 1 || !strings.HasPrefix(s.Documents[0].Source, "stdin:") {
		t.Errorf("stdin document: %+v", s.Documents)
	}
}

func TestIngestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := newEnv(t, cmdtest.StoreOpener(t), false, "json", cmdtest.Devset(t))
	err := ingestRun(ctx, e.opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitInterrupted {
		t.Errorf("err = %v, want interrupted", err)
	}
}

func TestIngestRunLocked(t *testing.T) {
	store := cmdtest.StoreOpener(t)
	held, err := store(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	e := newEnv(t, store, false, "table", cmdtest.Devset(t))
	if err := ingestRun(context.Background(), e.opts); cmdutil.ExitCode(err) != cmdutil.ExitLocked {
		t.Errorf("err = %v, want locked", err)
	}
}

func TestIngestRunStopsBetweenDocuments(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := newEnv(t, cmdtest.StoreOpener(t), false, "json", cmdtest.Devset(t))
	// Ctrl-C arrives once the graph is open and synchronised, while the
	// extractor is being built.
	e.opts.Extractor = func() (*extract.Extractor, error) {
		cancel()
		return cmdtest.Extractor(t), nil
	}
	err := ingestRun(ctx, e.opts)
	if cmdutil.ExitCode(err) != cmdutil.ExitInterrupted {
		t.Fatalf("err = %v, want interrupted", err)
	}
	s := summary(t, e.out)
	// The 4 articles not reached, and the 4 gold .json files.
	if s.Skipped != 8 || len(s.SkippedFiles) != 4 || s.Added != 0 {
		t.Errorf("summary %+v, want 8 skipped", s)
	}
	if !strings.Contains(e.errOut.String(), "interrupted: 4 document(s) not ingested") {
		t.Errorf("stderr: %q", e.errOut)
	}
}

// TestIngestRunCountsSkippedFiles: files a directory walk leaves alone
// (not article files, FIFOs) are counted and listed; a FIFO never blocks.
func TestIngestRunCountsSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("国家卫生健康委员会发布通知，禁止开展小腿神经离断瘦腿手术。"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "paper.pdf"), []byte("%PDF-1.4"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	e := newEnv(t, cmdtest.StoreOpener(t), false, "json", dir)
	if err := ingestRun(context.Background(), e.opts); err != nil {
		t.Fatalf("ingest: %v\n%s", err, e.errOut)
	}
	s := summary(t, e.out)
	if s.Added != 1 || s.Skipped != 2 || len(s.SkippedFiles) != 2 || s.Failed != 0 {
		t.Errorf("summary %+v, want 1 added, 2 skipped", s)
	}
}

// TestIngestRunBatches ingests in batches on two extractors, with an
// unreadable input in the middle: the summary keeps input order, the bad
// input fails alone, and the graph holds every good document.
func TestIngestRunBatches(t *testing.T) {
	store := cmdtest.StoreOpener(t)
	dev := cmdtest.Devset(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte{0, 1, 2, 0xff, 0xfe, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	names := []string{"000_nhc_ban_zaobao.md", "001_calf_nerve_block_zaobao.md", "", "002_peroneal_hydrodissection_case_report.txt", "003_lumbar_disc_numbness_hospital.txt"}
	var paths []string
	for _, n := range names {
		if n == "" {
			paths = append(paths, bad)
		} else {
			paths = append(paths, filepath.Join(dev, n))
		}
	}
	e := newEnv(t, store, false, "json", paths...)
	e.opts.BatchDocs, e.opts.Jobs = 3, 2
	if err := ingestRun(context.Background(), e.opts); medkg.ErrorCode(err) != medkg.EPARTIAL {
		t.Fatalf("err = %v, want EPARTIAL", err)
	}
	sum := summary(t, e.out)
	if sum.Added != 4 || sum.Failed != 1 || len(sum.Failures) != 1 || sum.Failures[0].File != bad {
		t.Errorf("summary: %+v", sum)
	}
	var got []string
	for _, d := range sum.Documents {
		got = append(got, filepath.Base(d.File))
	}
	if want := []string{names[0], names[1], names[3], names[4]}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("documents in order %q, want %q", got, want)
	}
	s, err := store(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, err := s.Documents(context.Background())
	if err != nil || len(docs) != 4 {
		t.Errorf("graph holds %d documents (%v), want 4", len(docs), err)
	}
}
