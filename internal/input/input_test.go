package input

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

	got, skipped, failed := Expand([]string{".", "a.md", "-", "missing.md", "empty", "sub/notes.pdf"})
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
	var skips []string
	for _, sk := range skipped {
		skips = append(skips, sk.Arg)
	}
	// notes.pdf is skipped by the walk, then taken when named.
	if want := []string{filepath.Join("empty", "x.json"), filepath.Join("sub", "notes.pdf")}; !slices.Equal(skips, want) {
		t.Errorf("skipped %v, want %v", skips, want)
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

// TestExpandSpecialFiles: a directory walk reads only regular files; a
// FIFO, a socket or a device inside it is skipped and counted, and never
// opened (a FIFO without a writer would block forever).
func TestExpandSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), "a")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var lc net.ListenConfig
	// Unix socket paths are short: listen in a short relative path.
	t.Chdir(dir)
	l, err := lc.Listen(context.Background(), "unix", "sock.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := os.Symlink("/dev/null", filepath.Join(dir, "null.md")); err != nil {
		t.Fatal(err)
	}
	got, skipped, failed := Expand([]string{dir})
	if len(got) != 1 || filepath.Base(got[0].Path) != "a.md" || len(failed) != 0 {
		t.Fatalf("articles %v, failures %v; want a.md only", got, failed)
	}
	reasons := map[string]string{}
	for _, sk := range skipped {
		reasons[filepath.Base(sk.Arg)] = sk.Reason
	}
	for name, want := range map[string]string{"pipe.md": "named pipe", "sock.txt": "socket", "null.md": "character device"} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s: skipped as %q, want %q", name, reasons[name], want)
		}
	}
	// A walked file replaced by a FIFO after the walk is refused, not
	// waited on.
	a := got[0]
	if err := os.Remove(a.Path); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(a.Path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(nil, a); medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("Read of a walked file turned FIFO: %v", err)
	}
}

func TestReadUTF16(t *testing.T) {
	le := func(s string) []byte {
		b := []byte{0xff, 0xfe}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	garbage := make([]byte, 400)
	x := uint32(1)
	for i := range garbage {
		x = x*1664525 + 1013904223
		garbage[i] = byte(x >> 24)
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"utf-16le text", le("国家卫生健康委员会发布通知，禁止开展小腿神经离断瘦腿手术。\n"), true},
		{"utf-16be text", append([]byte{0xfe, 0xff}, 0x80, 0xfd, 0x5b, 0xb6), true},
		{"odd length", append(le("胫神经"), 'x'), false},
		{"random bytes", append([]byte{0xff, 0xfe}, garbage...), false},
		{"ascii read as utf-16", append([]byte{0xff, 0xfe}, bytes.Repeat([]byte("garbage!"), 20)...), false},
		{"unpaired surrogates", append([]byte{0xff, 0xfe}, bytes.Repeat([]byte{0x00, 0xd8, 0x41, 0x00}, 10)...), false},
		{"no bom", garbage[:10], true}, // left to the extractor's own checks
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(nil, Article{Arg: p, Path: p})
			if (err == nil) != tt.ok {
				t.Errorf("Read: err = %v, want ok = %v", err, tt.ok)
			}
			if _, serr := Read(bytes.NewReader(tt.data), Article{Arg: "-", Path: Stdin}); (serr == nil) != tt.ok {
				t.Errorf("Read of standard input: err = %v, want ok = %v", serr, tt.ok)
			}
			if err != nil && medkg.ErrorCode(err) != medkg.EINVALID {
				t.Errorf("code %q, want EINVALID", medkg.ErrorCode(err))
			}
		})
	}
}
