// Package graph stores medkg's knowledge graph in cayley and answers the
// questions medkg asks of it. It is the only package that imports cayley.
//
// The schema (IRIs, predicates, quad labels) is described in
// docs/schema.md. In short: entities are <medkg:TYPE/NAME>, documents
// <medkg:doc/HEX>, every extracted relation is reified as an assertion
// node carrying its evidence, positive relations also get a direct edge,
// and every quad is labelled with the document (or the vocabulary) that
// contributed it, so that a document can be replaced or forgotten alone.
package graph

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	bolt "github.com/coreos/bbolt" // go.etcd.io/bbolt, see go.mod
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"

	"github.com/medkg/medkg"
)

// Backends.
const (
	Bolt      = "bolt"
	Memstore  = "memstore"
	Postgres  = "postgres"  // cayley's graph/sql, PostgreSQL flavour; Path is a postgres:// URL
	Cockroach = "cockroach" // cayley's graph/sql, CockroachDB flavour; Path is a postgresql:// URL
)

// Backends lists the backend names Open accepts.
var Backends = []string{Bolt, Memstore, Postgres, Cockroach}

// IsURL reports whether path names a database server (postgres:// or
// postgresql://) rather than a store directory.
func IsURL(path string) bool {
	return strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
}

// boltFile is the database file inside the store directory; the name is
// the one cayley's own bolt backend uses, so `cayley --db bolt --dbpath
// DIR` can open a medkg store too.
const boltFile = "indexes.bolt"

// Options configure Open.
type Options struct {
	Backend     string        // one of Backends; "" = bolt, or postgres if Path is a URL
	Path        string        // store directory for bolt (created on first use), database URL for postgres and cockroach; "" = DefaultPath()
	ReadOnly    bool          // no writes; other read-only opens may share the store
	LockTimeout time.Duration // how long to wait for another process; default 1s, then ELOCKED
	Logger      *slog.Logger  // nil = discard

	unindexed bool // Migrate: open a PostgreSQL database that lacks the query index, to build it
}

// Store is an open knowledge graph. Its methods are safe for concurrent
// use: queries run in parallel, writes exclude queries.
type Store struct {
	qs        graph.QuadStore
	ix        *ixKV    // bolt with the query index (see index.go); nil otherwise
	ixdb      *sql.DB  // PostgreSQL with the query index; nil otherwise
	bolt      *bolt.DB // bolt's handle, for releaseMapped; nil on other backends
	ixPending []ixOp   // index changes for the next apply, under the write lock
	ixNext    uint64   // next label sequence number of the query index; 0 = not read yet
	// ixPrevious makes readers take the index paths of before hub
	// edges were read per distinct end and d entries told whether a
	// document has actions: every entry of an edge (one per document),
	// and cayley for actions. Benchmarks and tests compare the two.
	ixPrevious bool
	backend    string
	path       string
	ro         bool
	log        *slog.Logger

	// mu serialises writes against reads: bolt deadlocks when a write
	// transaction remaps the file while the same process holds read
	// transactions, and memstore is not safe for a writer plus readers.
	mu     sync.RWMutex
	closed bool
}

// DefaultPath is the store directory used when Options.Path is empty:
// $MEDKG_DB, else $XDG_DATA_HOME/medkg/graph, else
// ~/.local/share/medkg/graph.
func DefaultPath() (string, error) {
	if p := os.Getenv("MEDKG_DB"); p != "" {
		return p, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "medkg", "graph"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("default graph path: %w (set MEDKG_DB or XDG_DATA_HOME)", err)
	}
	return filepath.Join(home, ".local", "share", "medkg", "graph"), nil
}

