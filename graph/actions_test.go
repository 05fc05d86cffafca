package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// actionsDoc states regulatory actions of several kinds, and carries the
// bans relation a naive reading of its penalty sentence would give: with
// actions extracted, that relation no longer answers "banned".
func actionsDoc() *medkg.Document {
	penalty := "武侯区卫生健康局对某某诊所开展干细胞治疗作出行政处罚。"
	return &medkg.Document{
		Source: "/corpus/030_actions.md",
		Title:  "监管动作",
		Date:   "2025-07-12",
		Hash:   "dd00000000000000000000000000000000000000000000000000000000000003",
		Entities: []medkg.DocEntity{
			ent("agency:nhc", "国家卫生健康委员会"),
			ent("agency:hc_guangdong", "广东省卫生健康委员会"),
			{Entity: medkg.Entity{ID: "agency:x_wuhou", Type: medkg.Agency, Name: "武侯区卫生健康局", Pattern: true}},
			ent("procedure:stem_cell_therapy", "干细胞治疗"),
			ent("procedure:gastrocnemius_resection", "腓肠肌切除术"),
			ent("procedure:deep_brain_stimulation", "脑深部电刺激术"),
			ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"),
			ent("muscle:gastrocnemius", "腓肠肌"),
		},
		Relations: []medkg.Relation{
			{Subject: "agency:x_wuhou", Predicate: medkg.Bans, Object: "procedure:stem_cell_therapy", Sentence: 0, Evidence: penalty},
			{Subject: "procedure:gastrocnemius_resection", Predicate: medkg.Targets, Object: "muscle:gastrocnemius", Sentence: 1, Evidence: "该手术切除部分腓肠肌。"},
		},
		Actions: []medkg.Action{
			{Kind: medkg.ActionPenalty, Actor: "agency:x_wuhou", ActorText: "武侯区卫生健康局", TargetText: "某某诊所", TargetType: medkg.TargetInstitution,
				Conditions: []string{}, Jurisdiction: medkg.District, Sentence: 0, Evidence: penalty},
			{Kind: medkg.ActionSuspension, Actor: "agency:hc_guangdong", ActorText: "广东省卫健委", Target: "procedure:gastrocnemius_resection", TargetText: "腓肠肌切除术",
				TargetType: medkg.TargetProcedure, Conditions: []string{}, Jurisdiction: medkg.Provincial, Sentence: 2, Evidence: "广东省卫健委暂停开展腓肠肌切除术。"},
			{Kind: medkg.ActionBan, Actor: "agency:nhc", ActorText: "国家卫生健康委员会", Target: "procedure:deep_brain_stimulation", TargetText: "脑深部电刺激术",
				TargetType: medkg.TargetProcedure, Scope: "阿尔茨海默病治疗", Conditions: []string{}, Jurisdiction: medkg.National,
				EffectiveDate: "2025-07-08", DateText: "本月8日", Sentence: 3, Evidence: "国家卫生健康委员会本月8日禁止将脑深部电刺激术应用于阿尔茨海默病治疗。"},
			{Kind: medkg.ActionWarning, Actor: "agency:nhc", ActorText: "国家卫生健康委员会", Target: "procedure:calf_nerve_transection", TargetText: "小腿神经离断瘦腿手术",
				TargetType: medkg.TargetProcedure, Conditions: []string{}, Jurisdiction: medkg.National, Sentence: 4, Evidence: "国家卫生健康委员会提醒公众警惕小腿神经离断瘦腿手术。"},
			{Kind: medkg.ActionBan, ActorNote: "no actor stated in the sentence", Target: "procedure:stem_cell_therapy", TargetText: "干细胞治疗",
				TargetType: medkg.TargetProcedure, Conditions: []string{"未经备案"}, Jurisdiction: medkg.Unknown, Sentence: 5, Evidence: "禁止未经备案开展干细胞治疗。"},
		},
	}
}

