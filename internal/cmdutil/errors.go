package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/medkg/medkg"
)

// Exit statuses. Every error a command returns is mapped to one of these
// by ExitCode, and nowhere else.
const (
	ExitOK          = 0   // success
	ExitInternal    = 1   // a bug or an unexpected failure (EINTERNAL)
	ExitInvalid     = 2   // invalid usage or input (EINVALID, bad flags or arguments)
	ExitNotFound    = 3   // a named entity, document or file does not exist (ENOTFOUND)
	ExitLocked      = 4   // the graph is held by another process (ELOCKED)
	ExitTimeout     = 5   // a query ran past its deadline (ETIMEOUT)
	ExitPartial     = 6   // some inputs failed, the others succeeded (EPARTIAL)
	ExitInterrupted = 130 // interrupted by Ctrl-C (SIGINT) or SIGTERM
)

// FlagError is a usage error: an unknown flag, a bad flag value or the
// wrong number of arguments. Main prints a hint to run --help after it.
type FlagError struct {
	Err error
}

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf returns a *FlagError with a formatted message.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// ErrSilent is returned by a command that has already reported its
// failure on stderr and only needs a non-zero exit. Wrap it in a
// *medkg.Error to choose the exit status.
var ErrSilent = errors.New("silent error")

// IsSilent reports whether err has already been reported to the user.
func IsSilent(err error) bool { return errors.Is(err, ErrSilent) }

// SilentError returns an error carrying code whose message Main does not
// print, for failures already reported in detail (e.g. every vocabulary
// problem on its own line).
func SilentError(code string) error {
	return &medkg.Error{Code: code, Message: "already reported", Err: ErrSilent}
}

// ExitCode maps an error returned by a command to the process exit status.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var flagErr *FlagError
	if errors.As(err, &flagErr) {
		return ExitInvalid
	}
	// An explicit code wins over the context error it may wrap: the graph
	// reports a Gizmo deadline as ETIMEOUT.
	var merr *medkg.Error
	if errors.As(err, &merr) {
		return codeStatus(merr.Code)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, context.DeadlineExceeded):
		return ExitTimeout
	}
	return codeStatus(medkg.ErrorCode(err))
}

func codeStatus(code string) int {
	switch code {
	case medkg.EINVALID:
		return ExitInvalid
	case medkg.ENOTFOUND:
		return ExitNotFound
	case medkg.ELOCKED:
		return ExitLocked
	case medkg.ETIMEOUT:
		return ExitTimeout
	case medkg.EPARTIAL:
		return ExitPartial
	default:
		return ExitInternal
	}
}
