package graph

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The property-graph exports: entities are nodes with name, name_en and
// type attributes; relations are edges with predicate, support counts and
// evidence. Literals are attributes, never nodes.

// writeGraphML writes GraphML for Gephi, yEd, Cytoscape desktop and
// networkx.read_graphml.
func writeGraphML(w io.Writer, g *EntityGraph) error {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="name_en" for="node" attr.name="name_en" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="predicate" for="edge" attr.name="predicate" attr.type="string"/>
  <key id="elabel" for="edge" attr.name="label" attr.type="string"/>
  <key id="documents" for="edge" attr.name="documents" attr.type="int"/>
  <key id="negated" for="edge" attr.name="negated" attr.type="int"/>
  <key id="vocabulary" for="edge" attr.name="vocabulary" attr.type="boolean"/>
  <key id="evidence" for="edge" attr.name="evidence" attr.type="string"/>
  <graph id="medkg" edgedefault="directed">
`)
	for _, n := range g.Nodes {
		fmt.Fprintf(w, "    <node id=\"%s\">\n", esc(n.ID))
		fmt.Fprintf(w, "      <data key=\"label\">%s</data>\n", esc(cmpLabel(n)))
		fmt.Fprintf(w, "      <data key=\"name\">%s</data>\n", esc(n.Name))
		fmt.Fprintf(w, "      <data key=\"name_en\">%s</data>\n", esc(n.NameEn))
		fmt.Fprintf(w, "      <data key=\"type\">%s</data>\n", esc(string(n.Type)))
		io.WriteString(w, "    </node>\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(w, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">\n", esc(e.ID), esc(e.Source), esc(e.Target))
		fmt.Fprintf(w, "      <data key=\"predicate\">%s</data>\n", esc(string(e.Predicate)))
		fmt.Fprintf(w, "      <data key=\"elabel\">%s</data>\n", esc(string(e.Predicate)))
		fmt.Fprintf(w, "      <data key=\"documents\">%d</data>\n", e.Documents)
		fmt.Fprintf(w, "      <data key=\"negated\">%d</data>\n", e.Negated)
		fmt.Fprintf(w, "      <data key=\"vocabulary\">%t</data>\n", e.Vocabulary)
		fmt.Fprintf(w, "      <data key=\"evidence\">%s</data>\n", esc(evidenceText(e.Evidence)))
		io.WriteString(w, "    </edge>\n")
	}
	_, err := io.WriteString(w, "  </graph>\n</graphml>\n")
	return err
}

// cmpLabel is what a viewer shows on a node: the Chinese name, else the
// English one, else the id.
func cmpLabel(n EntityRef) string {
	switch {
	case n.Name != "":
		return n.Name
	case n.NameEn != "":
		return n.NameEn
	}
	return n.ID
}

// gmlString quotes s for GML, which is 7-bit ASCII: non-ASCII characters,
// quotes and ampersands become HTML character references, which
// networkx.read_gml decodes.
func gmlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '&' || r > 0x7e:
			fmt.Fprintf(&b, "&#%d;", r)
		case r < 0x20:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeGML writes GML for networkx.read_gml, igraph and Gephi: a directed
// multigraph (two entities may be linked by several predicates) whose node
// labels are the entity ids, unique as read_gml requires.
func writeGML(w io.Writer, g *EntityGraph) error {
	io.WriteString(w, "graph [\n  directed 1\n  multigraph 1\n")
	index := make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		index[n.ID] = i
		fmt.Fprintf(w, "  node [\n    id %d\n    label %s\n    name %s\n    name_en %s\n    type %s\n  ]\n",
			i, gmlString(n.ID), gmlString(n.Name), gmlString(n.NameEn), gmlString(string(n.Type)))
	}
	for _, e := range g.Edges {
		vocab := 0
		if e.Vocabulary {
			vocab = 1
		}
		fmt.Fprintf(w, "  edge [\n    source %d\n    target %d\n    key %s\n    predicate %s\n    documents %d\n    negated %d\n    vocabulary %d\n    evidence %s\n  ]\n",
			index[e.Source], index[e.Target], gmlString(string(e.Predicate)), gmlString(string(e.Predicate)), e.Documents, e.Negated, vocab, gmlString(evidenceText(e.Evidence)))
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// Cytoscape is the cytoscape export: the object cytoscape() takes as its
// options ({elements: {nodes, edges}}), so that
// cytoscape({...exported, container}) shows the graph.
type Cytoscape struct {
	Elements CytoscapeElements `json:"elements"`
}

// CytoscapeElements are the nodes and edges of a Cytoscape export.
type CytoscapeElements struct {
	Nodes []CytoscapeElement `json:"nodes"`
	Edges []CytoscapeElement `json:"edges"`
}

// CytoscapeElement wraps an element's data as Cytoscape.js expects.
type CytoscapeElement struct {
	Data map[string]any `json:"data"`
}

func writeCytoscape(w io.Writer, g *EntityGraph) error {
	c := Cytoscape{Elements: CytoscapeElements{Nodes: []CytoscapeElement{}, Edges: []CytoscapeElement{}}}
	for _, n := range g.Nodes {
		c.Elements.Nodes = append(c.Elements.Nodes, CytoscapeElement{Data: map[string]any{
			"id": n.ID, "label": cmpLabel(n), "name": n.Name, "name_en": n.NameEn, "type": n.Type,
		}})
	}
	for _, e := range g.Edges {
		c.Elements.Edges = append(c.Elements.Edges, CytoscapeElement{Data: map[string]any{
			"id": e.ID, "source": e.Source, "target": e.Target, "label": e.Predicate, "predicate": e.Predicate,
			"documents": e.Documents, "negated": e.Negated, "vocabulary": e.Vocabulary, "evidence": e.Evidence,
		}})
	}
	return writeJSON(w, c)
}

// writeDOT draws a query's subgraph for Graphviz, with a CJK font so that
// Chinese names render.
func writeDOT(w io.Writer, g *EntityGraph, title string) error {
	q := strconv.Quote
	fmt.Fprintf(w, "digraph medkg {\n  graph [label=%s, fontname=%s, rankdir=LR];\n  node [shape=box, style=rounded, fontname=%s];\n  edge [fontname=%s, fontsize=10];\n",
		q(strings.TrimSpace(title)), q(CJKFont), q(CJKFont), q(CJKFont))
	for _, n := range g.Nodes {
		fmt.Fprintf(w, "  %s [label=%s];\n", q(n.ID), q(cmpLabel(n)+"\n"+string(n.Type)))
	}
	for _, e := range g.Edges {
		label := string(e.Predicate)
		if e.Documents > 0 {
			label += fmt.Sprintf(" (%d doc)", e.Documents)
		}
		style := ""
		if e.Documents == 0 {
			style = ", style=dashed" // stated by the vocabulary only
		}
		fmt.Fprintf(w, "  %s -> %s [label=%s%s];\n", q(e.Source), q(e.Target), q(label), style)
	}
	_, err := io.WriteString(w, "}\n")
	return err
}
