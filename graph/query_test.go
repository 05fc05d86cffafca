package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func TestBannedNervesSeedArticle(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc())
			rows, err := s.BannedNerves(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, nerve := range []string{"nerve:medial_sural_cutaneous", "nerve:lateral_sural_cutaneous"} {
				found := false
				for _, r := range rows {
					if r.Nerve.ID != nerve || r.Relation != string(medkg.Cuts) || r.Banner.ID != "agency:nhc" {
						continue
					}
					found = true
					if r.Banner.Name != "国家卫生健康委员会" || r.Procedure.Name != "小腿神经离断瘦腿手术" || r.Date != "2021-07-31" {
						t.Errorf("row %+v", r)
					}
					if len(r.BanEvidence) != 1 || r.BanEvidence[0].Text != banSentence || r.BanEvidence[0].Sentence != 0 || r.BanEvidence[0].Source != seedSource || r.BanEvidence[0].URL == "" {
						t.Errorf("ban evidence %+v", r.BanEvidence)
					}
					if len(r.LinkEvidence) != 1 || r.LinkEvidence[0].Text != cutsSentence || r.LinkEvidence[0].Sentence != 5 {
						t.Errorf("link evidence %+v", r.LinkEvidence)
					}
				}
				if !found {
					t.Errorf("no row: %s cut by a procedure banned by agency:nhc; rows %+v", nerve, rows)
				}
			}
		})
	}
}

func TestBannedNervesKinds(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	mustLoad(t, s, seedDoc(), muscleDoc(), negatedDoc())
	rows, err := s.BannedNerves(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ nerve, rel, through, via, banner string }
	got := map[key]bool{}
	for _, r := range rows {
		got[key{r.Nerve.ID, r.Relation, refID(r.Through), refID(r.Via), r.Banner.ID}] = true
	}
	want := []key{
		{"nerve:medial_sural_cutaneous", "cuts", "", "", "agency:nhc"},
		{"nerve:lateral_sural_cutaneous", "cuts", "", "", "agency:nhc_general_office"},
		{"nerve:tibial", ViaBranch, "nerve:medial_sural_cutaneous", "", "agency:nhc"},
		{"nerve:common_peroneal", ViaBranch, "nerve:lateral_sural_cutaneous", "", "agency:nhc"},
		{"nerve:tibial", ViaMuscle, "muscle:gastrocnemius", "", "regulation:x_77aa01"},
		{"nerve:sciatic", ViaMuscle, "muscle:gastrocnemius", "nerve:tibial", "regulation:x_77aa01"},
	}
	for _, k := range want {
		if !got[k] {
			t.Errorf("missing row %+v", k)
		}
	}
	if len(rows) != 10 {
		t.Errorf("%d rows, want 10 (4 links x 2 banners + 2 via muscle)", len(rows))
	}
	for _, r := range rows {
		// negatedDoc denies that the procedure cuts the saphenous nerve and
		// that the CMA bans radiofrequency ablation; co_occurs is weak.
		if r.Nerve.ID == "nerve:saphenous" || r.Banner.ID == "agency:cma" || r.Procedure.ID == "procedure:radiofrequency_ablation" {
			t.Errorf("negated or weak relation answers: %+v", r)
		}
	}
}

func TestBannedNervesGolden(t *testing.T) {
	var outs [][]byte
	for _, b := range backends {
		s := MustOpenStore(t, b)
		mustLoad(t, s, seedDoc(), muscleDoc(), negatedDoc())
		rows, err := s.BannedNerves(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, buf.Bytes())
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("bolt and memstore answer differently:\n%s\n%s", outs[0], outs[1])
	}
	golden := filepath.Join("testdata", "banned_nerves.golden.json")
	if *update {
		if err := os.WriteFile(golden, outs[0], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -run Golden -update)", err)
	}
	if !bytes.Equal(outs[0], want) {
		t.Errorf("BannedNerves JSON differs from %s (rerun with -update if intended):\n%s", golden, outs[0])
	}
}

