package query

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdQuery(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantName string
		wantArgs []string
		wantList bool
		wantFmt  string
		wantErr  string
	}{
		{name: "no args query", args: []string{"banned-nerves"}, wantName: "banned-nerves", wantFmt: "table"},
		{name: "one arg", args: []string{"innervation", "胫神经", "--format", "json"}, wantName: "innervation", wantArgs: []string{"胫神经"}, wantFmt: "json"},
		{name: "three args", args: []string{"evidence", "a", "bans", "b"}, wantName: "evidence", wantArgs: []string{"a", "bans", "b"}, wantFmt: "table"},
		{name: "list", args: []string{"--list"}, wantList: true, wantFmt: "table"},
		{name: "nothing", args: nil, wantErr: "name a query"},
		{name: "unknown query", args: []string{"banned-nervs"}, wantErr: `unknown query "banned-nervs"`},
		{name: "missing arg", args: []string{"innervation"}, wantErr: "query innervation takes one argument: NAME"},
		{name: "extra arg", args: []string{"banned-nerves", "x"}, wantErr: "takes no arguments"},
		{name: "list with name", args: []string{"--list", "path"}, wantErr: "--list takes no query name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *QueryOptions
			cmd := NewCmdQuery(&cmdutil.Factory{IOStreams: ios}, func(o *QueryOptions) error { got = o; return nil })
			err := cmdtest.Exec(cmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if cmdutil.ExitCode(err) != cmdutil.ExitInvalid {
					t.Errorf("exit %d, want usage error", cmdutil.ExitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName || strings.Join(got.Args, "|") != strings.Join(tt.wantArgs, "|") || got.List != tt.wantList || got.Format != tt.wantFmt {
				t.Errorf("got %+v", got)
			}
		})
	}
}

type result struct {
	out, errOut string
	err         error
}

func run(t *testing.T, store func(context.Context, bool) (*graph.Store, error), tty bool, format string, name string, args ...string) result {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	ios.SetTerminalWidth(250) // wide enough for whole fields; TestQueryRunFitsTerminal cuts
	err := queryRun(context.Background(), &QueryOptions{
		IO:         ios,
		Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
		Store:      store,
		Name:       name,
		Args:       args,
		MaxHops:    graph.DefaultMaxHops,
		Format:     format,
	})
	return result{out.String(), errOut.String(), err}
}

func TestQueryRun(t *testing.T) {
	store := cmdtest.SeededStore(t)
	tests := []struct {
		name  string
		query []string
		tty   bool
		want  []string
	}{
		{"banned-nerves tty", []string{"banned-nerves"}, true, []string{"NERVE", "RELATION", "THROUGH", "PROCEDURE", "KIND", "BANNER", "JURISDICTION", "SCOPE", "EFFECTIVE", "EVIDENCE", "2021-07-26",
			"腓肠内侧皮神经", "腓肠外侧皮神经", "国家卫生健康委员会", "ban: 000_nhc_ban_zaobao.md#", "link: "}},
		// Piped: a header, and every piece of evidence on a line that
		// repeats the row's fields.
		{"banned-nerves piped", []string{"banned-nerves"}, false, []string{"nerve\trelation\tthrough\tprocedure\tkind\tbanner\tjurisdiction\tscope\teffective\tevidence\n",
			"腓肠内侧皮神经\tcuts\t-\t", "国家卫生健康委员会", "/000_nhc_ban_zaobao.md#", "\tlink: vocabulary", "\tlink: /"}},
		{"banned-procedures", []string{"banned-procedures"}, false, []string{"procedure\tkind\tbanner\tjurisdiction\tscope\teffective\tsupport\tevidence\n",
			// the ban's date from the text (本月26日), not the article's (2021-07-31)
			"小腿神经离断瘦腿手术\tban\t国家卫生健康委员会\tnational\t-\t2021-07-26\t"}},
		{"innervation by alias", []string{"innervation", "胫神经"}, true, []string{"NERVE", "BRANCH", "MUSCLE", "比目鱼肌", "vocabulary"}},
		{"innervation by english name", []string{"innervation", "Tibial Nerve"}, false, []string{"胫神经\t-\t比目鱼肌\t"}},
		{"neighbors", []string{"neighbors", "muscle:soleus"}, false, []string{"in\t胫神经\tinnervates\t比目鱼肌\t"}},
		{"path", []string{"path", "比目鱼肌", "坐骨神经"}, true, []string{"STEP", "← innervates", "branch_of →", "EVIDENCE", "vocabulary"}},
		{"path piped", []string{"path", "国家卫生健康委员会", "腓肠内侧皮神经"}, false, []string{"step\tfrom\tpredicate\tto\tevidence\n",
			"1\t国家卫生健康委员会\tbans →\t小腿神经离断瘦腿手术\t/", "2\t小腿神经离断瘦腿手术\tcuts →\t腓肠内侧皮神经\t/"}},
		{"evidence", []string{"evidence", "国家卫生健康委员会", "bans", "小腿神经离断瘦腿手术"}, false, []string{"000_nhc_ban_zaobao.md#", "叫停"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, store, tt.tty, "table", tt.query[0], tt.query[1:]...)
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.out, w) {
					t.Errorf("output lacks %q:\n%s", w, r.out)
				}
			}
			if tt.tty == false && strings.Contains(r.out, "NERVE") {
				t.Errorf("header printed to a pipe")
			}
		})
	}
}