// Open opens the store described by o, creating and initialising it if it
// does not exist yet. A bolt store held by another process (or another
// Store in this one) makes Open fail with an ELOCKED *medkg.Error after
// o.LockTimeout. Writers hold the store exclusively; read-only Stores
// share it with each other.
func Open(ctx context.Context, o Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.Path == "" && o.Backend != Memstore {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		o.Path = p
	}
	if (o.Backend == "" || o.Backend == Bolt) && IsURL(o.Path) {
		// MEDKG_DB=postgres://… selects the server without --backend.
		o.Backend = Postgres
	}
	if o.Backend == "" {
		o.Backend = Bolt
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{backend: o.Backend, ro: o.ReadOnly, log: log}
	switch o.Backend {
	case Memstore:
		s.qs = memstore.New()
	case Bolt:
		if IsURL(o.Path) {
			return nil, medkg.Errorf(medkg.EINVALID, "--backend bolt takes a store directory, not the URL %s; use --backend postgres", redactURL(o.Path))
		}
		s.path = o.Path
		qs, ix, bdb, err := openBolt(o.Path, o.ReadOnly, o.LockTimeout, log)
		var merr *medkg.Error
		if errors.As(err, &merr) {
			return nil, err // already names the store
		} else if err != nil {
			return nil, fmt.Errorf("open graph %q: %w", o.Path, err)
		}
		s.qs, s.ix, s.bolt = qs, ix, bdb
	case Postgres, Cockroach:
		if !IsURL(o.Path) {
			return nil, medkg.Errorf(medkg.EINVALID, "--backend %s needs a database URL (postgres://user@host/db?sslmode=disable) in --db or MEDKG_DB, not %q", o.Backend, o.Path)
		}
		s.path = redactURL(o.Path)
		qs, ixdb, err := openSQL(ctx, o.Backend, o.Path, o.ReadOnly, o.unindexed, log)
		var merr *medkg.Error
		if errors.As(err, &merr) {
			return nil, err // already names the database
		} else if err != nil {
			return nil, fmt.Errorf("open graph %s %s: %w", o.Backend, s.path, err)
		}
		s.qs, s.ixdb = qs, ixdb
	default:
		return nil, medkg.Errorf(medkg.EINVALID, "unknown graph backend %q (want one of %s)", o.Backend, strings.Join(Backends, ", "))
	}
	log.Debug("graph opened", "backend", s.backend, "path", s.path, "read_only", s.ro)
	return s, nil
}

// openBolt opens the bolt file in dir without cayley's registry: cayley's
// bolt backend opens every store read-write with no lock timeout, so a
// second process would block forever. bolt's own flock gives readers a
// shared lock and writers an exclusive one, with a timeout.
func openBolt(dir string, ro bool, timeout time.Duration, log *slog.Logger) (graph.QuadStore, *ixKV, *bolt.DB, error) {
	file := filepath.Join(dir, boltFile)
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		if ro {
			// A reader never creates a store: a mistyped --db must not
			// answer "nothing" from a new empty one.
			return nil, nil, nil, &medkg.Error{Code: medkg.ENOTFOUND, Message: fmt.Sprintf(
				"no graph store in %s; check --db or MEDKG_DB, or build one with `medkg ingest`", dir)}
		}
		if err := createBolt(dir, file, timeout, log); err != nil {
			return nil, nil, nil, err
		}
	}
	db, err := openBoltFile(dir, file, ro, timeout)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ro {
		if err := initKV(db, false); err != nil {
			db.Close()
			return nil, nil, nil, err
		}
		ok, err := hasLabelIndex(db)
		if err != nil {
			db.Close()
			return nil, nil, nil, err
		}
		if !ok {
			db.Close()
			return nil, nil, nil, medkg.Errorf(medkg.EINVALID, "graph store %s was written by an older medkg and lacks the per-document index that replacing and forgetting documents need; run `medkg migrate` once (queries still work on it)", dir)
		}
	}
	state, version, err := boltIndexState(db)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	indexed := state == ixCurrent
	if !indexed && !ro {
		db.Close()
		return nil, nil, nil, medkg.Errorf(medkg.EINVALID, "%s (queries still work on it, slowly)", state.problem(dir, version))
	}
	if !indexed {
		log.Warn(state.problem(dir, version) + "; until then queries read the graph without it, slowly")
	}
	var ix *ixKV
	var store hkv.KV = db
	if indexed {
		ix = &ixKV{KV: db, bolt: db.DB()}
		store = ix
	}
	// no_bloom: otherwise cayley reads every quad at open to fill a bloom
	// filter (about 1 s per million quads); without it, duplicate checks
	// on write go to the index instead, which our diffs make rare.
	qs, err := kv.New(store, graph.Options{kv.OptNoBloom: true})
	if err != nil {
		db.Close()
		if errors.Is(err, graph.ErrNotInitialized) {
			return nil, nil, nil, medkg.Errorf(medkg.EINVALID, "%s is not an initialised graph store; open it once for writing", file)
		}
		return nil, nil, nil, err
	}
	return qs, ix, db.DB(), nil
}

