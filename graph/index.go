package graph

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
	bolt "github.com/coreos/bbolt"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/medkg/medkg"
)

// The query index (bolt stores) holds, beside cayley's quads, what the
// named queries read, keyed so that each question is one prefix scan:
//
//	o␀S␀P␀O␀SEQ␀LABEL            direct edge S -P-> O stated under LABEL
//	i␀O␀P␀S␀SEQ␀LABEL            the same edge, from its object
//	a␀S␀P␀O␀SEQ␀ASSERTION        an assertion of S P O (value: encodeAssertion)
//	b␀O␀P␀S␀SEQ␀ASSERTION        the same from its object, negated ones only
//	p␀P␀S␀O␀SEQ␀ASSERTION        the same by predicate, bans only
//	d␀DOC                        SEQ and the document's metadata (encodeDoc)
//	n␀X␀SEQ␀LABEL␀VALUE          X's name under LABEL
//	e␀X␀SEQ␀LABEL␀VALUE          X's English name under LABEL
//	x␀X␀SEQ␀LABEL                LABEL has a quad with subject X
//	l␀VALUE␀X␀SEQ␀LABEL␀PRED     X has the name or alias VALUE under LABEL
//
// ␀ is a zero byte; IRIs are written without their medkg: prefix,
// predicates by name; values are length-prefixed strings, cheaper to
// read than JSON (a hub's answer reads thousands). SEQ is the label's
// sequence number (labelSeq), so that the keys a new document adds come
// last in each range.
//
// Through cayley the same answers take one index scan per quad and one
// read per value: a hub entity stated by thousands of documents costs
// seconds. Every entry derives from the quads of one label (a document
// or the vocabulary), so a write computes the entries of a label's old
// and new quads and changes the difference, in the same bolt
// transaction as cayley's write (see ixKV): a crash keeps both or
// neither.
//
// The store records the index's format version (ixVersion) and, so
// that a write by a program that does not maintain the index (an older
// medkg, cayley itself) is noticed on the next open, what cayley's data
// looked like after medkg's last write: on bolt cayley's write counters
// (horizon and size), stored in the same transaction as every write
// (ixWritesKey); on PostgreSQL a trigger on the quads table marks the
// index stale when a transaction that is not medkg's writes quads
// (sqlindex.go). A store without the index, with another version, or
// stale answers queries through cayley (slowly, saying so on stderr)
// and refuses writes until `medkg migrate` rebuilds the index.
var (
	ixBucket    = []byte("medkg_ix")
	ixMetaKey   = hkv.Key{[]byte("medkg_meta"), []byte("query_index")}
	ixWritesKey = hkv.Key{[]byte("medkg_meta"), []byte("query_index_writes")}
	// ixVersion is the format of the entries ixEntries writes. Any
	// change to what it writes for the same quads (a new flag, a field
	// of a d entry, a new kind of key) bumps it, so that `medkg migrate`
	// rebuilds the indexes of older stores instead of leaving entries
	// that lack what the readers now expect (TestQueryIndexFormat pins
	// the entries of each version). 1: the first index; its assertion
	// entries lacked the claim and via_branch bits and its d entries the
	// source kind and extractor version until they were added without a
	// bump. 2: every d entry says whether its document has actions, the
	// vocabulary's version has an entry (v), and writes of other programs
	// are detected.
	ixVersion  = []byte("2")
	ixSep      = "\x00"
	errNoIndex = errors.New("no query index")
)

// ixState is what a store's query index is, found on open.
type ixState int

const (
	ixNone    ixState = iota // no index: written before it, or being built
	ixCurrent                // this medkg's format, up to date
	ixOlder                  // an older format
	ixNewer                  // a newer medkg's format
	ixStale                  // written to by a program that does not maintain it
)

// problem says what is wrong with an index in state st (version v) and
// what to do; "" for a current one.
func (st ixState) problem(store string, v []byte) string {
	switch st {
	case ixNone:
		return fmt.Sprintf("graph store %s was written by an older medkg and lacks the query index that keeps the named queries fast; run `medkg migrate` once", store)
	case ixOlder:
		return fmt.Sprintf("graph store %s has a query index in an older format (%s; this medkg keeps %s); run `medkg migrate` once to rebuild it", store, v, ixVersion)
	case ixNewer:
		return fmt.Sprintf("graph store %s has a query index in a newer format (%s; this medkg keeps %s): it was written by a newer medkg; use that one", store, v, ixVersion)
	case ixStale:
		return fmt.Sprintf("graph store %s was written by a program that does not maintain medkg's query index (an older medkg, or cayley itself), so the index no longer matches the graph; run `medkg migrate` once to rebuild it", store)
	}
	return ""
}

// versionState classifies a stored version (nil: none).
func versionState(v []byte) ixState {
	switch {
	case v == nil:
		return ixNone
	case bytes.Equal(v, ixVersion):
		return ixCurrent
	}
	n, err := strconv.Atoi(string(v))
	if cur, _ := strconv.Atoi(string(ixVersion)); err == nil && n > cur {
		return ixNewer
	}
	return ixOlder
}

// encodeAssertion is the value of the a, b and p entries: flags
// (1 negated, 2 hedged, 4 claim, 8 via_branch, 16 all four written: an
// entry without it predates the claim and via_branch bits), sentence,
// document, evidence text.
func encodeAssertion(a *assertion) []byte {
	flags := uint64(flagsComplete)
	if a.negated {
		flags |= 1
	}
	if a.hedged {
		flags |= 2
	}
	if a.claim {
		flags |= 4
	}
	if a.viaBr {
		flags |= 8
	}
	b := binary.AppendUvarint(nil, flags)
	b = binary.AppendVarint(b, int64(a.sentence))
	b = appendString(b, string(a.doc))
	return appendString(b, a.text)
}

