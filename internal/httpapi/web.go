package httpapi

import (
	"embed"
	"io/fs"
	"net/http"
)

// webFiles is the web explorer: plain HTML, JavaScript and CSS with the
// vendored Cytoscape.js, no build step and nothing fetched from a CDN.
//
//go:embed web
var webFiles embed.FS

// contentSecurity lets the explorer load only its own files and talk only
// to this server.
const contentSecurity = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// webHandler serves the explorer at / and its files at /static/.
func webHandler() http.Handler {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		switch {
		case r.URL.Path == "/":
			h.Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, sub, "index.html")
		case len(r.URL.Path) > len("/static/") && r.URL.Path[:len("/static/")] == "/static/":
			h.Set("Cache-Control", "no-cache")
			http.StripPrefix("/static", files).ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
