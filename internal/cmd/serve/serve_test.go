package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

func TestNewCmdServe(t *testing.T) {
	o := cmdtest.ParseFlags(t, NewCmdServe, false)
	if o.Addr != DefaultAddr || o.Timeout != 30*time.Second {
		t.Errorf("defaults: %+v", o)
	}
	o = cmdtest.ParseFlags(t, NewCmdServe, false, "--addr", "127.0.0.1:0", "--timeout", "2s")
	if o.Addr != "127.0.0.1:0" || o.Timeout != 2*time.Second {
		t.Errorf("flags: %+v", o)
	}
	cmdtest.ParseFlags(t, NewCmdServe, true, "extra")
}

// TestServeRunRefuses: bad settings fail as usage errors before the
// vocabulary is loaded or a port is bound.
func TestServeRunRefuses(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		addr    string
		timeout time.Duration
		want    string
	}{
		{"memstore", "memstore", DefaultAddr, time.Second, "memstore"},
		{"no port", "bolt", "127.0.0.1", time.Second, `--addr "127.0.0.1"`},
		{"zero timeout", "bolt", DefaultAddr, 0, "--timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			err := serveRun(context.Background(), &ServeOptions{IO: ios, Backend: func() string { return tt.backend },
				Addr: tt.addr, Timeout: tt.timeout})
			if cmdutil.ExitCode(err) != cmdutil.ExitInvalid || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a usage error naming %s", err, tt.want)
			}
		})
	}
}
