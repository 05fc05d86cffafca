// Package factory builds the production cmdutil.Factory: real streams and
// lazy, memoised access to the vocabulary, the extractor and the graph.
package factory

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/medkg/medkg/extract"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// DefaultLockTimeout is how long opening the graph waits for another
// medkg process to release it before failing with ELOCKED.
const DefaultLockTimeout = time.Second

// New returns a Factory whose dependencies are created on first use. None
// of its functions may be called before the root command has parsed its
// persistent flags, since they read f.Globals.
func New(ios *iostreams.IOStreams, appVersion string) *cmdutil.Factory {
	g := &cmdutil.GlobalOptions{Backend: "bolt", LockTimeout: DefaultLockTimeout}
	f := &cmdutil.Factory{IOStreams: ios, AppVersion: appVersion, Globals: g}

	f.Logger = sync.OnceValue(func() *slog.Logger {
		level := slog.LevelWarn
		if g.Verbose {
			level = slog.LevelDebug
		}
		return slog.New(slog.NewTextHandler(ios.ErrOut, &slog.HandlerOptions{Level: level}))
	})

	f.Vocabulary = sync.OnceValues(func() (*vocab.Vocabulary, error) {
		start := time.Now()
		v, err := vocab.Load(g.VocabFiles...)
		if err != nil {
			return nil, fmt.Errorf("load vocabulary: %w", err)
		}
		f.Logger().Debug("vocabulary loaded", "version", v.Version(), "entries", len(v.Entries()),
			"user_dir", vocab.UserDir(), "files", g.VocabFiles, "took", time.Since(start))
		return v, nil
	})

	f.Extractor = sync.OnceValues(func() (*extract.Extractor, error) {
		v, err := f.Vocabulary()
		if err != nil {
			return nil, err
		}
		start := time.Now()
		x, err := extract.New(v)
		if err != nil {
			return nil, fmt.Errorf("build extractor: %w", err)
		}
		f.Logger().Debug("extractor built", "took", time.Since(start))
		return x, nil
	})

	f.GraphPath = func() (string, error) {
		if g.DB != "" && graph.IsURL(g.DB) {
			return g.DB, nil
		}
		if g.DB != "" {
			p, err := filepath.Abs(g.DB)
			if err != nil {
				return "", fmt.Errorf("--db %q: %w", g.DB, err)
			}
			return p, nil
		}
		p, err := graph.DefaultPath()
		if err != nil {
			return "", fmt.Errorf("find graph directory (set --db or MEDKG_DB): %w", err)
		}
		return p, nil
	}

	f.Store = func(ctx context.Context, readOnly bool) (*graph.Store, error) {
		path, err := f.GraphPath()
		if err != nil {
			return nil, err
		}
		// graph.Open's errors name the path and say what to do.
		return graph.Open(ctx, graph.Options{
			Backend:     g.Backend,
			Path:        path,
			ReadOnly:    readOnly,
			LockTimeout: g.LockTimeout,
			Logger:      f.Logger(),
		})
	}
	return f
}
