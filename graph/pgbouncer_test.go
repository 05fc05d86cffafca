package graph

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"testing"
)

// pgbouncerEnv names a PgBouncer in session pooling mode in front of the
// server of $MEDKG_TEST_POSTGRES, as README's "Shared graph" sets one up:
// only extra_float_digits in ignore_startup_parameters, and a `*` entry
// so that every database of the server is reachable by its name. .ci/run
// starts one.
const pgbouncerEnv = "MEDKG_TEST_PGBOUNCER"

// TestPostgresThroughPgBouncer: medkg writes and queries through
// PgBouncer in session mode with the answers of a direct connection,
// and its connections still run with the JIT compiler off, also on a
// server connection a previous client used (PgBouncer resets the
// session between clients). medkg used to send jit=off as a startup
// parameter, which PgBouncer refuses.
func TestPostgresThroughPgBouncer(t *testing.T) {
	bouncer := os.Getenv(pgbouncerEnv)
	if bouncer == "" {
		t.Skipf("no PgBouncer: set %s=postgres://user@host:port/postgres?sslmode=disable (.ci/run starts one)", pgbouncerEnv)
	}
	direct, viaBouncer := pgbouncerDatabase(t, bouncer)
	ctx := context.Background()

	w, err := Open(ctx, Options{Path: viaBouncer, Backend: Postgres})
	if err != nil {
		t.Fatalf("open through PgBouncer: %v", err)
	}
	mustLoad(t, w, seedDoc(), muscleDoc(), actionsDoc())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	type answers struct {
		Banned      any
		Procedures  any
		Innervation any
	}
	read := func(addr string) answers {
		t.Helper()
		s, err := Open(ctx, Options{Path: addr, Backend: Postgres, ReadOnly: true})
		if err != nil {
			t.Fatalf("open %s: %v", redactURL(addr), err)
		}
		defer s.Close()
		if s.ixdb == nil {
			t.Fatalf("%s: no query index", redactURL(addr))
		}
		var jit string
		if err := s.ixdb.QueryRowContext(ctx, "SHOW jit").Scan(&jit); err != nil || jit != "off" {
			t.Errorf("%s: jit %q, %v; want off", redactURL(addr), jit, err)
		}
		var a answers
		if a.Banned, err = s.BannedNerves(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Procedures, err = s.BannedProcedures(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Innervation, err = s.Innervation(ctx, "胫神经"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	want := read(direct)
	if reflect.ValueOf(want.Banned).Len() == 0 || reflect.ValueOf(want.Innervation).Len() == 0 {
		t.Fatalf("empty answers on a direct connection: %+v", want)
	}
	for i := range 2 { // the second reuses the first's server connection
		if got := read(viaBouncer); !reflect.DeepEqual(got, want) {
			t.Errorf("through PgBouncer, run %d: %+v\nwant (direct) %+v", i, got, want)
		}
	}
}

// pgbouncerDatabase creates an empty database on the server of
// $MEDKG_TEST_POSTGRES, dropped after the test, and returns its URL
// direct and through PgBouncer (bouncer with the database's name): a
// search_path in the URL, as the other tests pick their schema, is a
// startup parameter PgBouncer refuses.
func pgbouncerDatabase(t *testing.T, bouncer string) (direct, viaBouncer string) {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skipf("no PostgreSQL server: set %s (.ci/run starts one)", postgresEnv)
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("medkg_test_bouncer_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		// PgBouncer keeps its server connections to it open.
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	withDB := func(addr string) string {
		u, err := url.Parse(addr)
		if err != nil {
			t.Fatalf("%s: %v", redactURL(addr), err)
		}
		u.Path = "/" + name
		q := u.Query()
		if q.Has("search_path") {
			t.Fatalf("%s sets search_path: give the server's address without it", redactURL(addr))
		}
		return u.String()
	}
	return withDB(base), withDB(bouncer)
}

// TestDSNKeys: the keys of lib/pq connection strings, as withoutJIT
// reads them to leave an address's own jit alone.
func TestDSNKeys(t *testing.T) {
	for _, c := range []struct {
		dsn  string
		want []string
	}{
		{"", nil},
		{"host=/tmp dbname=x", []string{"host", "dbname"}},
		{" host = /tmp\tjit=on ", []string{"host", "jit"}},
		{`password='a jit=on b' user=u`, []string{"password", "user"}},
		{`password='it\'s jit=on' jit=off`, []string{"password", "jit"}},
		{`password=a\ jit=on user=u`, []string{"password", "user"}},
		{"host=h junk", []string{"host"}},
	} {
		if got := dsnKeys(c.dsn); !slices.Equal(got, c.want) {
			t.Errorf("dsnKeys(%q) = %q, want %q", c.dsn, got, c.want)
		}
	}
}
