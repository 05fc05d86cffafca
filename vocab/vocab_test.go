package vocab

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

// TestBuiltin validates the embedded vocabulary: every rule that
// `medkg vocab check` applies must pass, and the breadth promised in the
// issue must be there.
func TestBuiltin(t *testing.T) {
	v, err := Builtin()
	if err != nil {
		var pe *ProblemsError
		if errors.As(err, &pe) {
			for _, p := range pe.Problems {
				t.Error(p)
			}
			t.FailNow()
		}
		t.Fatal(err)
	}
	min := map[medkg.EntityType]int{
		medkg.Nerve: 120, medkg.Muscle: 200, medkg.Anatomy: 100, medkg.Condition: 150,
		medkg.Procedure: 100, medkg.Agency: 30, medkg.Regulation: 40,
	}
	st := v.Stats()
	for typ, n := range min {
		if st.ByType[typ] < n {
			t.Errorf("%s entries = %d, want ≥ %d", typ, st.ByType[typ], n)
		}
	}
	if st.ByPredicate[medkg.Innervates] < 200 {
		t.Errorf("innervates relations = %d, want ≥ 200 (every muscle with its nerve)", st.ByPredicate[medkg.Innervates])
	}
	// Every muscle has at least one innervating nerve.
	for _, e := range v.Entries() {
		if e.Type != medkg.Muscle {
			continue
		}
		ok := false
		for _, r := range v.RelationsTo(e.ID) {
			if r.Predicate == medkg.Innervates {
				ok = true
			}
		}
		for _, r := range v.RelationsFrom(e.ID) {
			if r.Predicate == medkg.PartOf { // a head inherits its muscle's nerve
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s:%d: muscle %s (%s) has no innervating nerve", e.File, e.Line, e.ID, e.Name)
		}
	}
}

// TestBuiltinFacts pins textbook facts the product's flagship questions
// rely on.
func TestBuiltinFacts(t *testing.T) {
	v := mustBuiltin(t)
	tests := []struct {
		subj, pred, obj string // names, resolved through the vocabulary
	}{
		{"腓总神经", "branch_of", "坐骨神经"},
		{"胫神经", "branch_of", "坐骨神经"},
		{"腓深神经", "branch_of", "腓总神经"},
		{"腓浅神经", "branch_of", "腓总神经"},
		{"腓肠内侧皮神经", "branch_of", "胫神经"},
		{"腓肠外侧皮神经", "branch_of", "腓总神经"},
		{"腓深神经", "innervates", "胫骨前肌"},
		{"腓浅神经", "innervates", "腓骨长肌"},
		{"胫神经", "innervates", "比目鱼肌"},
		{"正中神经", "branch_of", "臂丛"},
		{"卫生部", "succeeded_by", "国家卫生和计划生育委员会"},
		{"国家卫生和计划生育委员会", "succeeded_by", "国家卫生健康委员会"},
		{"国家食品药品监督管理总局", "succeeded_by", "国家药品监督管理局"},
		{"国家卫生健康委员会办公厅", "part_of", "国家卫生健康委员会"},
	}
	for _, tt := range tests {
		t.Run(tt.subj+" "+tt.pred+" "+tt.obj, func(t *testing.T) {
			s, o := mustResolve(t, v, tt.subj), mustResolve(t, v, tt.obj)
			if !reaches(v, s.ID, medkg.Predicate(tt.pred), o.ID, 3) {
				t.Errorf("%s (%s) %s %s (%s): not in the vocabulary", s.ID, tt.subj, tt.pred, o.ID, tt.obj)
			}
		})
	}
}

// reaches reports whether obj is reachable from subj through pred, allowing
// intermediate branch_of/part_of steps (a nerve innervates a muscle through
// its muscular branch; a plexus cord sits between a nerve and its plexus).
func reaches(v *Vocabulary, subj string, pred medkg.Predicate, obj string, depth int) bool {
	if depth < 0 {
		return false
	}
	for _, r := range v.RelationsFrom(subj) {
		if r.Predicate == pred && r.Object == obj {
			return true
		}
		if (r.Predicate == medkg.BranchOf || r.Predicate == medkg.PartOf) && pred == r.Predicate && reaches(v, r.Object, pred, obj, depth-1) {
			return true
		}
	}
	if pred == medkg.Innervates {
		// through a branch: subj's branches innervate obj
		for _, r := range v.RelationsTo(subj) {
			if r.Predicate == medkg.BranchOf && reaches(v, r.Subject, pred, obj, depth-1) {
				return true
			}
		}
		// obj is a part (head) of a muscle: innervating the whole counts
		for _, r := range v.RelationsTo(obj) {
			if r.Predicate == medkg.PartOf && reaches(v, subj, pred, r.Subject, depth-1) {
				return true
			}
		}
	}
	return false
}

func TestResolve(t *testing.T) {
	v := mustBuiltin(t)
	tests := []struct {
		name, wantType, wantName string
	}{
		{"腓骨小头", "anatomy", "腓骨头"},
		{"腓骨头", "anatomy", "腓骨头"},
		{"胫神经", "nerve", "胫神经"},
		{"Tibial Nerve", "nerve", "胫神经"},
		{"nerve:tibial", "nerve", "胫神经"},
		{"国家卫健委", "agency", "国家卫生健康委员会"},
		{"腰突", "condition", "腰椎间盘突出症"},
		{"伸趾肌", "muscle", "趾长伸肌"},
		{"小腿神经阻断术", "procedure", "小腿神经离断瘦腿手术"},
		{"ＴＩＢＩＡＬ ＮＥＲＶＥ", "nerve", "胫神经"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustResolve(t, v, tt.name)
			if string(e.Type) != tt.wantType || e.Name != tt.wantName {
				t.Errorf("Resolve(%q) = %s %s (%s), want %s %s", tt.name, e.Type, e.Name, e.ID, tt.wantType, tt.wantName)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	v := mustBuiltin(t)
	got := v.Suggest("腓总神精", 3)
	if len(got) == 0 || got[0].Name != "腓总神经" {
		t.Fatalf("Suggest(腓总神精) = %v, want 腓总神经 first", names(got))
	}
	if got := v.Suggest("完全无关的词语长长长", 3); len(got) != 0 {
		t.Errorf("Suggest(unrelated) = %v, want none", names(got))
	}
}

// TestLoadBadFiles shows each validation rule catching a crafted bad file,
// reported with file and line, and the load failing as a whole.
func TestLoadBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string // substring of the problem
		line    int
	}{
		{"duplicate id", "nerve:x_a\t甲神经\nnerve:x_a\t乙神经\n", "duplicate id nerve:x_a", 2},
		{"alias shared within a type", "nerve:x_a\t甲神经\t共用名\nnerve:x_b\t乙神经\t共用名\n", `"共用名" is already a name of nerve:x_a`, 2},
		{"alias shared across types undeclared", "nerve:x_a\t甲神经\t共用名\nmuscle:x_b\t乙肌\t共用名\tx\t\tinnervated_by=nerve:x_a\n", "mark the alias ~共用名", 2},
		{"unknown relation target", "nerve:x_a\t甲神经\t\t\t\tbranch_of=nerve:nowhere\n", "unknown id nerve:nowhere", 1},
		{"wrong endpoint types", "nerve:x_a\t甲神经\nmuscle:x_b\t乙肌\t\t\t\tinnervates=nerve:x_a\n", "innervates cannot go from muscle to nerve", 2},
		{"empty name", "nerve:x_a\t\n", "empty Chinese name", 1},
		{"non-Chinese name", "nerve:x_a\tsciatic\n", "has no Chinese characters", 1},
		{"non-Chinese alias", "nerve:x_a\t甲神经\tSN\n", `alias "SN" has no Chinese characters`, 1},
		{"bad id", "Nerve-A\t甲神经\n", "want type:snake_case", 1},
		{"unknown type", "organ:x_a\t甲器官\n", "unknown type", 1},
		{"bad code", "nerve:x_a\t甲神经\t\tx\tFMA 123\n", "want SYSTEM:CODE", 1},
		{"bad relation syntax", "nerve:x_a\t甲神经\t\t\t\tsupplies:muscle:x\n", "want predicate=id", 1},
		{"too many columns", "nerve:x_a\t甲神经\t\t\t\t\textra\n", "at most 6", 1},
		{"clash with built-in", "muscle:x_b\t胫神经\t\t\t\tinnervated_by=nerve:tibial\n", `"胫神经" is also a name of nerve`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "user.tsv")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			v, err := Load(path)
			if err == nil {
				t.Fatalf("Load succeeded with %d entries, want an error", len(v.Entries()))
			}
			var pe *ProblemsError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ProblemsError", err)
			}
			if medkg.ErrorCode(err) != medkg.EINVALID {
				t.Errorf("code = %q, want %q", medkg.ErrorCode(err), medkg.EINVALID)
			}
			for _, p := range pe.Problems {
				if strings.Contains(p.Message, tt.want) {
					if p.File != path || p.Line != tt.line {
						t.Errorf("problem at %s:%d, want %s:%d", p.File, p.Line, path, tt.line)
					}
					return
				}
			}
			t.Errorf("no problem mentions %q; got %v", tt.want, pe.Problems)

			problems, err := Check(path)
			if err != nil || len(problems) == 0 {
				t.Errorf("Check(%s) = %v, %v; want problems", path, problems, err)
			}
		})
	}
}

