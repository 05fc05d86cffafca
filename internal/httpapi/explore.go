package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
)

// Bounds of the exploring endpoints.
const (
	DefaultSearchLimit = 10
	MaxSearchLimit     = 100
	DefaultDepth       = 1
	MaxDepth           = 3
	DefaultMaxNodes    = 150
	MaxNodes           = 2000
	DefaultGizmoLimit  = 100 // as `medkg gizmo --limit`
	// MaxBodyBytes bounds a request body (a Gizmo script): larger is 413.
	MaxBodyBytes = 64 << 10
)

// searchResult is the body of GET /api/search.
type searchResult struct {
	Query   string      `json:"q"`
	Matches []app.Match `json:"matches"`
}

func (a *api) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "search needs the parameter q, a name or its beginning"))
		return
	}
	limit, err := intParam(r.URL.Query().Get("limit"), "limit", DefaultSearchLimit, 1, MaxSearchLimit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		v, err := a.o.Vocabulary()
		if err != nil {
			return nil, err
		}
		ms, err := app.Search(ctx, s, v, q, limit)
		if err != nil {
			return nil, err
		}
		return searchResult{Query: q, Matches: ms}, nil
	})
}

// entityResult is the body of GET /api/entity/{ref}.
type entityResult struct {
	Entity medkg.Entity `json:"entity"`
	Edges  []graph.Edge `json:"edges"`
}

// resolveRef resolves a path's entity reference (id, name, alias,
// English name) to one entity.
func (a *api) resolveRef(ctx context.Context, s *graph.Store, ref string) (medkg.Entity, error) {
	id, err := (&app.Resolver{Store: s, Vocabulary: a.o.Vocabulary}).Resolve(ctx, ref)
	if err != nil {
		return medkg.Entity{}, err
	}
	ents, err := s.Lookup(ctx, id)
	if err != nil {
		return medkg.Entity{}, err
	}
	for _, e := range ents {
		if e.ID == id {
			return e, nil
		}
	}
	// In the vocabulary, not yet in the graph (no ingest synced it).
	v, err := a.o.Vocabulary()
	if err != nil {
		return medkg.Entity{}, err
	}
	if e, ok := v.Entry(id); ok {
		return e.Entity, nil
	}
	return medkg.Entity{}, &app.NotFoundError{What: "entity", Name: ref}
}

func (a *api) entity(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		e, err := a.resolveRef(ctx, s, ref)
		if err != nil {
			return nil, err
		}
		edges, err := s.Neighbors(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		return entityResult{Entity: e, Edges: edges}, nil
	})
}

func (a *api) neighbourhood(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	depth, err := intParam(params.Get("depth"), "depth", DefaultDepth, 1, MaxDepth)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	maxNodes, err := intParam(params.Get("limit"), "limit", DefaultMaxNodes, 1, MaxNodes)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o := app.NeighbourhoodOptions{Depth: depth, MaxNodes: maxNodes}
	for _, p := range splitList(params["predicate"]) {
		pred, err := app.ParsePredicate(p)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		o.Predicates = append(o.Predicates, pred)
	}
	for _, t := range splitList(params["type"]) {
		typ := medkg.EntityType(t)
		if !typ.Valid() {
			a.fail(w, r, medkg.Errorf(medkg.EINVALID, "parameter type=%q: not an entity type", t))
			return
		}
		o.Types = append(o.Types, typ)
	}
	switch params.Get("co_occurs") {
	case "", "false", "0":
	case "true", "1":
		o.CoOccurs = true
	default:
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "parameter co_occurs=%q: want true or false", params.Get("co_occurs")))
		return
	}
	ref := r.PathValue("ref")
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		e, err := a.resolveRef(ctx, s, ref)
		if err != nil {
			return nil, err
		}
		return app.Neighbourhoods(ctx, s, e.ID, o)
	})
}

// splitList reads a repeatable, comma-separated parameter.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

