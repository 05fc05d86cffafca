package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdtest"
	"github.com/medkg/medkg/vocab"
)

// newServer serves the API over a store opened by open.
func newServer(t *testing.T, open func(context.Context, bool) (*graph.Store, error), timeout time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(Options{
		Store:      func(ctx context.Context) (*graph.Store, error) { return open(ctx, true) },
		Vocabulary: func() (*vocab.Vocabulary, error) { return cmdtest.Vocabulary(t), nil },
		Extractor:  func() (*extract.Extractor, error) { return cmdtest.Extractor(t), nil },
		Logger:     cmdtest.Logger(),
		Timeout:    timeout,
	}))
	t.Cleanup(srv.Close)
	return srv
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, srv *httptest.Server, path string) response {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if !json.Valid(body) {
		t.Errorf("GET %s: invalid JSON %q", path, body)
	}
	if o := resp.Header.Get("Access-Control-Allow-Origin"); o != "" {
		t.Errorf("GET %s: CORS header %q", path, o)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func TestAPI(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	q := url.QueryEscape
	tests := []struct {
		name       string
		path       string
		wantStatus int
		want       []string
	}{
		{"health", "/api/health", 200, []string{`"status":"ok"`}},
		{"queries", "/api/queries", 200, []string{`"name":"banned-nerves"`, `"name":"evidence"`, `"kind":"predicate"`, `"columns":["nerve","relation"`, `"types":["nerve","muscle"]`}},
		{"banned-nerves", "/api/query/banned-nerves", 200, []string{`"query":"banned-nerves"`, "腓肠内侧皮神经", "国家卫生健康委员会", `"truncated":false`}},
		{"banned-procedures", "/api/query/banned-procedures", 200, []string{"小腿神经离断瘦腿手术", `"kind":"ban"`, `"effective_date":"2021-07-26"`}},
		{"banned-procedures options", "/api/query/banned-procedures?kind=ban,suspension&jurisdiction=national&since=2021", 200, []string{`"args":{"jurisdiction":"national","kind":"ban,suspension","since":"2021"}`, "小腿神经离断瘦腿手术"}},
		{"banned-procedures since after", "/api/query/banned-procedures?since=2022", 200, []string{`"total":0`}},
		{"bad kind", "/api/query/banned-nerves?kind=bans", 400, []string{`"code":"invalid"`, `kind \"bans\": want one or more of`}},
		{"option of another query", "/api/query/innervation?name=" + q("胫神经") + "&kind=ban", 200, []string{"比目鱼肌"}},
		{"innervation", "/api/query/innervation?name=" + q("胫神经"), 200, []string{`"args":{"name":"胫神经"}`, "比目鱼肌"}},
		{"innervation by english name", "/api/query/innervation?name=" + q("Tibial Nerve"), 200, []string{"比目鱼肌"}},
		{"neighbors", "/api/query/neighbors?name=muscle:soleus", 200, []string{`"predicate":"innervates"`, "胫神经"}},
		{"path", "/api/query/path?a=" + q("比目鱼肌") + "&b=" + q("坐骨神经"), 200, []string{`"predicate":"branch_of"`}},
		{"path max_hops", "/api/query/path?a=" + q("比目鱼肌") + "&b=" + q("坐骨神经") + "&max_hops=6", 200, []string{`"predicate":"branch_of"`}},
		{"evidence", "/api/query/evidence?s=" + q("国家卫生健康委员会") + "&p=bans&o=" + q("小腿神经离断瘦腿手术"), 200, []string{"000_nhc_ban_zaobao.md", "叫停"}},
		{"resolve", "/api/resolve?name=" + q("胫神经"), 200, []string{`"id":"nerve:tibial"`}},
		{"stats", "/api/stats", 200, []string{`"quads":`, `"documents":[`}},
		{"openapi", "/api/openapi.json", 200, []string{`"3.0.3"`, `"/api/gizmo"`}},
		{"search prefix", "/api/search?q=" + q("腓肠"), 200, []string{`"matches":[{"id":"muscle:gastrocnemius"`, `"id":"nerve:sural"`}},
		{"search english", "/api/search?q=Tibial", 200, []string{`"id":"nerve:tibial"`, `"field":"english"`}},
		{"search id", "/api/search?q=nerve:tibi", 200, []string{`"id":"nerve:tibial"`, `"field":"id"`}},
		{"search alias", "/api/search?q=" + q("胫后神"), 200, []string{`"matched":"胫后神经"`, `"field":"alias"`}},
		{"search pattern entity", "/api/search?q=" + q("《医疗技术临床应用管理办法》"), 200, []string{`"type":"regulation"`}},
		{"search nothing", "/api/search?q=" + q("火星"), 200, []string{`"matches":[]`}},
		{"search limit", "/api/search?limit=1&q=" + q("腓"), 200, []string{`"matches":[{`}},
		{"entity", "/api/entity/" + q("腓肠肌"), 200, []string{`"id":"muscle:gastrocnemius"`, `"aliases":`, `"predicate":"targets","object":{"id":"muscle:gastrocnemius"`, `"documents":1`}},
		{"entity by id", "/api/entity/nerve:tibial", 200, []string{`"name":"胫神经"`, `"predicate":"branch_of"`}},
		{"neighbourhood", "/api/neighbourhood/muscle:gastrocnemius", 200, []string{`"center":"muscle:gastrocnemius"`, `"depth":1`, `"id":"nerve:tibial"`, `"truncated":false`}},
		{"neighbourhood depth 2", "/api/neighbourhood/muscle:gastrocnemius?depth=2", 200, []string{`"id":"nerve:sciatic"`, `"depth":2`}},
		{"neighbourhood limit", "/api/neighbourhood/muscle:gastrocnemius?limit=2", 200, []string{`"truncated":true`}},
		{"neighbourhood predicate", "/api/neighbourhood/muscle:gastrocnemius?predicate=targets", 200, []string{`"predicate":"targets"`, "小腿神经离断瘦腿手术"}},
		{"neighbourhood type", "/api/neighbourhood/muscle:gastrocnemius?type=nerve,procedure", 200, []string{`"id":"nerve:tibial"`}},
		{"documents", "/api/documents", 200, []string{`"documents":[{"id":"`, "000_nhc_ban_zaobao.md"}},

		{"unknown query", "/api/query/banned-nervs", 404, []string{`"code":"notfound"`, `unknown query \"banned-nervs\"`, "banned-nerves"}},
		{"missing argument", "/api/query/innervation", 400, []string{`"code":"invalid"`, "needs the parameter name"}},
		{"one of two arguments", "/api/query/path?a=" + q("胫神经"), 400, []string{"needs the parameter b"}},
		{"unknown predicate", "/api/query/evidence?s=a&p=loves&o=b", 400, []string{`unknown predicate \"loves\"`}},
		{"unknown name", "/api/query/innervation?name=" + q("胫神精"), 404, []string{`"code":"notfound"`, `"suggestions":[`, `"id":"nerve:tibial"`}},
		{"wrong type", "/api/query/innervation?name=" + q("腓骨小头"), 400, []string{"not a nerve or muscle"}},
		{"bad limit", "/api/query/banned-nerves?limit=0", 400, []string{"limit"}},
		{"limit not a number", "/api/query/banned-nerves?limit=ten", 400, []string{"limit"}},
		{"limit too big", fmt.Sprintf("/api/query/banned-nerves?limit=%d", MaxRowLimit+1), 400, []string{"limit"}},
		{"bad max_hops", "/api/query/path?a=x&b=y&max_hops=99", 400, []string{"max_hops"}},
		{"resolve unknown", "/api/resolve?name=" + q("胫神精"), 404, []string{`"suggestions":[`, `"id":"nerve:tibial"`}},
		{"resolve without name", "/api/resolve", 400, []string{"parameter name"}},
		{"no such endpoint", "/api/nope", 404, []string{"no endpoint /api/nope"}},
		{"search without q", "/api/search", 400, []string{"parameter q"}},
		{"search blank q", "/api/search?q=%20", 400, []string{"parameter q"}},
		{"search bad limit", "/api/search?q=a&limit=1000", 400, []string{"limit"}},
		{"entity unknown", "/api/entity/" + q("腓肠机"), 404, []string{`"code":"notfound"`, `"suggestions":[`, `"id":"muscle:gastrocnemius"`}},
		{"neighbourhood unknown", "/api/neighbourhood/" + q("腓肠机"), 404, []string{`"suggestions":[`}},
		{"neighbourhood depth too big", "/api/neighbourhood/nerve:tibial?depth=4", 400, []string{"depth"}},
		{"neighbourhood limit 0", "/api/neighbourhood/nerve:tibial?limit=0", 400, []string{"limit"}},
		{"neighbourhood bad predicate", "/api/neighbourhood/nerve:tibial?predicate=loves", 400, []string{`unknown predicate \"loves\"`}},
		{"neighbourhood bad type", "/api/neighbourhood/nerve:tibial?type=planet", 400, []string{`type=\"planet\"`}},
		{"neighbourhood bad co_occurs", "/api/neighbourhood/nerve:tibial?co_occurs=maybe", 400, []string{"co_occurs"}},
		{"document not hex", "/api/documents/zzz", 400, []string{"hex digits"}},
		{"document unknown", "/api/documents/0123456789abcdef", 404, []string{`"code":"notfound"`}},
		{"document text unknown", "/api/documents/0123456789abcdef/text", 404, []string{`"code":"notfound"`}},
		{"export bad format", "/api/export?format=xlsx", 400, []string{`format=\"xlsx\"`, "nquads"}},
		{"export dot without query", "/api/export?format=dot", 400, []string{"--query"}},
		{"export neo4j without part", "/api/export?format=neo4j", 400, []string{"part=nodes"}},
		{"export part without neo4j", "/api/export?format=json&part=nodes", 400, []string{"part"}},
		{"export bad scope", "/api/export?scope=planet", 400, []string{"scope"}},
		{"export unknown query", "/api/export?format=json&query=nope", 404, []string{`unknown query \"nope\"`, "banned-nerves"}},
		{"export query without its argument", "/api/export?format=json&query=innervation", 400, []string{"takes one argument"}},
		{"export unknown doc", "/api/export?doc=/nope.md", 404, []string{"nope.md"}},
		{"gizmo with GET", "/api/gizmo", 405, []string{"method not allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, tt.path)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("body lacks %s:\n%s", w, r.body)
				}
			}
		})
	}
}