// TestQueryRunFitsTerminal: on a 100-column terminal no line is wider
// than 100 cells, long evidence is cut with "…"; --wide keeps it whole.
func TestQueryRunFitsTerminal(t *testing.T) {
	store := cmdtest.SeededStore(t)
	for _, wide := range []bool{false, true} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(true)
		ios.SetTerminalWidth(100)
		err := queryRun(context.Background(), &QueryOptions{
			IO:         ios,
			Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
			Store:      store, Name: "banned-nerves", Format: "table", Wide: wide,
		})
		if err != nil {
			t.Fatal(err)
		}
		widest := 0
		for _, l := range strings.Split(out.String(), "\n") {
			widest = max(widest, cmdutil.DisplayWidth(l))
		}
		switch {
		case !wide && (widest > 100 || !strings.Contains(out.String(), "…")):
			t.Errorf("widest line %d cells, want ≤ 100 with cut fields:\n%s", widest, out)
		case wide && (widest <= 100 || strings.Contains(out.String(), "…")):
			t.Errorf("--wide: widest line %d cells, want whole fields:\n%s", widest, out)
		}
	}
}

func TestQueryRunJSON(t *testing.T) {
	store := cmdtest.SeededStore(t)
	r := run(t, store, false, "json", "banned-nerves")
	if r.err != nil {
		t.Fatal(r.err)
	}
	var rows []graph.BannedNerve
	if err := json.Unmarshal([]byte(r.out), &rows); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	nerves := map[string]bool{}
	for _, row := range rows {
		nerves[row.Nerve.Name] = true
		if len(row.BanEvidence) == 0 || row.BanEvidence[0].Text == "" || row.BanEvidence[0].Source == "" {
			t.Errorf("row without ban evidence: %+v", row)
		}
	}
	for _, n := range []string{"腓肠内侧皮神经", "腓肠外侧皮神经"} {
		if !nerves[n] {
			t.Errorf("%s missing from %v", n, nerves)
		}
	}

	for _, q := range [][]string{{"innervation", "胫神经"}, {"neighbors", "胫神经"}, {"path", "胫神经", "坐骨神经"}, {"evidence", "胫神经", "branch_of", "坐骨神经"}, {"banned-procedures"}} {
		r := run(t, store, true, "json", q[0], q[1:]...)
		if r.err != nil {
			t.Fatalf("%v: %v", q, r.err)
		}
		var v []any
		if err := json.Unmarshal([]byte(r.out), &v); err != nil || len(v) == 0 {
			t.Errorf("%v: JSON %v, %d items:\n%s", q, err, len(v), r.out)
		}
	}
}