func TestBannedProcedures(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), muscleDoc(), negatedDoc())
	rows, err := s.BannedProcedures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Procedure.ID+" "+r.Banner.ID+" "+r.Date)
	}
	want := []string{
		"procedure:calf_nerve_transection agency:nhc 2021-07-31",
		"procedure:calf_nerve_transection agency:nhc_general_office 2021-07-31",
		"procedure:gastrocnemius_resection regulation:x_77aa01 2022-03-01",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BannedProcedures = %q, want %q", got, want)
	}
}

func TestEvidence(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), negatedDoc())
	ctx := context.Background()
	tests := []struct {
		name           string
		s              string
		p              medkg.Predicate
		o              string
		want           []string // kind:negated:sentence
		code           string
		containsSource string
	}{
		{"positive from a document", "procedure:calf_nerve_transection", medkg.Cuts, "腓肠内侧皮神经", []string{"document:false:5"}, "", seedSource},
		{"negated only", "小腿神经离断瘦腿手术", medkg.Cuts, "nerve:saphenous", []string{"document:true:2"}, "", "/corpus/020_saphenous_case.txt"},
		{"vocabulary fact", "nerve:tibial", medkg.BranchOf, "sciatic nerve", []string{"vocabulary:false:-1"}, "", ""},
		{"hedged", "procedure:radiofrequency_ablation", medkg.Cuts, "隐神经", []string{"document:false:4"}, "", ""},
		{"nobody says it", "nerve:tibial", medkg.Innervates, "muscle:tibialis_anterior", nil, "", ""},
		{"unknown entity", "nerve:nope", medkg.Cuts, "nerve:tibial", nil, medkg.ENOTFOUND, ""},
		{"unknown predicate", "nerve:tibial", "loves", "nerve:sciatic", nil, medkg.EINVALID, ""},
		{"wrong type for predicate", "nerve:tibial", medkg.Bans, "nerve:sciatic", nil, medkg.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := s.Evidence(ctx, tt.s, tt.p, tt.o)
			if medkg.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			var got []string
			for _, e := range ev {
				got = append(got, strings.Join([]string{e.Kind, boolStr(e.Negated), itoa(e.Sentence)}, ":"))
				if tt.containsSource != "" && e.Source != tt.containsSource {
					t.Errorf("source %q, want %q", e.Source, tt.containsSource)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Evidence = %q, want %q", got, tt.want)
			}
		})
	}
	// A negated assertion is not an edge.
	edges, err := s.Neighbors(ctx, "nerve:saphenous")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edges {
		if e.Subject.ID == "procedure:calf_nerve_transection" && (e.Documents != 0 || e.Negated != 1) {
			t.Errorf("denied edge counted as asserted: %+v", e)
		}
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestInnervation(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	mustLoad(t, s)
	tests := []struct {
		name string
		want []string // nerve muscle branch
		code string
	}{
		{"nerve:tibial", []string{"nerve:tibial muscle:gastrocnemius -", "nerve:tibial muscle:soleus -"}, ""},
		{"common peroneal nerve", []string{"nerve:common_peroneal muscle:tibialis_anterior nerve:deep_peroneal"}, ""},
		{"坐骨神经", []string{
			"nerve:sciatic muscle:tibialis_anterior nerve:deep_peroneal",
			"nerve:sciatic muscle:gastrocnemius nerve:tibial",
			"nerve:sciatic muscle:soleus nerve:tibial",
		}, ""},
		{"胫骨前肌", []string{
			"nerve:common_peroneal muscle:tibialis_anterior nerve:deep_peroneal",
			"nerve:deep_peroneal muscle:tibialis_anterior -",
			"nerve:sciatic muscle:tibialis_anterior nerve:deep_peroneal",
		}, ""},
		{"agency:nhc", nil, medkg.EINVALID},
		{"不存在的神经", nil, medkg.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.Innervation(context.Background(), tt.name)
			if medkg.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			var got []string
			for _, r := range rows {
				b := "-"
				if r.Branch != nil {
					b = r.Branch.ID
				}
				got = append(got, r.Nerve.ID+" "+r.Muscle.ID+" "+b)
				if len(r.Evidence) == 0 {
					t.Errorf("row without evidence: %+v", r)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Innervation(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), negatedDoc())
	tests := []struct {
		from, to string
		max      int
		want     string
		code     string
	}{
		{"agency:nhc", "nerve:tibial", 0, "agency:nhc -bans-> procedure:calf_nerve_transection -cuts-> nerve:medial_sural_cutaneous -branch_of-> nerve:tibial", ""},
		{"muscle:soleus", "nerve:medial_sural_cutaneous", 0, "muscle:soleus <-innervates- nerve:tibial <-branch_of- nerve:medial_sural_cutaneous", ""},
		{"agency:nhc", "nerve:tibial", 2, "", medkg.ENOTFOUND},
		// Only a negated cut and a co_occurs lead to these: no path.
		{"nerve:saphenous", "agency:cma", 0, "", medkg.ENOTFOUND},
		{"胫神经", "胫后神经", 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.from+"→"+tt.to, func(t *testing.T) {
			steps, err := s.Path(context.Background(), tt.from, tt.to, tt.max)
			if medkg.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if tt.code != "" {
				return
			}
			var b strings.Builder
			for i, st := range steps {
				if i == 0 {
					b.WriteString(st.From.ID)
				}
				if st.Forward {
					b.WriteString(" -" + string(st.Predicate) + "-> ")
				} else {
					b.WriteString(" <-" + string(st.Predicate) + "- ")
				}
				b.WriteString(st.To.ID)
				// Every hop carries the sources of its fact.
				if len(st.Evidence) == 0 {
					t.Errorf("step %d (%s %s %s) has no evidence", i, st.From.ID, st.Predicate, st.To.ID)
				}
				for _, ev := range st.Evidence {
					if ev.Predicate != st.Predicate || ev.Negated {
						t.Errorf("step %d: evidence %+v", i, ev)
					}
				}
			}
			if b.String() != tt.want {
				t.Errorf("Path = %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestNeighbors(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	mustLoad(t, s, seedDoc(), negatedDoc())
	edges, err := s.Neighbors(context.Background(), "小腿神经阻断术") // an alias
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range edges {
		got = append(got, strings.Join([]string{e.Direction, e.Subject.ID, string(e.Predicate), e.Object.ID, itoa(e.Documents), itoa(e.Negated), boolStr(e.Vocabulary)}, " "))
	}
	want := []string{
		"out procedure:calf_nerve_transection co_occurs agency:cma 1 0 false",
		"out procedure:calf_nerve_transection cuts nerve:lateral_sural_cutaneous 1 0 false",
		"out procedure:calf_nerve_transection cuts nerve:medial_sural_cutaneous 1 0 false",
		"out procedure:calf_nerve_transection cuts nerve:saphenous 0 1 false",
		"in agency:nhc bans procedure:calf_nerve_transection 1 0 false",
		"in agency:nhc_general_office bans procedure:calf_nerve_transection 1 0 false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Neighbors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	vocab, err := s.Neighbors(context.Background(), "nerve:tibial")
	if err != nil {
		t.Fatal(err)
	}
	if len(vocab) != 4 || !vocab[0].Vocabulary {
		t.Errorf("Neighbors(nerve:tibial) = %+v", vocab)
	}
}

func TestLookup(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) { testLookup(t, b) })
	}
}

func testLookup(t *testing.T, backend string) {
	s := MustOpenStore(t, backend)
	mustLoad(t, s, seedDoc())
	tests := []struct{ name, want string }{
		{"nerve:tibial", "nerve:tibial"},
		{"<medkg:nerve/tibial>", "nerve:tibial"},
		{"胫后神经", "nerve:tibial"},
		{"Tibial Nerve", "nerve:tibial"},
		{"common fibular nerve", "nerve:common_peroneal"},
		{"《医疗技术临床应用管理办法》", "regulation:x_3c1f9a"}, // known only from a document
		{"regulation:x_3c1f9a", "regulation:x_3c1f9a"},
		{"nothing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Lookup(context.Background(), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if strings.Join(ids, ",") != tt.want {
				t.Errorf("Lookup(%q) = %v, want %s", tt.name, ids, tt.want)
			}
			// LookupRefs finds the same, with the same id, type and
			// names, without the full record.
			refs, err := s.LookupRefs(context.Background(), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if len(refs) != len(got) {
				t.Fatalf("LookupRefs(%q) = %+v, Lookup %+v", tt.name, refs, got)
			}
			for i, e := range got {
				if want := (EntityRef{ID: e.ID, Type: e.Type, Name: e.Name, NameEn: e.NameEn}); refs[i] != want {
					t.Errorf("LookupRefs(%q)[%d] = %+v, want %+v", tt.name, i, refs[i], want)
				}
			}
		})
	}
	got, _ := s.Lookup(context.Background(), "regulation:x_3c1f9a")
	if len(got) != 1 || !got[0].Pattern || got[0].Type != medkg.Regulation || got[0].Name != "《医疗技术临床应用管理办法》" {
		t.Errorf("pattern entity = %+v", got)
	}
	got, _ = s.Lookup(context.Background(), "nerve:tibial")
	if len(got) != 1 || got[0].NameEn != "tibial nerve" || !reflect.DeepEqual(got[0].Aliases, []string{"胫后神经"}) || !reflect.DeepEqual(got[0].Codes, []string{"FMA:44685"}) {
		t.Errorf("vocabulary entity = %+v", got)
	}
}

func TestBannedNervesGroupsDocuments(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	reprint := seedDoc()
	reprint.Source = "/corpus/reprint.md"
	reprint.Date = "2021-07-30"
	reprint.Hash = strings.Repeat("f", 64)
	mustLoad(t, s, seedDoc(), reprint)
	rows, err := s.BannedNerves(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Errorf("%d rows, want 8: one per nerve link and banner, not per document", len(rows))
	}
	for _, r := range rows {
		if r.Date != "2021-07-30" || len(r.BanEvidence) != 2 || r.BanEvidence[0].Source != reprint.Source {
			t.Errorf("row %s %s %s: date %s, ban evidence %+v; want the earliest first", r.Nerve.ID, r.Relation, r.Banner.ID, r.Date, r.BanEvidence)
		}
		if r.Relation == string(medkg.Cuts) && len(r.LinkEvidence) != 2 {
			t.Errorf("link evidence %+v, want both documents", r.LinkEvidence)
		}
	}
	procs, err := s.BannedProcedures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) != 2 || len(procs[0].Evidence) != 2 || procs[0].Date != "2021-07-30" {
		t.Errorf("BannedProcedures = %+v", procs)
	}
}

func TestStats(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), muscleDoc(), negatedDoc())
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Vocabulary != "test-1" || st.Backend != Bolt || st.Path == "" {
		t.Errorf("stats header %+v", st)
	}
	wantEnt := map[string]int{"agency": 3, "muscle": 3, "nerve": 7, "procedure": 3, "regulation": 2}
	if !reflect.DeepEqual(st.Entities, wantEnt) {
		t.Errorf("entities = %v, want %v", st.Entities, wantEnt)
	}
	// Edges count one quad per document or vocabulary stating them; the
	// two negated relations have none.
	wantEdges := map[string]int{"bans": 3, "branch_of": 5, "co_occurs": 1, "cuts": 3, "innervates": 3, "part_of": 1, "targets": 1}
	if !reflect.DeepEqual(st.Edges, wantEdges) {
		t.Errorf("edges = %v, want %v", st.Edges, wantEdges)
	}
	if st.Assertions != 10 || st.Negated != 2 || len(st.Documents) != 3 {
		t.Errorf("assertions %d negated %d documents %d", st.Assertions, st.Negated, len(st.Documents))
	}
	var sum int64
	for _, d := range st.Documents {
		sum += int64(d.Quads)
	}
	if sum >= st.Quads {
		t.Errorf("document quads %d not below total %d (vocabulary missing?)", sum, st.Quads)
	}
}

func TestEmptyStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			s := MustOpenStore(t, b)
			st, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Quads != 0 || len(st.Documents) != 0 || st.Documents == nil {
				t.Errorf("Stats of an empty store = %+v", st)
			}
			rows, err := s.BannedNerves(ctx)
			if err != nil || rows == nil || len(rows) != 0 {
				t.Errorf("BannedNerves = %v, %v; want an empty, non-nil slice", rows, err)
			}
			if err := s.Export(ctx, io.Discard, ExportOptions{Format: FormatJSON}); err != nil {
				t.Error(err)
			}
			if _, err := s.Forget(ctx, "/nope"); medkg.ErrorCode(err) != medkg.ENOTFOUND {
				t.Errorf("Forget on empty store: %v", err)
			}
		})
	}
}