// createBolt initialises a new store in a temporary file and links it
// into place, so that a kill during creation never leaves a
// half-initialised store file behind. Link, unlike rename, fails if
// another process created the store meanwhile; theirs is kept.
func createBolt(dir, file string, timeout time.Duration, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	log.Debug("initialising new graph store", "path", dir)
	tmp, err := os.CreateTemp(dir, "."+boltFile+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Close(); err != nil {
		return err
	}
	db, err := openBoltFile(dir, tmp.Name(), false, timeout)
	if err != nil {
		return err
	}
	if err := initKV(db, true); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), file); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", file, err)
	}
	return nil
}

func openBoltFile(dir, file string, ro bool, timeout time.Duration) (*hbolt.DB, error) {
	db, err := hbolt.Open(file, &bolt.Options{Timeout: timeout, ReadOnly: ro})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &medkg.Error{
			Code:    medkg.ELOCKED,
			Message: fmt.Sprintf("graph store %s is locked by another medkg process (waited %s); wait for it to finish, or use another --db", dir, timeout),
			Err:     err,
		}
	}
	return db, err
}

// labelIndex indexes quads by label. cayley's kv backend indexes only by
// subject and object, so reading the quads of one document (to replace
// or forget it) scanned the whole store; with it, that read is
// O(document). cayley keeps every index listed in the store's metadata
// up to date on each write.
var labelIndex = kv.QuadIndex{Dirs: []quad.Direction{quad.Label}}

// quadIndexes are the cayley indexes of a new store. cayley's defaults
// are by subject and predicate, and by object, predicate and subject:
// one key per pair or triple, its value the list of every quad with it.
// For a node many documents state things about (胫神经 rdf:type, a hub's
// name) that list grows with the store, and cayley reads and rewrites it
// whole on every write of such a quad, so writing, replacing and
// forgetting slow down as the store grows (measured: the last 100k quads
// of a 10M-quad load went in 11 times slower than the first). With the
// label in the key every list holds one quad; lookups by subject or by
// object are prefix scans of the same indexes, as before.
var quadIndexes = []kv.QuadIndex{
	{Dirs: []quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label}},
	{Dirs: []quad.Direction{quad.Object, quad.Predicate, quad.Subject, quad.Label}},
	labelIndex,
}

var keyMetaIndexes = hkv.Key{[]byte("meta"), []byte("indexes")} // as cayley's kv

// initKV writes cayley's metadata into a new database, with medkg's
// indexes, and marks it as carrying the (empty) query index if withIndex;
// an existing one is left alone.
func initKV(db hkv.KV, withIndex bool) error {
	err := kv.Init(db, nil)
	if errors.Is(err, graph.ErrDatabaseExists) {
		return nil
	} else if err != nil {
		return fmt.Errorf("initialise: %w", err)
	}
	// cayley's Init takes its index list from an environment variable it
	// cannot parse in this version; the list is plain metadata, read by
	// kv.New, so it is written here before any quad is.
	data, err := json.Marshal(quadIndexes)
	if err != nil {
		return err
	}
	ctx := context.Background()
	err = hkv.Update(ctx, db, func(tx hkv.Tx) error {
		for _, ind := range quadIndexes {
			name := make([]byte, len(ind.Dirs))
			for i, d := range ind.Dirs {
				name[i] = d.Prefix()
			}
			if err := hkv.CreateBucket(ctx, tx, hkv.Key{name}); err != nil {
				return err
			}
		}
		if err := tx.Put(keyMetaIndexes, data); err != nil {
			return err
		}
		if withIndex {
			if err := tx.Put(ixMetaKey, ixVersion); err != nil {
				return err
			}
			return putWrites(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("initialise indexes: %w", err)
	}
	return nil
}

// hasLabelIndex reports whether the store was initialised with
// labelIndex; stores written before it need `medkg migrate`.
func hasLabelIndex(db hkv.KV) (bool, error) {
	indexes, err := storeIndexes(db)
	if err != nil {
		return false, err
	}
	for _, ind := range indexes {
		if slices.Equal(ind.Dirs, labelIndex.Dirs) {
			return true, nil
		}
	}
	return false, nil
}

// hasCurrentIndexes reports whether the store has exactly quadIndexes.
func hasCurrentIndexes(db hkv.KV) (bool, error) {
	indexes, err := storeIndexes(db)
	if err != nil {
		return false, err
	}
	return slices.EqualFunc(indexes, quadIndexes, func(a, b kv.QuadIndex) bool {
		return slices.Equal(a.Dirs, b.Dirs) && a.Unique == b.Unique
	}), nil
}

// storeIndexes reads the index list cayley keeps in the store.
func storeIndexes(db hkv.KV) ([]kv.QuadIndex, error) {
	var indexes []kv.QuadIndex
	err := hkv.View(db, func(tx hkv.Tx) error {
		data, err := tx.Get(context.Background(), keyMetaIndexes)
		if errors.Is(err, hkv.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		return json.Unmarshal(data, &indexes)
	})
	if err != nil {
		return nil, fmt.Errorf("read index metadata: %w", err)
	}
	return indexes, nil
}

// Close releases the store and its lock. Closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.ixdb != nil {
		s.ixdb.Close()
	}
	if err := s.qs.Close(); err != nil {
		return fmt.Errorf("close graph %q: %w", s.path, err)
	}
	return nil
}

// Backend is the backend name: one of Backends.
func (s *Store) Backend() string { return s.backend }

// Dir is the store directory, or the database URL without its password;
// "" for memstore.
func (s *Store) Dir() string { return s.path }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.ro }

// rlock takes the read lock for a query; the caller must call the
// returned function.
func (s *Store) rlock() (func(), error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, medkg.Errorf(medkg.EINVALID, "graph store is closed")
	}
	return s.mu.RUnlock, nil
}

