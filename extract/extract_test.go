package extract

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// contexts are real sentences with a slot for a term of a given type; the
// planted-term test puts every vocabulary name and alias in each.
var contexts = map[medkg.EntityType][]string{
	medkg.Nerve:      {"术中注意保护%s，避免损伤。", "肌电图提示右侧%s传导速度减慢，", "%s受压时可出现麻木。"},
	medkg.Muscle:     {"体检见%s萎缩，肌力3级。", "针对%s进行注射。", "%s由相应神经支配，"},
	medkg.Anatomy:    {"超声显示%s处明显增粗。", "在%s附近进针，", "%s是常见的卡压部位。"},
	medkg.Procedure:  {"国家卫健委发文叫停%s。", "我们采用%s治疗9例患者，", "医生建议行%s。"},
	medkg.Condition:  {"患者被诊断为%s，收入我院。", "%s可导致下肢无力，", "排除%s后，"},
	medkg.Agency:     {"%s发布通知，要求加强监管。", "据%s网站消息，", "%s专家论证后认为，"},
	medkg.Regulation: {"按照《%s》有关规定，", "%s自发布之日起施行。", "依据%s，"},
	medkg.Drug:       {"患者使用%s后症状缓解。", "给予%s治疗，"},
	medkg.Exam:       {"完善%s检查，", "%s提示异常，"},
}

// TestPlantedTerms plants every Chinese name and alias of the vocabulary
// into real sentences and requires each to be found, whole, as a mention
// of its entry: whatever gse makes of the words around it, recall of
// vocabulary terms is 100%.
func TestPlantedTerms(t *testing.T) {
	x := mustExtractor(t)
	v := x.vocab
	missed, total := 0, 0
	for _, term := range v.Terms() {
		want := map[string]bool{}
		for _, e := range term.Entries {
			want[e.ID] = true
		}
		typ := term.Entries[0].Type
		for _, c := range contexts[typ] {
			total++
			sentence := fmt.Sprintf(c, term.Text)
			prefix := []rune(strings.SplitN(c, "%s", 2)[0])
			start, end := len(prefix), len(prefix)+len([]rune(term.Text))
			text := []rune(sentence)
			keys := foldKeys(text)
			ms := x.findTerms(text, keys, newPatternSet())
			// Found: a mention of the entry over exactly the term, or a
			// longer vocabulary term that the context completes (肌电图 in
			// 肌电图检查).
			found := false
			for _, m := range ms {
				exact := m.start == start && m.end == end && want[m.ent.ID]
				longer := m.start <= start && m.end >= end && m.end-m.start > end-start
				// 伽玛刀治疗 is read as the name 伽玛刀 and the verb 治疗
				verb := strings.HasSuffix(term.Text, "治疗") && m.start == start && m.end == end-2 && want[m.ent.ID]
				if exact || longer || verb {
					found = true
				}
			}
			if !found {
				missed++
				if missed <= 30 {
					t.Errorf("%s (%s) not found in %q; got %v", term.Text, typ, sentence, ms)
				}
			}
		}
	}
	t.Logf("planted %d terms, missed %d", total, missed)
}