// TestQueryRows decodes a query's rows and checks the limit.
func TestQueryRows(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	var all, one struct {
		Columns   []string            `json:"columns"`
		Rows      []graph.BannedNerve `json:"rows"`
		Total     int                 `json:"total"`
		Truncated bool                `json:"truncated"`
	}
	for _, c := range []struct {
		path string
		v    any
	}{{"/api/query/banned-nerves", &all}, {"/api/query/banned-nerves?limit=1", &one}} {
		r := get(t, srv, c.path)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", c.path, r.status, r.body)
		}
		if err := json.Unmarshal([]byte(r.body), c.v); err != nil {
			t.Fatal(err)
		}
	}
	if all.Total < 2 || len(all.Rows) != all.Total || all.Truncated {
		t.Errorf("unlimited: %d rows of %d, truncated %v", len(all.Rows), all.Total, all.Truncated)
	}
	if len(one.Rows) != 1 || one.Total != all.Total || !one.Truncated || one.Rows[0].Nerve != all.Rows[0].Nerve {
		t.Errorf("limit=1: %d rows of %d, truncated %v", len(one.Rows), one.Total, one.Truncated)
	}
	q, _ := app.Find("banned-nerves")
	if strings.Join(all.Columns, ",") != strings.Join(q.Columns, ",") {
		t.Errorf("columns %v, want %v", all.Columns, q.Columns)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	for _, p := range []string{"/api/queries", "/api/query/banned-nerves", "/api/export", "/"} {
		resp, err := srv.Client().Post(srv.URL+p, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" || !strings.Contains(string(body), "method not allowed") {
			t.Errorf("POST %s: %d %q %s", p, resp.StatusCode, resp.Header.Get("Allow"), body)
		}
	}
}

