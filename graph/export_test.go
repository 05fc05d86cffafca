package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"

	"github.com/medkg/medkg"
)

func exportString(t *testing.T, s *Store, format string) string {
	t.Helper()
	return exportWith(t, s, ExportOptions{Format: format, Selection: Selection{Scope: ScopeAll}})
}

func exportWith(t *testing.T, s *Store, o ExportOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf, o); err != nil {
		t.Fatalf("export %s: %v", o.Format, err)
	}
	return buf.String()
}

func TestExportJSON(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), negatedDoc())
	var g struct {
		Nodes []struct{ ID, Type, Name, NameEn string } `json:"nodes"`
		Edges []struct {
			ID, Source, Target, Predicate string
			Documents                     int
			Vocabulary                    bool
			Evidence                      []Evidence
		} `json:"edges"`
	}
	if err := json.Unmarshal([]byte(exportString(t, s, "json")), &g); err != nil {
		t.Fatalf("export json is not JSON: %v", err)
	}
	nodes := map[string]bool{}
	for _, n := range g.Nodes {
		nodes[n.ID] = true
		if n.Type == "" || n.Name == "" {
			t.Errorf("node without type or name: %+v", n)
		}
	}
	for _, id := range []string{"agency:nhc", "procedure:calf_nerve_transection", "nerve:medial_sural_cutaneous", "regulation:x_3c1f9a", "muscle:soleus"} {
		if !nodes[id] {
			t.Errorf("node %s missing", id)
		}
	}
	edges := map[string]int{}
	for _, e := range g.Edges {
		edges[e.ID] = e.Documents
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s has an end that is not a node", e.ID)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("edge %s without evidence", e.ID)
		}
		for _, ev := range e.Evidence {
			if ev.Negated {
				t.Errorf("edge %s carries negated evidence", e.ID)
			}
		}
	}
	for id, docs := range map[string]int{
		"agency:nhc bans procedure:calf_nerve_transection":                   1,
		"procedure:calf_nerve_transection cuts nerve:medial_sural_cutaneous": 1,
		"nerve:tibial innervates muscle:soleus":                              0,
		"procedure:radiofrequency_ablation cuts nerve:saphenous":             1, // hedged, still positive
	} {
		if got, ok := edges[id]; !ok || got != docs {
			t.Errorf("edge %q: documents %d (present %v), want %d", id, got, ok, docs)
		}
	}
	if _, ok := edges["procedure:calf_nerve_transection cuts nerve:saphenous"]; ok {
		t.Error("negated relation exported as an edge")
	}
}

func TestExportFormats(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), negatedDoc())
	ctx := context.Background()
	for _, f := range ExportFormats() {
		t.Run(f, func(t *testing.T) {
			o := ExportOptions{Format: f, Selection: Selection{Scope: ScopeAll}}
			if f == FormatDOT {
				o.Selection = Selection{Scope: ScopeAll, Query: "neighbors", Args: []string{"小腿神经离断瘦腿手术"}}
			}
			if f == FormatNeo4j {
				var nodes, rels bytes.Buffer
				if err := s.ExportNeo4j(ctx, &nodes, &rels, o.Selection); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(nodes.String(), "id:ID,:LABEL,name,name_en,type\n") || !strings.Contains(nodes.String(), "nerve:tibial,Nerve,胫神经") {
					t.Errorf("nodes.csv: %.300s", nodes.String())
				}
				if !strings.HasPrefix(rels.String(), ":START_ID,:END_ID,:TYPE,") || !strings.Contains(rels.String(), "agency:nhc,procedure:calf_nerve_transection,BANS,bans,1,0,false,") {
					t.Errorf("relationships.csv: %.300s", rels.String())
				}
				return
			}
			out := exportWith(t, s, o)
			switch f {
			case FormatNQuads, FormatTurtle, FormatJSONLD:
				if strings.Contains(out, "medkg:nerve") && f != FormatTurtle && f != FormatJSONLD {
					t.Errorf("short medkg: IRIs left in %s", f)
				}
				if strings.Contains(out, "False") || strings.Contains(out, "<xsd:") {
					t.Errorf("capitalised boolean or unexpanded datatype in %s", f)
				}
			}
			switch f {
			case FormatNQuads:
				if !strings.Contains(out, `<https://example.org/medkg/negated> "true"^^<http://www.w3.org/2001/XMLSchema#boolean>`) ||
					!strings.Contains(out, `"^^<http://www.w3.org/2001/XMLSchema#integer>`) {
					t.Errorf("typed literals missing:\n%.500s", out)
				}
				qs, err := quad.ReadAll(nquads.NewReader(strings.NewReader(out), false))
				if err != nil {
					t.Fatalf("read back: %v", err)
				}
				if len(qs) != strings.Count(out, "\n") {
					t.Errorf("read back %d quads from %d lines", len(qs), strings.Count(out, "\n"))
				}
			case FormatJSONLD:
				var doc map[string]any
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatal(err)
				}
				c, _ := doc["@context"].(map[string]any)
				if c["medkg"] != DefaultBase {
					t.Errorf("@context %v", doc["@context"])
				}
				r := jsonld.NewReader(strings.NewReader(out))
				n := 0
				for {
					_, err := r.ReadQuad()
					if errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						t.Fatalf("read back: %v", err)
					}
					n++
				}
				if want := strings.Count(exportString(t, s, FormatNQuads), "\n"); n != want {
					t.Errorf("read back %d quads, nquads has %d", n, want)
				}
			case FormatTurtle:
				if !strings.Contains(out, "@prefix medkg: <https://example.org/medkg/>") || !strings.Contains(out, ` a <https://example.org/medkg/Nerve>`) {
					t.Errorf("turtle: %.500s", out)
				}
			case FormatGraphML:
				dec := xml.NewDecoder(strings.NewReader(out))
				nodes, edges := 0, 0
				for {
					tok, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						t.Fatalf("graphml is not XML: %v", err)
					}
					if se, ok := tok.(xml.StartElement); ok {
						switch se.Name.Local {
						case "node":
							nodes++
						case "edge":
							edges++
						}
					}
				}
				g, _ := s.EntityGraph(ctx, Selection{Scope: ScopeAll})
				if nodes != len(g.Nodes) || edges != len(g.Edges) || !strings.Contains(out, `<data key="type">nerve</data>`) {
					t.Errorf("graphml: %d nodes, %d edges; entity graph %d, %d", nodes, edges, len(g.Nodes), len(g.Edges))
				}
			case FormatGML:
				for _, want := range []string{"multigraph 1", "directed 1", `type "nerve"`, `predicate "bans"`, "&#33003;&#31070;&#32463;"} {
					if !strings.Contains(out, want) {
						t.Errorf("gml lacks %s", want)
					}
				}
				for _, r := range out {
					if r > 0x7e {
						t.Fatalf("gml is not ASCII: %q", r)
					}
				}
			case FormatDOT:
				if !strings.HasPrefix(out, "digraph") || !strings.Contains(out, "->") || !strings.Contains(out, CJKFont) || !strings.Contains(out, "小腿神经离断瘦腿手术") {
					t.Errorf("dot output looks wrong: %.300s", out)
				}
			case FormatCytoscape:
				var c Cytoscape
				if err := json.Unmarshal([]byte(out), &c); err != nil || len(c.Elements.Nodes) == 0 || len(c.Elements.Edges) == 0 {
					t.Errorf("cytoscape: %v %.200s", err, out)
				}
			case FormatJSON:
				if !json.Valid([]byte(out)) {
					t.Error("invalid JSON")
				}
			}
		})
	}
	for _, o := range []ExportOptions{
		{Format: "xlsx"},
		{Format: FormatDOT},
		{Format: FormatNQuads, Base: "medkg:"},
		{Format: FormatJSON, Selection: Selection{Scope: "some"}},
	} {
		if err := s.Export(ctx, io.Discard, o); medkg.ErrorCode(err) != medkg.EINVALID {
			t.Errorf("%+v: err = %v, want EINVALID", o, err)
		}
	}
}