func TestBannedProceduresActions(t *testing.T) {
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, seedDoc(), actionsDoc())
			ctx := context.Background()
			show := func(rows []BannedProcedure) string {
				var out []string
				for _, r := range rows {
					banner := r.Banner.ID
					if banner == "" {
						banner = "-"
					}
					out = append(out, strings.Join([]string{r.Procedure.ID, banner, string(r.Kind), string(r.Jurisdiction), r.Scope, r.EffectiveDate, strings.Join(r.Conditions, "+")}, "|"))
				}
				return strings.Join(out, "\n")
			}
			for _, c := range []struct {
				name string
				f    ActionFilter
				want string
			}{
				{"default: bans and suspensions, the penalty is none", ActionFilter{}, strings.Join([]string{
					// seedDoc predates actions: its bans relations stand as bans
					"procedure:calf_nerve_transection|agency:nhc|ban|unknown|||",
					"procedure:calf_nerve_transection|agency:nhc_general_office|ban|unknown|||",
					"procedure:deep_brain_stimulation|agency:nhc|ban|national|阿尔茨海默病治疗|2025-07-08|",
					"procedure:gastrocnemius_resection|agency:hc_guangdong|suspension|provincial|||",
					"procedure:stem_cell_therapy|-|ban|unknown|||未经备案",
				}, "\n")},
				{"--kind ban", ActionFilter{Kinds: []medkg.ActionKind{medkg.ActionBan}}, strings.Join([]string{
					"procedure:calf_nerve_transection|agency:nhc|ban|unknown|||",
					"procedure:calf_nerve_transection|agency:nhc_general_office|ban|unknown|||",
					"procedure:deep_brain_stimulation|agency:nhc|ban|national|阿尔茨海默病治疗|2025-07-08|",
					"procedure:stem_cell_therapy|-|ban|unknown|||未经备案",
				}, "\n")},
				{"--kind warning", ActionFilter{Kinds: []medkg.ActionKind{medkg.ActionWarning}},
					"procedure:calf_nerve_transection|agency:nhc|warning|national|||"},
				{"--kind penalty: a penalty falls on an institution, not a procedure", ActionFilter{Kinds: []medkg.ActionKind{medkg.ActionPenalty}}, ""},
				{"--jurisdiction provincial", ActionFilter{Jurisdictions: []medkg.Jurisdiction{medkg.Provincial}},
					"procedure:gastrocnemius_resection|agency:hc_guangdong|suspension|provincial|||"},
				{"--since 2025-07 leaves out undated actions", ActionFilter{Since: "2025-07"},
					"procedure:deep_brain_stimulation|agency:nhc|ban|national|阿尔茨海默病治疗|2025-07-08|"},
				{"--since 2025-07-09", ActionFilter{Since: "2025-07-09"}, ""},
			} {
				t.Run(c.name, func(t *testing.T) {
					rows, err := s.BannedProceduresWith(ctx, c.f)
					if err != nil {
						t.Fatal(err)
					}
					if got := show(rows); got != c.want {
						t.Errorf("rows:\n%s\nwant:\n%s", got, c.want)
					}
				})
			}
			rows, err := s.BannedProceduresWith(ctx, ActionFilter{Jurisdictions: []medkg.Jurisdiction{medkg.National}})
			if err != nil || len(rows) != 1 {
				t.Fatalf("rows %v, err %v", rows, err)
			}
			if r := rows[0]; r.Date != "2025-07-12" || r.DateText != "本月8日" || len(r.Evidence) != 1 || r.Evidence[0].Action != medkg.ActionBan || r.Evidence[0].Sentence != 3 {
				t.Errorf("the article's date stays apart from the effective date, the evidence is the sentence: %+v", r)
			}
			nerves, err := s.BannedNervesWith(ctx, ActionFilter{Kinds: []medkg.ActionKind{medkg.ActionSuspension}})
			if err != nil {
				t.Fatal(err)
			}
			if len(nerves) == 0 {
				t.Fatal("no nerve rows for the suspended procedure")
			}
			for _, n := range nerves {
				if n.Kind != medkg.ActionSuspension || n.Procedure.ID != "procedure:gastrocnemius_resection" || n.Jurisdiction != medkg.Provincial {
					t.Errorf("row %+v", n)
				}
			}
		})
	}
}

