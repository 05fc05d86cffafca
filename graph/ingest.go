package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// IngestStatus says what Ingest did with a document.
type IngestStatus string

// Ingest outcomes.
const (
	Added     IngestStatus = "added"     // new document
	Unchanged IngestStatus = "unchanged" // same source and hash: nothing written
	Replaced  IngestStatus = "replaced"  // same source, new hash: old quads replaced
)

// IngestResult reports one Ingest.
type IngestResult struct {
	Doc    string       `json:"doc"` // document IRI, e.g. medkg:doc/3f2a…
	Status IngestStatus `json:"status"`
	Quads  int          `json:"quads"` // quads now under the document's label
}

// DocInfo describes an ingested document.
type DocInfo struct {
	IRI       string `json:"iri"`
	Source    string `json:"source"`
	Title     string `json:"title,omitempty"`
	Date      string `json:"date,omitempty"`
	URL       string `json:"url,omitempty"`
	Author    string `json:"author,omitempty"`
	Hash      string `json:"hash"`
	Quads     int    `json:"quads"`
	Entities  int    `json:"entities"`  // distinct entities mentioned
	Relations int    `json:"relations"` // assertions, negated ones included
	// SourceKind and SourceFlags say what kind of page the document is
	// (unknown for documents ingested before it was classified).
	SourceKind  medkg.SourceKind `json:"source_kind"`
	SourceFlags []string         `json:"source_flags,omitempty"`
	// Extractor is the version of the vocabulary and extraction rules
	// that produced the document; empty before versions were stored.
	Extractor string `json:"extractor,omitempty"`
}

// Stats summarises the store.
type Stats struct {
	Backend    string         `json:"backend"`
	Path       string         `json:"path,omitempty"`
	Quads      int64          `json:"quads"`
	Vocabulary string         `json:"vocabulary_version,omitempty"`
	Entities   map[string]int `json:"entities"`   // distinct entities by type
	Edges      map[string]int `json:"edges"`      // direct edges by predicate, one per document or vocabulary stating it
	Assertions int            `json:"assertions"` // reified relations from documents
	Negated    int            `json:"negated"`    // of which negated
	Documents  []DocInfo      `json:"documents"`
}

// SyncVocabulary stores the vocabulary's entities and curated facts
// (Relations with only Subject, Predicate and Object set) under the
// vocabulary label. If the stored version equals version nothing is
// written; otherwise the previous vocabulary quads are replaced in one
// transaction.
func (s *Store) SyncVocabulary(ctx context.Context, version string, entities []medkg.Entity, facts []medkg.Relation) (changed bool, err error) {
	if version == "" {
		return false, medkg.Errorf(medkg.EINVALID, "sync vocabulary: empty version")
	}
	label := iri(iriVocabulary)
	b := newQuadSet(label)
	b.add(label, iri(iriVersion), quad.String(version))
	for _, e := range entities {
		if err := b.entity(e); err != nil {
			return false, fmt.Errorf("sync vocabulary %s: %w", version, err)
		}
	}
	for i, f := range facts {
		sub, obj, err := relationEnds(f)
		if err != nil {
			return false, fmt.Errorf("sync vocabulary %s: fact %d: %w", version, i, err)
		}
		b.add(sub, predicateIRI(f.Predicate), obj)
	}
	if err := b.addCounts(label, false); err != nil {
		return false, fmt.Errorf("sync vocabulary %s: %w", version, err)
	}

	unlock, err := s.wlock()
	if err != nil {
		return false, err
	}
	defer unlock()
	cur, err := s.vocabularyVersion(ctx)
	if err != nil {
		return false, fmt.Errorf("sync vocabulary: %w", err)
	}
	if cur == version {
		return false, nil
	}
	old, err := s.quadsWith(ctx, quad.Label, label)
	if err != nil {
		return false, fmt.Errorf("sync vocabulary: read previous: %w", err)
	}
	if err := s.stageIndex(old, b.quads); err != nil {
		return false, fmt.Errorf("sync vocabulary %s: %w", version, err)
	}
	if err := s.apply(ctx, diff(old, b.quads)); err != nil {
		return false, fmt.Errorf("sync vocabulary %s: %w", version, err)
	}
	s.log.Debug("vocabulary synced", "version", version, "previous", cur, "quads", len(b.quads))
	return true, nil
}

