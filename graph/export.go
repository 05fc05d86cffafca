package graph

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// DefaultBase is the namespace medkg's IRIs are written under in the RDF
// exports (<medkg:nerve/tibial> becomes <https://example.org/medkg/nerve/tibial>).
// The store keeps the short medkg: form; --base chooses another.
const DefaultBase = "https://example.org/medkg/"

// CJKFont is the font DOT exports ask Graphviz for, so that Chinese
// labels do not render as boxes (Debian: fonts-noto-cjk).
const CJKFont = "Noto Sans CJK SC"

// Export formats.
const (
	FormatNQuads    = "nquads"
	FormatTurtle    = "turtle"
	FormatJSONLD    = "jsonld"
	FormatGraphML   = "graphml"
	FormatGML       = "gml"
	FormatNeo4j     = "neo4j"
	FormatCytoscape = "cytoscape"
	FormatJSON      = "json"
	FormatDOT       = "dot"
)

const (
	xsdNS = "http://www.w3.org/2001/XMLSchema#"
	rdfNS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
)

// ExportFormats lists the formats Export accepts.
func ExportFormats() []string {
	return []string{FormatNQuads, FormatTurtle, FormatJSONLD, FormatGraphML, FormatGML, FormatNeo4j, FormatCytoscape, FormatJSON, FormatDOT}
}

// ExportOptions configure Export.
type ExportOptions struct {
	Format string
	Selection
	// Base is the http(s) namespace of the RDF exports; "" = DefaultBase.
	Base string
}

// NodeLink is the json export: the entity graph as a node-link document
// (D3's force layout takes it as is).
type NodeLink struct {
	Nodes []EntityRef `json:"nodes"`
	Edges []GraphEdge `json:"edges"`
	// Actions are the regulatory actions of the selection (actions.go).
	Actions []ExportedAction `json:"actions"`
}

// Export writes the selected part of the graph in o.Format. The RDF
// formats (nquads, turtle, jsonld) write quads — every fact with its
// provenance, literals typed with XSD datatypes, IRIs under o.Base; the
// others write the entity graph (EntityGraph). dot needs a query's
// subgraph (o.Query). neo4j writes two CSV files: use ExportNeo4j.
func (s *Store) Export(ctx context.Context, w io.Writer, o ExportOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var err error
	switch o.Format {
	case FormatNQuads, FormatTurtle, FormatJSONLD:
		var qs []quad.Quad
		if qs, err = s.selectQuads(ctx, o.Selection); err == nil {
			rw := rdfWriter{base: o.Base}
			switch o.Format {
			case FormatNQuads:
				err = rw.nquads(bw, qs)
			case FormatTurtle:
				err = rw.turtle(bw, qs)
			default:
				err = rw.jsonld(bw, qs)
			}
		}
	case FormatNeo4j:
		return medkg.Errorf(medkg.EINVALID, "neo4j writes two files (nodes and relationships): give a directory with -o")
	default:
		var g *EntityGraph
		if g, err = s.EntityGraph(ctx, o.Selection); err == nil {
			switch o.Format {
			case FormatGraphML:
				err = writeGraphML(bw, g)
			case FormatGML:
				err = writeGML(bw, g)
			case FormatCytoscape:
				err = writeCytoscape(bw, g)
			case FormatJSON:
				var acts []ExportedAction
				if acts, err = s.exportActions(ctx, o.Selection, g); err == nil {
					err = writeJSON(bw, NodeLink{Nodes: g.Nodes, Edges: g.Edges, Actions: acts})
				}
			case FormatDOT:
				err = writeDOT(bw, g, o.Query+" "+strings.Join(o.Args, " "))
			}
		}
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", o.Format, err)
	}
	return nil
}

func (o *ExportOptions) check() error {
	if !slices.Contains(ExportFormats(), o.Format) {
		return medkg.Errorf(medkg.EINVALID, "unknown export format %q (want one of %s)", o.Format, strings.Join(ExportFormats(), ", "))
	}
	if o.Base == "" {
		o.Base = DefaultBase
	}
	if !(strings.HasPrefix(o.Base, "http://") || strings.HasPrefix(o.Base, "https://")) || strings.ContainsAny(o.Base, " <>\"{}|\\^`") {
		return medkg.Errorf(medkg.EINVALID, "--base %q is not an http(s) IRI", o.Base)
	}
	if !strings.HasSuffix(o.Base, "/") && !strings.HasSuffix(o.Base, "#") {
		o.Base += "/"
	}
	if o.Format == FormatDOT && o.Query == "" {
		return medkg.Errorf(medkg.EINVALID, "dot is for a subgraph small enough to draw: add --query NAME [ARGS] (e.g. --query neighbors 胫神经); use graphml or gml for the whole graph")
	}
	if o.Query != "" && o.Doc != "" {
		return medkg.Errorf(medkg.EINVALID, "give --query or --doc, not both")
	}
	return nil
}