func decodeAssertion(b []byte, a *assertion) error {
	d := decoder{b: b}
	flags := d.uvarint()
	a.negated, a.hedged = flags&1 != 0, flags&2 != 0
	a.claim, a.viaBr = flags&4 != 0, flags&8 != 0
	a.flagsKnown = flags&flagsComplete != 0
	a.sentence = int(d.varint())
	a.doc = quad.IRI(d.str())
	a.text = d.str()
	return d.err
}

// flagsComplete marks an assertion entry that carries every flag.
const flagsComplete = 16

// encodeDoc is the value of a d entry: docMetadata's fields, then
// whether the document was extracted with actions (hasActions), then its
// source kind, flags and extractor version (entries written before end
// earlier).
func encodeDoc(info DocInfo, actions bool) []byte {
	var b []byte
	for _, s := range []string{info.Source, info.Title, info.Date, info.URL, info.Author, info.Hash} {
		b = appendString(b, s)
	}
	b = binary.AppendVarint(b, int64(info.Quads))
	b = binary.AppendVarint(b, int64(info.Entities))
	flag := uint64(docWithoutActions)
	if actions {
		flag = docWithActions
	}
	b = binary.AppendUvarint(b, flag)
	b = appendString(b, string(info.SourceKind))
	b = appendString(b, strings.Join(info.SourceFlags, ","))
	return appendString(b, info.Extractor)
}

// The last field of a d entry; entries written before it end without
// one (docActionsUnknown: ask cayley).
const (
	docActionsUnknown = iota
	docWithoutActions
	docWithActions
)

func decodeDoc(b []byte, info *DocInfo) (actions int, err error) {
	d := decoder{b: b}
	for _, s := range []*string{&info.Source, &info.Title, &info.Date, &info.URL, &info.Author, &info.Hash} {
		*s = d.str()
	}
	info.Quads = int(d.varint())
	info.Entities = int(d.varint())
	actions = docActionsUnknown
	if d.err == nil && len(d.b) > 0 {
		actions = int(d.uvarint())
	}
	if d.err == nil && len(d.b) > 0 {
		info.SourceKind = medkg.SourceKind(d.str())
		if f := d.str(); f != "" {
			info.SourceFlags = strings.Split(f, ",")
		}
		info.Extractor = d.str()
	}
	normaliseSource(info)
	return actions, d.err
}

// docHasActions reports whether props (a document's quads about
// itself) say it was extracted with actions.
func docHasActions(props []quad.Quad) bool {
	for _, q := range props {
		if q.Predicate == quad.Value(iri(iriActions)) {
			return true
		}
	}
	return false
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads what the encode functions wrote; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

var errCorrupt = errors.New("corrupt query index value")

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func ixKey(kind string, parts ...string) string {
	return kind + ixSep + strings.Join(parts, ixSep)
}

// ixSeqWidth is the width of a label's sequence number in keys: fixed,
// so that keys sort by it.
const ixSeqWidth = 10

// ixSeqKey holds the next sequence number (outside every kind's range).
var ixSeqKey = "\xffseq"

func ixSeq(n uint64) string { return fmt.Sprintf("%0*d", ixSeqWidth, n) }

// short drops the medkg: namespace every IRI in a key has.
func short(x quad.IRI) string { return strings.TrimPrefix(string(x), nsMedkg) }

// long restores it.
func long(s string) quad.IRI { return quad.IRI(nsMedkg + s) }

// indexedLabel reports whether entries are kept for quads under label:
// the vocabulary's and the documents'.
func indexedLabel(label quad.Value) bool {
	return label == quad.Value(iri(iriVocabulary)) || isDocIRI(label)
}

// ixEntries computes the index entries of the quads of one label, whose
// sequence number is seq.
func ixEntries(seq string, quads []quad.Quad) map[string][]byte {
	out := map[string][]byte{}
	type partial struct {
		assertion
		predIRI     quad.IRI
		isAssertion bool
	}
	asserts := map[quad.IRI]*partial{}
	docProps := map[quad.IRI][]quad.Quad{}
	for _, q := range quads {
		if !indexedLabel(q.Label) {
			continue
		}
		l := short(q.Label.(quad.IRI))
		subj, _ := q.Subject.(quad.IRI)
		if p, ok := predicateOf(q.Predicate); ok {
			o, _ := q.Object.(quad.IRI)
			if _, ok := entityID(subj); ok {
				if _, ok := entityID(o); ok {
					out[ixKey("o", short(subj), string(p), short(o), seq, l)] = nil
					out[ixKey("i", short(o), string(p), short(subj), seq, l)] = nil
				}
			}
		}
		if subj == "" {
			continue
		}
		if _, ok := entityID(subj); ok {
			x := short(subj)
			out[ixKey("x", x, seq, l)] = nil
			switch q.Predicate {
			case quad.Value(iri(iriName)), quad.Value(iri(iriNameEn)), quad.Value(iri(iriAlias)), quad.Value(iri(iriAliasEn)):
				v := valueString(q.Object)
				switch q.Predicate {
				case quad.Value(iri(iriName)):
					out[ixKey("n", x, seq, l, v)] = nil
				case quad.Value(iri(iriNameEn)):
					out[ixKey("e", x, seq, l, v)] = nil
				}
				if !strings.Contains(v, ixSep) {
					out[ixKey("l", v, x, seq, l, short(q.Predicate.(quad.IRI)))] = nil
				}
			}
		}
		if isDocIRI(subj) && q.Label == quad.Value(subj) {
			docProps[subj] = append(docProps[subj], q)
		}
		if subj == iri(iriVocabulary) && q.Label == quad.Value(subj) && q.Predicate == quad.Value(iri(iriVersion)) {
			out[ixKey("v")] = []byte(valueString(q.Object))
		}
		if !strings.HasPrefix(string(subj), nsMedkg) {
			continue
		}
		a := asserts[subj]
		if a == nil {
			a = &partial{}
		}
		used := true
		switch q.Predicate {
		case quad.Value(iri(iriRDFType)):
			if q.Object == quad.Value(iri(iriAssertion)) {
				a.isAssertion = true
			} else {
				used = false
			}
		case quad.Value(iri(iriInDoc)):
			a.doc, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriSubject)):
			a.subj, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriObject)):
			a.obj, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriPredicate)):
			a.predIRI, _ = q.Object.(quad.IRI)
		case quad.Value(iri(iriNegated)):
			a.negated = valueBool(q.Object)
		case quad.Value(iri(iriHedged)):
			a.hedged = valueBool(q.Object)
		case quad.Value(iri(iriClaim)):
			a.claim = valueBool(q.Object)
		case quad.Value(iri(iriViaBranch)):
			a.viaBr = valueBool(q.Object)
		case quad.Value(iri(iriSentence)):
			a.sentence = valueInt(q.Object)
		case quad.Value(iri(iriEvidence)):
			a.text = valueString(q.Object)
		default:
			used = false
		}
		if used {
			asserts[subj] = a
		}
	}
	for d, props := range docProps {
		out[ixKey("d", short(d))] = append([]byte(seq), encodeDoc(docMetadata(d, props), docHasActions(props))...)
	}
	for x, a := range asserts {
		// The queries read assertions by subject, predicate and object
		// (all three medkg IRIs): others never answer them.
		p, ok := predicateOf(a.predIRI)
		if !a.isAssertion || !ok || !strings.HasPrefix(string(a.subj), nsMedkg) || !strings.HasPrefix(string(a.obj), nsMedkg) {
			continue
		}
		data := encodeAssertion(&a.assertion)
		sj, o := short(a.subj), short(a.obj)
		out[ixKey("a", sj, string(p), o, seq, short(x))] = data
		// By object, only the negated ones (the direct edges answer the
		// positive ones); by predicate, only bans (banned-procedures and
		// banned-nerves start there). Fewer keys, a cheaper write.
		if a.negated {
			out[ixKey("b", o, string(p), sj, seq, short(x))] = data
		}
		if p == medkg.Bans {
			out[ixKey("p", string(p), sj, o, seq, short(x))] = data
		}
	}
	return out
}

