package cmdutil

import (
	"context"
	"fmt"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/vocab"
)

// OpenForWrite opens the graph for writing and synchronises the vocabulary
// into it, as every command that writes documents must first: the store,
// the vocabulary, and whether the synchronisation changed the graph. The
// graph is opened before anything slow is built, so that a locked graph
// fails at once; on error it is closed again. The caller closes the store.
func OpenForWrite(ctx context.Context, open func(context.Context, bool) (*graph.Store, error), vocabulary func() (*vocab.Vocabulary, error)) (*graph.Store, *vocab.Vocabulary, bool, error) {
	v, err := vocabulary()
	if err != nil {
		return nil, nil, false, err
	}
	store, err := open(ctx, false)
	if err != nil {
		return nil, nil, false, err
	}
	changed, err := store.SyncVocabulary(ctx, v.Version(), v.Entities(), v.Facts())
	if err != nil {
		_ = store.Close() // the synchronisation error is the one to report
		return nil, nil, false, fmt.Errorf("synchronise vocabulary into the graph: %w", err)
	}
	return store, v, changed, nil
}