// ExportNeo4j writes the entity graph as the node and relationship CSV
// files of `neo4j-admin database import full --nodes=… --relationships=…`:
// typed headers (id:ID, :LABEL, :START_ID, :END_ID, :TYPE, documents:int,
// vocabulary:boolean), one label per entity type (Nerve, Muscle, …), one
// relationship type per predicate (BANS, CUTS, …).
func (s *Store) ExportNeo4j(ctx context.Context, nodes, rels io.Writer, sel Selection) error {
	g, err := s.EntityGraph(ctx, sel)
	if err != nil {
		return fmt.Errorf("export neo4j: %w", err)
	}
	nw := csv.NewWriter(nodes)
	_ = nw.Write([]string{"id:ID", ":LABEL", "name", "name_en", "type"})
	for _, n := range g.Nodes {
		_ = nw.Write([]string{n.ID, className(n.Type), n.Name, n.NameEn, string(n.Type)})
	}
	nw.Flush()
	if err := nw.Error(); err != nil {
		return fmt.Errorf("export neo4j nodes: %w", err)
	}
	rw := csv.NewWriter(rels)
	_ = rw.Write([]string{":START_ID", ":END_ID", ":TYPE", "predicate", "documents:int", "negated:int", "vocabulary:boolean", "evidence"})
	for _, e := range g.Edges {
		_ = rw.Write([]string{e.Source, e.Target, strings.ToUpper(string(e.Predicate)), string(e.Predicate),
			strconv.Itoa(e.Documents), strconv.Itoa(e.Negated), strconv.FormatBool(e.Vocabulary), evidenceText(e.Evidence)})
	}
	rw.Flush()
	if err := rw.Error(); err != nil {
		return fmt.Errorf("export neo4j relationships: %w", err)
	}
	return nil
}

func className(t medkg.EntityType) string {
	c := string(classIRI(t))
	return strings.TrimPrefix(c, nsMedkg)
}