func (s *Store) vocabularyVersion(ctx context.Context) (string, error) {
	qs, err := s.quadsWith(ctx, quad.Subject, iri(iriVocabulary))
	if err != nil {
		return "", err
	}
	for _, q := range qs {
		if q.Predicate == quad.Value(iri(iriVersion)) && q.Label == quad.Value(iri(iriVocabulary)) {
			return valueString(q.Object), nil
		}
	}
	return "", nil
}

// Ingest writes one document in a single transaction, its quads labelled
// with the document's IRI. A document is identified by its Source; if the
// store holds the same Source with the same Hash nothing is written
// (Unchanged), with another Hash the old quads are replaced in the same
// transaction (Replaced). An empty Hash is computed from Text.
func (s *Store) Ingest(ctx context.Context, doc *medkg.Document) (IngestResult, error) {
	res, err := s.IngestBatch(ctx, []*medkg.Document{doc})
	if err != nil {
		return IngestResult{}, err
	}
	return res[0].IngestResult, res[0].Err
}

// BatchResult is what IngestBatch did with one document.
type BatchResult struct {
	IngestResult
	Err error // the document is invalid (EINVALID) and was not written
}

// IngestBatch writes many documents in one transaction: each as Ingest
// would, but the durable commit, the write lock and cayley's per-write
// overhead are paid once. Readers see all of the batch or none of it, so
// a crash never leaves half a document. An invalid document is reported
// in its BatchResult and the others are still written; an error returned
// means nothing of the batch was written. The same source twice in a
// batch is written in order, the later version replacing the earlier.
func (s *Store) IngestBatch(ctx context.Context, docs []*medkg.Document) ([]BatchResult, error) {
	out := make([]BatchResult, len(docs))
	type prepared struct {
		d     quad.IRI
		quads []quad.Quad
		hash  string
	}
	preps := make([]*prepared, len(docs))
	for i, doc := range docs {
		if doc == nil || doc.Source == "" {
			out[i].Err = medkg.Errorf(medkg.EINVALID, "ingest: document without a source")
			continue
		}
		hash := doc.Hash
		if hash == "" {
			sum := sha256.Sum256([]byte(doc.Text))
			hash = hex.EncodeToString(sum[:])
		}
		d := docIRI(doc.Source)
		quads, err := documentQuads(d, doc, hash)
		if err != nil {
			out[i].Err = fmt.Errorf("ingest %q: %w", doc.Source, err)
			continue
		}
		preps[i] = &prepared{d: d, quads: quads, hash: hash}
	}

	unlock, err := s.wlock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	var deltas []graph.Delta
	pending := map[quad.IRI]bool{} // documents with deltas not yet applied
	for i, p := range preps {
		if p == nil {
			continue
		}
		if pending[p.d] {
			// A second version in the same batch must see the first.
			if err := s.apply(ctx, deltas); err != nil {
				return nil, fmt.Errorf("ingest batch: %w", err)
			}
			deltas, pending = nil, map[quad.IRI]bool{}
		}
		res, d, err := s.prepareIngest(ctx, docs[i].Source, p.d, p.quads, p.hash, docs[i].Extractor)
		if err != nil {
			return nil, err
		}
		out[i].IngestResult = res
		if len(d) > 0 {
			deltas = append(deltas, d...)
			pending[p.d] = true
		}
	}
	if err := s.apply(ctx, deltas); err != nil {
		return nil, fmt.Errorf("ingest batch of %d documents: %w", len(docs), err)
	}
	if s.bolt != nil {
		releaseMapped(s.bolt)
	}
	for i, r := range out {
		if r.Err == nil {
			s.log.Debug("document ingested", "source", docs[i].Source, "doc", r.Doc, "status", r.Status, "quads", r.Quads)
		}
	}
	return out, nil
}

