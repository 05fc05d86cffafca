package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary double as medkg: testscript puts a copy
// named medkg on PATH, which runs main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"medkg": main})
}

func TestScript(t *testing.T) {
	devset, err := filepath.Abs(filepath.Join("..", "..", "testdata", "devset"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			setupEnv(env.WorkDir, env.Setenv)
			env.Setenv("DEVSET", devset)
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"status":    cmdStatus,
			"jsonvalid": cmdJSONValid,
			"jsonlines": cmdJSONLines,
			"oldstore":  cmdOldStore,
		},
	})
}

// oldstore DIR writes into DIR a bolt store of an older medkg (before the
// per-document and query indexes), the graph package's test fixture.
func cmdOldStore(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: oldstore DIR")
	}
	in, err := os.Open(filepath.Join("..", "..", "graph", "testdata", "bolt-v1.3.1", "indexes.bolt.gz"))
	ts.Check(err)
	defer in.Close()
	zr, err := gzip.NewReader(in)
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o700))
	out, err := os.Create(filepath.Join(dir, "indexes.bolt"))
	ts.Check(err)
	_, err = io.Copy(out, zr)
	ts.Check(err)
	ts.Check(out.Close())
}

// setupEnv points every directory medkg uses into work, so that no test
// touches the real home directory.
func setupEnv(work string, setenv func(k, v string)) {
	setenv("HOME", work)
	setenv("XDG_CONFIG_HOME", filepath.Join(work, ".config"))
	setenv("XDG_DATA_HOME", filepath.Join(work, ".local", "share"))
	setenv("XDG_STATE_HOME", filepath.Join(work, ".local", "state"))
	setenv("MEDKG_DB", "")
}

// status N CMD ARGS... runs CMD and checks that it exits with status N;
// its output can then be checked with stdout and stderr.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("status: %v", err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// jsonvalid FILE checks that FILE holds one JSON document.
func cmdJSONValid(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: jsonvalid file")
	}
	data := ts.ReadFile(args[0])
	if ok := json.Valid([]byte(data)) && strings.TrimSpace(data) != ""; ok == neg {
		ts.Fatalf("%s: JSON valid = %v", args[0], ok)
	}
}

// jsonlines N FILE checks that FILE holds N lines, each a JSON object.
func cmdJSONLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonlines N file")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	lines := strings.Split(strings.TrimRight(ts.ReadFile(args[1]), "\n"), "\n")
	if len(lines) != want {
		ts.Fatalf("%s: %d lines, want %d", args[1], len(lines), want)
	}
	for i, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			ts.Fatalf("%s:%d: %v", args[1], i+1, err)
		}
	}
}

// medkgCmd returns a medkg command (the copy testscript put on PATH) with
// its directories in work.
func medkgCmd(t *testing.T, ctx context.Context, work string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("medkg")
	if err != nil {
		t.Fatalf("medkg not on PATH: %v", err)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	env := os.Environ()
	setupEnv(work, func(k, v string) { env = append(env, k+"="+v) })
	cmd.Env = env
	cmd.Dir = work
	return cmd
}

func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// testDeadline bounds every end-to-end test that starts processes. It is
// a hang guard, not a timing target: CI runs on a loaded machine, so the
// tests wait on readiness signals (a line on stderr, an exit status) and
// keep their timing targets in benchmarks.
const testDeadline = 5 * time.Minute

// stderrWatcher copies a process's stderr into a buffer and reports the
// first line containing a given text.
type stderrWatcher struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	want  string
	found chan struct{}
	done  chan struct{}
}

// watchStderr starts copying r; Wait blocks until a line containing want
// appears or r ends.
func watchStderr(r io.Reader, want string) *stderrWatcher {
	w := &stderrWatcher{want: want, found: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(r)
		signalled := false
		for sc.Scan() {
			w.mu.Lock()
			fmt.Fprintln(&w.buf, sc.Text())
			w.mu.Unlock()
			if !signalled && strings.Contains(sc.Text(), want) {
				close(w.found)
				signalled = true
			}
		}
	}()
	return w
}

