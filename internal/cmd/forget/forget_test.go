package forget

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdForget(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *ForgetOptions
	cmd := NewCmdForget(&cmdutil.Factory{IOStreams: ios}, func(o *ForgetOptions) error { got = o; return nil })
	if err := cmdtest.Exec(cmd, "a.md", "3fa94c"); err != nil || strings.Join(got.Refs, ",") != "a.md,3fa94c" || got.Format != "table" {
		t.Fatalf("err=%v opts=%+v", err, got)
	}
	if err := cmdtest.Exec(NewCmdForget(&cmdutil.Factory{IOStreams: ios}, nil)); err == nil {
		t.Error("no DOC should be a usage error")
	}
}

func TestRef(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for arg, want := range map[string]string{
		"a.md":                 filepath.Join(dir, "a.md"),
		"./a.md":               filepath.Join(dir, "a.md"),
		"3fa94c":               "3fa94c",
		"stdin:3fa94c2e1b07":   "stdin:3fa94c2e1b07",
		"<medkg:doc/0123abcd>": "<medkg:doc/0123abcd>",
	} {
		if got, err := Ref(arg); err != nil || got != want {
			t.Errorf("Ref(%q) = %q, %v; want %q", arg, got, err, want)
		}
	}
}

func TestForgetRun(t *testing.T) {
	store := cmdtest.SeededStore(t)
	devset := cmdtest.Devset(t)
	t.Chdir(devset)

	// A relative path resolves to the absolute source ingest stored.
	ios, _, out, errOut := iostreams.Test()
	err := forgetRun(context.Background(), &ForgetOptions{IO: ios, Store: store, Refs: []string{"000_nhc_ban_zaobao.md"}, Format: "json"})
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var res []Forgotten
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res) != 1 || res[0].Removed == 0 {
		t.Fatalf("JSON %s: %v", out, err)
	}

	// Forgetting it again, with another that exists: partial failure.
	ios, _, out, errOut = iostreams.Test()
	ios.SetStdoutTTY(true)
	err = forgetRun(context.Background(), &ForgetOptions{IO: ios, Store: store,
		Refs: []string{"000_nhc_ban_zaobao.md", filepath.Join(devset, "001_calf_nerve_block_zaobao.md")}, Format: "table"})
	if cmdutil.ExitCode(err) != cmdutil.ExitPartial {
		t.Errorf("err = %v, want partial", err)
	}
	if !strings.Contains(errOut.String(), "000_nhc_ban_zaobao.md") || !strings.Contains(errOut.String(), "no document") || !strings.Contains(out.String(), "DOCUMENT") || !strings.Contains(out.String(), "001_calf") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}

	// Only unknown documents: not found.
	ios, _, _, _ = iostreams.Test()
	err = forgetRun(context.Background(), &ForgetOptions{IO: ios, Store: store, Refs: []string{"nope.md"}, Format: "table"})
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Errorf("err = %v, want not found", err)
	}
}

// TestForgetRunMissingStore: forgetting from a --db that holds no store
// fails with exit 3 and creates nothing.
func TestForgetRunMissingStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	ios, _, _, _ := iostreams.Test()
	err := forgetRun(context.Background(), &ForgetOptions{IO: ios, Store: cmdtest.MissingStoreOpener(dir), Refs: []string{"a.md"}, Format: "table"})
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Errorf("err = %v (exit %d), want exit 3", err, cmdutil.ExitCode(err))
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("forget created %s", dir)
	}
}