// prepareIngest compares a document's new quads with what the store holds
// under its label and returns the deltas that turn one into the other. It
// reads only the document's own quads (by subject, then by label).
//
// A document with the same hash is Unchanged only if the same extractor
// (vocabulary and rules) produced it: otherwise it is re-extracted
// content and replaces the stored version.
func (s *Store) prepareIngest(ctx context.Context, source string, d quad.IRI, quads []quad.Quad, hash, extractor string) (IngestResult, []graph.Delta, error) {
	res := IngestResult{Doc: string(d), Status: Added, Quads: len(quads)}
	props, err := s.quadsWith(ctx, quad.Subject, d)
	if err != nil {
		return res, nil, fmt.Errorf("ingest %q: %w", source, err)
	}
	var old []quad.Quad
	stored := ""
	for _, q := range props {
		if q.Predicate == quad.Value(iri(iriExtractor)) && q.Label == quad.Value(d) {
			stored = valueString(q.Object)
		}
	}
	for _, q := range props {
		if q.Predicate != quad.Value(iri(iriHash)) || q.Label != quad.Value(d) {
			continue
		}
		if valueString(q.Object) == hash && stored == extractor {
			res.Status = Unchanged
			res.Quads = storedQuadCount(props, d)
			return res, nil, nil
		}
		res.Status = Replaced
		if old, err = s.quadsWith(ctx, quad.Label, d); err != nil {
			return res, nil, fmt.Errorf("ingest %q: read previous version: %w", source, err)
		}
	}
	if err := s.stageIndex(old, quads); err != nil {
		return res, nil, fmt.Errorf("ingest %q: %w", source, err)
	}
	return res, diff(old, quads), nil
}

func storedQuadCount(props []quad.Quad, d quad.IRI) int {
	for _, q := range props {
		if q.Predicate == quad.Value(iri(iriQuads)) && q.Label == quad.Value(d) {
			return valueInt(q.Object)
		}
	}
	return 0
}

// quadSet collects quads under one label, without duplicates, in order.
type quadSet struct {
	label quad.Value
	seen  map[quad.Quad]bool
	quads []quad.Quad
	typed map[quad.IRI]bool
}

func newQuadSet(label quad.Value) *quadSet {
	return &quadSet{label: label, seen: map[quad.Quad]bool{}, typed: map[quad.IRI]bool{}}
}

func (b *quadSet) add(s, p, o quad.Value) {
	q := quad.Quad{Subject: s, Predicate: p, Object: o, Label: b.label}
	if b.seen[q] {
		return
	}
	b.seen[q] = true
	b.quads = append(b.quads, q)
}

func (b *quadSet) str(s, p quad.Value, v string) {
	if v != "" {
		b.add(s, p, quad.String(v))
	}
}

// typeOf adds the rdf:type of an entity IRI once.
func (b *quadSet) typeOf(e quad.IRI) {
	if b.typed[e] {
		return
	}
	b.typed[e] = true
	id, _ := entityID(e)
	b.add(e, iri(iriRDFType), classIRI(typeOfID(id)))
}

func (b *quadSet) entity(e medkg.Entity) error {
	x, err := entityIRI(e.ID)
	if err != nil {
		return err
	}
	if e.Type != "" && e.Type != typeOfID(e.ID) {
		return medkg.Errorf(medkg.EINVALID, "entity %q has type %q but its id says %q", e.ID, e.Type, typeOfID(e.ID))
	}
	b.typeOf(x)
	b.str(x, iri(iriName), e.Name)
	for i, n := range strings.Split(e.NameEn, "|") {
		n = strings.TrimSpace(n)
		if i == 0 {
			b.str(x, iri(iriNameEn), n)
		} else {
			b.str(x, iri(iriAliasEn), n)
		}
	}
	for _, a := range e.Aliases {
		b.str(x, iri(iriAlias), a)
	}
	for _, c := range e.Codes {
		b.str(x, iri(iriCode), c)
	}
	if e.Pattern {
		b.add(x, iri(iriPattern), quad.Bool(true))
	}
	return nil
}