func TestQueryRunUnknownName(t *testing.T) {
	store := cmdtest.SeededStore(t)
	tests := []struct {
		query    []string
		wantExit int
		want     string
	}{
		{[]string{"innervation", "胫神精"}, cmdutil.ExitNotFound, "did you mean: 胫神经 (nerve:tibial)"},
		{[]string{"neighbors", "xyzzy"}, cmdutil.ExitNotFound, `no entity named "xyzzy"`},
		{[]string{"path", "胫神经", "坐骨神精"}, cmdutil.ExitNotFound, "坐骨神经 (nerve:sciatic)"},
		{[]string{"innervation", "腓骨小头"}, cmdutil.ExitInvalid, "not a nerve or muscle"},
		{[]string{"evidence", "胫神经", "loves", "坐骨神经"}, cmdutil.ExitInvalid, `unknown predicate "loves"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.query, " "), func(t *testing.T) {
			r := run(t, store, false, "table", tt.query[0], tt.query[1:]...)
			if cmdutil.ExitCode(r.err) != tt.wantExit {
				t.Fatalf("err = %v (exit %d), want exit %d", r.err, cmdutil.ExitCode(r.err), tt.wantExit)
			}
			if !strings.Contains(r.err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", r.err, tt.want)
			}
			if r.out != "" {
				t.Errorf("printed a table for a bad name: %q", r.out)
			}
		})
	}
}

func TestQueryRunEmptyGraph(t *testing.T) {
	r := run(t, cmdtest.StoreOpener(t), false, "table", "banned-nerves")
	if r.err != nil || r.out != "" || !strings.Contains(r.errOut, "no nerve related to a banned procedure") {
		t.Errorf("err=%v out=%q errOut=%q", r.err, r.out, r.errOut)
	}
	r = run(t, cmdtest.StoreOpener(t), false, "json", "banned-nerves")
	if r.err != nil || strings.TrimSpace(r.out) != "[]" {
		t.Errorf("JSON for no rows: %q, %v", r.out, r.err)
	}
}

// TestQueryRunMissingStore: a mistyped --db is not an empty graph.
func TestQueryRunMissingStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	r := run(t, cmdtest.MissingStoreOpener(dir), false, "table", "banned-nerves")
	if cmdutil.ExitCode(r.err) != cmdutil.ExitNotFound || !strings.Contains(r.err.Error(), dir) || r.out != "" {
		t.Errorf("err=%v (exit %d) out=%q, want exit 3 naming %s", r.err, cmdutil.ExitCode(r.err), r.out, dir)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("query created %s", dir)
	}
}

func TestQueryRunList(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		ios, _, out, _ := iostreams.Test()
		err := queryRun(context.Background(), &QueryOptions{IO: ios, List: true, Format: format,
			Store: func(context.Context, bool) (*graph.Store, error) { t.Fatal("--list opened the graph"); return nil, nil }})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range app.Queries() {
			if !strings.Contains(out.String(), q.Name) {
				t.Errorf("%s: %s missing", format, q.Name)
			}
		}
		if format == "json" {
			var qs []listEntry
			if err := json.Unmarshal(out.Bytes(), &qs); err != nil || len(qs) != len(app.Queries()) {
				t.Errorf("JSON list: %v", err)
			}
		}
	}
}

// TestQueryOptions: --kind, --jurisdiction and --since narrow the ban
// questions; bad values and options a query does not take are usage
// errors before the store is opened.
func TestQueryOptions(t *testing.T) {
	store := cmdtest.SeededStore(t)
	runOpts := func(name string, o app.Options) result {
		ios, _, out, errOut := iostreams.Test()
		err := queryRun(context.Background(), &QueryOptions{
			IO: ios, Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
			Store: store, Name: name, MaxHops: graph.DefaultMaxHops, Format: "table", Options: o,
		})
		return result{out.String(), errOut.String(), err}
	}
	for _, c := range []struct {
		name       string
		opts       app.Options
		want, nowt string
	}{
		{"national", app.Options{"jurisdiction": "national"}, "\tnational\t-\t2021-07-26", ""},
		{"since before", app.Options{"since": "2021-07"}, "2021-07-26", ""},
		{"since after: nothing", app.Options{"since": "2021-08-01"}, "", "小腿神经离断瘦腿手术"},
		{"only warnings: nothing", app.Options{"kind": "warning"}, "", "小腿神经离断瘦腿手术"},
		{"all kinds", app.Options{"kind": "all"}, "\tban\t", ""},
		{"an actor with its units", app.Options{"actor": "国家卫健委"}, "\t国家卫生健康委员会办公厅 (part of 国家卫生健康委员会)\t", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runOpts("banned-procedures", c.opts)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if !strings.Contains(r.out, c.want) || (c.nowt != "" && strings.Contains(r.out, c.nowt)) {
				t.Errorf("output:\n%s\nwant %q, not %q", r.out, c.want, c.nowt)
			}
			if c.want == "" && !strings.Contains(r.errOut, "no banned procedure") {
				t.Errorf("empty answer not told on stderr: %q", r.errOut)
			}
		})
	}
	for _, c := range []struct {
		name, query string
		opts        app.Options
		want        string
	}{
		{"unknown kind", "banned-procedures", app.Options{"kind": "bans"}, `kind "bans": want one or more of ban, suspension`},
		{"bad date", "banned-nerves", app.Options{"since": "2021/07"}, "want YYYY, YYYY-MM or YYYY-MM-DD"},
		{"option of another query", "innervation", app.Options{"kind": "ban"}, "query innervation takes no option kind"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opened := false
			ios, _, _, _ := iostreams.Test()
			err := queryRun(context.Background(), &QueryOptions{
				IO: ios, Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
				Store: func(context.Context, bool) (*graph.Store, error) { opened = true; return nil, errors.New("opened") },
				Name:  c.query, Args: []string{"胫神经"}[:len(mustFind(t, c.query).Args)], Format: "table", Options: c.opts,
			})
			var fe *cmdutil.FlagError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) || opened {
				t.Errorf("err = %v (opened store: %v), want a usage error with %q", err, opened, c.want)
			}
		})
	}
}

func mustFind(t *testing.T, name string) app.Query {
	t.Helper()
	q, err := app.Find(name)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
