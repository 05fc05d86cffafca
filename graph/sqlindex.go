package graph

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/lib/pq"
)

// On PostgreSQL the query index is the table medkg_ix (same keys and
// values as in bolt), written inside cayley's own write transaction:
// medkg registers a copy of cayley's postgres flavour whose RunTx (the
// hook cayley calls inside ApplyDeltas's transaction) first writes the
// staged index changes, then the nodes and quads — with one multi-row
// statement per table instead of cayley's one statement per row.

// sqlFlavour is the flavour medkg opens PostgreSQL with: cayley's
// postgres schema and dialect, medkg's RunTx.
const sqlFlavour = "medkg-postgres"

var registerFlavour sync.Once

func registerSQLFlavour() {
	registerFlavour.Do(func() {
		registerLazyDriver()
		csql.Register(sqlFlavour, csql.Registration{
			// As github.com/cayleygraph/cayley/graph/sql/postgres
			// registers "postgres", so both open the same tables; lib/pq
			// connecting on first use (lazyDriver).
			Driver:             lazyDriver,
			HashType:           `BYTEA`,
			BytesType:          `BYTEA`,
			HorizonType:        `BIGSERIAL`,
			TimeType:           `timestamp with time zone`,
			QueryDialect:       postgres.QueryDialect,
			ConditionalIndexes: true,
			FillFactor:         true,
			Error:              postgres.ConvError,
			Estimated: func(table string) string {
				return "SELECT reltuples::BIGINT AS estimate FROM pg_class WHERE relname='" + table + "';"
			},
			RunTx: runTxBulk,
		})
	})
}

// sqlStaged hands the index changes of one write to runTxBulk, which
// cayley calls without any reference to the store. Every ApplyDeltas on
// a PostgreSQL store of this process runs under mu, so a write never
// picks up another store's changes.
var sqlStaged struct {
	mu  sync.Mutex
	ops []ixOp
}

// applySQL runs ApplyDeltas with ops written in its transaction.
func (s *Store) applySQL(deltas []graph.Delta, opts graph.IgnoreOpts, ops []ixOp) error {
	sqlStaged.mu.Lock()
	defer sqlStaged.mu.Unlock()
	sqlStaged.ops = ops
	defer func() { sqlStaged.ops = nil }()
	return s.qs.ApplyDeltas(deltas, opts)
}