func relationEnds(r medkg.Relation) (quad.IRI, quad.IRI, error) {
	if _, ok := medkg.Signatures[r.Predicate]; !ok {
		return "", "", medkg.Errorf(medkg.EINVALID, "unknown predicate %q", r.Predicate)
	}
	sub, err := entityIRI(r.Subject)
	if err != nil {
		return "", "", err
	}
	obj, err := entityIRI(r.Object)
	if err != nil {
		return "", "", err
	}
	return sub, obj, nil
}

// documentQuads is the whole contribution of one document, labelled d.
func documentQuads(d quad.IRI, doc *medkg.Document, hash string) ([]quad.Quad, error) {
	b := newQuadSet(d)
	b.add(d, iri(iriRDFType), iri(iriDocument))
	b.str(d, iri(iriSource), doc.Source)
	b.str(d, iri(iriTitle), doc.Title)
	b.str(d, iri(iriDate), doc.Date)
	b.str(d, iri(iriURL), doc.URL)
	b.str(d, iri(iriAuthor), doc.Author)
	b.str(d, iri(iriHash), hash)
	b.str(d, iri(iriSourceKind), string(doc.SourceKind))
	for _, f := range doc.SourceFlags {
		b.str(d, iri(iriSourceFlag), f)
	}
	b.str(d, iri(iriExtractor), doc.Extractor)
	for _, e := range doc.Entities {
		if err := b.entity(e.Entity); err != nil {
			return nil, err
		}
		x, _ := entityIRI(e.ID)
		b.add(d, iri(iriMentions), x)
	}
	for i, r := range doc.Relations {
		sub, obj, err := relationEnds(r)
		if err != nil {
			return nil, fmt.Errorf("relation %d: %w", i, err)
		}
		b.typeOf(sub)
		b.typeOf(obj)
		a := assertionIRI(d, i)
		b.add(a, iri(iriRDFType), iri(iriAssertion))
		b.add(a, iri(iriSubject), sub)
		b.add(a, iri(iriPredicate), predicateIRI(r.Predicate))
		b.add(a, iri(iriObject), obj)
		b.add(a, iri(iriNegated), quad.Bool(r.Negated))
		b.add(a, iri(iriHedged), quad.Bool(r.Hedged))
		if r.Claim {
			b.add(a, iri(iriClaim), quad.Bool(true))
		}
		if r.ViaBranch {
			b.add(a, iri(iriViaBranch), quad.Bool(true))
		}
		b.add(a, iri(iriSentence), quad.Int(r.Sentence))
		b.str(a, iri(iriEvidence), r.Evidence)
		b.add(a, iri(iriInDoc), d)
		if !r.Negated && !r.Claim && !r.ViaBranch {
			// The direct edge makes traversals fast; a negated
			// assertion, or one only a claim states, must never answer
			// a positive question.
			b.add(sub, predicateIRI(r.Predicate), obj)
		}
	}
	if err := b.addActions(d, doc.Actions); err != nil {
		return nil, err
	}
	if err := b.addCounts(d, true); err != nil {
		return nil, err
	}
	return b.quads, nil
}