func TestActionsReplacedAndForgotten(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, actionsDoc())
	ctx := context.Background()
	d := actionsDoc()
	d.Hash = "dd00000000000000000000000000000000000000000000000000000000000004"
	d.Actions = d.Actions[:1] // only the penalty is left
	if _, err := s.Ingest(ctx, d); err != nil {
		t.Fatal(err)
	}
	rows, err := s.BannedProcedures(ctx)
	if err != nil || len(rows) != 0 {
		t.Fatalf("after replace: rows %+v, err %v", rows, err)
	}
	d.Actions = []medkg.Action{} // actions extracted, none stated: the bans relation still answers nothing
	d.Hash = "dd00000000000000000000000000000000000000000000000000000000000005"
	if _, err := s.Ingest(ctx, d); err != nil {
		t.Fatal(err)
	}
	if rows, err := s.BannedProcedures(ctx); err != nil || len(rows) != 0 {
		t.Fatalf("no actions: rows %+v, err %v", rows, err)
	}
	if _, err := s.Forget(ctx, d.Source); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Export(ctx, &buf, ExportOptions{Format: "nquads"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Action") {
		t.Errorf("forget left action quads:\n%s", buf.String())
	}
}

func TestActionFilterSince(t *testing.T) {
	for _, c := range []struct {
		since, effective string
		keep             bool
	}{
		{"2021", "2021-07-26", true},
		{"2021-08", "2021-07-26", false},
		{"2021-07", "2021", true}, // a year alone passes within its year
		{"2022", "2021", false},
		{"2021", "", false},
	} {
		f := ActionFilter{Since: c.since}
		if got := f.keeps(medkg.ActionBan, medkg.National, c.effective); got != c.keep {
			t.Errorf("since %s, effective %q: keep %v, want %v", c.since, c.effective, got, c.keep)
		}
	}
	for _, bad := range []string{"21", "2021-7", "2021/07", "yesterday"} {
		if err := CheckSince(bad); err == nil {
			t.Errorf("CheckSince(%q) accepted", bad)
		}
	}
}

func TestExportJSONActions(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	mustLoad(t, s, seedDoc(), actionsDoc())
	ctx := context.Background()
	for _, c := range []struct {
		name string
		sel  Selection
		want int
	}{
		{"documents", Selection{}, 5},
		{"one document", Selection{Doc: "030_actions.md"}, 5},
		{"a document without actions", Selection{Doc: seedSource}, 0},
		{"vocabulary", Selection{Scope: ScopeVocabulary}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := s.Export(ctx, &buf, ExportOptions{Format: FormatJSON, Selection: c.sel}); err != nil {
				t.Fatal(err)
			}
			var nl NodeLink
			if err := json.Unmarshal(buf.Bytes(), &nl); err != nil {
				t.Fatal(err)
			}
			if nl.Actions == nil || len(nl.Actions) != c.want {
				t.Fatalf("%d actions, want %d: %s", len(nl.Actions), c.want, buf.String())
			}
			if c.want > 0 {
				a := nl.Actions[0]
				if a.Kind != medkg.ActionPenalty || a.Actor != "agency:x_wuhou" || a.TargetName != "某某诊所" || a.Jurisdiction != medkg.District ||
					a.Evidence.Source != "/corpus/030_actions.md" || a.Evidence.Sentence != 0 || !strings.HasSuffix(a.ID, "/a/0") {
					t.Errorf("first action %+v", a)
				}
			}
		})
	}
}