// runTxBulk is cayley's postgres RunTx (insert nodes, counting
// references, then quads) with one INSERT … SELECT FROM unnest(…) per
// value type and one for all quads, preceded by the staged index
// changes.
func runTxBulk(tx *sql.Tx, nodes []graphlog.NodeUpdate, quads []graphlog.QuadUpdate, opts graph.IgnoreOpts) error {
	// cayley calls RunTx first in every write transaction, before its
	// deletes: the whole transaction is medkg's, and the trigger that
	// marks the index stale lets it pass.
	if _, err := tx.Exec(`SET LOCAL medkg.writer = 'on'`); err != nil {
		return fmt.Errorf("mark the write as medkg's: %w", err)
	}
	if err := writeSQLIx(tx, sqlStaged.ops); err != nil {
		return fmt.Errorf("update query index: %w", err)
	}
	// Nodes, grouped by the columns their value type fills.
	type group struct {
		cols [][]any // column-wise: refs, hash, value columns
		n    int
	}
	groups := map[csql.ValueType]*group{}
	var rowwise []graphlog.NodeUpdate
	for _, n := range nodes {
		if n.RefInc < 0 {
			return fmt.Errorf("unexpected node update %d", n.RefInc)
		}
		typ, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return err
		}
		if !bulkType(values[1:]) {
			rowwise = append(rowwise, n)
			continue
		}
		g := groups[typ]
		if g == nil {
			g = &group{cols: make([][]any, len(values)+1)}
			groups[typ] = g
		}
		g.cols[0] = append(g.cols[0], int64(n.RefInc))
		for i, v := range values {
			g.cols[i+1] = append(g.cols[i+1], v)
		}
		g.n++
	}
	for typ, g := range groups {
		names := append([]string{"refs", "hash"}, typ.Columns()...)
		args := make([]any, len(g.cols))
		casts := make([]string, len(g.cols))
		for i, col := range g.cols {
			args[i], casts[i] = sqlArray(col)
			casts[i] = "$" + strconv.Itoa(i+1) + "::" + casts[i]
		}
		q := `INSERT INTO nodes(` + strings.Join(names, ", ") + `) SELECT * FROM unnest(` + strings.Join(casts, ", ") +
			`) ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`
		if _, err := tx.Exec(q, args...); err != nil {
			return fmt.Errorf("insert %d nodes: %w", g.n, err)
		}
	}
	if len(rowwise) > 0 {
		// Values medkg never writes (times, typed strings…): cayley's way.
		if err := postgres.RunTx(tx, rowwise, nil, opts, ""); err != nil {
			return err
		}
	}
	if len(quads) == 0 {
		return nil
	}
	dirs := make([]pq.ByteaArray, 4)
	for _, d := range quads {
		if d.Del {
			return errors.New("unexpected quad delete")
		}
		for i, h := range d.Quad.Dirs() {
			// A missing direction (no label) is an empty array element,
			// turned into NULL below; a real hash is never empty.
			b, _ := csql.NodeHash{ValueHash: h}.SQLValue().([]byte)
			dirs[i] = append(dirs[i], b)
		}
	}
	end := ""
	if opts.IgnoreDup {
		end = ` ON CONFLICT DO NOTHING`
	}
	_, err := tx.Exec(`INSERT INTO quads(subject_hash, predicate_hash, object_hash, label_hash, ts)
		SELECT NULLIF(s, '\x'::bytea), NULLIF(p, '\x'::bytea), NULLIF(o, '\x'::bytea), NULLIF(l, '\x'::bytea), now()
		FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::bytea[]) AS t(s, p, o, l)`+end,
		dirs[0], dirs[1], dirs[2], dirs[3])
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "23505" {
		return &graph.DeltaError{Err: graph.ErrQuadExists}
	}
	return err
}

// bulkType reports whether every value has a type sqlArray handles.
func bulkType(values []any) bool {
	for _, v := range values {
		switch v.(type) {
		case string, bool, int64, float64, []byte:
		default:
			return false
		}
	}
	return true
}

// sqlArray turns a column of values of one Go type into a lib/pq array
// and its PostgreSQL type.
func sqlArray(col []any) (any, string) {
	switch col[0].(type) {
	case string:
		a := make(pq.StringArray, len(col))
		for i, v := range col {
			a[i] = v.(string)
		}
		return a, "text[]"
	case bool:
		a := make(pq.BoolArray, len(col))
		for i, v := range col {
			a[i] = v.(bool)
		}
		return a, "boolean[]"
	case int64:
		a := make(pq.Int64Array, len(col))
		for i, v := range col {
			a[i] = v.(int64)
		}
		return a, "bigint[]"
	case float64:
		a := make(pq.Float64Array, len(col))
		for i, v := range col {
			a[i] = v.(float64)
		}
		return a, "float8[]"
	}
	a := make(pq.ByteaArray, len(col))
	for i, v := range col {
		a[i] = v.([]byte)
	}
	return a, "bytea[]"
}

// writeSQLIx applies index changes in tx: deletes, then puts (the last
// put of a key wins).
func writeSQLIx(tx *sql.Tx, ops []ixOp) error {
	if len(ops) == 0 {
		return nil
	}
	var dels pq.ByteaArray
	last := map[string]int{}
	for i, op := range ops {
		if op.del {
			dels = append(dels, []byte(op.key))
		} else {
			last[op.key] = i
		}
	}
	var keys, vals pq.ByteaArray
	for i, op := range ops {
		if !op.del && last[op.key] == i {
			keys = append(keys, []byte(op.key))
			vals = append(vals, append([]byte{}, op.val...))
		}
	}
	if len(dels) > 0 {
		if _, err := tx.Exec(`DELETE FROM medkg_ix WHERE k = ANY($1::bytea[])`, dels); err != nil {
			return err
		}
	}
	if len(keys) > 0 {
		_, err := tx.Exec(`INSERT INTO medkg_ix(k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[])
			ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`, keys, vals)
		return err
	}
	return nil
}

