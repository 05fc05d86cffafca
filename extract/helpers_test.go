package extract

import (
	"sync"
	"testing"

	"github.com/medkg/medkg/vocab"
)

var shared struct {
	once sync.Once
	x    *Extractor
	v    *vocab.Vocabulary
	err  error
}

// mustExtractor returns an extractor over the built-in vocabulary, built
// once per test binary.
func mustExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	shared.once.Do(func() {
		shared.v, shared.err = vocab.Builtin()
		if shared.err == nil {
			shared.x, shared.err = New(shared.v)
		}
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.x
}