// TestExportScopes: documents, vocabulary and one document select what
// they say, in the entity graph and in the RDF.
func TestExportScopes(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), negatedDoc())
	ctx := context.Background()
	count := func(sel Selection) (nodes, edges, quads int) {
		g, err := s.EntityGraph(ctx, sel)
		if err != nil {
			t.Fatalf("%+v: %v", sel, err)
		}
		qs, err := s.selectQuads(ctx, sel)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range g.Edges {
			switch {
			case sel.Scope == ScopeVocabulary && (e.Documents > 0 || !e.Vocabulary):
				t.Errorf("vocabulary scope: edge %s", e.ID)
			case sel.Scope == ScopeDocuments && (e.Vocabulary || e.Documents == 0):
				t.Errorf("documents scope: edge %s with documents %d vocabulary %v", e.ID, e.Documents, e.Vocabulary)
			}
		}
		return len(g.Nodes), len(g.Edges), len(qs)
	}
	an, ae, aq := count(Selection{Scope: ScopeAll})
	dn, de, dq := count(Selection{Scope: ScopeDocuments})
	vn, ve, vq := count(Selection{Scope: ScopeVocabulary})
	on, oe, oq := count(Selection{Scope: ScopeDocuments, Doc: "000_nhc_ban_zaobao.md"})
	if dq+vq != aq || de == 0 || ve == 0 || de+ve < ae || dn >= an || vn > an {
		t.Errorf("all %d/%d/%d, documents %d/%d/%d, vocabulary %d/%d/%d", an, ae, aq, dn, de, dq, vn, ve, vq)
	}
	if oq == 0 || oq >= dq || oe > de || on > dn {
		t.Errorf("one document %d/%d/%d, documents %d/%d/%d", on, oe, oq, dn, de, dq)
	}
	if _, err := s.EntityGraph(ctx, Selection{Scope: ScopeDocuments, Doc: "nope.md"}); medkg.ErrorCode(err) != medkg.ENOTFOUND {
		t.Errorf("unknown document: %v", err)
	}
	g, err := s.EntityGraph(ctx, Selection{Scope: ScopeAll, Query: "banned-nerves"})
	if err != nil || len(g.Nodes) == 0 || len(g.Edges) == 0 {
		t.Fatalf("banned-nerves subgraph: %v %+v", err, g)
	}
}

// TestReplaceMatchesFreshIngest compares every quad after a replacement by
// a smaller document with a fresh ingest of that document: it catches
// cayley dropping parts of quads (see Store.apply).
func TestReplaceMatchesFreshIngest(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc(), muscleDoc())
			smaller := seedDoc()
			smaller.Hash = strings.Repeat("e", 64)
			smaller.Entities = smaller.Entities[3:5]
			smaller.Relations = smaller.Relations[:1]
			if res, err := s.Ingest(context.Background(), smaller); err != nil || res.Status != Replaced {
				t.Fatalf("replace: %+v, %v", res, err)
			}
			fresh := MustOpenStore(t, Memstore)
			mustLoad(t, fresh, muscleDoc(), smaller)
			got, want := sortedLines(exportString(t, s, "nquads")), sortedLines(exportString(t, fresh, "nquads"))
			if !slices.Equal(got, want) {
				t.Errorf("quads after replacement differ from a fresh ingest:\ngot  %d quads\nwant %d quads\nonly in got: %q", len(got), len(want), minus(got, want))
			}
		})
	}
}

func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return lines
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
