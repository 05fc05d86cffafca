package stats

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdStats(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr bool
	}{
		{nil, "table", false},
		{[]string{"--format", "json"}, "json", false},
		{[]string{"--format", "xml"}, "", true},
		{[]string{"extra"}, "", true},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *StatsOptions
		err := cmdtest.Exec(NewCmdStats(&cmdutil.Factory{IOStreams: ios}, func(o *StatsOptions) error { got = o; return nil }), tt.args...)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got.Format != tt.want) {
			t.Errorf("%q: err=%v opts=%+v", tt.args, err, got)
		}
	}
}

func TestStatsRun(t *testing.T) {
	store := cmdtest.SeededStore(t)
	tests := []struct {
		tty     bool
		want    []string
		notWant []string
	}{
		{true, []string{"WHAT", "entities", "nerve", "edges", "bans", "documents", "HASH", "000_nhc_ban_zaobao.md"}, nil},
		{false, []string{"what\tkind\tvocabulary\tdocuments\ttotal\n", "entities\tnerve\t", "edges\tbans\t0\t", "documents\t\t\t4\t4", "document\t", "/000_nhc_ban_zaobao.md"}, []string{"WHAT", "HASH"}},
	}
	for _, tt := range tests {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tt.tty)
		ios.SetTerminalWidth(250)
		if err := statsRun(context.Background(), &StatsOptions{IO: ios, Store: store, Format: "table"}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("tty=%v: lacks %q:\n%s", tt.tty, w, out)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(out.String(), w) {
				t.Errorf("tty=%v: has %q", tt.tty, w)
			}
		}
	}

	ios, _, out, _ := iostreams.Test()
	if err := statsRun(context.Background(), &StatsOptions{IO: ios, Store: store, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	var s Stats
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Documents) != 4 || s.Entities["nerve"] == 0 || s.Edges["bans"] == 0 {
		t.Errorf("stats %+v", s)
	}
	// Vocabulary and documents counted apart: the vocabulary states no
	// ban, the documents do; the documents mention a few nerves only.
	if s.BySource.Vocabulary.Edges["bans"] != 0 || s.BySource.Documents.Edges["bans"] == 0 ||
		s.BySource.Documents.Entities["nerve"] == 0 || s.BySource.Documents.Entities["nerve"] >= s.BySource.Vocabulary.Entities["nerve"] {
		t.Errorf("stats %+v", s)
	}
}

func TestStatsRunEmptyGraphJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := statsRun(context.Background(), &StatsOptions{IO: ios, Store: cmdtest.StoreOpener(t), Format: "json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"documents":[]`) {
		t.Errorf("documents should be [] not null: %s", out)
	}
}
