package gizmo

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdGizmo(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(*GizmoOptions) bool
		wantErr bool
	}{
		{"defaults", nil, func(o *GizmoOptions) bool {
			return o.Timeout == 30*time.Second && o.Limit == 100 && o.Expr == "" && o.File == ""
		}, false},
		{"exec", []string{"-e", "g.V().All()", "--timeout", "2s", "--limit", "5"}, func(o *GizmoOptions) bool {
			return o.Expr == "g.V().All()" && o.Timeout == 2*time.Second && o.Limit == 5
		}, false},
		{"file", []string{"q.js"}, func(o *GizmoOptions) bool { return o.File == "q.js" }, false},
		{"both", []string{"-e", "x", "q.js"}, nil, true},
		{"two files", []string{"a.js", "b.js"}, nil, true},
		{"zero timeout", []string{"--timeout", "0s"}, nil, true},
		{"negative limit", []string{"--limit", "-1"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *GizmoOptions
			err := cmdtest.Exec(NewCmdGizmo(&cmdutil.Factory{IOStreams: ios}, func(o *GizmoOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil || !tt.check(got) {
				t.Errorf("err=%v opts=%+v", err, got)
			}
		})
	}
}

func newOpts(t *testing.T) (*GizmoOptions, *iostreams.IOStreams) {
	ios, _, _, _ := iostreams.Test()
	return &GizmoOptions{
		IO:          ios,
		Logger:      cmdtest.Logger,
		Store:       cmdtest.SeededStore(t),
		Timeout:     10 * time.Second,
		Limit:       100,
		HistoryFile: func() string { return "" },
	}, ios
}

func TestGizmoRun(t *testing.T) {
	opts, ios := newOpts(t)
	opts.Expr = `g.V("<medkg:nerve/tibial>").Out("<medkg:innervates>").All()`
	opts.Limit = 3
	if err := gizmoRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var res []map[string]string
	if err := json.Unmarshal(ios.Out.(interface{ Bytes() []byte }).Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || !strings.HasPrefix(res[0]["id"], "<medkg:muscle/") {
		t.Errorf("results %v, want 3 muscles", res)
	}
}

func TestGizmoRunFileAndStdin(t *testing.T) {
	script := filepath.Join(t.TempDir(), "q.js")
	if err := os.WriteFile(script, []byte("g.V(\"<medkg:nerve/tibial>\")\n  .Out(\"<medkg:name>\")\n  .All()\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, ios := newOpts(t)
	opts.File = script
	if err := gizmoRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ios.Out.(interface{ String() string }).String(), "胫神经") {
		t.Errorf("file query: %s", ios.Out)
	}

	opts, ios = newOpts(t)
	ios.In.(interface{ WriteString(string) (int, error) }).WriteString(`g.V("<medkg:nerve/tibial>").Out("<medkg:name>").All()`)
	if err := gizmoRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ios.Out.(interface{ String() string }).String(), "胫神经") {
		t.Errorf("stdin query: %s", ios.Out)
	}
}

func TestGizmoRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		expr     string
		file     string
		timeout  time.Duration
		wantExit int
		want     string
	}{
		{"timeout", "while(true){}", "", time.Second, cmdutil.ExitTimeout, "--timeout 1s"},
		{"syntax", "g.V(", "", time.Second, cmdutil.ExitInvalid, "SyntaxError"},
		{"missing file", "", "/nonexistent/q.js", time.Second, cmdutil.ExitNotFound, "q.js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _ := newOpts(t)
			opts.Expr, opts.File, opts.Timeout = tt.expr, tt.file, tt.timeout
			err := gizmoRun(context.Background(), opts)
			if cmdutil.ExitCode(err) != tt.wantExit || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v (exit %d), want exit %d with %q", err, cmdutil.ExitCode(err), tt.wantExit, tt.want)
			}
		})
	}
}
