package show

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

func TestNewCmdShow(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    ShowOptions
		wantErr bool
	}{
		{name: "chinese name", args: []string{"胫神经"}, want: ShowOptions{Name: "胫神经", Format: "table"}},
		{name: "json", args: []string{"--format", "json", "tibial nerve"}, want: ShowOptions{Name: "tibial nerve", Format: "json"}},
		{name: "no name", args: nil, wantErr: true},
		{name: "two names", args: []string{"a", "b"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cmdtest.ParseFlags(t, NewCmdShow, tt.wantErr, tt.args...)
			if got == nil {
				return
			}
			if got.Name != tt.want.Name || got.Format != tt.want.Format {
				t.Errorf("got %q %q, want %q %q", got.Name, got.Format, tt.want.Name, tt.want.Format)
			}
		})
	}
}

func run(t *testing.T, name, format string, tty bool) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(tty)
	err := showRun(&ShowOptions{
		IO:         ios,
		Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
		Name:       name,
		Format:     format,
	})
	return out.String(), errOut.String(), err
}

func TestShowRun(t *testing.T) {
	tests := []struct {
		name string
		arg  string
		want []string
	}{
		{"nerve lists muscles and branches", "胫神经", []string{"id:       nerve:tibial", "innervates (", "比目鱼肌 (muscle:soleus)", "branches (", "branch_of (", "坐骨神经 (nerve:sciatic)", "defined:  vocab/data/nerves.tsv:"}},
		{"alias resolves to the entry", "腓骨小头", []string{"id:       anatomy:fibular_head", "name:     腓骨头", "aliases:  腓骨小头"}},
		{"english, any case", "Tibial Nerve", []string{"id:       nerve:tibial"}},
		{"id", "muscle:soleus", []string{"name:     比目鱼肌", "innervated_by (", "胫神经 (nerve:tibial)"}},
	}
	for _, tt := range tests {
		for _, tty := range []bool{true, false} {
			t.Run(tt.name, func(t *testing.T) {
				out, _, err := run(t, tt.arg, "table", tty)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range tt.want {
					if !strings.Contains(out, w) {
						t.Errorf("tty=%v: output lacks %q:\n%s", tty, w, out)
					}
				}
			})
		}
	}
}

func TestShowRunJSON(t *testing.T) {
	out, _, err := run(t, "胫神经", "json", false)
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID       string `json:"id"`
		Outgoing []struct {
			Predicate  string `json:"predicate"`
			Object     string `json:"object"`
			ObjectName string `json:"object_name"`
		} `json:"outgoing"`
		Incoming []struct{ Subject string } `json:"incoming"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if len(got) != 1 || got[0].ID != "nerve:tibial" || len(got[0].Outgoing) == 0 || len(got[0].Incoming) == 0 {
		t.Fatalf("unexpected: %+v", got)
	}
	found := false
	for _, r := range got[0].Outgoing {
		if r.Predicate == "innervates" && r.Object == "muscle:soleus" && r.ObjectName == "比目鱼肌" {
			found = true
		}
	}
	if !found {
		t.Errorf("nerve:tibial innervates muscle:soleus missing: %+v", got[0].Outgoing)
	}
}

func TestShowRunUnknown(t *testing.T) {
	out, _, err := run(t, "胫神精", "table", true)
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Fatalf("err = %v, want not found", err)
	}
	if !strings.Contains(err.Error(), "did you mean: 胫神经 (nerve:tibial)") {
		t.Errorf("no suggestion in %q", err)
	}
	if out != "" {
		t.Errorf("printed %q for an unknown name", out)
	}
}
