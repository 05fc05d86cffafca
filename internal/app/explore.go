package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/vocab"
)

// Match is an entity found by Search, with the name that matched.
type Match struct {
	ID      string           `json:"id"`
	Type    medkg.EntityType `json:"type"`
	Name    string           `json:"name"`
	NameEn  string           `json:"name_en,omitempty"`
	Matched string           `json:"matched"` // the name, alias, English name or id that matched
	Field   string           `json:"field"`   // "name", "alias", "english" or "id"
}

// Match ranks, best first.
const (
	rankExact = iota
	rankPrefix
	rankContains
)

// Search finds the entities whose Chinese name, alias, English name or id
// starts with (then contains) q, for autocomplete: exact matches first,
// then prefixes, then substrings; within a rank, shorter names first.
// Names are compared folded (case, width) as the resolver does. Drugs and
// exams, which the vocabulary keeps only to read text, are not entities
// of the graph and are left out. Entities found by pattern in documents
// (local agencies, regulation titles) are found by their exact name
// through the store, when given.
func Search(ctx context.Context, s *graph.Store, v *vocab.Vocabulary, q string, limit int) ([]Match, error) {
	fq := vocab.Fold(strings.TrimSpace(q))
	if fq == "" {
		return nil, medkg.Errorf(medkg.EINVALID, "search needs a non-empty name or prefix")
	}
	type ranked struct {
		Match
		rank, length int
	}
	var hits []ranked
	seen := map[string]bool{}
	for _, e := range v.Entries() {
		if e.Type == medkg.Drug || e.Type == medkg.Exam {
			continue
		}
		best := ranked{rank: -1}
		try := func(name, field string) {
			fn := vocab.Fold(name)
			r := -1
			switch {
			case fn == fq:
				r = rankExact
			case strings.HasPrefix(fn, fq):
				r = rankPrefix
			case strings.Contains(fn, fq):
				r = rankContains
			}
			l := len([]rune(name))
			if r >= 0 && (best.rank < 0 || r < best.rank || (r == best.rank && l < best.length)) {
				best = ranked{Match{ID: e.ID, Type: e.Type, Name: e.Name, NameEn: e.NameEn, Matched: name, Field: field}, r, l}
			}
		}
		try(e.Name, "name")
		for _, a := range e.Aliases {
			try(a, "alias")
		}
		for _, en := range e.English() {
			try(en, "english")
		}
		try(e.ID, "id")
		if best.rank >= 0 {
			hits = append(hits, best)
			seen[e.ID] = true
		}
	}
	if s != nil {
		found, err := s.Lookup(ctx, strings.TrimSpace(q))
		if err != nil {
			return nil, err
		}
		for _, e := range found {
			if !seen[e.ID] {
				hits = append(hits, ranked{Match{ID: e.ID, Type: e.Type, Name: e.Name, NameEn: e.NameEn, Matched: e.Name, Field: "name"}, rankExact, len([]rune(e.Name))})
			}
		}
	}
	slices.SortFunc(hits, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.length, b.length), cmp.Compare(a.ID, b.ID))
	})
	out := make([]Match, 0, min(len(hits), max(limit, 0)))
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		out = append(out, h.Match)
	}
	return out, nil
}

// NeighbourhoodOptions bound and filter Neighbourhood.
type NeighbourhoodOptions struct {
	Depth      int               // hops from the centre, at least 1
	MaxNodes   int               // nodes at most, the centre included
	Predicates []medkg.Predicate // keep only these; none: all but co_occurs
	Types      []medkg.EntityType
	CoOccurs   bool // with no Predicates: keep co_occurs edges too
}

// Node is an entity of a neighbourhood, with its distance from the centre.
type Node struct {
	graph.EntityRef
	Depth int `json:"depth"`
}

// Neighbourhood is the part of the graph around one entity.
type Neighbourhood struct {
	Center    string       `json:"center"`
	Depth     int          `json:"depth"`
	Nodes     []Node       `json:"nodes"` // the centre first, then by depth and id
	Edges     []graph.Edge `json:"edges"` // between nodes, each once; Direction is seen from its subject
	Truncated bool         `json:"truncated"`
}