// document is a DocInfo with the id used in /api/documents/{id}.
type document struct {
	ID string `json:"id"`
	graph.DocInfo
}

// docID is the short id of a document: the hex digits of its IRI.
func docID(iri string) string { return strings.TrimPrefix(iri, "medkg:doc/") }

// documentsResult is the body of GET /api/documents.
type documentsResult struct {
	Documents []document `json:"documents"`
}

func (a *api) documents(w http.ResponseWriter, r *http.Request) {
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		docs, err := s.Documents(ctx)
		if err != nil {
			return nil, err
		}
		out := documentsResult{Documents: make([]document, 0, len(docs))}
		for _, d := range docs {
			out.Documents = append(out.Documents, document{ID: docID(d.IRI), DocInfo: d})
		}
		return out, nil
	})
}

// documentResult is the body of GET /api/documents/{id}.
type documentResult struct {
	ID string `json:"id"`
	graph.DocumentDetail
}

// lookupDocument finds a document by the id of its IRI.
func lookupDocument(ctx context.Context, s *graph.Store, id string) (graph.DocumentDetail, error) {
	if id == "" || !isHex(id) {
		return graph.DocumentDetail{}, medkg.Errorf(medkg.EINVALID, "document id %q: want the hex digits of its IRI, as in GET /api/documents", id)
	}
	return s.Document(ctx, "medkg:doc/"+id)
}

func isHex(s string) bool {
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

func (a *api) document(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		d, err := lookupDocument(ctx, s, id)
		if err != nil {
			return nil, err
		}
		return documentResult{ID: docID(d.IRI), DocumentDetail: d}, nil
	})
}

// documentText is the body of GET /api/documents/{id}/text.
type documentText struct {
	ID string `json:"id"`
	*app.DocumentText
}

func (a *api) documentText(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), a.o.Timeout)
	defer cancel()
	// The store is read, then closed before the file is extracted: an
	// ingest need not wait for the extraction.
	v, err := a.read(ctx, func(ctx context.Context, s *graph.Store) (any, error) {
		return lookupDocument(ctx, s, id)
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := v.(graph.DocumentDetail)
	if a.o.Extractor == nil {
		a.fail(w, r, medkg.Errorf(medkg.ENOTFOUND, "this server does not read documents' text"))
		return
	}
	x, err := a.o.Extractor()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	text, err := app.ReadDocumentText(ctx, x, d.DocInfo)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, documentText{ID: docID(d.IRI), DocumentText: text})
}

// exportTypes are the Content-Types of the export formats.
var exportTypes = map[string]string{
	graph.FormatNQuads:    "application/n-quads; charset=utf-8",
	graph.FormatTurtle:    "text/turtle; charset=utf-8",
	graph.FormatJSONLD:    "application/ld+json; charset=utf-8",
	graph.FormatGraphML:   "application/graphml+xml; charset=utf-8",
	graph.FormatGML:       "text/plain; charset=us-ascii",
	graph.FormatNeo4j:     "text/csv; charset=utf-8",
	graph.FormatCytoscape: "application/json; charset=utf-8",
	graph.FormatJSON:      "application/json; charset=utf-8",
	graph.FormatDOT:       "text/vnd.graphviz; charset=utf-8",
}

var exportExt = map[string]string{
	graph.FormatNQuads: "nq", graph.FormatTurtle: "ttl", graph.FormatJSONLD: "jsonld", graph.FormatGraphML: "graphml",
	graph.FormatGML: "gml", graph.FormatNeo4j: "csv", graph.FormatCytoscape: "json", graph.FormatJSON: "json", graph.FormatDOT: "dot",
}

// lazyHeader sends the export's headers with its first byte, so that an
// export failing before it writes anything is still a JSON error.
type lazyHeader struct {
	w       http.ResponseWriter
	header  func()
	written bool
}

func (l *lazyHeader) Write(p []byte) (int, error) {
	if !l.written {
		l.written = true
		l.header()
	}
	return l.w.Write(p)
}

