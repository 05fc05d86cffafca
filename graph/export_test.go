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
	var buf bytes.Buffer
	if err := s.Export(context.Background(), &buf, format); err != nil {
		t.Fatalf("export %s: %v", format, err)
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
	mustLoad(t, s, seedDoc())
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ExportFormats() {
		t.Run(f, func(t *testing.T) {
			out := exportString(t, s, f)
			if len(out) == 0 {
				t.Fatal("empty export")
			}
			switch f {
			case "nquads":
				qs, err := quad.ReadAll(nquads.NewReader(strings.NewReader(out), false))
				if err != nil {
					t.Fatalf("read back: %v", err)
				}
				if int64(len(qs)) != st.Quads {
					t.Errorf("read back %d quads, store has %d", len(qs), st.Quads)
				}
				// Round trip: a new store loaded from the export answers
				// the same.
				back := MustOpenStore(t, Memstore)
				if _, err := back.qs.NewQuadWriter(); err != nil {
					t.Fatal(err)
				}
				w, _ := back.qs.NewQuadWriter()
				if _, err := w.WriteQuads(qs); err != nil {
					t.Fatal(err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				want, _ := s.BannedNerves(context.Background())
				got, err := back.BannedNerves(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				wj, _ := json.Marshal(want)
				gj, _ := json.Marshal(got)
				if !bytes.Equal(wj, gj) {
					t.Errorf("BannedNerves after nquads round trip differs:\n%s\n%s", gj, wj)
				}
			case "jsonld":
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
				if int64(n) != st.Quads {
					t.Errorf("read back %d quads, store has %d", n, st.Quads)
				}
			case "graphml":
				dec := xml.NewDecoder(strings.NewReader(out))
				for {
					if _, err := dec.Token(); errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						t.Fatalf("graphml is not XML: %v", err)
					}
				}
			case "gml":
				if !strings.Contains(out, "graph [") || !strings.Contains(out, "edge [") {
					t.Errorf("gml output looks wrong: %.200s", out)
				}
			case "dot":
				if !strings.HasPrefix(out, "digraph") || !strings.Contains(out, "->") {
					t.Errorf("dot output looks wrong: %.200s", out)
				}
			case "json":
				if !json.Valid([]byte(out)) {
					t.Error("invalid JSON")
				}
			}
		})
	}
	if err := s.Export(context.Background(), io.Discard, "xlsx"); medkg.ErrorCode(err) != medkg.EINVALID {
		t.Errorf("unknown format: err = %v, want EINVALID", err)
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