// ixOp is one change to the index: a put, or a delete if del.
type ixOp struct {
	key string
	val []byte
	del bool
}

// ixDiff returns the changes turning the entries of old into those of
// new (both the quads of the label numbered seq).
func ixDiff(seq string, old, new []quad.Quad) []ixOp {
	before := ixEntries(seq, old)
	after := ixEntries(seq, new)
	var ops []ixOp
	for k, v := range after {
		if w, ok := before[k]; !ok || !bytes.Equal(v, w) {
			ops = append(ops, ixOp{key: k, val: v})
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			ops = append(ops, ixOp{key: k, del: true})
		}
	}
	slices.SortFunc(ops, func(a, b ixOp) int { return strings.Compare(a.key, b.key) })
	return ops
}

// ixKV wraps the store's key-value database so that the next write
// transaction cayley opens also carries the index changes staged for it:
// cayley's ApplyDeltas opens and commits its own transaction and has no
// hook, and the index must commit with the quads or not at all.
type ixKV struct {
	hkv.KV
	bolt   *bolt.DB // the same database, for reads through bolt's cursor
	mu     sync.Mutex
	staged []ixOp
}

// stage sets the index changes of the next write transaction.
func (db *ixKV) stage(ops []ixOp) {
	db.mu.Lock()
	db.staged = ops
	db.mu.Unlock()
}

func (db *ixKV) Tx(rw bool) (hkv.Tx, error) {
	tx, err := db.KV.Tx(rw)
	if err != nil || !rw {
		return tx, err
	}
	db.mu.Lock()
	ops := db.staged
	db.staged = nil
	db.mu.Unlock()
	// Every write, even one without index changes, records cayley's
	// counters (see ixWritesKey).
	return &ixTx{Tx: tx, ops: ops}, nil
}

type ixTx struct {
	hkv.Tx
	ops []ixOp
}

func (tx *ixTx) Commit(ctx context.Context) error {
	if err := writeIx(tx.Tx, tx.ops); err != nil {
		return fmt.Errorf("update query index: %w", err)
	}
	if err := putWrites(ctx, tx.Tx); err != nil {
		return fmt.Errorf("update query index: %w", err)
	}
	return tx.Tx.Commit(ctx)
}

// cayley's kv write counters: the log's horizon grows with every added
// quad and node, the size changes with every added or deleted quad.
var cayleyCounters = []hkv.Key{
	{[]byte("meta"), []byte("horizon")},
	{[]byte("meta"), []byte("size")},
}

