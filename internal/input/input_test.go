package input

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), "a")
	write(t, filepath.Join(dir, "sub", "b.HTML"), "b")
	write(t, filepath.Join(dir, "sub", "c.txt"), "c")
	write(t, filepath.Join(dir, "sub", "notes.pdf"), "x")
	write(t, filepath.Join(dir, ".git", "d.md"), "hidden")
	write(t, filepath.Join(dir, "sub", ".e.md"), "hidden")
	write(t, filepath.Join(dir, "empty", "x.json"), "{}")
	t.Chdir(dir)

	got, failed := Expand([]string{".", "a.md", "-", "missing.md", "empty", "sub/notes.pdf"})
	var paths []string
	for _, a := range got {
		paths = append(paths, a.Path)
	}
	want := []string{
		filepath.Join(dir, "a.md"),
		filepath.Join(dir, "sub", "b.HTML"),
		filepath.Join(dir, "sub", "c.txt"),
		"-",
		filepath.Join(dir, "sub", "notes.pdf"), // named explicitly: taken whatever its extension
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	if got[1].Arg != filepath.Join("sub", "b.HTML") {
		t.Errorf("Arg of a walked file = %q, want it relative to the argument", got[1].Arg)
	}
	if len(failed) != 2 {
		t.Fatalf("failures = %v, want missing.md and empty", failed)
	}
	if failed[0].Arg != "missing.md" || medkg.ErrorCode(failed[0].Err) != medkg.ENOTFOUND {
		t.Errorf("failure 0 = %+v, want missing.md ENOTFOUND", failed[0])
	}
	if failed[1].Arg != "empty" || medkg.ErrorCode(failed[1].Err) != medkg.EINVALID {
		t.Errorf("failure 1 = %+v, want empty EINVALID", failed[1])
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), "hello")
	data, err := Read(strings.NewReader("from stdin"), Article{Arg: "-", Path: Stdin})
	if err != nil || string(data) != "from stdin" {
		t.Errorf("stdin: %q, %v", data, err)
	}
	data, err = Read(nil, Article{Arg: "a.md", Path: filepath.Join(dir, "a.md")})
	if err != nil || string(data) != "hello" {
		t.Errorf("file: %q, %v", data, err)
	}
	_, err = Read(nil, Article{Path: filepath.Join(dir, "nope.md")})
	var merr *medkg.Error
	if !errors.As(err, &merr) || merr.Code != medkg.ENOTFOUND {
		t.Errorf("missing file: %v, want ENOTFOUND", err)
	}
	_, err = Read(nil, Article{Path: dir})
	if medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("directory: %v, want EINVALID", err)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		a    Article
		err  error
		want string
	}{
		{Article{Arg: "a.md", Path: "/w/a.md"}, errors.New("no such file or directory"), "a.md: no such file or directory"},
		{Article{Arg: "a.md", Path: "/w/a.md"}, errors.New("/w/a.md: binary file"), "/w/a.md: binary file"},
		{Article{Arg: "docs"}, errors.New("no article files"), "docs: no article files"},
		{Article{Arg: "-", Path: Stdin}, errors.New("-: empty document"), "standard input: empty document"},
	}
	for _, tt := range tests {
		if got := Describe(tt.a, tt.err); got != tt.want {
			t.Errorf("Describe(%+v, %q) = %q, want %q", tt.a, tt.err, got, tt.want)
		}
	}
}
