package graph

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"github.com/lib/pq"

	"github.com/medkg/medkg"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers the cockroach flavour
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers the postgres flavour and lib/pq
)

// sqlIndexes are what medkg adds to cayley's SQL schema. cayley indexes
// quads by subject, predicate and object but not by label, so without
// the first, reading one document's quads (replace, forget) scans the
// table. The second serves cayley's "DELETE FROM nodes WHERE refs <= 0",
// which runs after every write that deletes quads and would otherwise
// scan the nodes table.
var sqlIndexes = []string{
	`CREATE INDEX IF NOT EXISTS medkg_quads_label ON quads (label_hash)`,
	`CREATE INDEX IF NOT EXISTS medkg_nodes_unreferenced ON nodes (refs) WHERE refs <= 0`,
}

// openSQL opens (and on first use initialises) a PostgreSQL or
// CockroachDB database through cayley's graph/sql. There is no file lock:
// the server serialises transactions, so several medkg processes may read
// and write at once. On PostgreSQL it also returns a second pool for the
// query index (nil if the database has none yet: then queries read
// through cayley, and writes need `medkg migrate` unless unindexed).
func openSQL(ctx context.Context, flavour, addr string, ro, unindexed bool, log *slog.Logger) (graph.QuadStore, *sql.DB, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	driver := "postgres" // lib/pq, as cayley's postgres flavour
	if flavour == Cockroach {
		driver = "pgx" // as cayley's cockroach flavour
	}
	cayleyFlavour := flavour
	if flavour == Postgres {
		registerSQLFlavour()
		cayleyFlavour = sqlFlavour
	}
	// cayley opens a pool of its own and waits for a first connection
	// (a server process to start): meanwhile medkg's checks run on
	// another. cayley's New only connects; it reads no table.
	type opened struct {
		qs  graph.QuadStore
		err error
	}
	cayley := make(chan opened, 1)
	go func() {
		qs, err := csql.New(cayleyFlavour, addr, nil)
		cayley <- opened{qs, err}
	}()
	fail := func(err error) (graph.QuadStore, *sql.DB, error) {
		if c := <-cayley; c.err == nil {
			c.qs.Close()
		}
		return nil, nil, err
	}
	// One pool for medkg's own statements (schema checks, the query
	// index): every connection is a server process to start (or, through
	// a pooler, a server process already warm).
	var db *sql.DB
	if flavour == Postgres {
		c, err := withoutJIT(addr)
		if err != nil {
			return fail(err)
		}
		db = sql.OpenDB(c)
	} else {
		var err error
		if db, err = sql.Open(driver, addr); err != nil {
			return fail(err)
		}
	}
	if err := initSQL(ctx, db, flavour, addr, ro, log); err != nil {
		db.Close()
		return fail(err)
	}
	var ixdb *sql.DB
	if flavour != Postgres {
		db.Close()
	} else {
		st, version, err := sqlIndexState(ctx, db)
		if err != nil {
			db.Close()
			return fail(fmt.Errorf("look for the query index: %w", err))
		}
		switch {
		case st == ixCurrent || unindexed:
			ixdb = db
		case ro:
			db.Close()
			log.Warn(st.problem(redactURL(addr), version) + "; until then queries read the graph without it, slowly")
		default:
			db.Close()
			return fail(medkg.Errorf(medkg.EINVALID, "%s (queries still work on it, slowly)", st.problem(redactURL(addr), version)))
		}
	}
	c := <-cayley
	if c.err != nil {
		if ixdb != nil {
			ixdb.Close()
		}
		return nil, nil, c.err
	}
	return c.qs, ixdb, nil
}

