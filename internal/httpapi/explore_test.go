package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg/internal/cmdtest"
)

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// TestDocumentEndpoints walks from the list to one document, its
// assertions and its text, whose mentions and sentences must agree with
// the evidence the graph keeps.
func TestDocumentEndpoints(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	list := decode[struct {
		Documents []struct {
			ID     string `json:"id"`
			IRI    string `json:"iri"`
			Source string `json:"source"`
		} `json:"documents"`
	}](t, get(t, srv, "/api/documents"))
	if len(list.Documents) != 4 {
		t.Fatalf("%d documents", len(list.Documents))
	}
	var id string
	for _, d := range list.Documents {
		if d.IRI != "medkg:doc/"+d.ID {
			t.Errorf("id %q of %q", d.ID, d.IRI)
		}
		if strings.HasSuffix(d.Source, "000_nhc_ban_zaobao.md") {
			id = d.ID
		}
	}
	r := get(t, srv, "/api/documents/"+id)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	doc := decode[struct {
		ID         string `json:"id"`
		Title      string `json:"title"`
		Mentions   []struct{ ID string }
		Assertions []struct {
			Sentence  int    `json:"sentence"`
			Text      string `json:"text"`
			Predicate string `json:"predicate"`
			Negated   bool   `json:"negated"`
		} `json:"assertions"`
	}](t, r)
	if doc.ID != id || doc.Title == "" || len(doc.Mentions) == 0 || len(doc.Assertions) == 0 {
		t.Fatalf("document %s", r.body)
	}
	if !slices.ContainsFunc(doc.Assertions, func(a struct {
		Sentence  int    `json:"sentence"`
		Text      string `json:"text"`
		Predicate string `json:"predicate"`
		Negated   bool   `json:"negated"`
	}) bool {
		return a.Predicate == "bans"
	}) {
		t.Errorf("no bans assertion: %s", r.body)
	}

	r = get(t, srv, "/api/documents/"+id+"/text")
	if r.status != 200 {
		t.Fatalf("text: %d %s", r.status, r.body)
	}
	text := decode[struct {
		Text      string `json:"text"`
		Sentences []struct{ Start, End int }
		Mentions  []struct {
			Start, End int
			ID         string
		}
		Stale bool `json:"stale"`
	}](t, r)
	runes := []rune(text.Text)
	if text.Stale || len(text.Sentences) == 0 {
		t.Fatalf("text: stale %v, %d sentences", text.Stale, len(text.Sentences))
	}
	// Each assertion's evidence lies in the sentence it names.
	for _, a := range doc.Assertions {
		s := text.Sentences[a.Sentence]
		if !strings.Contains(string(runes[s.Start:s.End]), strings.TrimRight(a.Text, "。")) {
			t.Errorf("sentence %d %q does not hold %q", a.Sentence, string(runes[s.Start:s.End]), a.Text)
		}
	}
	found := false
	for _, m := range text.Mentions {
		if m.ID == "nerve:medial_sural_cutaneous" {
			found = string(runes[m.Start:m.End]) == "腓肠内侧皮神经"
		}
	}
	if !found {
		t.Errorf("no mention of 腓肠内侧皮神经 at its offsets")
	}
}

func TestExport(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	tests := []struct {
		query, ctype, file, want string
	}{
		{"", "application/n-quads", "medkg.nq", "<https://example.org/medkg/nerve/"},
		{"format=turtle", "text/turtle", "medkg.ttl", "@prefix"},
		{"format=jsonld", "application/ld+json", "medkg.jsonld", `"@context"`},
		{"format=graphml&scope=all", "application/graphml+xml", "medkg.graphml", "<graphml"},
		{"format=gml", "text/plain", "medkg.gml", "directed 1"},
		{"format=cytoscape", "application/json", "medkg.json", `"elements"`},
		{"format=json&doc=" + url.QueryEscape(cmdtest.Devset(t)+"/000_nhc_ban_zaobao.md"), "application/json", "medkg.json", "腓肠内侧皮神经"},
		{"format=dot&query=neighbors&arg=" + url.QueryEscape("胫神经"), "text/vnd.graphviz", "medkg.dot", "digraph"},
		{"format=neo4j&part=nodes", "text/csv", "nodes.csv", "id:ID"},
		{"format=neo4j&part=relationships", "text/csv", "relationships.csv", ":START_ID"},
		{"format=nquads&base=" + url.QueryEscape("https://kg.example.com/"), "application/n-quads", "medkg.nq", "<https://kg.example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := srv.Client().Get(srv.URL + "/api/export?" + tt.query)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) {
				t.Fatalf("%d %s: %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="`+tt.file+`"`) {
				t.Errorf("Content-Disposition %q", cd)
			}
			if !bytes.Contains(body, []byte(tt.want)) {
				t.Errorf("no %q in %.300s", tt.want, body)
			}
		})
	}
}

func postGizmo(t *testing.T, url, ctype string, body []byte) response {
	t.Helper()
	resp, err := http.Post(url+"/api/gizmo", ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(data)}
}

