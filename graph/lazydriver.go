package graph

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/lib/pq"
)

// lazyDriver is lib/pq whose connections reach the server only when
// first used. cayley's pool is opened with it: cayley pings the database
// when it opens, which on PostgreSQL starts a server process (about
// 40 ms of the server's CPU on the development machine), and most
// queries never use cayley (they read the query index through medkg's
// own pool), so they no longer pay for it. medkg's pool, opened first
// with the same address, is what finds a wrong address or a server
// that is down.
const lazyDriver = "medkg-postgres-lazy"

type lazyPQ struct{}

func (lazyPQ) Open(name string) (driver.Conn, error) {
	return &lazyConn{dsn: name}, nil
}

// lazyConn is a lib/pq connection opened on first use. database/sql
// uses a connection from one goroutine at a time.
type lazyConn struct {
	dsn string
	c   driver.Conn
}

func (l *lazyConn) conn() (driver.Conn, error) {
	if l.c == nil {
		c, err := pq.Open(l.dsn)
		if err != nil {
			return nil, err
		}
		l.c = c
	}
	return l.c, nil
}

func (l *lazyConn) Prepare(q string) (driver.Stmt, error) {
	c, err := l.conn()
	if err != nil {
		return nil, err
	}
	return c.Prepare(q)
}

func (l *lazyConn) Close() error {
	if l.c == nil {
		return nil
	}
	return l.c.Close()
}

func (l *lazyConn) Begin() (driver.Tx, error) {
	return l.BeginTx(context.Background(), driver.TxOptions{})
}

func (l *lazyConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c, err := l.conn()
	if err != nil {
		return nil, err
	}
	b, ok := c.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("the PostgreSQL driver's connection has no BeginTx")
	}
	return b.BeginTx(ctx, opts)
}

func (l *lazyConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c, err := l.conn()
	if err != nil {
		return nil, err
	}
	if qc, ok := c.(driver.QueryerContext); ok {
		return qc.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (l *lazyConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c, err := l.conn()
	if err != nil {
		return nil, err
	}
	if ec, ok := c.(driver.ExecerContext); ok {
		return ec.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

// Ping checks a connection already made; one not yet made has nothing
// to check.
func (l *lazyConn) Ping(ctx context.Context) error {
	if l.c == nil {
		return nil
	}
	if p, ok := l.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func registerLazyDriver() { sql.Register(lazyDriver, lazyPQ{}) }
