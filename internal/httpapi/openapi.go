package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPI documents the API; TestOpenAPIMatchesRoutes checks it against
// the routes the mux serves.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPI)
}
