package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/dot"
	"github.com/cayleygraph/quad/gml"
	"github.com/cayleygraph/quad/graphml"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"

	"github.com/medkg/medkg"
)

// quadFormats are the export formats written by cayley's quad writers,
// which take every quad of the store as is.
var quadFormats = map[string]func(io.Writer) quad.WriteCloser{
	"nquads":  func(w io.Writer) quad.WriteCloser { return nquads.NewWriter(w) },
	"jsonld":  func(w io.Writer) quad.WriteCloser { return jsonld.NewWriter(w) },
	"graphml": func(w io.Writer) quad.WriteCloser { return graphml.NewWriter(w) },
	"gml":     func(w io.Writer) quad.WriteCloser { return gml.NewWriter(w) },
	"dot":     func(w io.Writer) quad.WriteCloser { return dot.NewWriter(w) },
}

// ExportFormats lists the formats Export accepts.
func ExportFormats() []string {
	return []string{"json", "nquads", "jsonld", "graphml", "gml", "dot"}
}

// NodeLink is the json export: the entity graph as a node-link document.
// Load it into Cytoscape.js with
//
//	cy.add([...g.nodes.map(n => ({data: n})), ...g.edges.map(e => ({data: e}))])
//
// and into D3's force layout with
//
//	d3.forceSimulation(g.nodes).force("link", d3.forceLink(g.edges).id(d => d.id))
type NodeLink struct {
	Nodes []Node     `json:"nodes"`
	Edges []LinkEdge `json:"edges"`
}

// Node is an entity of the json export.
type Node struct {
	ID     string           `json:"id"`
	Type   medkg.EntityType `json:"type"`
	Name   string           `json:"name,omitempty"`
	NameEn string           `json:"name_en,omitempty"`
}

// LinkEdge is a positive relation of the json export with its sources.
type LinkEdge struct {
	ID         string          `json:"id"` // "source predicate target", unique
	Source     string          `json:"source"`
	Target     string          `json:"target"`
	Predicate  medkg.Predicate `json:"predicate"`
	Documents  int             `json:"documents"`  // documents asserting it
	Vocabulary bool            `json:"vocabulary"` // stated by the vocabulary
	Evidence   []Evidence      `json:"evidence"`
}

// Export writes the whole graph in format (see ExportFormats). json is
// the entity graph as a node-link document (NodeLink); the other formats
// are every quad of the store, written by cayley's quad writers.
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	if format == "json" {
		g, err := s.nodeLink(ctx)
		if err != nil {
			return fmt.Errorf("export json: %w", err)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(g); err != nil {
			return fmt.Errorf("export json: %w", err)
		}
		return nil
	}
	newWriter, ok := quadFormats[format]
	if !ok {
		return medkg.Errorf(medkg.EINVALID, "unknown export format %q (want one of %v)", format, ExportFormats())
	}
	unlock, err := s.rlock()
	if err != nil {
		return err
	}
	defer unlock()
	qw := newWriter(w)
	if err := s.copyQuads(ctx, qw); err != nil {
		qw.Close()
		return fmt.Errorf("export %s: %w", format, err)
	}
	if err := qw.Close(); err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	return nil
}

func (s *Store) copyQuads(ctx context.Context, w quad.Writer) error {
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if _, err := w.WriteQuads([]quad.Quad{q}); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

func (s *Store) nodeLink(ctx context.Context) (NodeLink, error) {
	g := NodeLink{Nodes: []Node{}, Edges: []LinkEdge{}}
	err := s.read(ctx, func(r *reader) error {
		type key struct {
			s quad.IRI
			p medkg.Predicate
			o quad.IRI
		}
		edges := map[key]bool{}
		for _, t := range medkg.EntityTypes {
			typed, err := r.quadsWith(quad.Object, classIRI(t))
			if err != nil {
				return err
			}
			seen := map[quad.IRI]bool{}
			for _, q := range typed {
				x, ok := q.Subject.(quad.IRI)
				if !ok || q.Predicate != quad.Value(iri(iriRDFType)) || seen[x] {
					continue
				}
				seen[x] = true
				e, err := r.entity(x)
				if err != nil {
					return err
				}
				g.Nodes = append(g.Nodes, Node(e))
				out, err := r.edgesFrom(x)
				if err != nil {
					return err
				}
				for _, q := range out {
					p, _ := predicateOf(q.Predicate)
					edges[key{x, p, q.Object.(quad.IRI)}] = true
				}
			}
		}
		for k := range edges {
			ev, err := r.evidence(k.s, k.p, k.o, false)
			if err != nil {
				return err
			}
			e := LinkEdge{Predicate: k.p, Evidence: ev}
			e.Source, _ = entityID(k.s)
			e.Target, _ = entityID(k.o)
			e.ID = e.Source + " " + string(k.p) + " " + e.Target
			docs := map[string]bool{}
			for _, x := range ev {
				if x.Kind == FromVocabulary {
					e.Vocabulary = true
				} else {
					docs[x.Document] = true
				}
			}
			e.Documents = len(docs)
			g.Edges = append(g.Edges, e)
		}
		return nil
	})
	slices.SortFunc(g.Nodes, func(a, b Node) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Edges, func(a, b LinkEdge) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Target, b.Target))
	})
	return g, err
}
