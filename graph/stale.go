package graph

import (
	"context"
	"fmt"
)

// StaleDocuments lists the stored documents that the extractor of the
// given version (extract.Extractor.Version: vocabulary, rules and code)
// did not produce, sorted by source: what `medkg reindex` re-extracts.
// Documents stored before versions were kept are stale too.
func (s *Store) StaleDocuments(ctx context.Context, version string) ([]DocInfo, error) {
	docs, err := s.Documents(ctx)
	if err != nil {
		return nil, fmt.Errorf("stale documents: %w", err)
	}
	out := []DocInfo{}
	for _, d := range docs {
		if d.Extractor != version {
			out = append(out, d)
		}
	}
	return out, nil
}