// lineageDoc holds actions of 卫生部, whose successor's successor is
// 国家卫生健康委员会, and of an office of the latter.
func lineageDoc() *medkg.Document {
	return &medkg.Document{
		Source: "/corpus/031_lineage.md", Title: "沿革", Date: "2020-01-01",
		Hash: "ee00000000000000000000000000000000000000000000000000000000000001",
		Entities: []medkg.DocEntity{
			ent("agency:moh", "卫生部"), ent("agency:nhfpc", "国家卫生和计划生育委员会"), ent("agency:nhc", "国家卫生健康委员会"),
			ent("agency:nhc_general_office", "国家卫生健康委员会办公厅"), ent("agency:hc_guangdong", "广东省卫生健康委员会"),
			ent("procedure:surgical_detoxification", "手术戒毒"), ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"),
			ent("procedure:stem_cell_therapy", "干细胞治疗"),
		},
		Relations: []medkg.Relation{
			{Subject: "agency:moh", Predicate: medkg.SucceededBy, Object: "agency:nhfpc", Evidence: "卫生部改组为国家卫生和计划生育委员会。"},
			{Subject: "agency:nhfpc", Predicate: medkg.SucceededBy, Object: "agency:nhc", Sentence: 1, Evidence: "国家卫生和计划生育委员会改组为国家卫生健康委员会。"},
		},
		Actions: []medkg.Action{
			{Kind: medkg.ActionBan, Actor: "agency:moh", ActorText: "卫生部", Target: "procedure:surgical_detoxification", TargetText: "手术戒毒",
				TargetType: medkg.TargetProcedure, Jurisdiction: medkg.National, EffectiveDate: "2004-11", Sentence: 2, Evidence: "卫生部叫停手术戒毒。"},
			{Kind: medkg.ActionBan, Actor: "agency:nhc_general_office", ActorText: "国家卫生健康委员会办公厅", Target: "procedure:calf_nerve_transection",
				TargetText: "小腿神经离断瘦腿手术", TargetType: medkg.TargetProcedure, Jurisdiction: medkg.National, Sentence: 3, Evidence: "办公厅禁止小腿神经离断瘦腿手术。"},
			{Kind: medkg.ActionSuspension, Actor: "agency:hc_guangdong", ActorText: "广东省卫生健康委员会", Target: "procedure:stem_cell_therapy",
				TargetText: "干细胞治疗", TargetType: medkg.TargetProcedure, Jurisdiction: medkg.Provincial, Sentence: 4, Evidence: "广东省卫生健康委员会暂停干细胞治疗。"},
		},
	}
}

func TestBannedProceduresLineage(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, lineageDoc())
	rows, err := s.BannedProceduresWith(context.Background(), ActionFilter{Actor: "agency:nhc"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Procedure.ID+" "+r.Banner.Name+" | "+r.Lineage)
	}
	want := []string{
		"procedure:calf_nerve_transection 国家卫生健康委员会办公厅 | part of 国家卫生健康委员会",
		"procedure:surgical_detoxification 卫生部 | predecessor of 国家卫生和计划生育委员会, predecessor of 国家卫生健康委员会",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows, err = s.BannedProceduresWith(context.Background(), ActionFilter{Actor: "agency:moh"})
	if err != nil || len(rows) != 1 || rows[0].Banner.ID != "agency:moh" || rows[0].Lineage != "" {
		t.Errorf("a predecessor's question does not include its successors: %+v %v", rows, err)
	}
}

