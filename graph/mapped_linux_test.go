package graph

import (
	"os"
	"testing"
)

// releaseMapped finds bolt's mapping, and it covers the file; writing
// and reading after releasing its pages still works.
func TestReleaseMapped(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), muscleDoc())
	start := s.bolt.Info().Data
	end, ok := mappingEnd(start)
	if !ok {
		t.Fatalf("no mapping of this process starts at %#x", start)
	}
	st, err := os.Stat(s.bolt.Path())
	if err != nil {
		t.Fatal(err)
	}
	if int64(end-start) < st.Size() {
		t.Errorf("mapping of %d bytes, file of %d", end-start, st.Size())
	}
	before := answers(t, s)
	releaseMapped(s.bolt)
	compareAnswers(t, "after releasing the mapped pages", answers(t, s), before)
	mustLoad(t, s, synthDoc(1))
	checkIndex(t, s)
}