// initSQL creates cayley's tables unless they exist (cayley's Init logs
// an error when they do), then medkg's indexes and, on PostgreSQL, the
// query index table. A read-only open of an existing database writes
// nothing (its user may lack the privilege); of an empty one it
// initialises it, as a read-only bolt open does.
func initSQL(ctx context.Context, db *sql.DB, flavour, addr string, ro bool, log *slog.Logger) error {
	var quads sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('quads')::text`).Scan(&quads); err != nil {
		return fmt.Errorf("look for the quads table: %w", err)
	}
	if ro && quads.Valid {
		return nil
	}
	if !quads.Valid {
		err := csql.Init(flavour, addr, nil)
		if err != nil && !errors.Is(err, graph.ErrDatabaseExists) { // another process won the race
			return fmt.Errorf("initialise schema: %w", err)
		}
		log.Debug("initialised new graph database", "backend", flavour, "url", redactURL(addr))
	}
	for _, q := range sqlIndexes {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create index (%s): %w", q, err)
		}
	}
	if flavour == Postgres {
		return sqlIxTable(ctx, db, !quads.Valid)
	}
	return nil
}

// withoutJIT is a lib/pq connector for addr whose connections turn
// PostgreSQL's JIT compiler off, unless addr sets jit itself: medkg's
// statements read and write the query index by its primary key, and a
// batch of a few dozen range scans looks costly enough to the planner (it
// cannot tell how many keys a range holds) that the server compiled it,
// which cost more than the scans (the first time in a server process,
// loading the compiler, hundreds of milliseconds). It is a SET on each
// new connection, not a startup parameter (jit=off in the connection
// string): PgBouncer refuses a connection whose startup packet carries a
// parameter it does not track, and jit is one.
func withoutJIT(addr string) (driver.Connector, error) {
	c, err := pq.NewConnector(addr)
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", redactURL(addr), err)
	}
	dsn := addr
	if strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://") {
		if dsn, err = pq.ParseURL(addr); err != nil {
			return nil, fmt.Errorf("database URL %s: %w", redactURL(addr), err)
		}
	}
	if slices.Contains(dsnKeys(dsn), "jit") {
		return c, nil
	}
	return setOnConnect{c, "SET jit = off"}, nil
}

// setOnConnect runs a statement on every new connection of a pool.
type setOnConnect struct {
	driver.Connector
	stmt string
}

func (s setOnConnect) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := s.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := c.(driver.ExecerContext)
	if !ok {
		c.Close()
		return nil, errors.New("the PostgreSQL driver's connection cannot run statements")
	}
	if _, err := ex.ExecContext(ctx, s.stmt, nil); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s: %w", s.stmt, err)
	}
	return c, nil
}

// dsnKeys lists the keys of a lib/pq key=value connection string
// (values bare or in single quotes, backslash escaping the next
// character), in order; it stops at the first malformed part, which
// lib/pq itself rejects.
func dsnKeys(dsn string) []string {
	var keys []string
	i, n := 0, len(dsn)
	space := func() {
		for i < n && (dsn[i] == ' ' || dsn[i] == '\t' || dsn[i] == '\n' || dsn[i] == '\r') {
			i++
		}
	}
	for {
		space()
		if i == n {
			return keys
		}
		start := i
		for i < n && dsn[i] != '=' && dsn[i] != ' ' && dsn[i] != '\t' && dsn[i] != '\n' && dsn[i] != '\r' {
			i++
		}
		key := dsn[start:i]
		space()
		if key == "" || i == n || dsn[i] != '=' {
			return keys
		}
		keys = append(keys, key)
		i++
		space()
		quoted := i < n && dsn[i] == '\''
		if quoted {
			i++
		}
		for i < n {
			c := dsn[i]
			if c == '\\' {
				i += 2
				continue
			}
			if quoted && c == '\'' {
				i++
				break
			}
			if !quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				break
			}
			i++
		}
	}
}

// redactURL drops the password from a database URL, for messages.
func redactURL(addr string) string {
	u, err := url.Parse(addr)
	if err != nil {
		return "(unparsable database URL)"
	}
	return u.Redacted()
}