// Wait returns once the line appeared, failing the test if stderr ended
// (the process exited) or ctx expired first.
func (w *stderrWatcher) Wait(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-w.found:
	case <-w.done:
		select {
		case <-w.found:
		default:
			t.Fatalf("process ended before printing %q; stderr:\n%s", w.want, w.String())
		}
	case <-ctx.Done():
		t.Fatalf("no %q on stderr before the test deadline; stderr:\n%s", w.want, w.String())
	}
}

func (w *stderrWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestLockedByAnotherProcess holds the graph open for writing in one
// process (ingest reading an article from a stdin we keep open) and checks
// that a second process gives up with the locked status instead of
// waiting. The ELOCKED status itself shows that the second process gave
// up after --lock-timeout; how long that took in wall time on a loaded
// machine is not this test's business.
func TestLockedByAnotherProcess(t *testing.T) {
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()

	holder := medkgCmd(t, ctx, work, "--verbose", "ingest", "-")
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := holder.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var holderOut bytes.Buffer
	holder.Stdout = &holderOut
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	// "graph opened" is logged once the writer holds bolt's flock.
	holderErr := watchStderr(stderr, "graph opened")
	holderErr.Wait(t, ctx)

	var out, errOut bytes.Buffer
	second := medkgCmd(t, ctx, work, "--lock-timeout", "100ms", "stats")
	second.Stdout, second.Stderr = &out, &errOut
	err = second.Run()
	if code := exitCode(err); code != 4 {
		t.Errorf("second medkg exited %d (%v), want 4 (locked); stderr:\n%s", code, err, errOut.String())
	}
	if msg := strings.ToLower(errOut.String()); !strings.Contains(msg, "another medkg process") || !strings.Contains(msg, "lock") {
		t.Errorf("message does not name the lock:\n%s", errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout not empty: %s", out.String())
	}

	// Let the first one finish: it ingests the article and releases the
	// graph, which a third process can then read.
	fmt.Fprintln(stdin, "国家卫生健康委员会发布通知，禁止开展小腿神经离断瘦腿手术。")
	stdin.Close()
	<-holderErr.done // Wait closes the pipe; read it to the end first
	if err := holder.Wait(); err != nil {
		t.Fatalf("first medkg: %v\n%s", err, holderErr.String())
	}
	if !strings.Contains(holderOut.String(), "added\t1") {
		t.Errorf("first medkg summary:\n%s", holderOut.String())
	}
	third := medkgCmd(t, ctx, work, "stats", "--format", "json")
	if data, err := third.Output(); err != nil || !json.Valid(data) {
		t.Errorf("stats after release: %v\n%s", err, data)
	}
}

// TestInterrupt sends SIGINT to a running query and checks that the
// context reaches it: medkg stops with status 130 and says so. It waits
// for medkg to say the query started (with --verbose) instead of
// sleeping; --timeout is far beyond the test deadline, so a status of
// 130 rather than 5 shows that the signal, not the timeout, stopped it.
func TestInterrupt(t *testing.T) {
	tests := []struct {
		name  string
		ready string // stderr line after which SIGINT is sent
	}{
		// While the script runs.
		{"running query", "gizmo query started"},
		// As early as medkg can honour it: the signal handler is
		// installed before the command line is parsed, and the command is
		// logged before the store is opened or the script compiled.
		{"before the query", "msg=command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
			defer cancel()
			cmd := medkgCmd(t, ctx, work, "--verbose", "--backend", "memstore", "gizmo", "--timeout", "1h", "-e", "while(true){}")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w := watchStderr(stderr, tt.ready)
			w.Wait(t, ctx)
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			<-w.done
			err = cmd.Wait()
			if code := exitCode(err); code != 130 {
				t.Errorf("exit %d (%v), want 130; stderr:\n%s", code, err, w.String())
			}
			if !strings.Contains(w.String(), "interrupted") {
				t.Errorf("stderr:\n%s", w.String())
			}
		})
	}
}
