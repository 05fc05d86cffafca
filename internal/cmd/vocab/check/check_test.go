package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdCheck(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Globals: &cmdutil.GlobalOptions{VocabFiles: []string{"g.tsv"}}}
	var got *CheckOptions
	cmd := NewCmdCheck(f, func(o *CheckOptions) error { got = o; return nil })
	if err := cmdtest.Exec(cmd, "a.tsv", "b.tsv"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Files, ",") != "a.tsv,b.tsv" || strings.Join(got.GlobalFiles, ",") != "g.tsv" || got.Format != "table" {
		t.Errorf("got %+v", got)
	}
}

const bad = "# user terms\n" +
	"nerve:tibial_copy\t胫神经\n" + // same name as a built-in nerve
	"muscle:x\t某肌\t-\t-\t-\tinnervated_by=nerve:nope\n" // unknown id

func TestCheckRun(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad.tsv")
	goodFile := filepath.Join(dir, "good.tsv")
	if err := os.WriteFile(badFile, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goodFile, []byte("condition:calf_ache\t小腿酸胀症\t-\tcalf ache\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("problems", func(t *testing.T) {
		ios, _, out, _ := iostreams.Test()
		err := checkRun(&CheckOptions{IO: ios, Files: []string{badFile}, Format: "table"})
		if cmdutil.ExitCode(err) != cmdutil.ExitInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) < 2 {
			t.Fatalf("want every problem, got:\n%s", out)
		}
		for _, want := range []string{badFile + ":2: ", badFile + ":3: "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("no problem at %q:\n%s", want, out)
			}
		}
		if !strings.Contains(err.Error(), "problem(s)") {
			t.Errorf("summary %q", err)
		}
	})
	t.Run("json", func(t *testing.T) {
		ios, _, out, _ := iostreams.Test()
		err := checkRun(&CheckOptions{IO: ios, Files: []string{badFile}, Format: "json"})
		if err == nil {
			t.Fatal("want an error")
		}
		var ps []vocab.Problem
		if err := json.Unmarshal(out.Bytes(), &ps); err != nil || len(ps) < 2 || ps[0].File != badFile || ps[0].Line == 0 {
			t.Fatalf("JSON %s: %v %+v", out, err, ps)
		}
	})
	t.Run("clean", func(t *testing.T) {
		ios, _, out, errOut := iostreams.Test()
		ios.SetStderrTTY(true)
		if err := checkRun(&CheckOptions{IO: ios, Files: []string{goodFile}, Format: "table"}); err != nil {
			t.Fatal(err)
		}
		if out.Len() != 0 || !strings.Contains(errOut.String(), "no problems") {
			t.Errorf("stdout %q stderr %q", out, errOut)
		}
	})
	t.Run("no files checks the user dir and --vocab", func(t *testing.T) {
		cfg := os.Getenv("XDG_CONFIG_HOME")
		userFile := filepath.Join(cfg, "medkg", "vocab", "mine.tsv")
		if err := os.MkdirAll(filepath.Dir(userFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(userFile, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(userFile)
		ios, _, out, _ := iostreams.Test()
		err := checkRun(&CheckOptions{IO: ios, GlobalFiles: []string{goodFile}, Format: "table"})
		if err == nil || !strings.Contains(out.String(), userFile+":2:") {
			t.Errorf("err=%v, out:\n%s", err, out)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		ios, _, _, _ := iostreams.Test()
		err := checkRun(&CheckOptions{IO: ios, Files: []string{filepath.Join(dir, "nope.tsv")}, Format: "table"})
		if cmdutil.ExitCode(err) != cmdutil.ExitInvalid || !strings.Contains(err.Error(), "nope.tsv") {
			t.Errorf("err = %v", err)
		}
	})
}
