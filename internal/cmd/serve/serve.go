// Package serve implements `medkg serve`: the web explorer and the
// read-only JSON HTTP API of internal/httpapi over the graph.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/httpapi"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// DefaultAddr binds loopback only: the API has no authentication.
const DefaultAddr = "127.0.0.1:8080"

// shutdownGrace is how long requests in flight may finish after SIGINT.
const shutdownGrace = 5 * time.Second

// ServeOptions are the inputs of `medkg serve`.
type ServeOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)
	Extractor  func() (*extract.Extractor, error)
	Store      func(ctx context.Context, readOnly bool) (*graph.Store, error)
	Logger     func() *slog.Logger
	Backend    func() string // the --backend in effect, read after flag parsing

	Addr    string
	Timeout time.Duration
}

// NewCmdServe returns the serve command.
func NewCmdServe(f *cmdutil.Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary, Extractor: f.Extractor, Store: f.Store, Logger: f.Logger,
		Backend: func() string { return f.Globals.Backend }}
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Serve the graph: a web explorer and a JSON HTTP API",
		Long: `Serve the graph over HTTP: a web explorer at / (search with
autocomplete, an entity's neighbourhood as a graph to expand by clicking,
the evidence of an edge, the banned nerves as a graph and a table, the
documents with their text and mentions) and the JSON API it uses:

  GET  /api/search?q=…               autocomplete: Chinese name, alias, English, id
  GET  /api/resolve?name=…           the entities a name denotes (404 + suggestions)
  GET  /api/entity/REF               an entity, its edges and their evidence counts
  GET  /api/neighbourhood/REF        depth=1..3, limit=N nodes, predicate=, type=
  GET  /api/queries                  the named queries, their arguments and columns
  GET  /api/query/NAME?ARG=…         run one (as medkg query); limit=N rows
  GET  /api/documents                the documents
  GET  /api/documents/ID             one, with its mentions and assertions
  GET  /api/documents/ID/text        its text and mentions, read again from its file
  GET  /api/export?format=…          as medkg export, streamed
  POST /api/gizmo                    {"script": "…", "limit": N}, under --timeout
  GET  /api/stats, /api/health, /api/openapi.json

Errors are JSON {"error", "code", "suggestions"} with the status of their
code: 400 invalid input, 404 not found, 405 wrong method, 413 body over
64 KiB, 503 store locked by an ingest (retry), 504 past --timeout, 500
anything else.

The store is opened read-only for each request and closed before the
answer, never held between requests: bolt lets only one writer in, so
` + "`medkg ingest`" + ` from another terminal waits (up to its --lock-timeout) for the
requests in flight, not for the server, and the next request sees the new
documents (the explorer's document list refreshes by itself). A request
that arrives while an ingest writes waits up to --lock-timeout, then fails
with 503.

It binds 127.0.0.1 by default, changes nothing in the store, and sends no
CORS headers. Once it listens, it prints "listening on HOST:PORT" on
stderr (with --addr HOST:0, the port the system chose). Ctrl-C or SIGTERM
stops it cleanly, letting requests in flight finish.`,
		Example: `  $ medkg serve                      # then open http://127.0.0.1:8080/
  $ medkg serve --addr 127.0.0.1:0
  $ curl -s 'http://127.0.0.1:8080/api/query/innervation?name=胫神经'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", DefaultAddr, "Address to listen on, HOST:PORT (port 0: any free port)")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", httpapi.DefaultTimeout, "Give up on a request after this long (504)")
	return cmd
}

func serveRun(ctx context.Context, opts *ServeOptions) error {
	if opts.Backend() == graph.Memstore {
		return cmdutil.FlagErrorf("serve reads a bolt store: --backend memstore would serve an empty graph")
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return cmdutil.FlagErrorf("--addr %q: want HOST:PORT, e.g. %s", opts.Addr, DefaultAddr)
	}
	if opts.Timeout <= 0 {
		return cmdutil.FlagErrorf("--timeout %s: want a positive duration", opts.Timeout)
	}
	// Load the vocabulary now: a broken --vocab fails here, not on the
	// first request, and the first request is not slowed by it.
	if _, err := opts.Vocabulary(); err != nil {
		return err
	}
	log := opts.Logger()
	handler := httpapi.New(httpapi.Options{
		Store:      func(ctx context.Context) (*graph.Store, error) { return opts.Store(ctx, true) },
		Vocabulary: opts.Vocabulary,
		Extractor:  opts.Extractor,
		Logger:     log,
		Timeout:    opts.Timeout,
	})
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s is reachable from other machines, and the API has no authentication\n", ln.Addr())
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      opts.Timeout + 10*time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests outlive SIGINT by up to shutdownGrace: Shutdown, not
		// the signal, ends them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	fmt.Fprintf(opts.IO.ErrOut, "listening on %s\n", ln.Addr())

	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(opts.IO.ErrOut, "shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down: requests still running after %s: %w", shutdownGrace, err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
