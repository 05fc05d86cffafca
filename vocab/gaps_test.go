package vocab

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

// The sentences below are written for these tests; 赫尔曼 is an invented
// name, so that no growth of the vocabulary makes its terms known.
func TestGapMiner(t *testing.T) {
	v := mustBuiltin(t)
	tests := []struct {
		name string
		text string
		want map[string]medkg.EntityType // term → type, all must be found
		not  []string                    // terms that must not be found
	}{
		{"nerve and operation on it", "患者行赫尔曼神经松解术后恢复良好。",
			map[string]medkg.EntityType{"赫尔曼神经": medkg.Nerve, "赫尔曼神经松解术": medkg.Procedure},
			[]string{"患者行赫尔曼神经", "行赫尔曼神经松解术", "松解术", "术"}},
		{"verb before a nerve is cut off", "医生切断了赫尔曼神经，并保护赫尔曼神经。",
			map[string]medkg.EntityType{"赫尔曼神经": medkg.Nerve}, []string{"切断了赫尔曼神经", "保护赫尔曼神经", "了赫尔曼神经"}},
		{"function words and laterality", "左侧赫尔曼神经和右侧赫尔曼肌的病变",
			map[string]medkg.EntityType{"赫尔曼神经": medkg.Nerve, "赫尔曼肌": medkg.Muscle}, []string{"左侧赫尔曼神经", "和右侧赫尔曼肌"}},
		{"measure words", "他做了三次赫尔曼手术，打了两针",
			map[string]medkg.EntityType{"赫尔曼手术": medkg.Procedure}, []string{"三次赫尔曼手术", "次赫尔曼手术", "两针"}},
		{"condition heads", "赫尔曼综合征常合并赫尔曼骨骨折。",
			map[string]medkg.EntityType{"赫尔曼综合征": medkg.Condition, "赫尔曼骨骨折": medkg.Condition, "赫尔曼骨": medkg.Anatomy}, nil},
		{"treatment verb cut before a condition", "用于治疗赫尔曼综合征",
			map[string]medkg.EntityType{"赫尔曼综合征": medkg.Condition}, []string{"治疗赫尔曼综合征", "于治疗赫尔曼综合征"}},
		{"verb inside an operation's name stays", "开展小腿赫尔曼阻断术",
			map[string]medkg.EntityType{"小腿赫尔曼阻断术": medkg.Procedure}, []string{"术"}},
		{"branch of a known nerve", "腓总神经赫尔曼支从腓骨颈处分出。",
			map[string]medkg.EntityType{"腓总神经赫尔曼支": medkg.Nerve}, []string{"腓总神经"}},
		{"branch without a nerve is not one", "分为赫尔曼支和另一支", nil, []string{"赫尔曼支"}},
		{"agency and regulation", "赫尔曼市卫生健康委员会印发《赫尔曼技术临床应用管理规范》的通知",
			map[string]medkg.EntityType{"赫尔曼市卫生健康委员会": medkg.Agency, "《赫尔曼技术临床应用管理规范》": medkg.Regulation},
			[]string{"赫尔曼技术", "《赫尔曼》"}},
		{"book title without a regulation head", "他读了《赫尔曼的故事》", nil, []string{"《赫尔曼的故事》"}},
		{"generic words and muscle groups never", "手术切断神经，神经根和肌支受损，支配前臂伸肌群和面部表情肌，新技术",
			nil, []string{"手术", "神经", "神经根", "肌支", "前臂伸肌", "面部表情肌", "新技术", "技术"}},
		{"known names and nested ones never", "腓总神经卡压综合征压迫腓总神经，行腓总神经松解手术",
			nil, []string{"腓总神经", "腓总神经卡压综合征", "腓总神经松解手术", "腓总神经松解术"}},
		{"hard-wrapped line joined", "这是一段从版式文件中抽出的较长的病历文字，患者右侧赫\n尔曼神经受压。\n标题赫\n尔曼肌",
			map[string]medkg.EntityType{"赫尔曼神经": medkg.Nerve}, []string{"尔曼神经", "标题赫尔曼肌"}},
		{"an exam is not part of a name", "肌电图示赫尔曼神经损伤",
			map[string]medkg.EntityType{"赫尔曼神经损伤": medkg.Condition}, []string{"肌电图示赫尔曼神经损伤", "示赫尔曼神经损伤"}},
		{"not before: 肌 of 肌肉, 管 of 管理", "赫尔曼肌肉萎缩，赫尔曼管理局",
			map[string]medkg.EntityType{"赫尔曼管理局": medkg.Agency}, []string{"赫尔曼肌", "赫尔曼管"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewGapMiner(v)
			m.Add("test.txt", tt.text)
			got := map[string]Gap{}
			for _, g := range m.Gaps(GapOptions{MinCount: 1}) {
				got[g.Term] = g
			}
			for term, typ := range tt.want {
				g, ok := got[term]
				if !ok {
					t.Errorf("%q not found; got %v", term, keys(got))
					continue
				}
				if g.Type != typ {
					t.Errorf("%q typed %s, want %s", term, g.Type, typ)
				}
				if g.Example == "" || !strings.Contains(strings.ReplaceAll(tt.text, "\n", ""), g.Example) || g.Source != "test.txt" {
					t.Errorf("%q: example %q from %q", term, g.Example, g.Source)
				}
			}
			for _, term := range tt.not {
				if _, ok := got[term]; ok {
					t.Errorf("%q should not be reported; got %v", term, keys(got))
				}
			}
		})
	}
}

