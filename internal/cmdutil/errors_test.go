package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"plain", errors.New("boom"), ExitInternal},
		{"flag", FlagErrorf("bad flag"), ExitInvalid},
		{"wrapped flag", fmt.Errorf("ctx: %w", FlagErrorf("bad")), ExitInvalid},
		{"invalid", medkg.Errorf(medkg.EINVALID, "x"), ExitInvalid},
		{"notfound wrapped", fmt.Errorf("open: %w", medkg.Errorf(medkg.ENOTFOUND, "x")), ExitNotFound},
		{"locked", medkg.Errorf(medkg.ELOCKED, "x"), ExitLocked},
		{"timeout", medkg.Errorf(medkg.ETIMEOUT, "x"), ExitTimeout},
		{"timeout wrapping deadline", &medkg.Error{Code: medkg.ETIMEOUT, Message: "x", Err: context.DeadlineExceeded}, ExitTimeout},
		{"partial", medkg.Errorf(medkg.EPARTIAL, "x"), ExitPartial},
		{"internal", medkg.Errorf(medkg.EINTERNAL, "x"), ExitInternal},
		{"canceled", fmt.Errorf("ingest: %w", context.Canceled), ExitInterrupted},
		{"deadline", context.DeadlineExceeded, ExitTimeout},
		{"silent keeps code", SilentError(medkg.EINVALID), ExitInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestExitCodesDistinct(t *testing.T) {
	seen := map[int]string{}
	for name, c := range map[string]int{"ok": ExitOK, "internal": ExitInternal, "invalid": ExitInvalid,
		"notfound": ExitNotFound, "locked": ExitLocked, "timeout": ExitTimeout, "partial": ExitPartial, "interrupted": ExitInterrupted} {
		if other, dup := seen[c]; dup {
			t.Errorf("exit status %d used by %s and %s", c, name, other)
		}
		seen[c] = name
	}
}

func TestNotFoundError(t *testing.T) {
	err := NotFoundError("entity", "胫神精", []string{"胫神经 (nerve:tibial)"})
	if got := ExitCode(err); got != ExitNotFound {
		t.Errorf("exit = %d, want %d", got, ExitNotFound)
	}
	for _, want := range []string{`no entity named "胫神精"`, "did you mean: 胫神经 (nerve:tibial)?"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if err := NotFoundError("entity", "xyz", nil); !strings.Contains(err.Error(), "medkg vocab list") {
		t.Errorf("error without suggestions should point at vocab list: %q", err)
	}
	if !IsSilent(SilentError(medkg.EINVALID)) || IsSilent(errors.New("x")) {
		t.Error("IsSilent is wrong")
	}
}
