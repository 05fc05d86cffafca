package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	jsBlock   = regexp.MustCompile("(?s)```js\n(.*?)```")
	expectTok = regexp.MustCompile(`"[^"]*"\S*|\S+`)
)

// TestReadmeGizmoExamples ingests the bundled articles with the real
// binary, as the README's first command does, and runs every Gizmo example
// of the README, checking the strings on its "// expect:" line.
func TestReadmeGizmoExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	devset, err := filepath.Abs(filepath.Join("..", "..", "testdata", "devset"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), testDeadline)
	defer cancel()
	if out, err := medkgCmd(t, ctx, work, "ingest", devset).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	n := 0
	for _, m := range jsBlock.FindAllStringSubmatch(string(readme), -1) {
		first, script, _ := strings.Cut(m[1], "\n")
		exp, ok := strings.CutPrefix(first, "// expect:")
		if !ok {
			continue
		}
		n++
		script = strings.TrimSpace(script)
		out, err := medkgCmd(t, ctx, work, "gizmo", "-e", script).Output()
		if err != nil {
			t.Errorf("gizmo -e %s: %v", script, err)
			continue
		}
		for _, want := range expectTok.FindAllString(exp, -1) {
			if !strings.Contains(string(out), want) {
				t.Errorf("gizmo -e %s\nprinted %s\nwant it to contain %s", script, out, want)
			}
		}
	}
	if n < 3 {
		t.Fatalf("found %d Gizmo examples in README.md, want at least 3", n)
	}
}
