// Package httpapi is what `medkg serve` serves: a read-only JSON HTTP API
// over the use cases of internal/app (named queries, search and name
// resolution, entities and neighbourhoods, documents, export, Gizmo,
// statistics), documented in openapi.json, and the web explorer in web/
// that uses it. It opens the store read-only for each request and closes
// it before answering, so that bolt's shared lock is held only while a
// request runs and `medkg ingest` in another terminal can still take the
// store between requests; new documents show up without a restart.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/vocab"
)

// Defaults of Options.
const (
	DefaultRowLimit      = 1000
	MaxRowLimit          = 10000
	DefaultTimeout       = 30 * time.Second
	DefaultMaxConcurrent = 8
)

// Options configure the API.
type Options struct {
	// Store opens the graph read-only; the API calls it once per request
	// and closes what it returns.
	Store      func(ctx context.Context) (*graph.Store, error)
	Vocabulary func() (*vocab.Vocabulary, error)
	// Extractor reads a document's text again for the document view;
	// nil: the text endpoint answers 404.
	Extractor func() (*extract.Extractor, error)
	Logger    *slog.Logger  // nil: discard
	Timeout   time.Duration // per request; 0: DefaultTimeout
	// MaxConcurrent bounds the requests reading the store at once (each
	// maps the file); others wait. 0: DefaultMaxConcurrent.
	MaxConcurrent int
}

type api struct {
	o   Options
	sem chan struct{}
}

// route is one endpoint: the table is what the mux serves and what the
// OpenAPI document is checked against.
type route struct {
	method  string // GET or POST; GET routes answer HEAD too
	path    string // a net/http pattern path, {name} for parameters
	handler http.HandlerFunc
}

func (a *api) routes() []route {
	return []route{
		{http.MethodGet, "/api/health", a.health},
		{http.MethodGet, "/api/openapi.json", serveOpenAPI},
		{http.MethodGet, "/api/queries", a.queries},
		{http.MethodGet, "/api/query/{name}", a.query},
		{http.MethodGet, "/api/resolve", a.resolve},
		{http.MethodGet, "/api/search", a.search},
		{http.MethodGet, "/api/entity/{ref}", a.entity},
		{http.MethodGet, "/api/neighbourhood/{ref}", a.neighbourhood},
		{http.MethodGet, "/api/documents", a.documents},
		{http.MethodGet, "/api/documents/{id}", a.document},
		{http.MethodGet, "/api/documents/{id}/text", a.documentText},
		{http.MethodGet, "/api/stats", a.stats},
		{http.MethodGet, "/api/export", a.export},
		{http.MethodPost, "/api/gizmo", a.gizmo},
	}
}

// New returns the handler of the API and of the web explorer. Every API
// response is JSON but for exports; no CORS headers are sent, so browsers
// only let pages from the same origin read it.
func New(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = DefaultMaxConcurrent
	}
	a := &api{o: o, sem: make(chan struct{}, o.MaxConcurrent)}
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		mux.HandleFunc(rt.path, a.method(rt.method, rt.handler))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, medkg.Errorf(medkg.ENOTFOUND, "no endpoint %s; see GET /api/openapi.json", r.URL.Path))
	})
	mux.Handle("/", a.method(http.MethodGet, webHandler()))
	return mux
}