// Forget removes one document's contribution. ref is the source as
// stored, the document IRI, or a unique prefix of its content hash.
func (s *Store) Forget(ctx context.Context, ref string) (removedQuads int, err error) {
	unlock, err := s.wlock()
	if err != nil {
		return 0, err
	}
	defer unlock()
	d, err := s.resolveDoc(ctx, ref)
	if err != nil {
		return 0, fmt.Errorf("forget: %w", err)
	}
	old, err := s.quadsWith(ctx, quad.Label, d)
	if err != nil {
		return 0, fmt.Errorf("forget %q: %w", ref, err)
	}
	deltas := make([]graph.Delta, len(old))
	for i, q := range old {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	if err := s.stageIndex(old, nil); err != nil {
		return 0, fmt.Errorf("forget %q: %w", ref, err)
	}
	if err := s.apply(ctx, deltas); err != nil {
		return 0, fmt.Errorf("forget %q: %w", ref, err)
	}
	s.log.Debug("document forgotten", "ref", ref, "doc", d, "quads", len(old))
	return len(old), nil
}

// resolveDoc finds the document IRI for a source, IRI or hash prefix.
func (s *Store) resolveDoc(ctx context.Context, ref string) (quad.IRI, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", medkg.Errorf(medkg.EINVALID, "empty document reference")
	}
	cands := []quad.IRI{quad.IRI(strings.TrimSuffix(strings.TrimPrefix(ref, "<"), ">")), docIRI(ref)}
	if abs, err := filepath.Abs(ref); err == nil && abs != ref {
		cands = append(cands, docIRI(abs))
	}
	for _, c := range cands {
		if !isDocIRI(c) {
			continue
		}
		ok, err := s.isDocument(ctx, c)
		if err != nil {
			return "", err
		}
		if ok {
			return c, nil
		}
	}
	if len(ref) >= 4 && isHex(ref) {
		docs, err := s.documents(ctx)
		if err != nil {
			return "", err
		}
		var hits []DocInfo
		for _, d := range docs {
			if strings.HasPrefix(d.Hash, strings.ToLower(ref)) {
				hits = append(hits, d)
			}
		}
		switch len(hits) {
		case 1:
			return quad.IRI(hits[0].IRI), nil
		case 0:
		default:
			var srcs []string
			for _, h := range hits {
				srcs = append(srcs, h.Source)
			}
			return "", medkg.Errorf(medkg.EINVALID, "hash prefix %q matches %d documents (%s); give more digits", ref, len(hits), strings.Join(srcs, ", "))
		}
	}
	return "", medkg.Errorf(medkg.ENOTFOUND, "no document %q in the graph; give its source path as ingested, its IRI or a hash prefix", ref)
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

func (s *Store) isDocument(ctx context.Context, d quad.IRI) (bool, error) {
	props, err := s.quadsWith(ctx, quad.Subject, d)
	if err != nil {
		return false, err
	}
	for _, q := range props {
		if q.Predicate == quad.Value(iri(iriRDFType)) && q.Object == quad.Value(iri(iriDocument)) {
			return true, nil
		}
	}
	return false, nil
}

// Documents lists the ingested documents, sorted by source.
func (s *Store) Documents(ctx context.Context) ([]DocInfo, error) {
	unlock, err := s.rlock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	docs, err := s.documents(ctx)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return docs, nil
}

func (s *Store) documents(ctx context.Context) ([]DocInfo, error) {
	docs, _, err := s.documentsCounted(ctx)
	return docs, err
}

// documentsCounted lists the documents and what each adds to Stats.
func (s *Store) documentsCounted(ctx context.Context) ([]DocInfo, []counts, error) {
	typed, err := s.quadsWith(ctx, quad.Object, iri(iriDocument))
	if err != nil {
		return nil, nil, err
	}
	docs := []DocInfo{}
	var all []counts
	seen := map[quad.Value]bool{}
	for _, t := range typed {
		if t.Predicate != quad.Value(iri(iriRDFType)) || seen[t.Subject] {
			continue
		}
		seen[t.Subject] = true
		d, ok := t.Subject.(quad.IRI)
		if !ok {
			continue
		}
		props, err := s.quadsWith(ctx, quad.Subject, d)
		if err != nil {
			return nil, nil, err
		}
		info, c, err := s.docSummary(ctx, d, props)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, info)
		all = append(all, c)
	}
	sort.Slice(docs, func(i, j int) bool {
		if docs[i].Source != docs[j].Source {
			return docs[i].Source < docs[j].Source
		}
		return docs[i].IRI < docs[j].IRI
	})
	return docs, all, nil
}

// docSummary is a document's metadata and counts, from its own quads
// (props: those with the document as subject) and, for documents written
// before counts were kept, a read of its label.
func (s *Store) docSummary(ctx context.Context, d quad.IRI, props []quad.Quad) (DocInfo, counts, error) {
	info := docMetadata(d, props)
	c, ok := countsIn(props, d)
	if !ok {
		quads, err := s.quadsWith(ctx, quad.Label, d)
		if err != nil {
			return info, c, err
		}
		c = countsOf(quads)
		c.Quads = len(quads)
	}
	info.Relations = c.Assertions
	return info, c, nil
}

