package extract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/medkg/medkg"
)

// Article is a document read from a file: its metadata and normalised
// text. Mention offsets in the extracted Document are rune offsets into
// Text.
type Article struct {
	Source string // the path as given, or "-" for standard input
	Title  string
	Date   string
	URL    string
	Author string
	Hash   string // sha256 of the raw bytes, hex
	Format string // "markdown", "html" or "text"
	// Category is what the front matter says the page is (its kind,
	// type, category or tags keys), a cue for ClassifySource.
	Category string
	Text     string // normalised text: see Normalize
}

// MaxDocumentBytes is the largest input ReadArticle accepts. Real articles
// are far smaller; a larger file fails alone, with a message, instead of
// stalling a run.
const MaxDocumentBytes = 32 << 20

// ReadArticle decodes data (UTF-8 with or without BOM, UTF-16 with BOM,
// GB18030/GBK), reads its front matter or HTML head for metadata, keeps the
// body text and normalises it. source names the input in errors.
func ReadArticle(source string, data []byte) (*Article, error) {
	if len(data) > MaxDocumentBytes {
		return nil, medkg.Errorf(medkg.EINVALID, "%s: %.1f MB is larger than the %d MB an article may be; split it into articles", source, float64(len(data))/(1<<20), MaxDocumentBytes>>20)
	}
	sum := sha256.Sum256(data)
	a := &Article{Source: source, Hash: hex.EncodeToString(sum[:])}
	text, err := decode(data)
	if err != nil {
		return nil, &medkg.Error{Code: medkg.EINVALID, Message: fmt.Sprintf("%s: %v", source, err)}
	}
	if strings.TrimSpace(text) == "" {
		return nil, medkg.Errorf(medkg.EINVALID, "%s: empty document", source)
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")

	body := text
	if fm, rest, ok := cutFrontMatter(text); ok {
		a.readFrontMatter(fm)
		body = rest
	} else if fm, rest, ok := cutHeaderLines(text); ok {
		// Saved pages with a "source:" / "title:" header: the title is the
		// page's headline, part of what the page says.
		a.readFrontMatter(fm)
		body = rest
		if a.Title != "" {
			body = a.Title + "\n" + body
		}
	}
	ext := strings.ToLower(filepath.Ext(source))
	switch {
	case ext == ".html" || ext == ".htm" || looksLikeHTMLPage(body):
		a.Format = "html"
		root, err := html.Parse(strings.NewReader(body))
		if err != nil {
			return nil, medkg.Errorf(medkg.EINVALID, "%s: parse HTML: %v", source, err)
		}
		a.readHTMLHead(root)
		body = htmlText(root)
		body = Normalize(body, false)
	case hasHTMLMarkup(body):
		// Markdown posts whose body is an HTML fragment.
		a.Format = "markdown"
		root, err := html.Parse(strings.NewReader(body))
		if err != nil {
			return nil, medkg.Errorf(medkg.EINVALID, "%s: parse HTML body: %v", source, err)
		}
		body = Normalize(stripMarkdown(htmlText(root)), false)
	case ext == ".md" || ext == ".markdown":
		a.Format = "markdown"
		body = Normalize(stripMarkdown(body), false)
	default:
		a.Format = "text"
		body = Normalize(body, true)
	}
	a.Text = body
	if a.Title == "" {
		a.Title = firstLine(body)
	}
	if a.Date == "" {
		a.Date = datePattern.FindString(headOf(body, 400))
	}
	if a.Date == "" {
		a.Date = urlDate(a.URL)
	}
	return a, nil
}

// decode returns data as a UTF-8 string, or an error saying why it is not
// text.
func decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("invalid UTF-16: %w", err)
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fmt.Errorf("binary file (contains NUL bytes), not an article")
	}
	s := ""
	if utf8.Valid(data) {
		s = string(data)
	} else {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.Contains(out, []byte("\ufffd")) {
			return "", fmt.Errorf("neither UTF-8 nor GB18030/GBK text")
		}
		s = string(out)
	}
	if controlRatio(s) > 0.01 {
		return "", fmt.Errorf("binary file (control characters), not an article")
	}
	return s, nil
}

func controlRatio(s string) float64 {
	n, bad := 0, 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			bad++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(bad) / float64(n)
}

func cutFrontMatter(s string) (fm, rest string, ok bool) {
	if !strings.HasPrefix(s, "---\n") {
		return "", s, false
	}
	end := strings.Index(s[4:], "\n---")
	if end < 0 {
		return "", s, false
	}
	fm = s[4 : 4+end]
	rest = s[4+end+4:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	} else {
		rest = ""
	}
	return fm, rest, true
}

// headerKey is a line of a plain-text header: "source: …", "title: …".
var headerKey = regexp.MustCompile(`^(source|url|title|date|author):\s`)

