package score

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/medkg/medkg"
)

func strp(s string) *string { return &s }

func TestScoreActions(t *testing.T) {
	g := &ActionGold{Actions: []GoldAction{
		{Kind: "suspension", Actor: strp("广东省卫生健康委员会"), ActorText: strp("广东省卫健委"), Target: "神经阻断瘦肩术",
			Jurisdiction: "provincial", EffectiveDate: strp("2023-06-12"), DateText: strp("本月12日"),
			Evidence: "广东省卫健委于本月12日印发通知，暂停开展神经阻断瘦肩术。"},
		{Kind: "penalty", Actor: strp("武侯区卫生健康局"), Target: "某某诊所", Jurisdiction: "district",
			Evidence: "武侯区卫生健康局对某某诊所作出行政处罚"},
		{Kind: "warning", Target: "注射美容", Jurisdiction: "unknown", Optional: true, Evidence: "提醒消费者谨慎选择注射美容。"},
		{Kind: "ban", Target: "干细胞治疗", Jurisdiction: "unknown", Evidence: "严禁开展干细胞治疗。"},
	}}
	doc := &medkg.Document{Actions: []medkg.Action{
		// same statement, right kind and date (full-width digits and spaces differ)
		{Kind: medkg.ActionSuspension, ActorText: "广东省卫健委", TargetText: "斜方肌神经阻断术", Jurisdiction: medkg.Provincial,
			EffectiveDate: "2023-06-12", DateText: "本月12日", Evidence: "广东省卫健委于本月１２日印发通知， 暂停开展神经阻断瘦肩术。"},
		// same statement, wrong kind, a date the gold does not give
		{Kind: medkg.ActionBan, ActorText: "武侯区卫生健康局", TargetText: "某某诊所", Jurisdiction: medkg.District,
			EffectiveDate: "2024-03-01", DateText: "3月1日", Evidence: "武侯区卫生健康局对某某诊所作出行政处罚，并处罚款。"},
		// matches the optional gold: neither counted
		{Kind: medkg.ActionWarning, TargetText: "注射美容", Evidence: "市场监督管理局提醒消费者谨慎选择注射美容。"},
		// a statement the gold does not hold
		{Kind: medkg.ActionBan, TargetText: "瘦腿手术", Evidence: "网传某地禁止瘦腿手术。"},
	}}
	r := ScoreActions("doc", doc, g)
	if r.Actions != (Counts{TP: 2, FP: 1, FN: 1}) {
		t.Errorf("counts %+v, want TP 2 FP 1 FN 1", r.Actions)
	}
	if r.Matched != 2 || r.KindRight != 1 || r.KindAccuracy() != 0.5 {
		t.Errorf("kind: matched %d right %d", r.Matched, r.KindRight)
	}
	if r.Dated != 1 || r.DateRight != 1 || r.DateAccuracy() != 1 {
		t.Errorf("date: dated %d right %d", r.Dated, r.DateRight)
	}
	if r.Undated != 1 || r.DateExtra != 1 || len(r.DateExtras) != 1 {
		t.Errorf("dates where the gold gives none: undated %d extra %d %v, want 1, 1", r.Undated, r.DateExtra, r.DateExtras)
	}
	if r.ActorRight != 2 || r.JurisRight != 2 {
		t.Errorf("actor %d jurisdiction %d, want 2 and 2", r.ActorRight, r.JurisRight)
	}
	if len(r.Confusions) != 1 || len(r.Errors) != 2 {
		t.Errorf("confusions %v errors %v", r.Confusions, r.Errors)
	}
	// an empty extraction scores 0, never a pass
	empty := ScoreActions("doc", &medkg.Document{}, g)
	if empty.Actions.Precision() != 0 || empty.KindAccuracy() != 0 || empty.DateAccuracy() != 0 {
		t.Errorf("empty extraction scores %+v", empty)
	}
}

func TestActionGoldSpans(t *testing.T) {
	dir := t.TempDir()
	article := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(article, []byte("title: 测试\n\n卫生部叫停某手术。"), 0o644); err != nil {
		t.Fatal(err)
	}
	gold := filepath.Join(dir, "a.json")
	if err := os.WriteFile(gold, []byte(`{"actions":[{"kind":"ban","actor":"卫生部","actor_text":"卫生部","target":"某手术","target_type":"procedure",
		"scope":null,"conditions":[],"jurisdiction":"national","effective_date":null,"date_text":null,"evidence_span":[11,20]}],"not_actions":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := LoadActionGold(gold)
	if err != nil {
		t.Fatal(err)
	}
	if err := fillActionEvidence(g, article); err != nil {
		t.Fatal(err)
	}
	if g.Actions[0].Evidence != "卫生部叫停某手术。" {
		t.Errorf("evidence %q", g.Actions[0].Evidence)
	}
	g.Actions[0].Evidence, g.Actions[0].EvidenceSpan = "", []int{11, 99}
	if err := fillActionEvidence(g, article); err == nil {
		t.Error("a span past the file's end is accepted")
	}
	for _, bad := range []string{`{"actions":[{"kind":"bann","target":"x","evidence":"x"}]}`, `{"actions":[{"kind":"ban","target":"x"}]}`, `{"actions":[],"extra":1}`} {
		if err := os.WriteFile(gold, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadActionGold(gold); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
