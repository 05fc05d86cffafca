package input

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead feeds Read arbitrary files, UTF-16 byte-order marks included:
// it must return content or an EINVALID-style error, never panic. The
// seed corpus is under testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"", "\xff\xfe", "\xfe\xff", "\xff\xfeg\x00a\x00", "\xff\xfe\x00\xd8", "国家卫生健康委员会"} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "a.md")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := Read(nil, Article{Arg: "a.md", Path: p, walked: true})
		if err == nil && string(got) != string(data) {
			t.Errorf("Read changed the content")
		}
	})
}
