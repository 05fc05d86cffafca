package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdExtract(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ExtractOptions
		wantErr bool
	}{
		{name: "files", args: []string{"a.md", "b.html"}, want: ExtractOptions{Files: []string{"a.md", "b.html"}, Format: "table"}},
		{name: "stdin json", args: []string{"--format", "json", "-"}, want: ExtractOptions{Files: []string{"-"}, Format: "json"}},
		{name: "no file", args: []string{}, wantErr: true},
		{name: "bad format", args: []string{"--format", "yaml", "a.md"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdExtract, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if strings.Join(got.Files, ",") != strings.Join(tt.want.Files, ",") || got.Format != tt.want.Format {
				t.Errorf("got files %q format %q, want %q %q", got.Files, got.Format, tt.want.Files, tt.want.Format)
			}
		})
	}
}

func newOpts(t *testing.T, tty bool, format string, files ...string) (*ExtractOptions, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	ios, in, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	return &ExtractOptions{
		IO:        ios,
		Extractor: func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
		Files:     files,
		Format:    format,
	}, in, out, errOut
}

func TestExtractRunJSON(t *testing.T) {
	dir := cmdtest.Devset(t)
	files := []string{filepath.Join(dir, "000_nhc_ban_zaobao.md"), filepath.Join(dir, "001_calf_nerve_block_zaobao.md")}
	for _, tty := range []bool{false, true} {
		opts, _, out, errOut := newOpts(t, tty, "json", files...)
		if err := extractRun(context.Background(), opts); err != nil {
			t.Fatalf("extractRun: %v\n%s", err, errOut)
		}
		// JSON Lines whatever the terminal: one document per line.
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 1<<24)
		var docs []medkg.Document
		for sc.Scan() {
			var d medkg.Document
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Fatalf("tty=%v: line is not a JSON document: %v\n%s", tty, err, sc.Text())
			}
			docs = append(docs, d)
		}
		if len(docs) != 2 {
			t.Fatalf("tty=%v: %d documents, want 2", tty, len(docs))
		}
		if docs[0].Source != files[0] {
			t.Errorf("source = %q, want the path as given %q", docs[0].Source, files[0])
		}
		if len(docs[0].Entities) == 0 || len(docs[0].Relations) == 0 {
			t.Errorf("the ban article yields no entities or relations: %+v", docs[0])
		}
		if errOut.Len() != 0 {
			t.Errorf("stderr not empty: %s", errOut)
		}
	}
}

func TestExtractRunTable(t *testing.T) {
	file := filepath.Join(cmdtest.Devset(t), "000_nhc_ban_zaobao.md")
	tests := []struct {
		name    string
		tty     bool
		want    []string
		notWant []string
	}{
		{"tty", true, []string{"Entities (", "Relations (", "TYPE", "MENTIONS", "PREDICATE", "EVIDENCE", "腓肠内侧皮神经", "Actions (", "JURISDICTION", "2021-07-26"}, nil},
		{"pipe", false, []string{file + "\tentity\tnerve\t", file + "\trelation\t", "腓肠内侧皮神经", file + "\taction\tban\t卫健委办公厅\t小腿神经离断瘦腿手术\t-\tnational\t2021-07-26\t"}, []string{"Entities (", "TYPE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _, out, _ := newOpts(t, tt.tty, "table", file)
			if err := extractRun(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestExtractRunStdin(t *testing.T) {
	opts, in, out, _ := newOpts(t, false, "json", "-")
	in.WriteString("国家卫生健康委员会发布通知，禁止开展小腿神经离断术。\n")
	if err := extractRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var d medkg.Document
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if d.Source != "-" {
		t.Errorf("source = %q, want - (the path as given)", d.Source)
	}
}

// TestExtractRunRelativeSource checks the output contract: source is the
// path exactly as given, relative paths included.
func TestExtractRunRelativeSource(t *testing.T) {
	abs := filepath.Join(cmdtest.Devset(t), "000_nhc_ban_zaobao.md")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil {
		t.Fatal(err)
	}
	opts, _, out, _ := newOpts(t, false, "json", rel)
	if err := extractRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var d medkg.Document
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if d.Source != rel {
		t.Errorf("source = %q, want %q", d.Source, rel)
	}
}

func TestExtractRunBadFileDoesNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "binary.md")
	if err := os.WriteFile(bad, []byte{0x00, 0x01, 0xff, 0xfe, 0x00, 0x00, 0x13, 0x37, 0x00}, 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(cmdtest.Devset(t), "000_nhc_ban_zaobao.md")
	missing := filepath.Join(dir, "missing.md")

	opts, _, out, errOut := newOpts(t, false, "json", bad, good, missing)
	err := extractRun(context.Background(), opts)
	if got := cmdutil.ExitCode(err); got != cmdutil.ExitPartial {
		t.Errorf("exit %d (%v), want %d", got, err, cmdutil.ExitPartial)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Errorf("%d documents printed, want the good one:\n%s", n, out)
	}
	for _, w := range []string{bad + ": ", missing + ": no such file"} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}

	// A single bad input keeps its own status and is reported once.
	opts, _, _, _ = newOpts(t, false, "json", missing)
	err = extractRun(context.Background(), opts)
	if got := cmdutil.ExitCode(err); got != cmdutil.ExitNotFound || !cmdutil.IsSilent(err) {
		t.Errorf("single missing file: exit %d silent=%v, want %d silent", got, cmdutil.IsSilent(err), cmdutil.ExitNotFound)
	}
}

func TestExtractRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts, _, out, _ := newOpts(t, false, "json", filepath.Join(cmdtest.Devset(t), "000_nhc_ban_zaobao.md"))
	if err := extractRun(ctx, opts); cmdutil.ExitCode(err) != cmdutil.ExitInterrupted {
		t.Errorf("err = %v, want interrupted", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed after cancellation: %s", out)
	}
}
