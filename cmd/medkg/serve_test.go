package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
)

var listeningLine = regexp.MustCompile(`listening on (\S+)`)

// TestServe ingests the bundled articles, starts `medkg serve` on a port
// the system chooses, waits for its "listening on ADDR" line, asks the
// flagship question over HTTP, ingests an article from another process
// while it runs (which must neither wait for the server nor need a
// restart to be seen) and stops it with SIGINT, which must end it
// cleanly (status 0).
func TestServe(t *testing.T) {
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	devset, err := filepath.Abs(filepath.Join("..", "..", "testdata", "devset"))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := medkgCmd(t, ctx, work, "ingest", devset).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}

	cmd := medkgCmd(t, ctx, work, "serve", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := watchStderr(stderr, "listening on ")
	w.Wait(t, ctx)
	m := listeningLine.FindStringSubmatch(w.String())
	if m == nil || strings.HasSuffix(m[1], ":0") {
		t.Fatalf("no address in the listening line:\n%s", w.String())
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+m[1]+"/api/query/banned-nerves", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Rows []struct {
			Nerve struct{ Name string } `json:"nerve"`
		} `json:"rows"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &res) != nil {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	found := false
	for _, r := range res.Rows {
		found = found || r.Nerve.Name == "腓肠内侧皮神经"
	}
	if !found {
		t.Errorf("腓肠内侧皮神经 not among the banned nerves: %s", body)
	}

	// medkg ingest from another process while the server runs: the
	// server holds no lock between requests, so the ingest succeeds at
	// once, and the next request sees the new document.
	article := filepath.Join(work, "beside_serve.txt")
	if err := os.WriteFile(article, []byte("医生说明：该手术切断腓肠神经。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := medkgCmd(t, ctx, work, "--lock-timeout", "1ms", "ingest", article).CombinedOutput(); err != nil {
		t.Fatalf("ingest beside serve: %v\n%s", err, out)
	}
	var docs struct {
		Documents []struct {
			Source string `json:"source"`
		} `json:"documents"`
	}
	getJSON(t, ctx, "http://"+m[1]+"/api/documents", &docs)
	if len(docs.Documents) != 5 || !slices.ContainsFunc(docs.Documents, func(d struct {
		Source string `json:"source"`
	}) bool {
		return d.Source == article
	}) {
		t.Errorf("documents after the ingest: %+v", docs.Documents)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-w.done // Wait closes the pipe; read it to the end first
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGINT: %v; stderr:\n%s", err, w.String())
	}
	if !strings.Contains(w.String(), "shutting down") {
		t.Errorf("stderr:\n%s", w.String())
	}
}