// cutHeaderLines splits a header of "key: value" lines that starts with a
// source or url line and ends at the first blank line. A headline the
// saved copy did not hold ("(not in stored copy)") is dropped.
func cutHeaderLines(s string) (fm, rest string, ok bool) {
	if !strings.HasPrefix(s, "source: ") && !strings.HasPrefix(s, "url: ") {
		return "", s, false
	}
	head, rest, found := strings.Cut(s, "\n\n")
	if !found {
		return "", s, false
	}
	var kept []string
	for _, line := range strings.Split(head, "\n") {
		if !headerKey.MatchString(line) {
			return "", s, false
		}
		if strings.HasPrefix(strings.TrimSpace(strings.SplitN(line, ":", 2)[1]), "(") {
			continue
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, "\n"), rest, true
}

// readFrontMatter reads the flat `key: value` lines of YAML front matter;
// nested YAML is not needed for the fields medkg keeps.
func (a *Article) readFrontMatter(fm string) {
	for _, line := range strings.Split(fm, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") {
			continue
		}
		val = unquote(strings.TrimSpace(val))
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			a.Title = val
		case "date", "published", "pubdate":
			a.Date = val
		case "author":
			a.Author = val
		case "kind", "type", "category", "categories", "tags", "section":
			a.Category = strings.TrimSpace(a.Category + " " + val)
		case "from", "url", "source", "link", "original":
			if a.URL == "" {
				a.URL = val
			}
		}
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = s[1 : len(s)-1]
		s = strings.ReplaceAll(s, `\"`, `"`)
	}
	return s
}

var (
	htmlPageStart = regexp.MustCompile(`(?is)^\s*(<!doctype html|<html)`)
	htmlMarkup    = regexp.MustCompile(`(?i)<(p|div|br|section|span|article|h[1-6]|ul|ol|li|table|a\s)[^>]*>`)
	// a page's date in its address: /2023-01-12/, /2005/09/24/, t20260316
	urlDatePattern = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)`)
	datePattern    = regexp.MustCompile(`(19|20)\d\d[-/.年](1[0-2]|0?[1-9])[-/.月]([12]\d|3[01]|0?[1-9])日?`)
)

func looksLikeHTMLPage(s string) bool { return htmlPageStart.MatchString(s) }
func hasHTMLMarkup(s string) bool     { return htmlMarkup.MatchString(s) }

// readHTMLHead fills empty metadata from <title>, <meta> and canonical links.
func (a *Article) readHTMLHead(root *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if a.Title == "" {
					a.Title = strings.TrimSpace(textOf(n))
				}
			case atom.Meta:
				key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
				val := strings.TrimSpace(attr(n, "content"))
				switch {
				case key == "og:title" && val != "":
					a.Title = val
				case (strings.Contains(key, "published") || key == "date" || key == "pubdate" || key == "publishdate") && a.Date == "":
					a.Date = val
				case key == "og:url" && a.URL == "":
					a.URL = val
				case key == "author" && a.Author == "":
					a.Author = val
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && a.URL == "" {
					a.URL = attr(n, "href")
				}
			case atom.Body:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
}

// skipTags never hold article text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Footer: true,
	atom.Aside: true, atom.Iframe: true, atom.Form: true, atom.Button: true, atom.Svg: true,
	atom.Select: true, atom.Template: true, atom.Head: true, atom.Object: true, atom.Embed: true,
}

// blockTags end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Br: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Tr: true, atom.Table: true, atom.Blockquote: true,
	atom.Pre: true, atom.Header: true, atom.Main: true, atom.Figure: true, atom.Figcaption: true,
	atom.Dd: true, atom.Dt: true, atom.Hr: true,
}

// boilerplate matches id/class values of navigation, ads, sharing and
// comment blocks.
var boilerplate = regexp.MustCompile(`(?i)(^|[-_\s])(ad|ads|adv|advert\w*|dfp|banner|share|sharing|social|subscribe|promo\w*|comments?|related|recommend\w*|sidebar|side-bar|nav\w*|menu|footer|breadcrumbs?|copyright|popup|modal|cookie\w*|toolbar|login|qrcode)([-_\s\d]|$)`)

// htmlText returns the visible article text of an HTML tree, one line per
// block, without scripts, styles, navigation or ad blocks.
func htmlText(root *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.CommentNode:
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] || boilerplate.MatchString(attr(n, "id")) || boilerplate.MatchString(attr(n, "class")) {
				return
			}
			if strings.EqualFold(attr(n, "hidden"), "hidden") || strings.Contains(strings.ReplaceAll(attr(n, "style"), " ", ""), "display:none") {
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.DataAtom]
		if block {
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte('\n')
		}
	}
	walk(root)
	return b.String()
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

var (
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdRule     = regexp.MustCompile(`(?m)^\s*([-=*_]\s*){3,}$`)
	mdHeading  = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__|~~|\x60)`)
	mdQuote    = regexp.MustCompile(`(?m)^\s{0,3}>\s?`)
	mdList     = regexp.MustCompile(`(?m)^\s{0,3}([-*+]|\d+\.)\s+`)
)

// stripMarkdown removes Markdown syntax, keeping link text.
func stripMarkdown(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRule.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "")
	s = mdQuote.ReplaceAllString(s, "")
	s = mdList.ReplaceAllString(s, "")
	return mdEmphasis.ReplaceAllString(s, "")
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if utf8.RuneCountInString(line) > 120 {
				return string([]rune(line)[:120])
			}
			return line
		}
	}
	return ""
}

func headOf(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

// urlDate is the date a page's address holds (news and government sites
// file pages by day), as YYYY-MM-DD, or "".
func urlDate(u string) string {
	m := urlDatePattern.FindStringSubmatch(u)
	if m == nil {
		return ""
	}
	return m[1] + "-" + m[2] + "-" + m[3]
}