// evidenceText is the evidence of an edge as one line of text:
// "vocabulary" or "SOURCE#SENTENCE TEXT" per source, "negated"/"hedged"
// marked, joined by " | ". Sentences are numbered from 0, as everywhere
// in medkg.
func evidenceText(ev []Evidence) string {
	parts := make([]string, 0, len(ev))
	for _, x := range ev {
		if x.Kind == FromVocabulary {
			parts = append(parts, "vocabulary "+x.Vocabulary)
			continue
		}
		p := fmt.Sprintf("%s#%d %s", baseName(x.Source), x.Sentence, x.Text)
		if x.Negated {
			p = "(negated) " + p
		}
		if x.Hedged {
			p = "(hedged) " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " | ")
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// selectQuads returns the quads of the selection, sorted: whole labels
// for a scope or a document; for a query, the entity properties of its
// nodes, its edges and the assertions behind them.
func (s *Store) selectQuads(ctx context.Context, sel Selection) ([]quad.Quad, error) {
	if sel.Scope == "" {
		sel.Scope = ScopeDocuments
	}
	var out []quad.Quad
	if sel.Query != "" {
		g, err := s.EntityGraph(ctx, sel)
		if err != nil {
			return nil, err
		}
		out, err = s.subgraphQuads(ctx, g)
		if err != nil {
			return nil, err
		}
	} else {
		err := s.read(ctx, func(r *reader) error {
			docs, err := r.selectDocs(sel)
			if err != nil {
				return err
			}
			if sel.Scope != ScopeAll && sel.Scope != ScopeDocuments && sel.Scope != ScopeVocabulary {
				return medkg.Errorf(medkg.EINVALID, "unknown scope %q (want one of %s)", sel.Scope, strings.Join(Scopes(), ", "))
			}
			it := s.qs.QuadsAllIterator().Iterate()
			defer it.Close()
			for it.Next(ctx) {
				q, err := s.qs.Quad(it.Result())
				if err != nil {
					return err
				}
				// padding and the stored counts are bookkeeping, not facts
				if q.Predicate == quad.Value(iri(iriPad)) || q.Predicate == quad.Value(iri(iriCounts)) || !r.inSelection(q.Label, sel, docs) {
					continue
				}
				out = append(out, q)
			}
			if err := it.Err(); err != nil {
				return err
			}
			return ctx.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b quad.Quad) int {
		return cmp.Or(cmp.Compare(quad.ToString(a.Label), quad.ToString(b.Label)), cmp.Compare(quad.ToString(a.Subject), quad.ToString(b.Subject)),
			cmp.Compare(quad.ToString(a.Predicate), quad.ToString(b.Predicate)), cmp.Compare(quad.ToString(a.Object), quad.ToString(b.Object)))
	})
	return slices.CompactFunc(out, func(a, b quad.Quad) bool { return a == b }), nil
}

// subgraphQuads is the RDF of an entity graph: each node's type and
// names, each edge as a triple, and the assertion nodes of its document
// evidence, labelled as in the store.
func (s *Store) subgraphQuads(ctx context.Context, g *EntityGraph) ([]quad.Quad, error) {
	var out []quad.Quad
	err := s.read(ctx, func(r *reader) error {
		for _, n := range g.Nodes {
			x, err := entityIRI(n.ID)
			if err != nil {
				continue
			}
			props, err := r.quadsWith(quad.Subject, x)
			if err != nil {
				return err
			}
			for _, q := range props {
				switch q.Predicate {
				case quad.Value(iri(iriRDFType)), quad.Value(iri(iriName)), quad.Value(iri(iriNameEn)):
					out = append(out, q)
				}
			}
		}
		edges := map[tripleKey]bool{}
		for _, e := range g.Edges {
			si, _ := entityIRI(e.Source)
			oi, _ := entityIRI(e.Target)
			out = append(out, quad.Quad{Subject: si, Predicate: predicateIRI(e.Predicate), Object: oi})
			edges[tripleKey{si, e.Predicate, oi}] = true
			if _, err := r.assertionsAbout(si); err != nil {
				return err
			}
		}
		// The assertions behind the edges, negated ones included.
		for a, x := range r.asserts {
			if !edges[tripleKey{x.subj, x.pred, x.obj}] {
				continue
			}
			props, err := r.quadsWith(quad.Subject, a)
			if err != nil {
				return err
			}
			out = append(out, props...)
		}
		return nil
	})
	return out, err
}

// rdfWriter writes quads as RDF: medkg: IRIs under base, literals with
// their XSD datatype IRIs written out in full.
type rdfWriter struct{ base string }

func (rw rdfWriter) iri(v quad.IRI) string {
	s := string(v)
	if strings.HasPrefix(s, nsMedkg) {
		s = rw.base + strings.TrimPrefix(s, nsMedkg)
	}
	return s
}

// term is v in N-Triples syntax.
func (rw rdfWriter) term(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return "<" + escapeIRI(rw.iri(v)) + ">"
	case quad.BNode:
		return "_:" + string(v)
	case quad.String:
		return ntString(string(v))
	case quad.LangString:
		return ntString(string(v.Value)) + "@" + v.Lang
	case quad.TypedString:
		t := string(v.Type)
		if rest, ok := strings.CutPrefix(t, "xsd:"); ok {
			t = xsdNS + rest
		}
		return ntString(string(v.Value)) + "^^<" + escapeIRI(t) + ">"
	case quad.Bool:
		return ntString(strconv.FormatBool(bool(v))) + "^^<" + xsdNS + "boolean>"
	case quad.Int:
		return ntString(strconv.FormatInt(int64(v), 10)) + "^^<" + xsdNS + "integer>"
	case quad.Float:
		return ntString(strconv.FormatFloat(float64(v), 'E', -1, 64)) + "^^<" + xsdNS + "double>"
	case quad.Time:
		return ntString(time.Time(v).UTC().Format(time.RFC3339Nano)) + "^^<" + xsdNS + "dateTime>"
	}
	return ntString(quad.StringOf(v))
}

func ntString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// escapeIRI escapes the characters N-Triples forbids inside <…>.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			fmt.Fprintf(&b, `\u%04X`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (rw rdfWriter) nquads(w io.Writer, qs []quad.Quad) error {
	for _, q := range qs {
		line := rw.term(q.Subject) + " " + rw.term(q.Predicate) + " " + rw.term(q.Object)
		if q.Label != nil {
			line += " " + rw.term(q.Label)
		}
		if _, err := io.WriteString(w, line+" .\n"); err != nil {
			return err
		}
	}
	return nil
}

// turtle writes the triples (labels dropped: Turtle has no graphs; the
// assertion nodes keep each statement's document), grouped by subject.
func (rw rdfWriter) turtle(w io.Writer, qs []quad.Quad) error {
	type triple struct{ s, p, o string }
	seen := map[triple]bool{}
	var ts []triple
	for _, q := range qs {
		t := triple{rw.term(q.Subject), rw.term(q.Predicate), rw.term(q.Object)}
		if t.p == "<"+rdfNS+"type>" {
			t.p = "a"
		}
		if !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b triple) int {
		return cmp.Or(cmp.Compare(a.s, b.s), cmp.Compare(a.p, b.p), cmp.Compare(a.o, b.o))
	})
	fmt.Fprintf(w, "@prefix medkg: <%s> .\n@prefix rdf: <%s> .\n@prefix xsd: <%s> .\n", rw.base, rdfNS, xsdNS)
	for i, t := range ts {
		switch {
		case i > 0 && ts[i-1].s == t.s && ts[i-1].p == t.p:
			fmt.Fprintf(w, " ,\n        %s", t.o)
		case i > 0 && ts[i-1].s == t.s:
			fmt.Fprintf(w, " ;\n    %s %s", t.p, t.o)
		default:
			if i > 0 {
				io.WriteString(w, " .\n")
			}
			fmt.Fprintf(w, "\n%s\n    %s %s", t.s, t.p, t.o)
		}
	}
	if len(ts) > 0 {
		io.WriteString(w, " .\n")
	}
	return nil
}

