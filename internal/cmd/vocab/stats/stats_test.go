package stats

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdStats(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *StatsOptions
	cmd := NewCmdStats(&cmdutil.Factory{IOStreams: ios}, func(o *StatsOptions) error { got = o; return nil })
	if err := cmdtest.Exec(cmd, "--format", "json"); err != nil || got.Format != "json" {
		t.Fatalf("err=%v opts=%+v", err, got)
	}
	if err := cmdtest.Exec(NewCmdStats(&cmdutil.Factory{IOStreams: ios}, nil), "extra"); err == nil {
		t.Error("an argument should be refused")
	}
}

func TestStatsRun(t *testing.T) {
	load := func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil }
	want := cmdtest.Vocabulary(t).Stats()
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		if err := statsRun(&StatsOptions{IO: ios, Vocabulary: load, Format: "table"}); err != nil {
			t.Fatal(err)
		}
		if tty != strings.HasPrefix(out.String(), "WHAT") {
			t.Errorf("tty=%v: header presence wrong:\n%s", tty, out)
		}
		if !strings.Contains(out.String(), "nerve") || !strings.Contains(out.String(), "innervates") {
			t.Errorf("tty=%v: counts by type or predicate missing:\n%s", tty, out)
		}
	}
	ios, _, out, _ := iostreams.Test()
	if err := statsRun(&StatsOptions{IO: ios, Vocabulary: load, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	var got vocab.Stats
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Entries != want.Entries || got.Relations != want.Relations || got.Version != want.Version {
		t.Errorf("JSON stats %+v, want %+v", got, want)
	}
}