// Status maps an error to its HTTP status: the one place where error
// codes become statuses, as cmdutil.ExitCode is for exit statuses.
func Status(err error) int {
	if errors.Is(err, errMethod) {
		return http.StatusMethodNotAllowed
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	var merr *medkg.Error
	if errors.As(err, &merr) {
		return codeStatus(merr.Code)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable // the server is shutting down or the client left
	}
	return http.StatusInternalServerError
}

func codeStatus(code string) int {
	switch code {
	case medkg.EINVALID:
		return http.StatusBadRequest
	case medkg.ENOTFOUND:
		return http.StatusNotFound
	case medkg.ETIMEOUT:
		return http.StatusGatewayTimeout
	case medkg.ELOCKED:
		return http.StatusServiceUnavailable // an ingest holds the store; retry
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the body of every failed request.
type errorBody struct {
	Error       string           `json:"error"`
	Code        string           `json:"code"`
	Suggestions []app.Suggestion `json:"suggestions,omitempty"`
}

func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	code := medkg.ErrorCode(err)
	switch status {
	case http.StatusGatewayTimeout:
		code = medkg.ETIMEOUT
	case http.StatusRequestEntityTooLarge:
		code = medkg.EINVALID
	}
	body := errorBody{Error: err.Error(), Code: code}
	var nf *app.NotFoundError
	if errors.As(err, &nf) {
		body.Suggestions = nf.Suggestions
	}
	if status >= 500 {
		a.o.Logger.Error("request failed", "path", r.URL.Path, "status", status, "err", err)
		if status == http.StatusInternalServerError {
			body.Error = "internal error; see the server's log"
		}
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, body)
}

// errMethod is the one error with a status of its own: anything but the
// route's method (GET routes take HEAD too) is 405.
var errMethod = medkg.Errorf(medkg.EINVALID, "method not allowed: the API changes nothing; only POST /api/gizmo takes a body")

// method lets the route's method through to h and answers anything else
// with a JSON 405, where the mux's own would be plain text.
func (a *api) method(m string, h http.Handler) http.HandlerFunc {
	allow := m
	if m == http.MethodGet {
		allow = "GET, HEAD"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != m && !(m == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", allow)
			a.fail(w, r, errMethod)
			return
		}
		h.ServeHTTP(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a failed write means the client left
}

// withStore runs fn on the store opened for this request, under the
// request's deadline and the concurrency bound.
func (a *api) withStore(w http.ResponseWriter, r *http.Request, fn func(ctx context.Context, s *graph.Store) (any, error)) {
	ctx, cancel := context.WithTimeout(r.Context(), a.o.Timeout)
	defer cancel()
	v, err := a.read(ctx, fn)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (a *api) read(ctx context.Context, fn func(ctx context.Context, s *graph.Store) (any, error)) (v any, err error) {
	select {
	case a.sem <- struct{}{}:
		defer func() { <-a.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s, err := a.o.Store(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := s.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	return fn(ctx, s)
}

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	a.withStore(w, r, func(context.Context, *graph.Store) (any, error) {
		return map[string]string{"status": "ok"}, nil
	})
}

func (a *api) queries(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, app.Queries())
}

// queryResult is the body of GET /api/query/{name}.
type queryResult struct {
	Query     string            `json:"query"`
	Args      map[string]string `json:"args"`
	Columns   []string          `json:"columns"`
	Rows      any               `json:"rows"`
	Total     int               `json:"total"`     // rows before the limit
	Truncated bool              `json:"truncated"` // Total > len(Rows)
}

func (a *api) query(w http.ResponseWriter, r *http.Request) {
	q, err := app.Find(r.PathValue("name"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	params := r.URL.Query()
	var args []string
	named := map[string]string{}
	for _, arg := range q.Args {
		v := params.Get(arg.Param)
		if v == "" {
			a.fail(w, r, medkg.Errorf(medkg.EINVALID, "query %s needs the parameter %s (%s); it takes %s", q.Name, arg.Param, arg.Kind, q.ArgsUsage()))
			return
		}
		args = append(args, v)
		named[arg.Param] = v
	}
	opts := app.Options{}
	for _, o := range q.Options {
		if v := params.Get(o.Name); v != "" {
			opts[o.Name] = v
			named[o.Name] = v
		}
	}
	if err := q.CheckOptions(opts); err != nil {
		a.fail(w, r, err)
		return
	}
	limit, err := intParam(params.Get("limit"), "limit", DefaultRowLimit, 1, MaxRowLimit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	maxHops, err := intParam(params.Get("max_hops"), "max_hops", graph.DefaultMaxHops, 1, graph.DefaultMaxHops)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := q.Check(args); err != nil {
		a.fail(w, r, err)
		return
	}
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		res, err := q.RunWith(ctx, app.Env{Store: s, Vocabulary: a.o.Vocabulary, MaxHops: maxHops}, args, opts)
		if err != nil {
			return nil, err
		}
		rows := res.Head(limit)
		return queryResult{Query: q.Name, Args: named, Columns: q.Columns, Rows: rows,
			Total: res.Total, Truncated: res.Total > limit}, nil
	})
}

// intParam reads an optional integer parameter within [lo, hi].
func intParam(s, name string, def, lo, hi int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, medkg.Errorf(medkg.EINVALID, "parameter %s=%q: want an integer from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// resolveResult is the body of GET /api/resolve.
type resolveResult struct {
	Name     string         `json:"name"`
	Entities []medkg.Entity `json:"entities"`
}

func (a *api) resolve(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "resolve needs the parameter name"))
		return
	}
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		res := &app.Resolver{Store: s, Vocabulary: a.o.Vocabulary}
		ents, err := res.Candidates(ctx, name)
		if err != nil {
			return nil, err
		}
		return resolveResult{Name: name, Entities: ents}, nil
	})
}

func (a *api) stats(w http.ResponseWriter, r *http.Request) {
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		return s.Stats(ctx)
	})
}
