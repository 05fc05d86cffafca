package graph

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"

	"github.com/medkg/medkg"
)

// MigrateResult reports a Migrate.
type MigrateResult struct {
	Store   string `json:"store"`
	Changed bool   `json:"changed"`           // false: the store was already current
	Quads   int64  `json:"quads"`             // quads copied
	Backup  string `json:"backup,omitempty"`  // the previous file, kept
	Indexed int    `json:"indexed,omitempty"` // documents (and the vocabulary) given the query index
}

// migrateBatch is how many quads one write transaction of Migrate holds.
const migrateBatch = 20000

// Migrate brings a bolt store written by an older medkg to the current
// layout: it copies every quad into a new file created with medkg's
// indexes (see labelIndex) and swaps the files, keeping the old one as
// indexes.bolt.pre-migrate. The store is held exclusively meanwhile; a
// crash before the swap leaves the old store untouched. SQL stores get
// their indexes on every writable open and memstore starts empty, so
// neither needs it.
func Migrate(ctx context.Context, o Options) (MigrateResult, error) {
	if o.Path == "" && o.Backend != Memstore {
		p, err := DefaultPath()
		if err != nil {
			return MigrateResult{}, err
		}
		o.Path = p
	}
	if o.Backend != "" && o.Backend != Bolt || IsURL(o.Path) {
		o.unindexed = true
		s, err := Open(ctx, o) // creates the SQL indexes
		if err != nil {
			return MigrateResult{}, err
		}
		res := MigrateResult{Store: s.Dir()}
		if s.ixdb != nil {
			st, v, err := sqlIndexState(ctx, s.ixdb)
			if err == nil && st == ixNewer {
				err = medkg.Errorf(medkg.EINVALID, "%s", st.problem(s.Dir(), v))
			}
			if err == nil && st != ixCurrent {
				err = s.buildIndex(ctx, func(done, _ int) { res.Indexed = done })
				res.Changed = err == nil
			}
			if err != nil {
				s.Close()
				return res, fmt.Errorf("migrate %s: build the query index: %w", s.Dir(), err)
			}
		}
		return res, s.Close()
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	res := MigrateResult{Store: o.Path}
	file := filepath.Join(o.Path, boltFile)
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return res, medkg.Errorf(medkg.ENOTFOUND, "no graph store in %s", o.Path)
	}
	old, err := openBoltFile(o.Path, file, false, o.LockTimeout)
	if err != nil {
		return res, err
	}
	defer old.Close()
	if ok, err := hasCurrentIndexes(old); err != nil {
		return res, err
	} else if ok {
		// Only the query index is missing: it is built in place, in
		// batches; the version mark is written last, so an interrupted
		// build leaves a store that asks for migrate again.
		if st, v, err := boltIndexState(old); err != nil || st == ixCurrent {
			return res, err
		} else if st == ixNewer {
			return res, medkg.Errorf(medkg.EINVALID, "%s", st.problem(o.Path, v))
		}
		if res.Indexed, err = indexBolt(ctx, old); err != nil {
			return res, fmt.Errorf("migrate %s: build the query index: %w", o.Path, err)
		}
		res.Changed = true
		return res, nil
	}
	oldQS, err := kv.New(old, graph.Options{kv.OptNoBloom: true})
	if err != nil {
		return res, fmt.Errorf("migrate %s: %w", o.Path, err)
	}
	tmp := file + ".migrating"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}
	nu, err := openBoltFile(o.Path, tmp, false, o.LockTimeout)
	if err != nil {
		return res, err
	}
	defer func() {
		nu.Close()
		os.Remove(tmp) // gone after a successful swap
	}()
	if err := initKV(nu, false); err != nil {
		return res, err
	}
	nuQS, err := kv.New(nu, graph.Options{kv.OptNoBloom: true})
	if err != nil {
		return res, err
	}
	if res.Quads, err = copyQuads(ctx, oldQS, nuQS); err != nil {
		return res, fmt.Errorf("migrate %s: %w", o.Path, err)
	}
	if res.Indexed, err = indexBolt(ctx, nu); err != nil {
		return res, fmt.Errorf("migrate %s: build the query index: %w", o.Path, err)
	}
	if err := nuQS.Close(); err != nil {
		return res, err
	}
	// The old file stays as the backup: a hard link first, then the new
	// file is renamed over the store's name, atomically.
	res.Backup = file + ".pre-migrate"
	if err := os.Remove(res.Backup); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}
	if err := os.Link(file, res.Backup); err != nil {
		return res, fmt.Errorf("keep the old store: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return res, fmt.Errorf("replace the old store: %w", err)
	}
	res.Changed = true
	return res, nil
}

// copyQuads writes every quad of from into to, in batches.
func copyQuads(ctx context.Context, from, to graph.QuadStore) (int64, error) {
	it := from.QuadsAllIterator().Iterate()
	defer it.Close()
	var (
		n     int64
		batch []graph.Delta
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := to.ApplyDeltas(batch, graph.IgnoreOpts{IgnoreDup: true})
		batch = batch[:0]
		return err
	}
	for it.Next(ctx) {
		q, err := from.Quad(it.Result())
		if err != nil {
			return n, err
		}
		if q.Subject == nil || q.Predicate == nil || q.Object == nil {
			continue // not a whole quad; nothing medkg wrote
		}
		batch = append(batch, graph.Delta{Quad: q, Action: graph.Add})
		n++
		if len(batch) >= migrateBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := it.Err(); err != nil {
		return n, err
	}
	if err := ctx.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// indexBolt builds the query index of a bolt store that has none and
// returns the number of labels indexed.
func indexBolt(ctx context.Context, db *hbolt.DB) (int, error) {
	ix := &ixKV{KV: db, bolt: db.DB()}
	qs, err := kv.New(ix, graph.Options{kv.OptNoBloom: true})
	if err != nil {
		return 0, err
	}
	s := &Store{qs: qs, ix: ix, backend: Bolt}
	n := 0
	err = s.buildIndex(ctx, func(done, _ int) { n = done })
	return n, err
}