// wlock takes the write lock; it fails on a read-only or closed store.
func (s *Store) wlock() (func(), error) {
	if s.ro {
		return nil, medkg.Errorf(medkg.EINVALID, "graph store %s is open read-only", s.path)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, medkg.Errorf(medkg.EINVALID, "graph store is closed")
	}
	s.ixPending = nil
	return s.mu.Unlock, nil
}

// quadsWith returns the quads having v in direction dir. Subject and
// object lookups use cayley's kv indexes; predicate and label lookups
// scan the whole store, so the query paths avoid them.
func (s *Store) quadsWith(ctx context.Context, dir quad.Direction, v quad.Value) ([]quad.Quad, error) {
	return s.quadsWithNames(ctx, dir, v, names{})
}

// names caches the values of node refs. cayley's kv Quad(ref) reads the
// four values from the log on every call, uncached; most values in a
// query repeat (predicates, booleans, document IRIs).
type names map[any]quad.Value

func (s *Store) quadsWithNames(ctx context.Context, dir quad.Direction, v quad.Value, cache names) ([]quad.Quad, error) {
	return s.quadsWithDirs(ctx, dir, v, cache, quad.Directions)
}

// quadsWithDirs is quadsWithNames filling only the directions dirs of
// each quad: an entity stated by thousands of documents has a quad
// under each one's label, and resolving the labels is one read (on a
// server, one round trip) per document.
func (s *Store) quadsWithDirs(ctx context.Context, dir quad.Direction, v quad.Value, cache names, dirs []quad.Direction) ([]quad.Quad, error) {
	ref, err := s.qs.ValueOf(v)
	if err != nil {
		return nil, err
	}
	if ref == nil {
		return nil, nil
	}
	cache[refs.ToKey(ref)] = v
	it := s.qs.QuadIterator(dir, ref).Iterate()
	defer it.Close()
	var out []quad.Quad
	for it.Next(ctx) {
		var q quad.Quad
		for _, d := range dirs {
			r, err := s.qs.QuadDirection(it.Result(), d)
			if err != nil {
				return nil, err
			}
			if r == nil {
				continue
			}
			k := refs.ToKey(r)
			val, ok := cache[k]
			if !ok {
				if val, err = s.qs.NameOf(r); err != nil {
					return nil, err
				}
				cache[k] = val
			}
			q.Set(d, val)
		}
		out = append(out, q)
	}
	if err := it.Err(); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr // the SQL backend's error does not wrap it
		}
		return nil, err
	}
	return out, ctx.Err()
}

