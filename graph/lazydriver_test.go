package graph

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
)

// TestLazyDriver: cayley's pool (lazyDriver) reaches the server only
// when a statement needs it: opening and pinging an address where no
// server listens succeeds, the first statement fails, and against a
// server statements run as through lib/pq.
func TestLazyDriver(t *testing.T) {
	registerSQLFlavour()
	ctx := context.Background()
	down, err := sql.Open(lazyDriver, "host="+t.TempDir()+" user=nobody dbname=none sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	if err := down.PingContext(ctx); err != nil {
		t.Errorf("ping without a server: %v; want nil (nothing connected yet)", err)
	}
	var one int
	if err := down.QueryRowContext(ctx, "SELECT 1").Scan(&one); err == nil {
		t.Error("a statement without a server succeeded")
	}

	url := postgresTestURL(t)
	up, err := sql.Open(lazyDriver, url)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	if err := up.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	tx, err := up.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var got string
	if err := tx.QueryRowContext(ctx, "SELECT $1::text || current_setting('transaction_read_only')", "ro=").Scan(&got); err != nil || got != "ro=on" {
		t.Errorf("through the lazy driver: %q, %v; want ro=on", got, err)
	}
}

// TestPostgresIndexPoolWithoutJIT: medkg's own pool has the JIT compiler
// off (withoutJIT), unless the address sets it.
func TestPostgresIndexPoolWithoutJIT(t *testing.T) {
	for _, c := range []struct{ extra, want string }{{"", "off"}, {"jit=on", "on"}} {
		url := postgresTestURL(t)
		if c.extra != "" {
			url += "&" + c.extra
		}
		s, err := Open(context.Background(), Options{Path: url, Backend: Postgres})
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		err = s.ixdb.QueryRow("SHOW jit").Scan(&jit)
		s.Close()
		if err != nil || jit != c.want {
			t.Errorf("address %q: jit %q, %v; want %s", c.extra, jit, err, c.want)
		}
	}
}

// TestPostgresQueryOneConnection: the named queries on an indexed
// PostgreSQL store, and resolving a name as the CLI does, read through
// medkg's own connection only; cayley's pool, which writes and Gizmo
// use, never connects.
func TestPostgresQueryOneConnection(t *testing.T) {
	s, url := mustOpenStorePath(t, Postgres)
	mustLoad(t, s, seedDoc(), muscleDoc(), actionsDoc())
	s.Close()
	app := fmt.Sprintf("medkg_test_%d", os.Getpid())
	ro, err := Open(context.Background(), Options{Path: url + "&application_name=" + app, Backend: Postgres, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	ctx := context.Background()
	if rows, err := ro.BannedNerves(ctx); err != nil || len(rows) == 0 {
		t.Fatalf("banned-nerves: %d rows, %v", len(rows), err)
	}
	if rows, err := ro.BannedProcedures(ctx); err != nil || len(rows) == 0 {
		t.Fatalf("banned-procedures: %d rows, %v", len(rows), err)
	}
	if _, err := ro.Innervation(ctx, "胫神经"); err != nil {
		t.Fatal(err)
	}
	// An entity only documents name, resolved as the CLI resolves names.
	if refs, err := ro.LookupRefs(ctx, "regulation:x_77aa01"); err != nil || len(refs) != 1 {
		t.Fatalf("LookupRefs = %v, %v", refs, err)
	}
	var n int
	if err := ro.ixdb.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d server connections for the queries, want 1", n)
	}
}