// TestGolden extracts the seed articles and compares the JSON output with
// testdata/golden/*.json (go test ./extract -run TestGolden -update).
func TestGolden(t *testing.T) {
	x := mustExtractor(t)
	files, _ := filepath.Glob("../testdata/devset/*.*")
	if len(files) == 0 {
		t.Fatal("no seed articles in testdata/devset")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc := mustExtractFile(t, x, f)
			doc.Source = filepath.Base(f)
			got, err := json.MarshalIndent(doc, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("../testdata/golden/extract", strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -run TestGolden -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("extraction of %s differs from %s (-want +got; refresh with -update after review):\n%s", f, golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// TestMentionOffsets checks that every mention's offsets point at its text
// in the normalised document.
func TestMentionOffsets(t *testing.T) {
	x := mustExtractor(t)
	files, _ := filepath.Glob("../testdata/devset/*.*")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		a, err := ReadArticle(f, data)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := x.Extract(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		text := []rune(a.Text)
		for _, e := range doc.Entities {
			for _, m := range e.Mentions {
				if string(text[m.Start:m.End]) != m.Text {
					t.Errorf("%s: %s mention [%d,%d) = %q, text says %q", f, e.ID, m.Start, m.End, m.Text, string(text[m.Start:m.End]))
				}
				s := doc.Sentences[m.Sentence]
				if m.Start < s.Start || m.End > s.End {
					t.Errorf("%s: %s mention [%d,%d) outside its sentence %d [%d,%d)", f, e.ID, m.Start, m.End, m.Sentence, s.Start, s.End)
				}
			}
		}
		for _, r := range doc.Relations {
			if r.Evidence != doc.Sentences[r.Sentence].Text {
				t.Errorf("%s: relation evidence is not sentence %d", f, r.Sentence)
			}
		}
	}
}

// rel is a compact relation for table tests: "subject-name predicate
// object-name", prefixed with ! when negated and ? when hedged.
func relStrings(x *Extractor, doc *medkg.Document) []string {
	name := map[string]string{}
	for _, e := range doc.Entities {
		name[e.ID] = e.Name
	}
	var out []string
	for _, r := range doc.Relations {
		flag := ""
		if r.Negated {
			flag += "!"
		}
		if r.Hedged {
			flag += "?"
		}
		out = append(out, flag+name[r.Subject]+" "+string(r.Predicate)+" "+name[r.Object])
	}
	return out
}

func TestRelations(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		name, text string
		want       []string // every one must be extracted
		not        []string // none of these may be
	}{
		{"ban by agency", "国家卫健委发文叫停小腿神经离断瘦腿手术。",
			[]string{"国家卫生健康委员会 bans 小腿神经离断瘦腿手术"}, nil},
		{"ban, passive", "小腿神经离断瘦腿手术被国家卫健委叫停。",
			[]string{"国家卫生健康委员会 bans 小腿神经离断瘦腿手术"}, nil},
		{"regulation cited as grounds is not the banner", "按照《医疗技术临床应用管理办法》有关规定，禁止小腿神经离断瘦腿手术应用于临床。",
			nil, []string{"医疗技术临床应用管理办法 bans 小腿神经离断瘦腿手术"}},
		{"cuts a coordinated list", "该手术就是切断腓肠内侧皮神经和腓肠外侧皮神经，", nil, nil},
		{"cuts with coordination", "小腿神经阻断术的操作是切断小腿的肌肉神经，例如腓肠内侧皮神经和腓肠外侧皮神经。",
			[]string{"小腿神经离断瘦腿手术 cuts 腓肠内侧皮神经", "小腿神经离断瘦腿手术 cuts 腓肠外侧皮神经"}, nil},
		{"shared head", "小腿神经离断瘦腿手术切断腓肠肌内、外侧头肌支。",
			[]string{"小腿神经离断瘦腿手术 cuts 腓肠肌内侧头肌支", "小腿神经离断瘦腿手术 cuts 腓肠肌外侧头肌支"}, nil},
		{"branch from", "腓总神经从坐骨神经分出，绕腓骨颈。", []string{"腓总神经 branch_of 坐骨神经"}, nil},
		{"branch is", "腓浅神经是腓总神经的分支。", []string{"腓浅神经 branch_of 腓总神经"}, nil},
		{"branch divides", "坐骨神经分为胫神经和腓总神经。", []string{"胫神经 branch_of 坐骨神经", "腓总神经 branch_of 坐骨神经"}, nil},
		{"innervates", "胫神经支配比目鱼肌。", []string{"胫神经 innervates 比目鱼肌"}, nil},
		{"innervated by", "胫骨前肌由腓深神经支配。", []string{"腓深神经 innervates 胫骨前肌"}, nil},
		{"treats", "我们采用神经水分离技术治疗腓总神经卡压9例。", []string{"神经水分离术 treats 腓总神经卡压综合征"}, nil},
		{"treats, condition first, alternatives", "腓总神经卡压可考虑神经松解术或神经切除术等手术治疗。",
			[]string{"神经松解术 treats 腓总神经卡压综合征", "神经切除术 treats 腓总神经卡压综合征"}, nil},
		{"treats, denied", "周围神经病不宜采用神经水分离治疗。", []string{"!神经水分离术 treats 周围神经病"}, []string{"神经水分离术 treats 周围神经病"}},
		{"causes, denied", "腰椎间盘突出症不是导致腓总神经损伤的原因。", []string{"!腰椎间盘突出症 causes 腓总神经损伤"}, []string{"腰椎间盘突出症 causes 腓总神经损伤"}},
		{"affects", "腰椎间盘突出症压迫坐骨神经。", []string{"腰椎间盘突出症 affects 坐骨神经"}, nil},
		{"hedged", "腰椎间盘突出症可能压迫坐骨神经。", []string{"?腰椎间盘突出症 affects 坐骨神经"}, nil},
		{"not a negation inside a word", "腰椎间盘突出症导致下肢无力，压迫坐骨神经。", []string{"腰椎间盘突出症 affects 坐骨神经"}, nil},
		{"modifier 不 is not a negation", "小腿神经阻断术是切断一些不那么重要的神经，例如腓肠内侧皮神经。",
			[]string{"小腿神经离断瘦腿手术 cuts 腓肠内侧皮神经"}, nil},
		{"issued by, nearest agency", "据国家卫健委网站发布的消息，卫健委办公厅发布关于禁止开展小腿神经离断瘦腿手术的通知。",
			[]string{"国家卫生健康委员会办公厅 bans 小腿神经离断瘦腿手术"}, []string{"国家卫生健康委员会 bans 小腿神经离断瘦腿手术"}},
		{"demonstrative", "小腿神经离断瘦腿手术风险很大。国家卫健委叫停该手术。",
			[]string{"国家卫生健康委员会 bans 小腿神经离断瘦腿手术"}, nil},
		{"local authority", "北京市卫健委叫停小腿神经离断瘦腿手术。",
			[]string{"北京市卫生健康委员会 bans 小腿神经离断瘦腿手术"}, []string{"国家卫生健康委员会 bans 小腿神经离断瘦腿手术"}},
		{"issued by, bracketed title", "国家卫健委印发《关于加强医疗美容监管的通知》。",
			[]string{"关于加强医疗美容监管的通知 issued_by 国家卫生健康委员会"}, nil},
		{"title names its issuer", "国家卫健委官网发布《国家卫生健康委办公厅关于加强医疗美容监管的通知》。",
			[]string{"国家卫生健康委办公厅关于加强医疗美容监管的通知 issued_by 国家卫生健康委员会办公厅"},
			[]string{"国家卫生健康委办公厅关于加强医疗美容监管的通知 issued_by 国家卫生健康委员会"}},
		{"short title refers back", "国家卫健委印发《关于禁止开展“小腿神经离断瘦腿手术”的通知》。《通知》明确，禁止小腿神经离断瘦腿手术应用于临床。",
			[]string{"关于禁止开展“小腿神经离断瘦腿手术”的通知 bans 小腿神经离断瘦腿手术"}, nil},
		{"topic chain", "骨间后神经是桡神经深支的延续，支配指伸肌和尺侧腕伸肌。",
			[]string{"骨间后神经 branch_of 桡神经深支", "骨间后神经 innervates 指伸肌", "骨间后神经 innervates 尺侧腕伸肌"},
			[]string{"桡神经深支 innervates 指伸肌"}},
		{"comma is no coordinator", "腓肠内侧皮神经发自胫神经，腓肠外侧皮神经发自腓总神经。",
			[]string{"腓肠内侧皮神经 branch_of 胫神经", "腓肠外侧皮神经 branch_of 腓总神经"},
			[]string{"胫神经 branch_of 腓总神经", "腓肠内侧皮神经 branch_of 腓肠外侧皮神经"}},
		{"pronoun", "术中最易损伤喉返神经，它是迷走神经的分支。", []string{"喉返神经 branch_of 迷走神经"}, nil},
		{"former and latter", "与小腿神经离断瘦腿手术相比，瘦腿针是可逆的：前者直接切断胫神经的肌支。",
			nil, []string{"瘦腿针 cuts 胫神经"}},
		{"claims are hedged", "该诊所宣称，干细胞治疗可以治疗糖尿病。", []string{"?干细胞治疗 treats 糖尿病"}, []string{"干细胞治疗 treats 糖尿病"}},
		{"a ban denies what follows", "国家卫健委叫停颈深淋巴管/结-静脉吻合术用于治疗阿尔茨海默病。",
			nil, []string{"颈深淋巴管/结-静脉吻合术 treats 阿尔茨海默病"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := x.ExtractText(context.Background(), "test.txt", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			got := relStrings(x, doc)
			for _, w := range tt.want {
				if !containsString(got, w) {
					t.Errorf("missing %q; got %q", w, got)
				}
			}
			for _, n := range tt.not {
				if containsString(got, n) {
					t.Errorf("unexpected %q; got %q", n, got)
				}
			}
		})
	}
}

// TestNestedAndPattern checks mention selection: longest match, nested
// names dropped, titles keep what they hold, local bodies recognised.
func TestNestedAndPattern(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text string
		want []string // type:surface of every mention, in order
	}{
		{"腓总神经卡压综合征是常见病。", []string{"condition:腓总神经卡压综合征"}},
		{"腓总神经卡压综合征累及腓总神经。", []string{"condition:腓总神经卡压综合征", "nerve:腓总神经"}},
		{"据广东省卫健委消息。", []string{"agency:广东省卫健委"}},
		{"依据《深圳市医疗美容管理办法》执行。", []string{"regulation:深圳市医疗美容管理办法"}},
		{"他在脊柱外科工作。", nil},
		{"记者从市卫健委获悉，当地卫健委已介入。", nil},
		{"湖南省衡阳市卫生健康委员会会同武侯区卫生健康局调查。", []string{"agency:湖南省衡阳市卫生健康委员会", "agency:武侯区卫生健康局"}},
		{"患者在臂丛阻滞麻醉下接受尺神经松解术。", []string{"procedure:臂丛阻滞麻醉", "procedure:尺神经松解术"}},
		{"查体伸趾肌力1级。", nil},
		{"在超声引导下行尺神经松解。", []string{"procedure:尺神经松解"}},
		{"行颈部淋巴结活检术。", []string{"procedure:颈部淋巴结活检术"}},
		{"行关节镜下肩袖修补术。", []string{"procedure:肩袖修补术"}},
		{"臂丛损伤可行选择性神经移位术。", []string{"condition:臂丛损伤", "procedure:选择性神经移位术"}},
		{"面神经的分支：①颞支 ②颧支。", []string{"nerve:面神经", "nerve:颞支", "nerve:颧支"}},
		{"病因与局部压迫、外伤有关；尺、桡骨可同时受累。", []string{"condition:外伤", "anatomy:尺、桡骨", "anatomy:尺、桡骨"}},
		{"三叉神经痛发作时犹如刀割、针刺，也有针刺样痛；可行针刺治疗。", []string{"condition:三叉神经痛", "procedure:针刺治疗"}},
		{"腰椎管狭窄症可分为两型，分别是中央型和侧隐窝型。", []string{"condition:腰椎管狭窄症", "condition:中央型", "condition:侧隐窝型"}},
		{"行颈椎后路单开门椎管扩大成形术。", []string{"procedure:颈椎后路单开门椎管扩大成形术"}},
		{"采用脉冲射频治疗腰椎间盘突出症。", []string{"procedure:脉冲射频", "condition:腰椎间盘突出症"}},
		{"见拇长屈肌腱与拇短屈肌浅头。", []string{"anatomy:拇长屈肌腱", "muscle:拇短屈肌浅头"}},
		{"面神经分为颞支、颧支和颊支。", []string{"nerve:面神经", "nerve:颞支", "nerve:颧支", "nerve:颊支"}},
		{"采用ACDF治疗。", []string{"procedure:ACDF"}},
		{"这个病人突然腰突然疼。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			doc, err := x.ExtractText(context.Background(), "t.txt", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range doc.Entities {
				for _, m := range e.Mentions {
					got = append(got, string(e.Type)+":"+m.Text)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("mentions = %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	v := mustExtractor(b).vocab
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(v); err != nil {
			b.Fatal(err)
		}
	}
}

// devsetCorpus is the four seed articles, read once.
func devsetCorpus(b *testing.B) ([]*Article, int) {
	files, _ := filepath.Glob("../testdata/devset/*.*")
	var arts []*Article
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		a, err := ReadArticle(f, data)
		if err != nil {
			b.Fatal(err)
		}
		size += len(data)
		arts = append(arts, a)
	}
	return arts, size
}

// BenchmarkExtract measures throughput on the seed articles, one goroutine
// (MB/s of raw input).
func BenchmarkExtract(b *testing.B) {
	x := mustExtractor(b)
	arts, size := devsetCorpus(b)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, a := range arts {
			if _, err := x.Extract(context.Background(), a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExtractParallel is BenchmarkExtract on all cores.
func BenchmarkExtractParallel(b *testing.B) {
	x := mustExtractor(b)
	arts, size := devsetCorpus(b)
	b.SetBytes(int64(size))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for _, a := range arts {
				if _, err := x.Extract(context.Background(), a); err != nil {
					b.Error(err)
				}
			}
		}
	})
}

// lineDiff returns the lines that differ between want and got, with
// their line numbers: a longest-common-subsequence diff, enough to review
// a golden change.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&out, "+%d: %s\n", j+1, b[j])
			j++
		default:
			fmt.Fprintf(&out, "-%d: %s\n", i+1, a[i])
			i++
		}
	}
	return out.String()
}
