package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
		},
	})
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

// TestLockedByAnotherProcess holds the graph open for writing in one
// process (ingest reading an article from a stdin we keep open) and checks
// that a second process fails fast with the locked status.
func TestLockedByAnotherProcess(t *testing.T) {
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
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
	opened := make(chan struct{})
	var holderErr bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			fmt.Fprintln(&holderErr, sc.Text())
			if !signalled && strings.Contains(sc.Text(), "graph opened") {
				close(opened)
				signalled = true
			}
		}
	}()
	select {
	case <-opened:
	case <-time.After(30 * time.Second):
		t.Fatalf("the first medkg never opened the graph")
	}

	start := time.Now()
	var out, errOut bytes.Buffer
	second := medkgCmd(t, ctx, work, "stats")
	second.Stdout, second.Stderr = &out, &errOut
	err = second.Run()
	took := time.Since(start)
	if code := exitCode(err); code != 4 {
		t.Errorf("second medkg exited %d (%v), want 4 (locked); stderr:\n%s", code, err, errOut.String())
	}
	if took > 2*time.Second {
		t.Errorf("second medkg took %s to give up, want under 2s", took)
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
// context reaches it: medkg stops promptly with status 130.
func TestInterrupt(t *testing.T) {
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var errOut bytes.Buffer
	cmd := medkgCmd(t, ctx, work, "gizmo", "--timeout", "60s", "-e", "while(true){}")
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if code := exitCode(err); code != 130 {
		t.Errorf("exit %d (%v), want 130; stderr:\n%s", code, err, errOut.String())
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s to stop after SIGINT", took)
	}
	if !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("stderr:\n%s", errOut.String())
	}
}