// jsonld writes one named graph per label (the default graph for quads
// without one) under an @context that maps the medkg: prefix to base.
// Booleans and integers are JSON booleans and numbers, which JSON-LD reads
// as xsd:boolean and xsd:integer.
func (rw rdfWriter) jsonld(w io.Writer, qs []quad.Quad) error {
	type node = map[string]any
	graphs := map[string]map[string]node{}
	var order []string
	for _, q := range qs {
		g := ""
		if q.Label != nil {
			g = rw.compact(q.Label)
		}
		nodes, ok := graphs[g]
		if !ok {
			nodes = map[string]node{}
			graphs[g] = nodes
			order = append(order, g)
		}
		sid := rw.compact(q.Subject)
		n, ok := nodes[sid]
		if !ok {
			n = node{"@id": sid}
			nodes[sid] = n
		}
		key := rw.compact(q.Predicate)
		var val any
		if key == "rdf:type" {
			key, val = "@type", rw.compact(q.Object)
		} else {
			val = rw.jsonValue(q.Object)
		}
		if prev, ok := n[key].([]any); ok {
			n[key] = append(prev, val)
		} else {
			n[key] = []any{val}
		}
	}
	doc := map[string]any{
		"@context": map[string]any{"medkg": rw.base, "rdf": rdfNS, "xsd": xsdNS},
	}
	var top []any
	for _, g := range order {
		var nodes []any
		ids := make([]string, 0, len(graphs[g]))
		for id := range graphs[g] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			nodes = append(nodes, graphs[g][id])
		}
		if g == "" {
			top = append(top, nodes...)
		} else {
			top = append(top, map[string]any{"@id": g, "@graph": nodes})
		}
	}
	if top == nil {
		top = []any{}
	}
	doc["@graph"] = top
	return writeJSON(w, doc)
}

// compact writes an IRI as medkg:… or rdf:… where it can, else in full.
func (rw rdfWriter) compact(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		s := string(v)
		if rest, ok := strings.CutPrefix(s, nsMedkg); ok {
			return "medkg:" + rest
		}
		if rest, ok := strings.CutPrefix(s, rdfNS); ok {
			return "rdf:" + rest
		}
		return s
	case quad.BNode:
		return "_:" + string(v)
	}
	return quad.StringOf(v)
}

func (rw rdfWriter) jsonValue(v quad.Value) any {
	switch v := v.(type) {
	case quad.IRI, quad.BNode:
		return map[string]any{"@id": rw.compact(v)}
	case quad.String:
		return string(v)
	case quad.LangString:
		return map[string]any{"@value": string(v.Value), "@language": v.Lang}
	case quad.TypedString:
		t := string(v.Type)
		if rest, ok := strings.CutPrefix(t, "xsd:"); ok {
			t = xsdNS + rest
		}
		return map[string]any{"@value": string(v.Value), "@type": t}
	case quad.Bool:
		return bool(v)
	case quad.Int:
		return int64(v)
	case quad.Float:
		return map[string]any{"@value": strconv.FormatFloat(float64(v), 'E', -1, 64), "@type": xsdNS + "double"}
	case quad.Time:
		return map[string]any{"@value": time.Time(v).UTC().Format(time.RFC3339Nano), "@type": xsdNS + "dateTime"}
	}
	return quad.StringOf(v)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