func TestLoadUserVocabulary(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	dir := filepath.Join(cfg, "medkg", "vocab")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.tsv"), []byte("nerve:x_user\t用户神经\t~共用名\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := Load("testdata/good.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"用户神经", "测试胫后神经", "test soleus"} {
		if len(v.Resolve(name)) != 1 {
			t.Errorf("Resolve(%q) = %d entries, want 1", name, len(v.Resolve(name)))
		}
	}
	base := mustBuiltin(t)
	if v.Version() == base.Version() {
		t.Error("user files did not change the version")
	}
	if !reaches(v, "nerve:test_tibial", medkg.Innervates, "muscle:test_soleus", 0) {
		t.Error("innervated_by on the muscle row was not stored as nerve innervates muscle")
	}

	// A user entry with a built-in id replaces it.
	over := filepath.Join(t.TempDir(), "over.tsv")
	if err := os.WriteFile(over, []byte("nerve:tibial\t胫神经\t胫后神经干\ttibial nerve\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err = Load(over)
	if err != nil {
		t.Fatal(err)
	}
	if es := v.Resolve("胫后神经干"); len(es) != 1 || es[0].ID != "nerve:tibial" {
		t.Errorf("override not applied: %v", names(es))
	}
}

func BenchmarkBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

func mustBuiltin(tb testing.TB) *Vocabulary {
	tb.Helper()
	v, err := Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustResolve(tb testing.TB, v *Vocabulary, name string) *Entry {
	tb.Helper()
	es := v.Resolve(name)
	if len(es) == 0 {
		tb.Fatalf("%q is not in the vocabulary", name)
	}
	return es[0]
}

func names(es []*Entry) []string {
	var s []string
	for _, e := range es {
		s = append(s, e.ID)
	}
	return s
}
