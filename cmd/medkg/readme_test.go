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
// of README.md and docs/schema.md, checking the strings on its
// "// expect:" line: the documented examples hold on the articles users
// have, not only on a test fixture.
func TestReadmeGizmoExamples(t *testing.T) {
	var readme []byte
	for _, doc := range []string{"README.md", filepath.Join("docs", "schema.md")} {
		data, err := os.ReadFile(filepath.Join("..", "..", doc))
		if err != nil {
			t.Fatal(err)
		}
		readme = append(readme, data...)
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
	if n < 10 {
		t.Fatalf("found %d Gizmo examples in README.md and docs/schema.md, want at least 10", n)
	}
}