// Neighbourhoods returns the entities within o.Depth hops of center (an
// id) and the edges between them, breadth first, stopping at o.MaxNodes
// (Truncated then says that more were there). Edges are those of
// Store.Neighbors: positive ones with their document and vocabulary
// counts, and edges only denied (Documents 0, Negated > 0).
func Neighbourhoods(ctx context.Context, s *graph.Store, center string, o NeighbourhoodOptions) (Neighbourhood, error) {
	if o.Depth < 1 {
		o.Depth = 1
	}
	if o.MaxNodes < 1 {
		o.MaxNodes = 1
	}
	keepPred := func(p medkg.Predicate) bool {
		if len(o.Predicates) > 0 {
			return slices.Contains(o.Predicates, p)
		}
		return p != medkg.CoOccurs || o.CoOccurs
	}
	keepType := func(t medkg.EntityType) bool { return len(o.Types) == 0 || slices.Contains(o.Types, t) }

	nb := Neighbourhood{Center: center, Depth: o.Depth, Nodes: []Node{}, Edges: []graph.Edge{}}
	depth := map[string]int{}
	type key struct {
		s string
		p medkg.Predicate
		o string
	}
	edges := map[key]graph.Edge{}
	frontier := []string{center}
	for d := 0; d <= o.Depth && len(frontier) > 0; d++ {
		var next []string
		for _, id := range frontier {
			if err := ctx.Err(); err != nil {
				return Neighbourhood{}, err
			}
			if d == 0 {
				ents, err := s.Lookup(ctx, id)
				if err != nil {
					return Neighbourhood{}, err
				}
				if len(ents) != 1 || ents[0].ID != id {
					return Neighbourhood{}, &NotFoundError{What: "entity", Name: id}
				}
				nb.Nodes = append(nb.Nodes, Node{EntityRef: graph.EntityRef{ID: id, Type: ents[0].Type, Name: ents[0].Name, NameEn: ents[0].NameEn}})
				depth[id] = 0
			}
			if d == o.Depth {
				continue // the outermost ring: its edges among themselves are found from the inner side or not at all
			}
			es, err := s.Neighbors(ctx, id)
			if err != nil {
				return Neighbourhood{}, err
			}
			for _, e := range es {
				if !keepPred(e.Predicate) {
					continue
				}
				other := e.Object
				if e.Direction == "in" {
					other = e.Subject
				}
				if _, ok := depth[other.ID]; !ok {
					if !keepType(other.Type) {
						continue
					}
					if len(nb.Nodes) >= o.MaxNodes {
						nb.Truncated = true
						continue
					}
					depth[other.ID] = d + 1
					nb.Nodes = append(nb.Nodes, Node{EntityRef: other, Depth: d + 1})
					next = append(next, other.ID)
				}
				if _, ok := depth[other.ID]; !ok {
					continue
				}
				e.Direction = "out"
				edges[key{e.Subject.ID, e.Predicate, e.Object.ID}] = e
			}
		}
		frontier = next
	}
	for _, e := range edges {
		nb.Edges = append(nb.Edges, e)
	}
	slices.SortFunc(nb.Nodes[1:], func(a, b Node) int { return cmp.Or(cmp.Compare(a.Depth, b.Depth), cmp.Compare(a.ID, b.ID)) })
	slices.SortFunc(nb.Edges, func(a, b graph.Edge) int {
		return cmp.Or(cmp.Compare(a.Subject.ID, b.Subject.ID), cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Object.ID, b.Object.ID))
	})
	return nb, nil
}

// Span is a range of runes in a document's normalised text, end
// exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// TextMention is a mention of an entity in a document's text.
type TextMention struct {
	Span
	ID       string           `json:"id"`
	Type     medkg.EntityType `json:"type"`
	Name     string           `json:"name"`
	Sentence int              `json:"sentence"`
}

// DocumentText is a document's normalised text, the text that the
// offsets and sentence numbers of its evidence refer to, with its
// sentences and mentions.
type DocumentText struct {
	Text      string        `json:"text"`
	Sentences []Span        `json:"sentences"`
	Mentions  []TextMention `json:"mentions"`
	// Stale is true when the file changed since it was ingested: the
	// text is today's, and may no longer match the graph.
	Stale bool `json:"stale"`
}

// ReadDocumentText reads a document's source file again and extracts it,
// since the graph keeps the sentences of assertions, not the article. A
// document read from standard input or whose file is gone is ENOTFOUND.
func ReadDocumentText(ctx context.Context, x *extract.Extractor, d graph.DocInfo) (*DocumentText, error) {
	if !filepath.IsAbs(d.Source) {
		return nil, medkg.Errorf(medkg.ENOTFOUND, "the text of %s is not kept: it was not read from a file", d.Source)
	}
	f, err := os.Open(d.Source)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, medkg.Errorf(medkg.ENOTFOUND, "the text of %s is gone: the file no longer exists (the graph keeps only the sentences of its assertions)", d.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Source, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Source, err)
	}
	if !info.Mode().IsRegular() {
		return nil, medkg.Errorf(medkg.ENOTFOUND, "the text of %s is not available: not a regular file", d.Source)
	}
	data, err := io.ReadAll(io.LimitReader(f, extract.MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Source, err)
	}
	art, err := extract.ReadArticle(d.Source, data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Source, err)
	}
	doc, err := x.Extract(ctx, art)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", d.Source, err)
	}
	out := &DocumentText{Text: doc.Text, Sentences: []Span{}, Mentions: []TextMention{}, Stale: art.Hash != d.Hash}
	for _, s := range doc.Sentences {
		out.Sentences = append(out.Sentences, Span{s.Start, s.End})
	}
	for _, e := range doc.Entities {
		for _, m := range e.Mentions {
			out.Mentions = append(out.Mentions, TextMention{Span: Span{m.Start, m.End}, ID: e.ID, Type: e.Type, Name: e.Name, Sentence: m.Sentence})
		}
	}
	slices.SortFunc(out.Mentions, func(a, b TextMention) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
	return out, nil
}
