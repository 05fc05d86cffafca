package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"

	"github.com/medkg/medkg"
)

// gizmoDrainTimeout bounds the wait for an interrupted Gizmo script to
// let go of the store.
const gizmoDrainTimeout = 2 * time.Second

// Gizmo runs a Gizmo (JavaScript) query in a fresh session and returns at
// most limit results (all if limit <= 0) as JSON-ready values: a map of
// tags to values per path result, or the value passed to g.emit. ctx's
// deadline is enforced even for scripts that never touch the graph
// (while(true){}): the script is interrupted and the error is an
// ETIMEOUT *medkg.Error. Script errors are EINVALID.
func (s *Store) Gizmo(ctx context.Context, script string, limit int) ([]any, error) {
	unlock, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if limit < 0 {
		limit = 0
	}
	// One session per query: a session keeps the compiled program and the
	// JS runtime, which must not be shared between queries.
	sess := gizmo.NewSession(s.qs)
	it, err := sess.Execute(ctx, script, query.Options{Collation: query.JSON, Limit: limit})
	if err != nil {
		return nil, medkg.Errorf(medkg.EINVALID, "gizmo: %v", err)
	}
	out := []any{}
	for it.Next(ctx) {
		if r := it.Result(); r != nil {
			out = append(out, r)
		}
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	runErr := it.Err()
	// Close interrupts the JS runtime and cancels the session's iterators:
	// a script still running when the limit is reached would otherwise
	// keep its goroutine (and the CPU) forever.
	it.Close()
	s.drainGizmo(it)
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &medkg.Error{Code: medkg.ETIMEOUT, Message: "gizmo query ran past its deadline", Err: err}
		}
		return nil, fmt.Errorf("gizmo: %w", err)
	}
	if runErr != nil {
		return nil, medkg.Errorf(medkg.EINVALID, "gizmo: %v", runErr)
	}
	return out, nil
}

// drainGizmo waits until an interrupted script's goroutine has returned,
// so that it no longer reads the store once the read lock is released.
// Next returns false without a context error only once that goroutine
// has closed its error channel, which is immediate if it already has.
func (s *Store) drainGizmo(it query.Iterator) {
	ctx, cancel := context.WithTimeout(context.Background(), gizmoDrainTimeout)
	defer cancel()
	for it.Next(ctx) {
	}
	if ctx.Err() != nil {
		s.log.Warn("gizmo script did not stop after interruption", "waited", gizmoDrainTimeout)
	}
}