func TestGapCountsParentsAndFilters(t *testing.T) {
	m := NewGapMiner(mustBuiltin(t))
	m.Add("a.txt", "赫尔曼神经起自腓总神经。赫尔曼神经很细。")
	m.Add("b.txt", "切断赫尔曼神经。腓总神经赫尔曼支。")
	gaps := m.Gaps(GapOptions{MinCount: 1})
	byTerm := map[string]Gap{}
	for _, g := range gaps {
		byTerm[g.Term] = g
	}
	if g := byTerm["赫尔曼神经"]; g.Count != 3 || g.Docs != 2 || g.Source != "a.txt" || g.Example != "赫尔曼神经起自腓总神经" {
		t.Errorf("赫尔曼神经: %+v", g)
	}
	if g := byTerm["腓总神经赫尔曼支"]; g.ParentID != "nerve:common_peroneal" || g.Parent != "腓总神经" {
		t.Errorf("branch parent: %+v", g)
	}
	if gaps[0].Term != "赫尔曼神经" {
		t.Errorf("most frequent first: %+v", gaps[0])
	}
	if got := m.Gaps(GapOptions{MinCount: 2}); len(got) != 1 || got[0].Term != "赫尔曼神经" {
		t.Errorf("MinCount 2: %+v", got)
	}
	for _, g := range m.Gaps(GapOptions{MinCount: 1, Types: []medkg.EntityType{medkg.Procedure}}) {
		t.Errorf("no procedure expected, got %+v", g)
	}
}

func TestGapText(t *testing.T) {
	tests := []struct {
		name, file, data, want, not string
	}{
		{"corpus header", "a.txt", "source: https://example.org/x\ntitle: 赫尔曼神经\n\n正文赫尔曼肌。", "正文赫尔曼肌", "example.org"},
		{"front matter", "a.md", "---\ntitle: 赫尔曼神经\n---\n正文。", "正文", "title"},
		{"html", "a.html", "<html><head><title>标题</title></head><body><p>赫尔曼&amp;神经</p><script>var 神经=1</script></body></html>", "赫尔曼&神经", "var"},
		{"plain", "a.txt", "赫尔曼神经。", "赫尔曼神经", "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GapText(tt.file, []byte(tt.data))
			if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) {
				t.Errorf("GapText = %q", got)
			}
		})
	}
}

// TestGapsSharedCorpus mines the shared corpus in place, when present
// (it is third-party text and never copied here), and checks that it finds
// typed candidates. It prints no corpus text; its speed is measured by
// BenchmarkGapsSharedCorpus, never by a timed test.
func TestGapsSharedCorpus(t *testing.T) {
	dir := sharedCorpus(t)
	v := mustBuiltin(t)
	m, n := mineDir(t, v, dir)
	gaps := m.Gaps(GapOptions{MinCount: 2})
	t.Logf("%d files, %d gaps with count ≥ 2", n, len(gaps))
	if n < 100 {
		t.Errorf("only %d corpus files read", n)
	}
	for _, g := range gaps {
		if !g.Type.Valid() || g.Count < 2 || g.Docs < 1 || g.Docs > g.Count || g.Example == "" {
			t.Errorf("malformed gap %+v", g)
		}
		if gapGeneric[g.Term] || len(v.Resolve(g.Term)) > 0 {
			t.Errorf("known or generic term reported: %q", g.Term)
		}
	}
}

func BenchmarkGapsSharedCorpus(b *testing.B) {
	dir := sharedCorpus(b)
	v := mustBuiltin(b)
	for b.Loop() {
		m, _ := mineDir(b, v, dir)
		m.Gaps(GapOptions{MinCount: 2})
	}
}

func sharedCorpus(tb testing.TB) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus", "texts")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared corpus not present (%v): skipping", err)
	}
	return dir
}

func mineDir(tb testing.TB, v *Vocabulary, dir string) (*GapMiner, int) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	m := NewGapMiner(v)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		m.Add(filepath.Base(f), GapText(f, data))
	}
	return m, len(files)
}

func keys(m map[string]Gap) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