// apply writes deltas in one transaction.
//
// cayley's kv ApplyDeltas (this version) drops a direction of every added
// quad whose node has a negative net reference count in the batch (more
// deleted than added quads use it): such nodes are only resolved for the
// delete phase, so the added quad is written with an empty subject,
// object or label. Replacing a document by a smaller version hits this.
// apply therefore pads such nodes with inert quads (predicate
// medkg:pad, object medkg:padding) in the same transaction, so that every
// node of an added quad nets zero or more, and deletes the padding in a
// second, delete-only transaction. Padding left by a crash in between
// never answers a query and is removed by the next write.
func (s *Store) apply(ctx context.Context, deltas []graph.Delta) error {
	ixOps := s.ixPending
	s.ixPending = nil
	if len(deltas) == 0 {
		return nil
	}
	// The last point where cancelling is clean: ApplyDeltas is atomic but
	// does not take a context.
	if err := ctx.Err(); err != nil {
		return err
	}
	leftover, err := s.quadsWith(context.WithoutCancel(ctx), quad.Object, iri(iriPadding))
	if err != nil {
		return err
	}
	if err := s.deleteQuads(leftover); err != nil {
		return fmt.Errorf("remove leftover padding: %w", err)
	}
	pads := padding(deltas)
	for _, q := range pads {
		deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
	}
	// In key order, bolt's writes touch each page once; stable, so that
	// of two puts of one key (the sequence counter) the last wins.
	slices.SortStableFunc(ixOps, func(a, b ixOp) int { return strings.Compare(a.key, b.key) })
	if err := s.applyDeltas(deltas, graph.IgnoreOpts{}, ixOps); err != nil {
		return err
	}
	if err := s.deleteQuads(pads); err != nil {
		// The write itself succeeded; the padding is inert.
		s.log.Warn("could not remove padding quads; the next write will", "quads", len(pads), "err", err)
	}
	return nil
}

func (s *Store) deleteQuads(qs []quad.Quad) error {
	if len(qs) == 0 {
		return nil
	}
	deltas := make([]graph.Delta, len(qs))
	for i, q := range qs {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	return s.applyDeltas(deltas, graph.IgnoreOpts{IgnoreMissing: true}, nil)
}

// applyDeltas is cayley's ApplyDeltas with the query index changes ops
// committed in the same transaction, or not at all.
func (s *Store) applyDeltas(deltas []graph.Delta, opts graph.IgnoreOpts, ops []ixOp) error {
	switch {
	case s.backend == Postgres:
		return s.applySQL(deltas, opts, ops)
	case s.ix != nil:
		s.ix.stage(ops)
		defer s.ix.stage(nil) // if cayley failed before its transaction
	}
	return s.qs.ApplyDeltas(deltas, opts)
}

// padding returns the inert quads that give every node of an added quad a
// non-negative net reference count in deltas (see apply).
func padding(deltas []graph.Delta) []quad.Quad {
	if !slices.ContainsFunc(deltas, func(d graph.Delta) bool { return d.Action == graph.Delete }) {
		return nil // only adds: no node can go negative
	}
	net := map[refs.ValueHash]int{}
	added := map[refs.ValueHash]quad.Value{}
	for _, d := range deltas {
		for _, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			if v == nil {
				continue
			}
			h := refs.HashOf(v)
			if d.Action == graph.Add {
				net[h]++
				added[h] = v
			} else {
				net[h]--
			}
		}
	}
	hashes := make([]refs.ValueHash, 0, len(added))
	for h := range added {
		if net[h] < 0 {
			hashes = append(hashes, h)
		}
	}
	slices.SortFunc(hashes, func(a, b refs.ValueHash) int { return bytes.Compare(a[:], b[:]) })
	var pads []quad.Quad
	for _, h := range hashes {
		for range -net[h] {
			pads = append(pads, quad.Quad{
				Subject: added[h], Predicate: iri(iriPad), Object: iri(iriPadding),
				Label: quad.IRI(fmt.Sprintf("%s/%d", iriPadding, len(pads))),
			})
		}
	}
	return pads
}

// diff returns the deltas turning the quads old into the quads new.
func diff(old, new []quad.Quad) []graph.Delta {
	have := make(map[quad.Quad]bool, len(old))
	for _, q := range old {
		have[q] = true
	}
	want := make(map[quad.Quad]bool, len(new))
	var out []graph.Delta
	for _, q := range new {
		if want[q] {
			continue
		}
		want[q] = true
		if !have[q] {
			out = append(out, graph.Delta{Quad: q, Action: graph.Add})
		}
	}
	for _, q := range old {
		if !want[q] {
			out = append(out, graph.Delta{Quad: q, Action: graph.Delete})
			want[q] = true // old may list a quad twice
		}
	}
	return out
}
