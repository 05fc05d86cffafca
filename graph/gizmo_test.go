package graph

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg"
)

type gizmoExample struct {
	script string
	expect []string
}

var (
	jsBlock   = regexp.MustCompile("(?s)```js\n(.*?)```")
	expectTok = regexp.MustCompile(`"[^"]*"\S*|\S+`)
)

// schemaExamples reads the Gizmo examples of docs/schema.md: the ```js
// blocks starting with an "// expect:" line.
func schemaExamples(t *testing.T) []gizmoExample {
	t.Helper()
	doc, err := os.ReadFile("../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []gizmoExample
	for _, m := range jsBlock.FindAllStringSubmatch(string(doc), -1) {
		first, rest, _ := strings.Cut(m[1], "\n")
		exp, ok := strings.CutPrefix(first, "// expect:")
		if !ok {
			continue // cytoscape / d3 snippets
		}
		out = append(out, gizmoExample{script: strings.TrimSpace(rest), expect: expectTok.FindAllString(exp, -1)})
	}
	if len(out) < 5 {
		t.Fatalf("found %d Gizmo examples in docs/schema.md, want at least 5", len(out))
	}
	return out
}

func TestGizmoSchemaExamples(t *testing.T) {
	examples := schemaExamples(t)
	for _, b := range backends {
		s := MustOpenStore(t, b)
		mustLoad(t, s, seedDoc(), muscleDoc(), negatedDoc(), actionsDoc())
		for i, ex := range examples {
			t.Run(b+"/"+string(rune('a'+i)), func(t *testing.T) {
				// no deadline: an example's speed is not what this checks
				res, err := s.Gizmo(context.Background(), ex.script, 100)
				if err != nil {
					t.Fatalf("%s\n: %v", ex.script, err)
				}
				if len(res) == 0 {
					t.Fatalf("%s\n: no results", ex.script)
				}
				var buf strings.Builder
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(res); err != nil {
					t.Fatal(err)
				}
				// The "// expect:" strings describe the bundled articles;
				// cmd/medkg's TestReadmeGizmoExamples checks them there.
				// On this fixture each example must run and answer.
				_ = ex.expect
			})
		}
	}
}

func TestGizmoLimit(t *testing.T) {
	s := MustOpenStore(t, Memstore)
	mustLoad(t, s, seedDoc())
	for _, limit := range []int{1, 3} {
		res, err := s.Gizmo(context.Background(), `g.V().All()`, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != limit {
			t.Errorf("limit %d: got %d results", limit, len(res))
		}
	}
}

func TestGizmoErrors(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc())
	tests := []struct {
		name, script string
		timeout      time.Duration
		code         string
	}{
		{"busy loop", `while(true){}`, 200 * time.Millisecond, medkg.ETIMEOUT},
		{"busy loop after a query", `g.V().All(); for(;;){}`, 200 * time.Millisecond, medkg.ETIMEOUT},
		{"busy callback", `g.V().ForEach(function(v){ while(true){} })`, 200 * time.Millisecond, medkg.ETIMEOUT},
		{"syntax error", `g.V(`, time.Minute, medkg.EINVALID},
		{"unknown method", `g.V().Fly()`, time.Minute, medkg.EINVALID},
		{"throw", `throw new Error("boom")`, time.Minute, medkg.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			// The deadline is the test: ETIMEOUT shows that it stopped
			// the script; a script that ignored it would hang the test.
			_, err := s.Gizmo(ctx, tt.script, 0)
			if got := medkg.ErrorCode(err); got != tt.code {
				t.Fatalf("err = %v (code %q), want %q", err, got, tt.code)
			}
		})
	}
	// The store is usable afterwards: the interrupted scripts let go.
	if _, err := s.Ingest(context.Background(), muscleDoc()); err != nil {
		t.Fatalf("ingest after interrupted queries: %v", err)
	}
}

func TestGizmoNoGoroutineLeak(t *testing.T) {
	s := MustOpenStore(t, Bolt)
	mustLoad(t, s, seedDoc(), muscleDoc())
	run := func(script string, limit int, timeout time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		s.Gizmo(ctx, script, limit)
	}
	run(`g.V().All()`, 0, time.Second) // warm up lazily started goroutines
	before := runtime.NumGoroutine()
	for i := 0; i < 100; i++ {
		switch i % 5 {
		case 0:
			run(`g.V().All()`, 0, time.Second)
		case 1:
			run(`g.V().All()`, 2, time.Second) // stopped by the limit
		case 2:
			run(`g.V().ForEach(function(v){ g.Emit(v.id) })`, 1, time.Second)
		case 3:
			run(`while(true){}`, 0, 5*time.Millisecond)
		case 4:
			// The limit is reached while the script keeps running.
			run(`g.Emit(1); while(true){}`, 1, time.Second)
		}
	}
	// Exiting goroutines finish when the scheduler gets to them, which
	// on a loaded machine takes a while: poll until they are gone or a
	// generous hang guard expires.
	var after int
	for guard := time.Now().Add(time.Minute); ; runtime.Gosched() {
		if after = runtime.NumGoroutine(); after <= before+5 || time.Now().After(guard) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if after > before+5 {
		t.Errorf("goroutines: %d before, %d after 100 Gizmo queries", before, after)
	}
}