// docMetadata fills a DocInfo, but for Relations, from the document's
// own quads.
func docMetadata(d quad.IRI, props []quad.Quad) DocInfo {
	info := DocInfo{IRI: string(d)}
	mentioned := map[quad.Value]bool{}
	for _, q := range props {
		switch q.Predicate {
		case quad.Value(iri(iriSource)):
			info.Source = valueString(q.Object)
		case quad.Value(iri(iriTitle)):
			info.Title = valueString(q.Object)
		case quad.Value(iri(iriDate)):
			info.Date = valueString(q.Object)
		case quad.Value(iri(iriURL)):
			info.URL = valueString(q.Object)
		case quad.Value(iri(iriAuthor)):
			info.Author = valueString(q.Object)
		case quad.Value(iri(iriHash)):
			info.Hash = valueString(q.Object)
		case quad.Value(iri(iriQuads)):
			info.Quads = valueInt(q.Object)
		case quad.Value(iri(iriMentions)):
			mentioned[q.Object] = true
		case quad.Value(iri(iriSourceKind)):
			info.SourceKind = medkg.SourceKind(valueString(q.Object))
		case quad.Value(iri(iriSourceFlag)):
			info.SourceFlags = append(info.SourceFlags, valueString(q.Object))
		case quad.Value(iri(iriExtractor)):
			info.Extractor = valueString(q.Object)
		}
	}
	info.Entities = len(mentioned)
	normaliseSource(&info)
	return info
}

// Stats counts quads, entities by type, edges by predicate, assertions
// and documents. Counting edges reads every quad once.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	unlock, err := s.rlock()
	if err != nil {
		return Stats{}, err
	}
	defer unlock()
	st, err := s.stats(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("graph stats: %w", err)
	}
	return st, nil
}

func (s *Store) stats(ctx context.Context) (Stats, error) {
	st := Stats{Backend: s.backend, Path: s.path, Entities: map[string]int{}, Edges: map[string]int{}}
	vocab, err := s.quadsWith(ctx, quad.Subject, iri(iriVocabulary))
	if err != nil {
		return st, err
	}
	for _, q := range vocab {
		if q.Predicate == quad.Value(iri(iriVersion)) && q.Label == quad.Value(iri(iriVocabulary)) {
			st.Vocabulary = valueString(q.Object)
		}
	}
	all := []counts{}
	if st.Vocabulary != "" {
		c, ok := countsIn(vocab, iri(iriVocabulary))
		if !ok { // synced before counts were kept
			quads, err := s.quadsWith(ctx, quad.Label, iri(iriVocabulary))
			if err != nil {
				return st, err
			}
			c = countsOf(quads)
			c.Quads = len(quads)
		}
		all = append(all, c)
	}
	docs, dc, err := s.documentsCounted(ctx)
	if err != nil {
		return st, err
	}
	st.Documents = docs
	entities := map[string]bool{}
	for _, c := range append(all, dc...) {
		st.Quads += int64(c.Quads)
		for p, n := range c.Edges {
			st.Edges[p] += n
		}
		st.Assertions += c.Assertions
		st.Negated += c.Negated
		for _, e := range c.Entities {
			if !entities[e] {
				entities[e] = true
				if id, ok := entityID(quad.IRI(e)); ok {
					st.Entities[string(typeOfID(id))]++
				}
			}
		}
	}
	return st, nil
}

// normaliseSource gives a document read from the store its source kind
// (unknown when none was stored) and its flags in a stable order, never
// nil.
func normaliseSource(info *DocInfo) {
	if info.SourceKind == "" {
		info.SourceKind = medkg.SourceUnknown
	}
	if info.SourceFlags == nil {
		info.SourceFlags = []string{}
	}
	sort.Strings(info.SourceFlags)
}