// TestConcurrentRequests: requests beyond the concurrency bound wait
// their turn; each opens and closes the store on its own.
func TestConcurrentRequests(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), 0)
	const n = 3 * DefaultMaxConcurrent
	errs := make(chan string, n)
	for i := range n {
		go func() {
			path := "/api/query/banned-nerves"
			if i%2 == 1 {
				path = "/api/query/innervation?name=" + url.QueryEscape("胫神经")
			}
			resp, err := srv.Client().Get(srv.URL + path)
			if err != nil {
				errs <- err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Sprintf("%s: %d %s", path, resp.StatusCode, body)
				return
			}
			errs <- ""
		}()
	}
	for range n {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// TestNoLockBetweenRequests: between requests the API holds nothing, so
// a writer (medkg ingest) can open the store, and the next request reads
// what it wrote.
func TestNoLockBetweenRequests(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "graph")
	open := cmdtest.MissingStoreOpener(dir)
	w, err := open(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, open, 0)
	if r := get(t, srv, "/api/query/banned-procedures"); r.status != 200 || !strings.Contains(r.body, `"total":0`) {
		t.Fatalf("empty store: %d %s", r.status, r.body)
	}
	w, err = open(context.Background(), false)
	if err != nil {
		t.Fatalf("a writer cannot open the store after a request: %v", err)
	}
	v := cmdtest.Vocabulary(t)
	if _, err := w.SyncVocabulary(context.Background(), v.Version(), v.Entities(), v.Facts()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if r := get(t, srv, "/api/query/innervation?name="+url.QueryEscape("胫神经")); r.status != 200 || !strings.Contains(r.body, "比目鱼肌") {
		t.Errorf("after the write: %d %s", r.status, r.body)
	}
}

func TestEmptyAndMissingStore(t *testing.T) {
	srv := newServer(t, cmdtest.StoreOpener(t), 0)
	if r := get(t, srv, "/api/query/banned-nerves"); r.status != 200 || !strings.Contains(r.body, `"rows":[]`) {
		t.Errorf("empty graph: %d %s", r.status, r.body)
	}
	dir := filepath.Join(t.TempDir(), "typo")
	srv = newServer(t, cmdtest.MissingStoreOpener(dir), 0)
	for _, p := range []string{"/api/health", "/api/stats", "/api/query/banned-nerves"} {
		if r := get(t, srv, p); r.status != 404 || !strings.Contains(r.body, "no graph store") {
			t.Errorf("%s on a missing store: %d %s", p, r.status, r.body)
		}
	}
}

// TestTimeout: a request past its deadline is 504, whatever it was
// doing when the deadline passed.
func TestTimeout(t *testing.T) {
	srv := newServer(t, cmdtest.SeededStore(t), time.Nanosecond)
	r := get(t, srv, "/api/query/banned-nerves")
	if r.status != http.StatusGatewayTimeout || !strings.Contains(r.body, `"code":"timeout"`) {
		t.Errorf("%d %s", r.status, r.body)
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{medkg.Errorf(medkg.EINVALID, "x"), 400},
		{fmt.Errorf("ctx: %w", medkg.Errorf(medkg.ENOTFOUND, "x")), 404},
		{&app.NotFoundError{What: "entity", Name: "x"}, 404},
		{medkg.Errorf(medkg.ELOCKED, "x"), 503},
		{medkg.Errorf(medkg.ETIMEOUT, "x"), 504},
		{fmt.Errorf("q: %w", context.DeadlineExceeded), 504},
		{context.Canceled, 503},
		{errMethod, 405},
		{fmt.Errorf("body: %w", &http.MaxBytesError{Limit: 10}), 413},
		{medkg.Errorf(medkg.EINTERNAL, "x"), 500},
		{errors.New("boom"), 500},
	}
	for _, tt := range tests {
		if got := Status(tt.err); got != tt.want {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