func TestGizmo(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	const branches = `g.V("<medkg:nerve/sciatic>").In("<medkg:branch_of>").All()`
	script := func(s string, extra string) []byte {
		b, _ := json.Marshal(s)
		return []byte(`{"script":` + string(b) + extra + `}`)
	}
	tests := []struct {
		name       string
		ctype      string
		body       []byte
		wantStatus int
		want       string
	}{
		{"ok", "application/json", script(branches, ""), 200, `"id":"<medkg:nerve/tibial>"`},
		{"limit", "application/json", script(branches, `,"limit":1`), 200, `"truncated":true`},
		{"no content type", "", script(branches, ""), 200, `"truncated":false`},
		{"emit", "application/json", script(`g.emit(6*7)`, ""), 200, `"results":[42]`},
		{"malformed JSON", "application/json", []byte(`{"script": "g.V()`), 400, "not a JSON object"},
		{"not an object", "application/json", []byte(`"g.V().All()"`), 400, "not a JSON object"},
		{"unknown field", "application/json", []byte(`{"query": "g.V().All()"}`), 400, `unknown field \"query\"`},
		{"two values", "application/json", []byte(`{"script": "g.V().All()"} {}`), 400, "more than one"},
		{"no script", "application/json", []byte(`{"limit": 3}`), 400, "needs a script"},
		{"negative limit", "application/json", script(branches, `,"limit":-1`), 400, "limit -1"},
		{"syntax error", "application/json", script(`g.V(`, ""), 400, `"code":"invalid"`},
		{"wrong content type", "text/plain", []byte(branches), 400, "application/json"},
		{"oversized body", "application/json", script(strings.Repeat("x", MaxBodyBytes), ""), 413, "over 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postGizmo(t, srv.URL, tt.ctype, tt.body)
			if r.status != tt.wantStatus || !strings.Contains(r.body, tt.want) {
				t.Errorf("%d %s; want %d with %s", r.status, r.body, tt.wantStatus, tt.want)
			}
			if !json.Valid([]byte(r.body)) {
				t.Errorf("not JSON: %s", r.body)
			}
		})
	}
}

// TestGizmoTimeout: a script that never ends is stopped by the server's
// timeout and answered 504; the server goes on serving.
func TestGizmoTimeout(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 200*time.Millisecond)
	r := postGizmo(t, srv.URL, "application/json", []byte(`{"script": "while(true){}"}`))
	if r.status != http.StatusGatewayTimeout || !strings.Contains(r.body, `"code":"timeout"`) {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if r := get(t, srv, "/api/queries"); r.status != 200 {
		t.Errorf("after the timeout: %d %s", r.status, r.body)
	}
}

// TestOpenAPIMatchesRoutes: the OpenAPI document lists exactly the routes
// the mux serves, with their methods and path parameters.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name     string `json:"name"`
				In       string `json:"in"`
				Required bool   `json:"required"`
			} `json:"parameters"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op.OperationID == "" || op.Responses["200"] == nil || op.Responses["405"] == nil {
				t.Errorf("%s %s: no operationId, 200 or 405", method, path)
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") {
					name := strings.Trim(seg, "{}")
					if !slices.ContainsFunc(op.Parameters, func(p struct {
						Name     string `json:"name"`
						In       string `json:"in"`
						Required bool   `json:"required"`
					}) bool {
						return p.Name == name && p.In == "path" && p.Required
					}) {
						t.Errorf("%s %s: path parameter %s not documented", method, path, name)
					}
				}
			}
		}
	}
	for _, rt := range (&api{}).routes() {
		served = append(served, rt.method+" "+rt.path)
	}
	sort.Strings(documented)
	sort.Strings(served)
	if !slices.Equal(documented, served) {
		t.Errorf("OpenAPI paths:\n%s\nroutes:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}

	// And it is what the server serves.
	srv := newServer(t, cmdtest.StoreOpener(t), 0)
	if r := get(t, srv, "/api/openapi.json"); r.status != 200 || r.body != string(openAPI) {
		t.Errorf("served OpenAPI: %d", r.status)
	}
}

// TestWebFiles: the explorer and its files are served from the binary,
// with a content security policy that keeps it to this server.
func TestWebFiles(t *testing.T) {
	srv := newServer(t, cmdtest.StoreOpener(t), 0)
	tests := []struct {
		path, ctype, want string
		status            int
	}{
		{"/", "text/html", `<input id="search"`, 200},
		{"/static/app.js", "text/javascript", "/api/neighbourhood/", 200},
		{"/static/style.css", "text/css", "--nerve", 200},
		{"/static/vendor/cytoscape/cytoscape.min.js", "text/javascript", "cytoscape", 200},
		{"/static/vendor/cytoscape/LICENSE", "text/plain", "The Cytoscape Consortium", 200},
		{"/static/nope.js", "text/plain", "404", 404},
		{"/nope", "text/plain", "404", 404},
	}
	for _, tt := range tests {
		resp, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.ctype) || !bytes.Contains(body, []byte(tt.want)) {
			t.Errorf("%s: %d %s %.100s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", tt.path, csp)
		}
	}
	// No page loads anything from elsewhere.
	for _, f := range []string{"web/index.html", "web/app.js", "web/style.css"} {
		data, err := webFiles.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"http://", "https://", "//cdn"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s refers to %s", f, bad)
			}
		}
	}
}