// boltWrites is cayley's counters as tx sees them.
func boltWrites(ctx context.Context, tx hkv.Tx) ([]byte, error) {
	var out []byte
	for _, k := range cayleyCounters {
		v, err := tx.Get(ctx, k)
		if err != nil && !errors.Is(err, hkv.ErrNotFound) {
			return nil, err
		}
		out = appendString(out, string(v))
	}
	return out, nil
}

// putWrites records cayley's counters after medkg's write in tx.
func putWrites(ctx context.Context, tx hkv.Tx) error {
	w, err := boltWrites(ctx, tx)
	if err != nil {
		return err
	}
	return tx.Put(ixWritesKey, w)
}

func writeIx(tx hkv.Tx, ops []ixOp) error {
	for _, op := range ops {
		k := hkv.Key{ixBucket, []byte(op.key)}
		var err error
		if op.del {
			err = tx.Del(k)
		} else {
			val := op.val
			if val == nil {
				val = []byte{}
			}
			err = tx.Put(k, val)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// boltIndexState reads the state of a bolt store's query index and its
// version.
func boltIndexState(db hkv.KV) (ixState, []byte, error) {
	st, version := ixNone, []byte(nil)
	err := hkv.View(db, func(tx hkv.Tx) error {
		ctx := context.Background()
		v, err := tx.Get(ctx, ixMetaKey)
		if errors.Is(err, hkv.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		version = bytes.Clone(v)
		if st = versionState(version); st != ixCurrent {
			return nil
		}
		recorded, err := tx.Get(ctx, ixWritesKey)
		if err != nil && !errors.Is(err, hkv.ErrNotFound) {
			return err
		}
		now, err := boltWrites(ctx, tx)
		if err != nil {
			return err
		}
		if recorded == nil {
			// Created by a version that recorded nothing before the
			// first write: the counters of a store never written.
			recorded = appendString(appendString(nil, ""), "")
		}
		if !bytes.Equal(recorded, now) {
			st = ixStale
		}
		return nil
	})
	if err != nil {
		return ixNone, nil, fmt.Errorf("read index metadata: %w", err)
	}
	return st, version, nil
}

// stageIndex records the index changes for a label whose quads go from
// old to new in the next apply. A store without the index ignores it.
func (s *Store) stageIndex(old, new []quad.Quad) error {
	if !s.indexed() {
		return nil
	}
	var label quad.Value
	for _, qs := range [][]quad.Quad{new, old} {
		if len(qs) > 0 {
			label = qs[0].Label
			break
		}
	}
	if !indexedLabel(label) {
		return nil
	}
	seq, err := s.labelSeq(context.Background(), label.(quad.IRI))
	if err != nil {
		return fmt.Errorf("query index: %w", err)
	}
	s.ixPending = append(s.ixPending, ixDiff(seq, old, new)...)
	return nil
}

// labelSeq returns a label's sequence number: 0 for the vocabulary, the
// one a document got when first written, or the next one. Numbers only
// grow, so a new document's keys go to the end of each entity's range
// and a batch rewrites a few pages per entity, not pages all over the
// index.
func (s *Store) labelSeq(ctx context.Context, label quad.IRI) (string, error) {
	if label == iri(iriVocabulary) {
		return ixSeq(0), nil
	}
	x, err := s.openIxReader(ctx)
	if err != nil {
		return "", err
	}
	defer x.close()
	v, err := x.get(ixKey("d", short(label)))
	if err != nil {
		return "", err
	}
	if len(v) >= ixSeqWidth {
		return string(v[:ixSeqWidth]), nil
	}
	if s.ixNext == 0 {
		// Another process writing to the same server may hand out the
		// same number: keys stay distinct (they carry the label), only
		// their order is less tidy.
		s.ixNext = 1
		v, err := x.get(ixSeqKey)
		if err != nil {
			return "", err
		}
		if v != nil {
			if s.ixNext, err = strconv.ParseUint(string(v), 10, 64); err != nil {
				return "", fmt.Errorf("next sequence number %q: %w", v, err)
			}
		}
	}
	seq := ixSeq(s.ixNext)
	s.ixNext++
	s.ixPending = append(s.ixPending, ixOp{key: ixSeqKey, val: []byte(strconv.FormatUint(s.ixNext, 10))})
	return seq, nil
}

// ixSource is one consistent view of the index (a bolt read
// transaction, or a PostgreSQL repeatable-read one).
type ixSource interface {
	// scan calls fn for every key starting with prefix, in key order,
	// until fn returns false.
	scan(ctx context.Context, prefix []byte, fn func(k, v []byte) (bool, error)) error
	// get returns the value of key, nil if absent.
	get(ctx context.Context, key []byte) ([]byte, error)
	// getMany returns the values of keys present.
	getMany(ctx context.Context, keys []string) (map[string][]byte, error)
	// heads returns, for each prefix, in key order, the distinct parts
	// that follow it (up to the next separator) in the keys under it:
	// one per distinct value however many documents' keys carry it. On a
	// server, one round trip for all the prefixes.
	heads(ctx context.Context, prefixes [][]byte) ([][][]byte, error)
	// anySuffix reports whether a key under prefix ends with suffix.
	anySuffix(ctx context.Context, prefix, suffix []byte) (bool, error)
	// edgeEvidence is, for each edge, whether its key vocab is present
	// (the vocabulary states it) and the a entries under its prefix
	// asserts (key, value) in key order: one round trip on a server for
	// all the edges.
	edgeEvidence(ctx context.Context, edges []edgeProbe) ([]edgeRead, error)
	// firstNames returns, for each prefix (of n or e entries: X's names
	// are PREFIX SEQ␀LABEL␀VALUE), the key of the name entity() picks:
	// the vocabulary's (SEQ 0) first, then by label, then by value; nil
	// where there is none. On a server, one round trip for all of them,
	// and one row per prefix however many documents name the entity.
	firstNames(ctx context.Context, prefixes [][]byte) ([][]byte, error)
	close()
}

// typedReader is an ixSource that also reads cayley's quads: the nodes
// of a class and their quads (typedNodes), in the index's transaction.
// On PostgreSQL that spares a query the connection cayley's pool would
// make (a server process to start) for the nodes that have no index
// entries: regulatory actions.
type typedReader interface {
	typedNodes(ctx context.Context, class quad.IRI) ([]quad.Value, map[quad.Value][]quad.Quad, error)
}

// typedReader returns the index's typedReader, if it has one.
func (x *ixReader) typedReader() (typedReader, bool) {
	if x == nil {
		return nil, false
	}
	tr, ok := x.src.(typedReader)
	return tr, ok
}

// ixRow is an entry read ahead.
type ixRow struct{ k, v []byte }

// edgeProbe names the entries of one edge: the vocabulary's o entry
// (vocab: the vocabulary's sequence number is always 0, so the key is
// known) and the prefix of its assertions (asserts).
type edgeProbe struct{ vocab, asserts []byte }

// edgeRead is what ixSource.edgeEvidence read of one edge.
type edgeRead struct {
	vocab bool // the vocabulary states it
	rows  []ixRow
}

// ixReader reads the index for one query.
type ixReader struct {
	src ixSource
	ctx context.Context
	// prefetched holds a entries read with an edge's vocabulary check
	// (ixVocabularyStates), by their prefix, for the ixAssertions that
	// evidence() makes next; taken once.
	prefetched map[string][]ixRow
	// edgeReads and heads hold what a query read ahead, in batches
	// (reader.readAhead…): edges' evidence by their a prefix, distinct
	// ends by their prefix.
	edgeReads map[string]edgeRead
	heads     map[string][][]byte
}

// indexed reports whether the store keeps the query index.
func (s *Store) indexed() bool { return s.ix != nil || s.ixdb != nil }

func (s *Store) openIxReader(ctx context.Context) (*ixReader, error) {
	var src ixSource
	switch {
	case s.ix != nil:
		tx, err := s.ix.bolt.Begin(false)
		if err != nil {
			return nil, err
		}
		src = &boltIx{tx: tx, b: tx.Bucket(ixBucket)}
	case s.ixdb != nil:
		tx, err := s.ixdb.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, err
		}
		src = &sqlIx{tx: tx}
	default:
		return nil, nil
	}
	return &ixReader{src: src, ctx: ctx}, nil
}

func (x *ixReader) close() {
	if x != nil {
		x.src.close()
	}
}

// boltIx reads through bolt's cursor: hidalgo's iterator copies every
// key.
type boltIx struct {
	tx *bolt.Tx
	b  *bolt.Bucket // nil: the index is empty
}

func (x *boltIx) scan(ctx context.Context, pre []byte, fn func(k, v []byte) (bool, error)) error {
	if x.b == nil {
		return nil
	}
	c := x.b.Cursor()
	for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
		if more, err := fn(k, v); err != nil || !more {
			return err
		}
	}
	return ctx.Err()
}

func (x *boltIx) get(_ context.Context, key []byte) ([]byte, error) {
	if x.b == nil {
		return nil, nil
	}
	return x.b.Get(key), nil
}

func (x *boltIx) getMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, _ := x.get(ctx, []byte(k)); v != nil {
			out[k] = v
		}
	}
	return out, nil
}