// sqlIxVersionKey holds the format version of a database whose
// medkg_ix is complete; sqlIxStaleKey is put there by the trigger
// medkg_foreign_write when a transaction that is not medkg's writes
// quads (an older medkg, cayley itself): medkg's own write transactions
// say they are (runTxBulk sets medkg.writer), and the trigger leaves
// them alone.
var (
	sqlIxVersionKey = []byte("\xffversion")
	sqlIxStaleKey   = []byte("\xffstale")
)

// sqlForeignWriteTrigger installs the trigger (again: it replaces
// itself). The function keeps the search path it was created with, so
// that it finds the schema's medkg_ix whoever writes.
const sqlForeignWriteTrigger = `CREATE OR REPLACE FUNCTION medkg_foreign_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('medkg.writer', true), '') = '' THEN
		INSERT INTO medkg_ix(k, v) VALUES ('\xff7374616c65'::bytea, ''::bytea) ON CONFLICT (k) DO NOTHING;
	END IF;
	RETURN NULL;
END $$ SET search_path FROM CURRENT;
DROP TRIGGER IF EXISTS medkg_foreign_write ON quads;
CREATE TRIGGER medkg_foreign_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quads
	FOR EACH STATEMENT EXECUTE FUNCTION medkg_foreign_write();`

// sqlIxTable creates the index table; a new database (creating is
// true) is marked as indexed at once.
func sqlIxTable(ctx context.Context, db *sql.DB, creating bool) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS medkg_ix (k BYTEA PRIMARY KEY, v BYTEA NOT NULL)`); err != nil {
		return fmt.Errorf("create the query index table: %w", err)
	}
	if !creating {
		return nil
	}
	return markSQLIndex(ctx, db)
}

// markSQLIndex marks the database's medkg_ix complete and current, and
// installs the trigger that notices other writers, in one transaction.
func markSQLIndex(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlForeignWriteTrigger); err != nil {
		return fmt.Errorf("install the trigger that notices other writers: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM medkg_ix WHERE k = $1`, sqlIxStaleKey); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO medkg_ix(k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`, sqlIxVersionKey, ixVersion); err != nil {
		return err
	}
	return tx.Commit()
}

// sqlIndexState reads the state of the database's query index and its
// version.
func sqlIndexState(ctx context.Context, db *sql.DB) (ixState, []byte, error) {
	var table sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('medkg_ix')::text`).Scan(&table); err != nil {
		return ixNone, nil, err
	}
	if !table.Valid {
		return ixNone, nil, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT k, v FROM medkg_ix WHERE k = $1 OR k = $2`, sqlIxVersionKey, sqlIxStaleKey)
	if err != nil {
		return ixNone, nil, err
	}
	defer rows.Close()
	var version []byte
	stale := false
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return ixNone, nil, err
		}
		if bytes.Equal(k, sqlIxVersionKey) {
			version = v
		} else {
			stale = true
		}
	}
	if err := rows.Err(); err != nil {
		return ixNone, nil, err
	}
	st := versionState(version)
	if st == ixCurrent && stale {
		st = ixStale
	}
	return st, version, nil
}

// sqlIx reads medkg_ix in a repeatable-read transaction, with
// statements prepared once per query: a named query runs dozens of
// scans, and a prepared one is one round trip instead of two.
type sqlIx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (x *sqlIx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := x.stmts[q]; ok {
		return st, nil
	}
	st, err := x.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if x.stmts == nil {
		x.stmts = map[string]*sql.Stmt{}
	}
	x.stmts[q] = st
	return st, nil
}

func (x *sqlIx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := x.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (x *sqlIx) scan(ctx context.Context, pre []byte, fn func(k, v []byte) (bool, error)) error {
	// Keys under pre: from pre up to (not including) pre with its last
	// byte incremented; index keys never end in 0xff.
	q, args := `SELECT k, v FROM medkg_ix ORDER BY k`, []any{}
	if len(pre) > 0 {
		hi := append([]byte{}, pre...)
		hi[len(hi)-1]++
		q, args = `SELECT k, v FROM medkg_ix WHERE k >= $1 AND k < $2 ORDER BY k`, []any{pre, hi}
	}
	rows, err := x.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		if more, err := fn(k, v); err != nil || !more {
			return err
		}
	}
	return rows.Err()
}

func (x *sqlIx) get(ctx context.Context, key []byte) ([]byte, error) {
	st, err := x.stmt(ctx, `SELECT v FROM medkg_ix WHERE k = $1`)
	if err != nil {
		return nil, err
	}
	var v []byte
	err = st.QueryRowContext(ctx, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

func (x *sqlIx) getMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	arr := make(pq.ByteaArray, len(keys))
	for i, k := range keys {
		arr[i] = []byte(k)
	}
	// One index probe per key, however many: with k = ANY(…) the
	// planner takes a large array for a reason to scan the whole table.
	rows, err := x.query(ctx, `SELECT t.k, t.v FROM unnest($1::bytea[]) AS u(k)
		CROSS JOIN LATERAL (SELECT k, v FROM medkg_ix WHERE k = u.k) AS t`, arr)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]byte, len(keys))
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[string(k)] = v
	}
	return out, rows.Err()
}

// heads lets the server reduce a hub's entries (one per document) to
// one row per distinct part after each prefix: the part is the bytes of
// k from after the prefix up to the next separator. All prefixes go in
// one statement.
func (x *sqlIx) heads(ctx context.Context, pres [][]byte) ([][][]byte, error) {
	los, his := prefixRanges(pres)
	rows, err := x.query(ctx, `SELECT r.i, t.h FROM unnest($1::bytea[], $2::bytea[]) WITH ORDINALITY AS r(lo, hi, i)
		CROSS JOIN LATERAL (SELECT DISTINCT substring(rest FROM 1 FOR position('\x00'::bytea IN rest) - 1) AS h
			FROM (SELECT substring(k FROM length(r.lo) + 1) AS rest FROM medkg_ix WHERE k >= r.lo AND k < r.hi) AS e
			WHERE position('\x00'::bytea IN rest) > 0) AS t
		ORDER BY r.i, t.h`, los, his)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][][]byte, len(pres))
	for rows.Next() {
		var i int
		var h []byte
		if err := rows.Scan(&i, &h); err != nil {
			return nil, err
		}
		if i < 1 || i > len(out) {
			return nil, fmt.Errorf("heads: row %d of %d", i, len(out))
		}
		out[i-1] = append(out[i-1], h)
	}
	return out, rows.Err()
}

// prefixRanges turns prefixes into the bounds of the keys under each:
// from the prefix up to (not including) the prefix with its last byte
// incremented (index keys never end in 0xff).
func prefixRanges(pres [][]byte) (los, his pq.ByteaArray) {
	los = make(pq.ByteaArray, len(pres))
	his = make(pq.ByteaArray, len(pres))
	for i, pre := range pres {
		los[i] = pre
		hi := append([]byte{}, pre...)
		hi[len(hi)-1]++
		his[i] = hi
	}
	return los, his
}

func (x *sqlIx) anySuffix(ctx context.Context, pre, suffix []byte) (bool, error) {
	hi := append([]byte{}, pre...)
	hi[len(hi)-1]++
	st, err := x.stmt(ctx, `SELECT EXISTS (SELECT 1 FROM medkg_ix WHERE k >= $1 AND k < $2
		AND length(k) >= $4::int AND substring(k FROM length(k) - $4::int + 1) = $3)`)
	if err != nil {
		return false, err
	}
	var found bool
	err = st.QueryRowContext(ctx, pre, hi, suffix, len(suffix)).Scan(&found)
	return found, err
}

// edgeEvidence reads the edges' vocabulary checks and their assertions
// in one statement. Their documents are not joined in: the same
// documents state many edges of an answer, and sending each one's d
// entry with every assertion cost more than reading those not yet seen
// apart, all at once (reader.readAheadEdges). The rows come in no
// particular order: each edge's are put in key order here.
func (x *sqlIx) edgeEvidence(ctx context.Context, edges []edgeProbe) ([]edgeRead, error) {
	vocab := make(pq.ByteaArray, len(edges))
	assertPres := make([][]byte, len(edges))
	for i, e := range edges {
		vocab[i], assertPres[i] = e.vocab, e.asserts
	}
	los, his := prefixRanges(assertPres)
	rows, err := x.query(ctx, `SELECT r.i, NULL::bytea AS k, NULL::bytea AS v, EXISTS (SELECT 1 FROM medkg_ix WHERE k = r.vk) AS vocab
			FROM unnest($1::bytea[]) WITH ORDINALITY AS r(vk, i)
		UNION ALL
		SELECT r.i, t.k, t.v, NULL FROM unnest($2::bytea[], $3::bytea[]) WITH ORDINALITY AS r(lo, hi, i)
			CROSS JOIN LATERAL (SELECT k, v FROM medkg_ix WHERE k >= r.lo AND k < r.hi) AS t`,
		vocab, los, his)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]edgeRead, len(edges))
	for rows.Next() {
		var i int
		var row ixRow
		var vocab sql.NullBool
		if err := rows.Scan(&i, &row.k, &row.v, &vocab); err != nil {
			return nil, err
		}
		if i < 1 || i > len(out) {
			return nil, fmt.Errorf("edge evidence: row %d of %d", i, len(out))
		}
		if row.k == nil {
			out[i-1].vocab = vocab.Bool
			continue
		}
		out[i-1].rows = append(out[i-1].rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, e := range out {
		cmp := func(a, b ixRow) int { return bytes.Compare(a.k, b.k) }
		if !slices.IsSortedFunc(e.rows, cmp) {
			slices.SortFunc(e.rows, cmp)
		}
	}
	return out, nil
}

// firstNames asks the server for the first key under each prefix in
// entity()'s order, all prefixes in one statement: a hub's name entries
// (one per document naming it) stay on the server. An entity the
// vocabulary names is one index probe: the vocabulary's entries (SEQ 0)
// come first under the prefix, in that order; the others' names are
// all compared.
func (x *sqlIx) firstNames(ctx context.Context, pres [][]byte) ([][]byte, error) {
	los, his := prefixRanges(pres)
	vocab := make([][]byte, len(pres))
	for i, pre := range pres {
		vocab[i] = []byte(string(pre) + ixSeq(0) + ixSep)
	}
	vlos, vhis := prefixRanges(vocab)
	// For keys PREFIX SEQ␀LABEL␀VALUE: SEQ 0 (the vocabulary) first,
	// then LABEL␀VALUE as bytes.
	rows, err := x.query(ctx, `SELECT r.i, COALESCE(
			(SELECT k FROM medkg_ix WHERE k >= r.vlo AND k < r.vhi
				AND length(k) > length(r.lo) + $5::int + 1 AND position('\x00'::bytea IN substring(k FROM length(r.lo) + $5::int + 2)) > 0
				ORDER BY k LIMIT 1),
			(SELECT k FROM medkg_ix WHERE k >= r.lo AND k < r.hi
				AND length(k) > length(r.lo) + $5::int + 1 AND position('\x00'::bytea IN substring(k FROM length(r.lo) + $5::int + 2)) > 0
				ORDER BY substring(k FROM length(r.lo) + 1 FOR $5::int) <> $6::bytea, substring(k FROM length(r.lo) + $5::int + 2)
				LIMIT 1))
		FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::bytea[]) WITH ORDINALITY AS r(lo, hi, vlo, vhi, i)`,
		los, his, vlos, vhis, ixSeqWidth, []byte(ixSeq(0)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][]byte, len(pres))
	for rows.Next() {
		var i int
		var k []byte
		if err := rows.Scan(&i, &k); err != nil {
			return nil, err
		}
		if i < 1 || i > len(out) {
			return nil, fmt.Errorf("first names: row %d of %d", i, len(out))
		}
		out[i-1] = k
	}
	return out, rows.Err()
}

func (x *sqlIx) close() { x.tx.Rollback() } // closes the statements too

// typedNodes reads, in one statement, the nodes of class c and every
// quad of each (labels left out), from cayley's tables, ordered by node
// hash and then as written; then the values of the nodes they name,
// read as cayley's NameOf reads them.
func (x *sqlIx) typedNodes(ctx context.Context, c quad.IRI) ([]quad.Value, map[quad.Value][]quad.Quad, error) {
	rows, err := x.query(ctx, `WITH q AS (SELECT horizon, subject_hash, predicate_hash, object_hash FROM quads
			WHERE subject_hash IN (SELECT subject_hash FROM quads WHERE object_hash = $1 AND predicate_hash = $2))
		SELECT false AS node, subject_hash, predicate_hash, object_hash, horizon,
			NULL::bytea, NULL::text, NULL::text, NULL::text, NULL::boolean, NULL::boolean, NULL::bigint, NULL::boolean, NULL::double precision, NULL::timestamptz
			FROM q
		UNION ALL
		SELECT true, hash, NULL, NULL, NULL,
			value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time
			FROM nodes WHERE hash IN (SELECT subject_hash FROM q UNION SELECT predicate_hash FROM q UNION SELECT object_hash FROM q)
		ORDER BY 1, 2, 5`,
		csql.HashOf(c).SQLValue(), csql.HashOf(iri(iriRDFType)).SQLValue())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	type row struct{ s, p, o []byte }
	var quads []row
	values := map[string]quad.Value{}
	for rows.Next() {
		var (
			node                bool
			r                   row
			horizon             sql.NullInt64
			data                []byte
			str, typ, lang      sql.NullString
			isIRI, bnode, vbool sql.NullBool
			vint                sql.NullInt64
			vfloat              sql.NullFloat64
			vtime               csql.NullTime
		)
		if err := rows.Scan(&node, &r.s, &r.p, &r.o, &horizon, &data, &str, &typ, &lang, &isIRI, &bnode, &vint, &vbool, &vfloat, &vtime); err != nil {
			return nil, nil, err
		}
		if !node {
			quads = append(quads, r)
			continue
		}
		var v quad.Value
		switch {
		case str.Valid && isIRI.Bool:
			v = quad.IRI(str.String)
		case str.Valid && bnode.Bool:
			v = quad.BNode(str.String)
		case str.Valid && lang.Valid:
			v = quad.LangString{Value: quad.String(unescapeNullByte(str.String)), Lang: lang.String}
		case str.Valid && typ.Valid:
			v = quad.TypedString{Value: quad.String(unescapeNullByte(str.String)), Type: quad.IRI(typ.String)}
		case str.Valid:
			v = quad.String(unescapeNullByte(str.String))
		case vint.Valid:
			v = quad.Int(vint.Int64)
		case vbool.Valid:
			v = quad.Bool(vbool.Bool)
		case vfloat.Valid:
			v = quad.Float(vfloat.Float64)
		case vtime.Valid:
			v = quad.Time(vtime.Time)
		default:
			if v, err = pquads.UnmarshalValue(data); err != nil {
				return nil, nil, fmt.Errorf("unmarshal value: %w", err)
			}
		}
		values[string(r.s)] = v
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var nodes []quad.Value
	props := map[quad.Value][]quad.Quad{}
	for _, r := range quads {
		q := quad.Quad{Subject: values[string(r.s)], Predicate: values[string(r.p)], Object: values[string(r.o)]}
		if q.Subject == nil || q.Predicate == nil || q.Object == nil {
			return nil, nil, fmt.Errorf("a quad of a %s names a node missing from the nodes table", c)
		}
		if _, ok := props[q.Subject]; !ok {
			nodes = append(nodes, q.Subject)
		}
		props[q.Subject] = append(props[q.Subject], q)
	}
	return nodes, props, nil
}

// unescapeNullByte undoes cayley's escape of zero bytes in strings.
func unescapeNullByte(s string) string { return strings.ReplaceAll(s, `\x00`, "\u0000") }
