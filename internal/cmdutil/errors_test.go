package cmdutil

import (
	"context"
	"errors"
	"fmt"
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

func TestSilentError(t *testing.T) {
	if !IsSilent(SilentError(medkg.EINVALID)) || IsSilent(errors.New("x")) {
		t.Error("IsSilent is wrong")
	}
}
