package extract

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// hostile builds inputs of about n bytes that once made extraction
// superlinear: one line without a sentence end, a page of a million
// paragraphs, deeply nested parentheses, a list of many items.
var hostile = []struct {
	name string
	ext  string
	make func(n int) string
}{
	{"han-line", ".txt", func(n int) string { return repeatTo("腓总神经卡压综合征患者接受神经松解术", n) }},
	{"ascii-line", ".txt", func(n int) string { return repeatTo("nerve block injection ", n) }},
	{"paragraphs", ".html", func(n int) string {
		return "<html><body>" + repeatTo("<p>胫神经支配比目鱼肌。</p>", n) + "</body></html>"
	}},
	{"nested", ".txt", func(n int) string {
		d := n / 6
		return strings.Repeat("（", d) + "腓总神经" + strings.Repeat("）", d)
	}},
	{"list", ".txt", func(n int) string { return "胫神经支配" + repeatTo("比目鱼肌、腓肠肌、", n) + "等。" }},
	{"demonstratives", ".txt", func(n int) string {
		return "小腿神经离断瘦腿手术。" + repeatTo("该手术切断腓肠内侧皮神经。", n)
	}},
	{"actions", ".txt", func(n int) string {
		return repeatTo("卫健委于本月2日印发通知，自通知下发之日起禁止开展干细胞治疗，某某诊所被罚款。", n)
	}},
}

func repeatTo(unit string, n int) string {
	return strings.Repeat(unit, max(1, n/len(unit)))
}

// TestHostileInputs extracts each hostile input (small enough for a test)
// to the end: no panic, no error, bounded sentences.
func TestHostileInputs(t *testing.T) {
	x := mustExtractor(t)
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			a, err := ReadArticle("hostile"+h.ext, []byte(h.make(64<<10)))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := x.Extract(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range doc.Sentences {
				if n := s.End - s.Start; n > MaxSentence {
					t.Fatalf("sentence of %d runes, want ≤ %d", n, MaxSentence)
				}
			}
		})
	}
}

// TestTooLarge: an input over the size limit fails alone with a message
// that says so, before any work.
func TestTooLarge(t *testing.T) {
	_, err := ReadArticle("huge.txt", make([]byte, MaxDocumentBytes+1))
	if err == nil || !strings.Contains(err.Error(), "huge.txt") || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want huge.txt: … larger than …", err)
	}
}

// BenchmarkHostile reads and extracts each hostile input at two sizes: on
// linear code MB/s is the same at both (reported in the README).
func BenchmarkHostile(b *testing.B) {
	x := mustExtractor(b)
	for _, h := range hostile {
		for _, size := range []int{256 << 10, 1 << 20} {
			data := []byte(h.make(size))
			b.Run(fmt.Sprintf("%s/%dKB", h.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					a, err := ReadArticle("hostile"+h.ext, data)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := x.Extract(context.Background(), a); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