// TestClaimNoEdge: a relation only a claim states is an assertion marked
// claim, never a positive edge; evidence lists it, marked.
func TestClaimNoEdge(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	claim := "某机构宣称该手术切断隐神经。"
	d := &medkg.Document{
		Source: "/corpus/032_claim.md", Date: "2024-01-01", Hash: "ff00000000000000000000000000000000000000000000000000000000000001",
		Entities: []medkg.DocEntity{ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"), ent("nerve:saphenous", "隐神经")},
		Relations: []medkg.Relation{{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:saphenous",
			Hedged: true, Claim: true, Evidence: claim}},
	}
	mustLoad(t, s, d)
	ctx := context.Background()
	edges, err := s.Neighbors(ctx, "nerve:saphenous")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edges {
		if e.Predicate == medkg.Cuts && e.Documents > 0 {
			t.Errorf("a claim answers as a positive edge: %+v", e)
		}
	}
	ev, err := s.Evidence(ctx, "procedure:calf_nerve_transection", medkg.Cuts, "nerve:saphenous")
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 1 || !ev[0].Claim || ev[0].Text != claim {
		t.Errorf("evidence %+v, want the claim, marked", ev)
	}
}

// TestViaBranchNoEdge: a relation about an unnamed branch of a nerve is no
// positive edge to the nerve.
func TestViaBranchNoEdge(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	d := &medkg.Document{
		Source: "/corpus/033_branch.md", Date: "2024-01-01", Hash: "ff00000000000000000000000000000000000000000000000000000000000002",
		Entities: []medkg.DocEntity{ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"), ent("nerve:tibial", "胫神经")},
		Relations: []medkg.Relation{{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:tibial",
			ViaBranch: true, Evidence: "该手术切断胫神经的肌支。"}},
	}
	mustLoad(t, s, d)
	ev, err := s.Evidence(context.Background(), "procedure:calf_nerve_transection", medkg.Cuts, "nerve:tibial")
	if err != nil || len(ev) != 1 || !ev[0].ViaBranch {
		t.Fatalf("evidence %+v, %v", ev, err)
	}
	edges, err := s.Neighbors(context.Background(), "nerve:tibial")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edges {
		if e.Predicate == medkg.Cuts && e.Documents > 0 {
			t.Errorf("the owner of a branch answers as cut: %+v", e)
		}
	}
}

func TestResolveDate(t *testing.T) {
	for _, c := range []struct {
		dates      []string
		value, has string
	}{
		{[]string{"2021", "2021-07-26", "2021-07"}, "2021-07-26", ""},
		{[]string{"2021-07-26", "2021-08-01"}, "2021-07-26", "sources disagree: also 2021-08-01"},
		{[]string{"", "2009"}, "2009", ""},
	} {
		b := &ban{}
		for _, d := range c.dates {
			b.dates = append(b.dates, actionDate{value: d})
		}
		b.resolveDate()
		if b.effective != c.value || !strings.Contains(b.dateNote, c.has) || (c.has == "" && b.dateNote != "") {
			t.Errorf("%v: effective %q note %q, want %q %q", c.dates, b.effective, b.dateNote, c.value, c.has)
		}
	}
}

// TestTypedNodesOnPostgres checks the action nodes PostgreSQL reads in
// one statement on the query's own connection against cayley's reads:
// the same nodes, each with the same quads (values of every kind the
// actions carry: IRIs, strings with a zero byte escaped, integers,
// several conditions).
func TestTypedNodesOnPostgres(t *testing.T) {
	s := MustOpenStore(t, Postgres)
	d := actionsDoc()
	d.Actions[0].Conditions = []string{"甲", "乙\x00丙"}
	mustLoad(t, s, seedDoc(), d)
	err := s.read(context.Background(), func(r *reader) error {
		tr, ok := r.ix.typedReader()
		if !ok {
			t.Fatal("the PostgreSQL index reads no typed nodes")
		}
		nodes, props, err := tr.typedNodes(r.ctx, iri(iriAction))
		if err != nil {
			return err
		}
		wantNodes, wantProps, err := r.cayleyTypedNodes(iri(iriAction))
		if err != nil {
			return err
		}
		if len(nodes) != len(d.Actions) || len(wantNodes) != len(d.Actions) {
			t.Fatalf("%d nodes, cayley %d; want %d", len(nodes), len(wantNodes), len(d.Actions))
		}
		sorted := func(qs []quad.Quad) []string {
			var out []string
			for _, q := range qs {
				q.Label = nil
				out = append(out, fmt.Sprintf("%#v %#v %#v", q.Subject, q.Predicate, q.Object))
			}
			slices.Sort(out)
			return out
		}
		for _, x := range wantNodes {
			got, want := sorted(props[x]), sorted(wantProps[x])
			if !slices.Equal(got, want) {
				t.Errorf("quads of %v:\n%s\nwant (cayley):\n%s", x, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
