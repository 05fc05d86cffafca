package cli

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// lazyFactory returns a Factory whose expensive dependencies fail the test
// if called: commands run with it must not need them.
func lazyFactory(t *testing.T) (*cmdutil.Factory, *iostreams.IOStreams) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{
		IOStreams:  ios,
		AppVersion: "v9.9.9-test",
		Globals:    &cmdutil.GlobalOptions{Backend: "bolt"},
		Logger:     func() *slog.Logger { return slog.New(slog.DiscardHandler) },
		Vocabulary: func() (*vocab.Vocabulary, error) {
			t.Error("Vocabulary() called")
			return nil, context.Canceled
		},
		Extractor: func() (*extract.Extractor, error) {
			t.Error("Extractor() called")
			return nil, context.Canceled
		},
		GraphPath: func() (string, error) {
			t.Error("GraphPath() called")
			return "", context.Canceled
		},
		Store: func(context.Context, bool) (*graph.Store, error) {
			t.Error("Store() called")
			return nil, context.Canceled
		},
	}, ios
}

func TestCheapCommandsLoadNothing(t *testing.T) {
	tests := []struct {
		args    []string
		wantOut string
	}{
		{[]string{"--help"}, "Exit status:"},
		{[]string{"help"}, "Usage:"},
		{[]string{}, "Usage:"},
		{[]string{"--version"}, "medkg version v9.9.9-test"},
		{[]string{"version"}, "medkg version v9.9.9-test"},
		{[]string{"version", "--format", "json"}, `"version":"v9.9.9-test"`},
		{[]string{"completion", "bash"}, "__start_medkg"},
		{[]string{"completion", "zsh"}, "#compdef medkg"},
		{[]string{"completion", "fish"}, "complete -c medkg"},
		{[]string{"completion", "powershell"}, "Register-ArgumentCompleter"},
		{[]string{"vocab", "--help"}, "medkg vocab show 胫神经"},
		{[]string{"vocab"}, "Available Commands"},
		{[]string{"query", "--help"}, "banned-nerves"},
		{[]string{"ingest", "--help"}, "$ medkg ingest"},
		{[]string{"extract", "--help"}, "$ medkg extract"},
		{[]string{"gizmo", "--help"}, "--timeout"},
		{[]string{"export", "--help"}, "-o"},
		{[]string{"stats", "--help"}, "$ medkg stats"},
		{[]string{"forget", "--help"}, "$ medkg forget"},
		{[]string{"migrate", "--help"}, "$ medkg migrate"},
		{[]string{"__complete", "query", ""}, "banned-nerves"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f, ios := lazyFactory(t)
			code := Run(context.Background(), f, tt.args)
			out := ios.Out.(interface{ String() string }).String()
			errOut := ios.ErrOut.(interface{ String() string }).String()
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout does not contain %q:\n%s", tt.wantOut, out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args       []string
		wantErr    string
		wantStatus int
	}{
		{[]string{"bogus"}, `unknown command "bogus" for "medkg"`, cmdutil.ExitInvalid},
		{[]string{"stat"}, `did you mean "stats"?`, cmdutil.ExitInvalid},
		{[]string{"vocab", "lst"}, `unknown command "lst" for "medkg vocab"`, cmdutil.ExitInvalid},
		{[]string{"--nope"}, "unknown flag: --nope", cmdutil.ExitInvalid},
		{[]string{"extract"}, "name at least one article file", cmdutil.ExitInvalid},
		{[]string{"ingest"}, "name at least one file or directory", cmdutil.ExitInvalid},
		{[]string{"stats", "--format", "xml"}, `invalid argument "xml" for "--format" flag: valid values are table, json`, cmdutil.ExitInvalid},
		{[]string{"--backend", "sqlite", "stats"}, "valid values are bolt, memstore", cmdutil.ExitInvalid},
		{[]string{"version", "extra"}, "takes no arguments", cmdutil.ExitInvalid},
		{[]string{"completion", "tcsh"}, "unsupported shell", cmdutil.ExitInvalid},
		{[]string{"gizmo", "-e", "g.V()", "x.js"}, "either -e or a script file", cmdutil.ExitInvalid},
		{[]string{"gizmo", "--timeout", "0s", "-e", "x"}, "--timeout must be positive", cmdutil.ExitInvalid},
		{[]string{"vocab", "show"}, "name one entry", cmdutil.ExitInvalid},
		{[]string{"vocab", "list", "--type", "bone"}, "valid values are nerve, muscle", cmdutil.ExitInvalid},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f, ios := lazyFactory(t)
			code := Run(context.Background(), f, tt.args)
			errOut := ios.ErrOut.(interface{ String() string }).String()
			if code != tt.wantStatus {
				t.Errorf("exit %d, want %d", code, tt.wantStatus)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.wantErr, errOut)
			}
			if strings.Count(errOut, "medkg: ") != 1 {
				t.Errorf("error should be printed exactly once:\n%s", errOut)
			}
			if !strings.Contains(errOut, "--help' for usage") {
				t.Errorf("usage error should point at --help:\n%s", errOut)
			}
		})
	}
}

func TestEveryCommandFollowsHelpStyle(t *testing.T) {
	f, _ := lazyFactory(t)
	root := NewCmdRoot(f)
	for _, c := range allCommands(root) {
		if c.Hidden || c.Name() == "help" || strings.HasPrefix(c.Name(), "__") {
			continue
		}
		t.Run(c.CommandPath(), func(t *testing.T) {
			s := c.Short
			if s == "" || strings.HasSuffix(s, ".") || strings.ToUpper(s[:1]) != s[:1] {
				t.Errorf("Short %q: want capitalised, without period", s)
			}
			if c.Long == "" {
				t.Error("no Long help")
			}
			if !strings.Contains(c.Example, "$ medkg ") {
				t.Errorf("Example has no `$ medkg …` line: %q", c.Example)
			}
		})
	}
}
