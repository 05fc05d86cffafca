package extract

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/medkg/medkg"
)

// actionsOf extracts the actions of a text written as an article with a
// front-matter date.
func actionsOf(t *testing.T, date, body string) []medkg.Action {
	t.Helper()
	src := body
	if date != "" {
		src = "---\ntitle: 测试\ndate: " + date + "\n---\n" + body
	}
	doc, err := mustExtractor(t).ExtractText(context.Background(), "test.md", src)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Actions
}

func showActions(as []medkg.Action) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "  %s actor=%q(%s) target=%q scope=%q cond=%v date=%q text=%q note=%q\n",
			a.Kind, a.ActorText, a.Jurisdiction, a.TargetText, a.Scope, a.Conditions, a.EffectiveDate, a.DateText, a.DateNote)
	}
	return b.String()
}

// TestActionsWhy pins each case of issue 9's "Why" with sentences of our
// own.
func TestActionsWhy(t *testing.T) {
	type want struct {
		kind         medkg.ActionKind
		actor        string // ActorText; "" means no actor
		target       string
		scope        string
		condition    string
		jurisdiction medkg.Jurisdiction
		date         string
		dateText     string
	}
	for _, c := range []struct {
		name, date, text string
		want             []want
	}{
		{"a penalty on one clinic is no district ban", "2024-03-02",
			"武侯区卫生健康局对某某医疗美容诊所开展干细胞治疗的行为作出行政处罚，并处罚款三万元。",
			[]want{{kind: medkg.ActionPenalty, actor: "武侯区卫生健康局", target: "某某医疗美容诊所", jurisdiction: medkg.District}}},
		{"a technology limited to set places and people is restricted", "2024-05-10",
			"国家卫生健康委员会规定，该类技术仅能在具备条件的三级医院开展，并实施备案管理。",
			[]want{{kind: medkg.ActionRestriction, actor: "国家卫生健康委员会", jurisdiction: medkg.National}}},
		{"暂停 is a suspension, not a ban", "2023-06-14",
			"广东省卫生健康委员会决定暂停开展神经阻断瘦肩术。",
			[]want{{kind: medkg.ActionSuspension, actor: "广东省卫生健康委员会", target: "斜方肌神经阻断术", jurisdiction: medkg.Provincial}}},
		{"a ban for one indication keeps its scope", "2025-07-12",
			"国家卫生健康委员会禁止将脑深部电刺激术应用于阿尔茨海默病治疗。",
			[]want{{kind: medkg.ActionBan, actor: "国家卫生健康委员会", target: "脑深部电刺激术", scope: "阿尔茨海默病治疗", jurisdiction: medkg.National}}},
		{"未经备案 is kept as a condition", "2023-09-01",
			"四川省卫生健康委员会严禁医疗机构未经备案开展干细胞治疗。",
			[]want{{kind: medkg.ActionBan, actor: "四川省卫生健康委员会", target: "干细胞治疗", condition: "未经备案", jurisdiction: medkg.Provincial}}},
		{"the ban's date comes from the text, not the article's date", "2023-05-22",
			"早在2006年4月，国家食品药品监督管理局就全面停止使用聚丙烯酰胺水凝胶。",
			[]want{{kind: medkg.ActionBan, actor: "国家食品药品监督管理局", target: "聚丙烯酰胺水凝胶", jurisdiction: medkg.National, date: "2006-04", dateText: "2006年4月"}}},
		{"本月26日 and 自通知下发之日起 resolve against the article's date", "2021-07-31",
			"国家卫生健康委员会办公厅在本月26日印发关于禁止实施小腿神经离断瘦腿手术的通知。自通知下发之日起禁止小腿神经离断瘦腿手术应用于临床。",
			[]want{{kind: medkg.ActionBan, actor: "国家卫生健康委员会办公厅", target: "小腿神经离断瘦腿手术", jurisdiction: medkg.National, date: "2021-07-26", dateText: "本月26日"}}},
		{"自…起 with a full date is the effective date", "2008-12-20",
			"卫生部规定，自2009年5月1日起，各级医疗机构不得开展手术戒毒。",
			[]want{{kind: medkg.ActionBan, actor: "卫生部", target: "手术戒毒", jurisdiction: medkg.National, date: "2009-05-01", dateText: "2009年5月1日"}}},
		{"no actor stated: none, not the nearest agency", "2023-01-05",
			"国家卫生健康委员会近日召开发布会。禁止未取得资质的机构开展干细胞治疗。",
			[]want{{kind: medkg.ActionBan, target: "干细胞治疗", condition: "未取得资质", jurisdiction: medkg.Unknown}}},
		{"a claim is no action", "2023-01-05",
			"某诊所宣称国家卫生健康委员会已经禁止干细胞治疗。",
			nil},
		{"a call for a ban is no action", "2023-01-05",
			"多位专家呼吁禁止干细胞治疗。",
			nil},
		{"a public warning is its own kind", "2023-05-22",
			"国家药品监督管理局提醒消费者警惕网络销售的聚丙烯酰胺水凝胶。",
			[]want{{kind: medkg.ActionWarning, actor: "国家药品监督管理局", target: "聚丙烯酰胺水凝胶", jurisdiction: medkg.National}}},
		{"an advertising ban", "2023-05-22",
			"市场监督管理总局规定，医疗美容广告不得含有表示功效的断言。",
			[]want{{kind: medkg.ActionAdvertisingBan, actor: "市场监督管理总局", jurisdiction: medkg.National}}},
		{"joint actors give one action each", "2023-06-14",
			"国家卫生健康委员会和国家中医药管理局联合叫停副神经离断瘦肩术。",
			[]want{
				{kind: medkg.ActionBan, actor: "国家卫生健康委员会", target: "斜方肌神经阻断术", jurisdiction: medkg.National},
				{kind: medkg.ActionBan, actor: "国家中医药管理局", target: "斜方肌神经阻断术", jurisdiction: medkg.National},
			}},
		{"a range is kept as written", "2024-09-12",
			"2023年3月至2024年5月，某某医院擅自开展人工耳蜗植入术，衡阳市卫生健康委员会对该院处以罚款。",
			[]want{{kind: medkg.ActionPenalty, actor: "衡阳市卫生健康委员会", target: "该院", jurisdiction: medkg.City, dateText: "2023年3月至2024年5月"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := actionsOf(t, c.date, c.text)
			if len(got) != len(c.want) {
				t.Fatalf("%d actions, want %d:\n%s", len(got), len(c.want), showActions(got))
			}
			for i, w := range c.want {
				a := got[i]
				bad := a.Kind != w.kind || a.ActorText != w.actor || a.Jurisdiction != w.jurisdiction ||
					(w.target != "" && a.TargetText != w.target) || a.Scope != w.scope ||
					(w.condition != "" && !containsString(a.Conditions, w.condition)) ||
					a.EffectiveDate != w.date || (w.dateText != "" && a.DateText != w.dateText)
				if w.actor == "" && a.ActorNote == "" {
					bad = true // an action without an actor says so
				}
				if !strings.Contains(c.text, a.Evidence) || a.Evidence == "" {
					bad = true
				}
				if bad {
					t.Errorf("action %d:\n%swant %+v", i, showActions(got[i:i+1]), w)
				}
			}
		})
	}
}

// TestActionRuleExamples: every line of rules/actions.tsv states an action
// of its kind in its example sentence.
func TestActionRuleExamples(t *testing.T) {
	ar, err := builtinActionRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ar.rules {
		t.Run(r.line, func(t *testing.T) {
			got := actionsOf(t, "2024-01-01", r.example)
			for _, a := range got {
				if a.Kind == r.kind {
					return
				}
			}
			t.Errorf("%s: %q gives no %s:\n%s", r.line, r.example, r.kind, showActions(got))
		})
	}
}

func TestLoadActionRulesErrors(t *testing.T) {
	builtin := func(name string) string {
		data, err := fs.ReadFile(rulesFS, "rules/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	words, acts, dates := builtin("action_words.tsv"), builtin("actions.tsv"), builtin("dates.tsv")
	for _, c := range []struct{ name, words, actions, want string }{
		{"unknown kind", words, "bann\t禁止\t-\t例句。\n", "actions.tsv:1: unknown action kind \"bann\""},
		{"no cues", words, "# c\nban\t-\t-\t例句。\n", "actions.tsv:2: a line needs cue words"},
		{"no example", words, "ban\t禁止\t-\t-\n", "actions.tsv:1: a line needs an example"},
		{"short line", words, "ban\t禁止\n", "actions.tsv:1: 2 columns, want at least 4"},
		{"duplicate list", words + "action_claim\t宣称\n", acts, "list \"action_claim\" defined twice"},
		{"empty list", "action_claim\t-\n", acts, "action_words.tsv:1: list \"action_claim\" is empty"},
		{"missing list", "action_claim\t宣称\n", acts, "list \"action_proposal\" is missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"action_words.tsv": {Data: []byte(c.words)},
				"actions.tsv":      {Data: []byte(c.actions)},
				"dates.tsv":        {Data: []byte(dates)},
			}
			_, err := loadActionRules(fsys)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	if _, err := loadActionRules(fstest.MapFS{
		"action_words.tsv": {Data: []byte(words)}, "actions.tsv": {Data: []byte(acts)}, "dates.tsv": {Data: []byte(dates)},
	}); err != nil {
		t.Fatalf("built-in rules: %v", err)
	}
}

// TestClaims: what only a claim or hearsay states is marked a claim (the
// graph stores no positive edge for it); a plain hedge is not a claim.
func TestClaims(t *testing.T) {
	for _, c := range []struct {
		text  string
		claim bool
	}{
		{"某医美机构宣称小腿神经离断瘦腿手术切断腓肠内侧皮神经。", true},
		{"网传小腿神经离断瘦腿手术切断腓肠内侧皮神经。", true},
		{"小腿神经离断瘦腿手术可能切断腓肠内侧皮神经。", false},
		{"小腿神经离断瘦腿手术切断腓肠内侧皮神经。", false},
	} {
		t.Run(c.text, func(t *testing.T) {
			doc, err := mustExtractor(t).ExtractText(context.Background(), "t.txt", c.text)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range doc.Relations {
				if r.Predicate == medkg.Cuts && r.Object == "nerve:medial_sural_cutaneous" {
					found = true
					if r.Claim != c.claim {
						t.Errorf("claim = %v, want %v: %+v", r.Claim, c.claim, r)
					}
				}
			}
			if !found {
				t.Fatalf("no cuts relation: %+v", doc.Relations)
			}
		})
	}
}

// TestBranchPrecision: a nerve named as the owner of a branch is not the
// nerve cut.
func TestBranchPrecision(t *testing.T) {
	for _, c := range []struct {
		text, pred, object string
		viaBranch          bool
	}{
		{"选择性神经切断术切断腓深神经发往胫骨前肌的肌支。", "targets", "muscle:tibialis_anterior", false},
		{"小腿神经离断瘦腿手术切断胫神经的肌支。", "cuts", "nerve:tibial", true},
		{"小腿神经离断瘦腿手术切断胫神经。", "cuts", "nerve:tibial", false},
	} {
		t.Run(c.text, func(t *testing.T) {
			doc, err := mustExtractor(t).ExtractText(context.Background(), "t.txt", c.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Relations) != 1 {
				t.Fatalf("relations %+v", doc.Relations)
			}
			r := doc.Relations[0]
			if string(r.Predicate) != c.pred || r.Object != c.object || r.ViaBranch != c.viaBranch {
				t.Errorf("got %s %s via_branch=%v, want %s %s %v", r.Predicate, r.Object, r.ViaBranch, c.pred, c.object, c.viaBranch)
			}
		})
	}
}