func (a *api) export(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	format := params.Get("format")
	if format == "" {
		format = graph.FormatNQuads
	}
	ctype, ok := exportTypes[format]
	if !ok {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "parameter format=%q: want one of %s", format, strings.Join(graph.ExportFormats(), ", ")))
		return
	}
	scope := params.Get("scope")
	if scope == "" {
		scope = graph.Scopes()[0]
	}
	o := graph.ExportOptions{Format: format, Base: params.Get("base"),
		Selection: graph.Selection{Scope: graph.Scope(scope), Doc: params.Get("doc"), Query: params.Get("query"), Args: params["arg"]}}
	if o.Query != "" {
		q, err := app.Find(o.Query)
		if err == nil {
			err = q.Check(o.Args)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
	}
	part := params.Get("part")
	switch {
	case format == graph.FormatNeo4j && part != "nodes" && part != "relationships":
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "neo4j is two files: add part=nodes or part=relationships"))
		return
	case format != graph.FormatNeo4j && part != "":
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "parameter part is for format=neo4j"))
		return
	}
	name := "medkg." + exportExt[format]
	if part != "" {
		name = part + ".csv"
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.o.Timeout)
	defer cancel()
	out := &lazyHeader{w: w, header: func() {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	}}
	_, err := a.read(ctx, func(ctx context.Context, s *graph.Store) (any, error) {
		if format == graph.FormatNeo4j {
			nodes, rels := io.Writer(out), io.Discard
			if part == "relationships" {
				nodes, rels = io.Discard, out
			}
			return nil, s.ExportNeo4j(ctx, nodes, rels, o.Selection)
		}
		return nil, s.Export(ctx, out, o)
	})
	switch {
	case err == nil && !out.written:
		out.Write(nil) // an empty export: headers, no body
	case err != nil && !out.written:
		a.fail(w, r, err)
	case err != nil:
		// The status is sent: cut the connection so that the client sees
		// a truncated body, not a complete-looking one.
		a.o.Logger.Error("export failed while streaming", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// gizmoRequest is the body of POST /api/gizmo.
type gizmoRequest struct {
	Script string `json:"script"`
	Limit  *int   `json:"limit"` // default DefaultGizmoLimit; 0: no limit (up to MaxRowLimit)
}

// gizmoResult is the answer of POST /api/gizmo.
type gizmoResult struct {
	Results   []any `json:"results"`
	Truncated bool  `json:"truncated"` // the limit was reached
}

func (a *api) gizmo(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "POST /api/gizmo takes application/json: {\"script\": \"g.V().All()\", \"limit\": 10}, not %s", ct))
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	var req gizmoRequest
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.fail(w, r, fmt.Errorf("the body is over %d bytes: %w", MaxBodyBytes, err))
			return
		}
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "the body is not a JSON object {\"script\": …, \"limit\": …}: %v", err))
		return
	}
	if dec.More() {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "the body holds more than one JSON value"))
		return
	}
	if strings.TrimSpace(req.Script) == "" {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "the body needs a script, e.g. {\"script\": \"g.V().Limit(5).All()\"}"))
		return
	}
	limit := DefaultGizmoLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	if limit < 0 || limit > MaxRowLimit {
		a.fail(w, r, medkg.Errorf(medkg.EINVALID, "limit %d: want 0 (as many as %d) to %d", limit, MaxRowLimit, MaxRowLimit))
		return
	}
	if limit == 0 {
		limit = MaxRowLimit
	}
	a.withStore(w, r, func(ctx context.Context, s *graph.Store) (any, error) {
		// One more than the limit tells whether there were more.
		res, err := s.Gizmo(ctx, req.Script, limit+1)
		if err != nil {
			return nil, err
		}
		out := gizmoResult{Results: res}
		if len(res) > limit {
			out.Results, out.Truncated = res[:limit], true
		}
		return out, nil
	})
}
