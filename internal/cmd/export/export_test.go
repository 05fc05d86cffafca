package export

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdExport(t *testing.T) {
	tests := []struct {
		args       []string
		wantFormat string
		wantOut    string
		wantErr    bool
	}{
		{nil, "nquads", "", false},
		{[]string{"--format", "graphml", "-o", "g.xml"}, "graphml", "g.xml", false},
		{[]string{"--format", "dot", "--query", "neighbors", "胫神经"}, "dot", "", false},
		{[]string{"--format", "dot"}, "", "", true},   // dot is for subgraphs
		{[]string{"--format", "neo4j"}, "", "", true}, // two files need -o DIR
		{[]string{"--scope", "some"}, "", "", true},   // unknown scope
		{[]string{"--doc", "a.md", "--query", "neighbors", "x"}, "", "", true},
		{[]string{"--format", "csv"}, "", "", true},
		{[]string{"file"}, "", "", true},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *ExportOptions
		err := cmdtest.Exec(NewCmdExport(&cmdutil.Factory{IOStreams: ios}, func(o *ExportOptions) error { got = o; return nil }), tt.args...)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err = %v", tt.args, err)
			continue
		}
		if !tt.wantErr && (got.Format != tt.wantFormat || got.Output != tt.wantOut) {
			t.Errorf("%q: got %+v", tt.args, got)
		}
	}
}

func TestExportRun(t *testing.T) {
	store := cmdtest.SeededStore(t)
	for _, format := range graph.ExportFormats() {
		t.Run(format, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := &ExportOptions{IO: ios, Store: store, Format: format, Scope: "all"}
			switch format {
			case graph.FormatDOT:
				opts.Query, opts.Args = "innervation", []string{"胫神经"}
			case graph.FormatNeo4j:
				opts.Output = t.TempDir()
			}
			if err := exportRun(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if format == graph.FormatNeo4j {
				for _, f := range []string{"nodes.csv", "relationships.csv"} {
					data, err := os.ReadFile(filepath.Join(opts.Output, f))
					if err != nil || !strings.Contains(string(data), "tibial") {
						t.Errorf("%s: %v", f, err)
					}
				}
				return
			}
			if out.Len() == 0 || !strings.Contains(out.String(), "tibial") {
				t.Errorf("export is empty or lacks nerve:tibial (%d bytes)", out.Len())
			}
			if format == "json" || format == "jsonld" {
				if !json.Valid(out.Bytes()) {
					t.Errorf("invalid JSON")
				}
			}
		})
	}
}

func TestExportRunToFile(t *testing.T) {
	store := cmdtest.SeededStore(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "graph.json")
	ios, _, out, _ := iostreams.Test()
	if err := exportRun(context.Background(), &ExportOptions{IO: ios, Store: store, Format: "json", Scope: "documents", Output: path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !json.Valid(data) {
		t.Fatalf("file: %v, valid=%v", err, json.Valid(data))
	}
	if out.Len() != 0 {
		t.Errorf("stdout not empty with -o")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestWriteAtomicLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.nq")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := writeAtomic(path, func(w io.Writer) error {
		_, _ = io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "previous" {
		t.Errorf("existing file changed to %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
}
