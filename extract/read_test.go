package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/medkg/medkg"
)

func TestReadArticleEncodings(t *testing.T) {
	const text = "腓总神经卡压综合征是常见的周围神经卡压。"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
	}{
		{"utf-8", text},
		{"utf-8 with BOM", "\xef\xbb\xbf" + text},
		{"gbk", gbk},
		{"utf-16 with BOM", utf16},
		{"full-width letters and spaces", "腓总神经卡压综合征是常见的周围神经卡压。　"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ReadArticle("a.txt", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != text {
				t.Errorf("Text = %q, want %q", a.Text, text)
			}
		})
	}
}

func TestReadArticleRejects(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00", "binary"},
		{"not text", "\x80\x80\xff\xff\x80abc", "file.bin"},
		{"empty", "   \n  ", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadArticle("file.bin", []byte(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			if medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "file.bin") {
				t.Errorf("error = %v (code %s), want EINVALID naming the file and %q", err, medkg.ErrorCode(err), tt.want)
			}
		})
	}
}

func TestReadArticleFormats(t *testing.T) {
	tests := []struct {
		name, source, data         string
		title, date, url, contains string
		excludes                   []string
	}{
		{
			name:   "markdown with front matter and HTML body",
			source: "post.md",
			data: "---\nlayout: post\ntitle: \"标题：禁“瘦腿手术”\"\ndate: 2021-07-31T12:55:46Z\nfrom: https://example.com/a\n---\n" +
				"[标题](https://example.com/a)\n------\n<div><p>第一段。</p><section id=\"imu\"><div id=\"dfp-ad-imu1\">广告</div></section>" +
				"<script>var x = \"脚本\";</script><p>第二段<br>换行。</p><div class=\"share-bar\">分享到微信</div></div>",
			title: "标题：禁“瘦腿手术”", date: "2021-07-31T12:55:46Z", url: "https://example.com/a",
			contains: "标题\n第一段。\n第二段\n换行。",
			excludes: []string{"广告", "脚本", "分享", "https", "------"},
		},
		{
			name:   "html page",
			source: "page.html",
			data: `<!DOCTYPE html><html><head><title>网页标题</title><meta property="article:published_time" content="2024-03-01">` +
				`<link rel="canonical" href="https://example.org/p"><style>p{color:red}</style></head><body><nav>首页 | 新闻</nav>` +
				`<article><h1>网页标题</h1><p>正文。</p></article><footer>版权所有</footer><div class="comments">评论</div></body></html>`,
			title: "网页标题", date: "2024-03-01", url: "https://example.org/p",
			contains: "网页标题\n正文。",
			excludes: []string{"首页", "版权", "评论", "color"},
		},
		{
			name:   "pdf text with hard wraps",
			source: "case.txt",
			data: "神经水分离治疗腓总神经卡压综合征的疗效观察\n\n1 临床资料\n\n" +
				"腓总神经卡压综合征，是指腓总神经从坐骨神经分出，\n\n" +
				"进入小腿前外侧肌群的行程中，任何部位受压或损伤所导致\n\n" +
				"的一系列症候群，是一种常见的外周神经卡压综合征。我\n\n" +
				"们采用神经水分离技术治疗腓总神经卡压9例，肌电图示腓\n\n" +
				"总神经损伤，结果示神经传导速度（motor nerve conduc-\n\n" +
				"tion velocity，MCV）正常，患者自觉右小腿麻痛较注射前\n\n" +
				"减轻。\n\n2 讨论\n\n腓总神经卡压可以是急性或慢性的。\n",
			title:    "神经水分离治疗腓总神经卡压综合征的疗效观察",
			contains: "我们采用神经水分离技术治疗腓总神经卡压9例，肌电图示腓总神经损伤，结果示神经传导速度（motor nerve conduction velocity，MCV）正常，患者自觉右小腿麻痛较注射前减轻。\n2 讨论\n",
		},
		{
			name:     "obfuscations",
			source:   "page.txt",
			data:     "这是Z危险的误区!很难彻.底缓解。ABC Z 不变。",
			contains: "这是最危险的误区!很难彻底缓解。ABC Z 不变。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ReadArticle(tt.source, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("Title = %q, want %q", a.Title, tt.title)
			}
			if a.Date != tt.date && tt.date != "" {
				t.Errorf("Date = %q, want %q", a.Date, tt.date)
			}
			if a.URL != tt.url {
				t.Errorf("URL = %q, want %q", a.URL, tt.url)
			}
			if !strings.Contains(a.Text, tt.contains) {
				t.Errorf("Text = %q\nwant it to contain %q", a.Text, tt.contains)
			}
			for _, x := range tt.excludes {
				if strings.Contains(a.Text, x) {
					t.Errorf("Text contains %q: %q", x, a.Text)
				}
			}
		})
	}
}

// TestNormalizeHardWrapped pins how lines of fixed-width text are joined:
// a line wrapped mid-sentence joins the next, while a line that ends a
// sentence, or comes before a numbered heading or list item, keeps its
// break (headings and lists are read by their lines).
func TestNormalizeHardWrapped(t *testing.T) {
	// six lines of one width make the text read as wrapped at that width
	wrapped := strings.Repeat("腓总神经在腓骨颈处位置表浅容易受压而引起足下垂和小腿外侧麻木等症状\n", 5)
	tests := []struct {
		name, in, want string
	}{
		{"a wrapped line joins the next", wrapped + "腓总神经在腓骨颈处位置表浅容易受压而引起足下垂和小腿外侧麻木等\n症状。",
			"小腿外侧麻木等症状。"},
		{"a line that ends a sentence keeps its break", wrapped + "腓总神经在腓骨颈处位置表浅容易受压而引起足下。\n2、治疗方法：",
			"腓总神经在腓骨颈处位置表浅容易受压而引起足下。\n2、治疗方法："},
		{"a line before a numbered item keeps its break", wrapped + "腓总神经在腓骨颈处位置表浅容易受压而引起足下垂\n(2) 手术治疗",
			"腓总神经在腓骨颈处位置表浅容易受压而引起足下垂\n(2) 手术治疗"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in, true)
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("Normalize ends %q, want it to end %q", got[max(0, len(got)-len(tt.want)-12):], tt.want)
			}
		})
	}
}

// TestArticleDateFromAddress: a page without a date of its own takes the
// one its address holds (news and government sites file pages by day);
// a date in the page wins.
func TestArticleDateFromAddress(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"source: https://news.example.org/health/2023-01-12/95945.html\ntitle: 某标题\n\n近日，某局作出处罚。\n", "2023-01-12"},
		{"source: http://www.example.gov.cn/art/2005/09/24/art_1.html\n\n正文。\n", "2005-09-24"},
		{"source: http://www.example.com.cn/news/202603/t20260316_80473.html\n\n正文。\n", "2026-03-16"},
		{"source: https://example.org/content_130616.htm\n\n正文。\n", ""},
		{"source: https://example.org/detail/167247060714281.html\n\n正文。\n", ""},
		{"source: https://example.org/2019/1234/a.html\n\n正文。\n", ""},
		{"source: https://example.org/2023-01-12/a.html\n\n发布时间：2023-01-10\n正文。\n", "2023-01-10"},
	} {
		t.Run(c.src[:strings.Index(c.src, "\n")], func(t *testing.T) {
			a, err := ReadArticle("page.txt", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			if a.Date != c.want {
				t.Errorf("Date = %q, want %q", a.Date, c.want)
			}
		})
	}
}