func (x *boltIx) heads(ctx context.Context, pres [][]byte) ([][][]byte, error) {
	out := make([][][]byte, len(pres))
	if x.b == nil {
		return out, nil
	}
	c := x.b.Cursor()
	for i, pre := range pres {
		for k, _ := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); {
			rest := k[len(pre):]
			j := bytes.IndexByte(rest, ixSep[0])
			if j < 0 {
				k, _ = c.Next()
				continue
			}
			h := bytes.Clone(rest[:j])
			out[i] = append(out[i], h)
			// Skip the other keys with this head: they all sort before
			// pre+head+\x01, every later head after it.
			k, _ = c.Seek(slices.Concat(pre, h, []byte{ixSep[0] + 1}))
		}
	}
	return out, ctx.Err()
}

func (x *boltIx) anySuffix(ctx context.Context, pre, suffix []byte) (bool, error) {
	found := false
	err := x.scan(ctx, pre, func(k, _ []byte) (bool, error) {
		found = bytes.HasSuffix(k, suffix)
		return !found, nil
	})
	return found, err
}

func (x *boltIx) firstNames(ctx context.Context, pres [][]byte) ([][]byte, error) {
	out := make([][]byte, len(pres))
	for i, pre := range pres {
		// The vocabulary's names (SEQ 0) come first, in entity()'s
		// order: the first of them is the one.
		var best []byte
		err := x.scan(ctx, []byte(string(pre)+ixSeq(0)+ixSep), func(k, _ []byte) (bool, error) {
			if bytes.Count(k[len(pre):], []byte(ixSep)) < 2 {
				return true, nil
			}
			best = bytes.Clone(k)
			return false, nil
		})
		if err != nil || best != nil {
			out[i] = best
			if err != nil {
				return nil, err
			}
			continue
		}
		err = x.scan(ctx, pre, func(k, _ []byte) (bool, error) {
			if bytes.Count(k[len(pre):], []byte(ixSep)) < 2 {
				return true, nil
			}
			vocab, rest := nameRank(k, len(pre))
			if best != nil {
				bv, brest := nameRank(best, len(pre))
				if bv && !vocab || bv == vocab && bytes.Compare(brest, rest) <= 0 {
					return true, nil
				}
			}
			best = bytes.Clone(k)
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		out[i] = best
	}
	return out, nil
}

func (x *boltIx) edgeEvidence(ctx context.Context, edges []edgeProbe) ([]edgeRead, error) {
	out := make([]edgeRead, len(edges))
	for i, e := range edges {
		v, err := x.get(ctx, e.vocab)
		if err != nil {
			return nil, err
		}
		out[i].vocab = v != nil
		err = x.scan(ctx, e.asserts, func(k, v []byte) (bool, error) {
			out[i].rows = append(out[i].rows, ixRow{k: bytes.Clone(k), v: bytes.Clone(v)})
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (x *boltIx) close() { x.tx.Rollback() }

// scan calls fn with the parts after the prefix of every key under
// prefix (kind and parts joined as ixKey does, plus a trailing ␀), until
// fn returns false.
func (x *ixReader) scan(prefix string, fn func(rest []string, val []byte) (bool, error)) error {
	pre := []byte(prefix + ixSep)
	return x.src.scan(x.ctx, pre, func(k, v []byte) (bool, error) {
		return fn(strings.Split(string(k[len(pre):]), ixSep), v)
	})
}

func (x *ixReader) get(key string) ([]byte, error) { return x.src.get(x.ctx, []byte(key)) }

// edges lists the direct edges out of (kind o) or into (kind i) v as
// quads, one per label.
func (x *ixReader) edges(kind string, v quad.IRI) ([]quad.Quad, error) {
	var out []quad.Quad
	err := x.scan(ixKey(kind, short(v)), func(rest []string, _ []byte) (bool, error) {
		if len(rest) != 4 { // P O SEQ LABEL
			return true, nil
		}
		q := quad.Quad{Subject: v, Predicate: long(rest[0]), Object: long(rest[1]), Label: long(rest[3])}
		if kind == "i" {
			q.Subject, q.Object = q.Object, q.Subject
		}
		out = append(out, q)
		return true, nil
	})
	return out, err
}

// assertions lists the assertions under a prefix of kind a, b or p
// (parts: IRIs, predicates as names); the first three parts of each key
// are in the kind's order.
func (x *ixReader) assertions(kind string, parts ...string) ([]quad.IRI, []*assertion, error) {
	var ids []quad.IRI
	var out []*assertion
	scan := x.scan
	if rows, ok := x.prefetched[ixKey(kind, parts...)]; ok {
		delete(x.prefetched, ixKey(kind, parts...))
		scan = func(prefix string, fn func(rest []string, val []byte) (bool, error)) error {
			n := len(prefix) + len(ixSep)
			for _, row := range rows {
				if more, err := fn(strings.Split(string(row.k[n:]), ixSep), row.v); err != nil || !more {
					return err
				}
			}
			return nil
		}
	}
	err := scan(ixKey(kind, parts...), func(rest []string, val []byte) (bool, error) {
		all := append(parts[:len(parts):len(parts)], rest...)
		if len(all) != 5 { // three ends, SEQ, ASSERTION
			return true, nil
		}
		a := &assertion{}
		if err := decodeAssertion(val, a); err != nil {
			return false, fmt.Errorf("query index entry %q: %w", all[4], err)
		}
		var s, p, o string
		switch kind {
		case "a":
			s, p, o = all[0], all[1], all[2]
		case "b":
			o, p, s = all[0], all[1], all[2]
		default:
			p, s, o = all[0], all[1], all[2]
		}
		a.subj, a.obj = long(s), long(o)
		a.pred = medkg.Predicate(p)
		ids = append(ids, long(all[4]))
		out = append(out, a)
		return true, nil
	})
	return ids, out, err
}

// ixNeighbours is neighbours through the index: the distinct ends of x's
// edges with predicate p, read as one entry per end (on PostgreSQL the
// server drops the other documents' entries of an edge).
func (r *reader) ixNeighbours(x quad.IRI, p medkg.Predicate, forward bool) ([]quad.IRI, error) {
	if r.ix == nil {
		return nil, errNoIndex
	}
	pre := neighboursPrefix(x, p, forward)
	hs, ok := r.ix.heads[pre]
	if !ok {
		read, err := r.ix.src.heads(r.ctx, [][]byte{[]byte(pre)})
		if err != nil {
			return nil, err
		}
		hs = read[0]
	}
	out := make([]quad.IRI, len(hs))
	for i, h := range hs {
		out[i] = long(string(h))
	}
	slices.Sort(out)
	return out, nil
}

// neighboursPrefix is the prefix of the o (forward) or i entries of x's
// edges with predicate p.
func neighboursPrefix(x quad.IRI, p medkg.Predicate, forward bool) string {
	kind := "o"
	if !forward {
		kind = "i"
	}
	return ixKey(kind, short(x), string(p)) + ixSep
}

// ixVocabularyStates reports whether the vocabulary states subj -p-> obj.
func (r *reader) ixVocabularyStates(subj quad.IRI, p medkg.Predicate, obj quad.IRI) (bool, error) {
	if r.ix == nil {
		return false, errNoIndex
	}
	if r.previous {
		pre := []byte(ixKey("o", short(subj), string(p), short(obj)) + ixSep)
		return r.ix.src.anySuffix(r.ctx, pre, []byte(ixSep+short(iri(iriVocabulary))))
	}
	// evidence() reads the edge's assertions next: they come in the same
	// round trip, or were read ahead with other edges'.
	asserts := ixKey("a", short(subj), string(p), short(obj))
	e, ok := r.ix.edgeReads[asserts]
	if !ok {
		read, err := r.ix.src.edgeEvidence(r.ctx, []edgeProbe{edgeProbeOf(subj, p, obj)})
		if err != nil {
			return false, err
		}
		e = read[0]
	}
	if r.ix.prefetched == nil {
		r.ix.prefetched = map[string][]ixRow{}
	}
	r.ix.prefetched[asserts] = e.rows
	return e.vocab, nil
}

// edgeProbeOf names the index entries of subj -p-> obj.
func edgeProbeOf(subj quad.IRI, p medkg.Predicate, obj quad.IRI) edgeProbe {
	return edgeProbe{
		vocab:   []byte(ixKey("o", short(subj), string(p), short(obj), ixSeq(0), short(iri(iriVocabulary)))),
		asserts: []byte(ixKey("a", short(subj), string(p), short(obj)) + ixSep),
	}
}

// The reader's index paths. Each returns errNoIndex when the store has
// none, and the caller reads through cayley.

func (r *reader) ixEdges(x quad.IRI, dir quad.Direction) ([]quad.Quad, error) {
	if r.ix == nil {
		return nil, errNoIndex
	}
	kind := "o"
	if dir == quad.Object {
		kind = "i"
	}
	return r.ix.edges(kind, x)
}

// ixAssertions loads assertions through the index into the reader's
// cache, so that every path hands out the same *assertion. parts are
// IRIs but for the predicate.
func (r *reader) ixAssertions(kind string, parts ...string) ([]*assertion, error) {
	if r.ix == nil {
		return nil, errNoIndex
	}
	for i, p := range parts {
		if !(kind == "p" && i == 0 || kind != "p" && i == 1) {
			parts[i] = short(quad.IRI(p))
		}
	}
	ids, as, err := r.ix.assertions(kind, parts...)
	if err != nil {
		return nil, err
	}
	var docs []string
	for i, id := range ids {
		if cur, ok := r.asserts[id]; ok {
			as[i] = cur
		} else if !as[i].flagsKnown {
			// An entry without the claim and via_branch bits (an index
			// of version 1, never read as current: see ixVersion): its
			// quads say. Not only hedged ones: a via_branch assertion
			// is not hedged.
			a, err := r.assertion(id)
			if err != nil {
				return nil, err
			}
			as[i].claim, as[i].viaBr, as[i].flagsKnown = a.claim, a.viaBr, true
			r.asserts[id] = as[i]
		} else {
			r.asserts[id] = as[i]
		}
		if _, ok := r.docs[as[i].doc]; !ok && isDocIRI(as[i].doc) {
			docs = append(docs, ixKey("d", short(as[i].doc)))
		}
	}
	// The evidence needs the documents' metadata: read them all at
	// once (one round trip on a server).
	if len(docs) > 1 {
		if err := r.ixDocs(docs); err != nil {
			return nil, err
		}
	}
	return as, nil
}

// ixDocs reads the d entries keys (duplicates allowed) into the
// reader's cache, in one round trip on a server. Documents without an
// entry are left out, for ixDoc to settle.
func (r *reader) ixDocs(keys []string) error {
	slices.Sort(keys)
	vals, err := r.ix.src.getMany(r.ctx, slices.Compact(keys))
	if err != nil {
		return err
	}
	for k, v := range vals {
		d := long(strings.TrimPrefix(k, "d"+ixSep))
		if err := r.cacheDoc(d, v); err != nil {
			return err
		}
	}
	return nil
}

// cacheDoc decodes a d entry into the reader's cache.
func (r *reader) cacheDoc(d quad.IRI, v []byte) error {
	info := DocInfo{IRI: string(d)}
	if len(v) >= ixSeqWidth {
		actions, err := decodeDoc(v[ixSeqWidth:], &info)
		if err != nil {
			return fmt.Errorf("query index entry for %s: %w", d, err)
		}
		if actions != docActionsUnknown {
			r.docActions[d] = actions == docWithActions
		}
	}
	r.docs[d] = info
	return nil
}

func (r *reader) ixDoc(d quad.IRI) (DocInfo, error) {
	if r.ix == nil {
		return DocInfo{}, errNoIndex
	}
	if !isDocIRI(d) {
		return DocInfo{IRI: string(d)}, nil
	}
	v, err := r.ix.get(ixKey("d", short(d)))
	if err != nil {
		return DocInfo{}, err
	}
	if err := r.cacheDoc(d, v); err != nil {
		return DocInfo{}, err
	}
	return r.docs[d], nil
}

// ixVocabularyVersion is the version of the vocabulary in the store
// ("" if none).
func (r *reader) ixVocabularyVersion() (string, error) {
	if r.ix == nil {
		return "", errNoIndex
	}
	v, err := r.ix.get(ixKey("v"))
	return string(v), err
}

// ixEntity is entity() through the index: the name and English name
// entity() picks (the vocabulary's, else the one of the smallest label;
// the smallest value of that label), read together.
func (r *reader) ixEntity(x quad.IRI, e *EntityRef) error {
	if r.ix == nil {
		return errNoIndex
	}
	pres := namePrefixes(x)
	keys, err := r.ix.src.firstNames(r.ctx, pres)
	if err != nil {
		return err
	}
	setNames(e, pres, keys)
	return nil
}

// namePrefixes are the prefixes of x's n and e entries (its names and
// English names), in the order setNames takes them.
func namePrefixes(x quad.IRI) [][]byte {
	return [][]byte{[]byte(ixKey("n", short(x)) + ixSep), []byte(ixKey("e", short(x)) + ixSep)}
}

// setNames sets e's names from the keys firstNames picked under pres.
func setNames(e *EntityRef, pres, keys [][]byte) {
	for i, dst := range []*string{&e.Name, &e.NameEn} {
		*dst = ""
		if keys[i] != nil {
			*dst = nameOfKey(keys[i], len(pres[i]))
		}
	}
}

// nameOfKey is the VALUE of an n or e key whose prefix (up to SEQ) is
// pre bytes long.
func nameOfKey(k []byte, pre int) string {
	rest := k[pre:] // SEQ␀LABEL␀VALUE
	if len(rest) <= ixSeqWidth+1 {
		return ""
	}
	rest = rest[ixSeqWidth+1:]
	if i := bytes.IndexByte(rest, ixSep[0]); i >= 0 {
		return string(rest[i+1:])
	}
	return ""
}

// nameRank orders the n or e keys under one prefix as entity() picks
// among them: the vocabulary's first (SEQ 0), then by LABEL␀VALUE.
func nameRank(k []byte, pre int) (vocab bool, rest []byte) {
	r := k[pre:]
	if len(r) <= ixSeqWidth {
		return false, r
	}
	return string(r[:ixSeqWidth]) == ixSeq(0), r[min(len(r), ixSeqWidth+1):]
}

// ixExists reports whether any quad has subject x (x an entity).
func (r *reader) ixExists(x quad.IRI) (bool, error) {
	if r.ix == nil {
		return false, errNoIndex
	}
	if _, ok := entityID(x); !ok {
		return false, nil
	}
	found := false
	err := r.ix.scan(ixKey("x", short(x)), func([]string, []byte) (bool, error) {
		found = true
		return false, nil
	})
	return found, err
}

// ixNamed lists the entities having name as a name or alias (Chinese or
// English).
func (r *reader) ixNamed(name string) ([]quad.IRI, error) {
	if r.ix == nil {
		return nil, errNoIndex
	}
	if strings.Contains(name, ixSep) {
		return nil, nil
	}
	var out []quad.IRI
	err := r.ix.scan(ixKey("l", name), func(rest []string, _ []byte) (bool, error) {
		if len(rest) == 4 { // X SEQ LABEL PREDICATE
			out = append(out, long(rest[0]))
		}
		return true, nil
	})
	return out, err
}

// buildIndex writes the query index of every label of a store that has
// none (the vocabulary, then the documents, numbered in turn), in one
// transaction per batch of labels, then marks the store as indexed.
func (s *Store) buildIndex(ctx context.Context, progress func(done, total int)) error {
	if !s.indexed() {
		return errNoIndex
	}
	// An older, stale or half-built index goes first; the version mark
	// goes with it, so an interrupted build leaves a store that asks for
	// migrate again.
	if err := s.clearIndex(ctx); err != nil {
		return fmt.Errorf("clear the old query index: %w", err)
	}
	typed, err := s.quadsWith(ctx, quad.Object, iri(iriDocument))
	if err != nil {
		return err
	}
	labels := []quad.IRI{iri(iriVocabulary)}
	seen := map[quad.IRI]bool{}
	for _, q := range typed {
		d, ok := q.Subject.(quad.IRI)
		if ok && isDocIRI(d) && q.Predicate == quad.Value(iri(iriRDFType)) && !seen[d] {
			seen[d] = true
			labels = append(labels, d)
		}
	}
	var batch []ixOp
	flush := func() error {
		err := s.writeIxOps(ctx, batch)
		batch = batch[:0]
		return err
	}
	for i, l := range labels {
		quads, err := s.quadsWith(ctx, quad.Label, l)
		if err != nil {
			return fmt.Errorf("read %s: %w", l, err)
		}
		batch = append(batch, ixDiff(ixSeq(uint64(i)), nil, quads)...)
		if len(batch) >= migrateBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(i+1, len(labels))
		}
	}
	batch = append(batch, ixOp{key: ixSeqKey, val: []byte(strconv.Itoa(len(labels)))})
	if err := flush(); err != nil {
		return err
	}
	if s.ixdb != nil {
		return markSQLIndex(ctx, s.ixdb)
	}
	return hkv.Update(ctx, s.ix.KV, func(tx hkv.Tx) error {
		if err := tx.Put(ixMetaKey, ixVersion); err != nil {
			return err
		}
		return putWrites(ctx, tx)
	})
}

// clearIndex removes every index entry and the version mark.
func (s *Store) clearIndex(ctx context.Context) error {
	if s.ixdb != nil {
		_, err := s.ixdb.ExecContext(ctx, `DELETE FROM medkg_ix`)
		return err
	}
	return s.ix.bolt.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket(ixMetaKey[0]); b != nil {
			if err := b.Delete(ixMetaKey[1]); err != nil {
				return err
			}
		}
		if tx.Bucket(ixBucket) == nil {
			return nil
		}
		return tx.DeleteBucket(ixBucket)
	})
}

// writeIxOps writes index changes in a transaction of their own.
func (s *Store) writeIxOps(ctx context.Context, ops []ixOp) error {
	if s.ixdb != nil {
		tx, err := s.ixdb.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := writeSQLIx(tx, ops); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	return hkv.Update(ctx, s.ix.KV, func(tx hkv.Tx) error { return writeIx(tx, ops) })
}
