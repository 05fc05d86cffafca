package graph

import (
	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// Reading ahead. A named query walks the graph a step at a time: a
// procedure's ends, their branches and nerves, each edge's evidence and
// documents, each entity's names. On a server every step is a round
// trip, and banned-nerves on a large store took about 65 of them. The
// functions here read what the walk is about to ask for, one batch per
// level of the walk, into the index reader's caches, where the walk then
// finds it. They change no answer: what they do not read ahead is read
// as before, one step at a time.

// nbrReq asks for the distinct ends of x's edges with predicate p, out
// of x (forward) or into it.
type nbrReq struct {
	x       quad.IRI
	p       medkg.Predicate
	forward bool
}

// edgeReq asks for the evidence of subj -p-> obj.
type edgeReq struct {
	subj quad.IRI
	p    medkg.Predicate
	obj  quad.IRI
}

// readingAhead reports whether the reader reads ahead: only through the
// query index, as this version reads it.
func (r *reader) readingAhead() bool { return r.ix != nil && !r.previous }

// readAheadNeighbours reads the ends reqs ask for, those not read yet,
// in one batch; neighbours() then finds them.
func (r *reader) readAheadNeighbours(reqs []nbrReq) error {
	if !r.readingAhead() {
		return nil
	}
	var pres [][]byte
	seen := map[string]bool{}
	for _, q := range reqs {
		pre := neighboursPrefix(q.x, q.p, q.forward)
		if _, ok := r.ix.heads[pre]; ok || seen[pre] {
			continue
		}
		seen[pre] = true
		pres = append(pres, []byte(pre))
	}
	if len(pres) == 0 {
		return nil
	}
	hs, err := r.ix.src.heads(r.ctx, pres)
	if err != nil {
		return err
	}
	if r.ix.heads == nil {
		r.ix.heads = map[string][][]byte{}
	}
	for i, pre := range pres {
		r.ix.heads[string(pre)] = hs[i]
	}
	return nil
}

// readAheadEdges reads the evidence of edges, those not read yet, in one
// batch, and the documents it cites in another; evidenceSupport() then
// finds them.
func (r *reader) readAheadEdges(edges []edgeReq) error {
	if !r.readingAhead() {
		return nil
	}
	var probes []edgeProbe
	var keys []string
	seen := map[string]bool{}
	for _, e := range edges {
		k := ixKey("a", short(e.subj), string(e.p), short(e.obj))
		if _, ok := r.ix.edgeReads[k]; ok || seen[k] {
			continue
		}
		seen[k] = true
		probes = append(probes, edgeProbeOf(e.subj, e.p, e.obj))
		keys = append(keys, k)
	}
	if len(probes) == 0 {
		return nil
	}
	reads, err := r.ix.src.edgeEvidence(r.ctx, probes)
	if err != nil {
		return err
	}
	if r.ix.edgeReads == nil {
		r.ix.edgeReads = map[string]edgeRead{}
	}
	var docs []string
	for i, e := range reads {
		r.ix.edgeReads[keys[i]] = e
		for _, row := range e.rows {
			d := assertionDoc(row.v)
			if _, ok := r.docs[d]; !ok && isDocIRI(d) {
				docs = append(docs, ixKey("d", short(d)))
			}
		}
	}
	if len(docs) == 0 {
		return nil
	}
	return r.ixDocs(docs)
}

// assertionDoc is the document of an assertion entry's value ("" if it
// cannot be read: decodeAssertion will say why).
func assertionDoc(v []byte) quad.IRI {
	d := decoder{b: v}
	d.uvarint()
	d.varint()
	doc := d.str()
	if d.err != nil {
		return ""
	}
	return quad.IRI(doc)
}

// readAheadEntities reads the names of xs, those not read yet, in one
// batch; entity() then finds them.
func (r *reader) readAheadEntities(xs []quad.IRI) error {
	if r.ix == nil {
		return nil
	}
	var todo []quad.IRI
	var pres [][]byte
	seen := map[quad.IRI]bool{}
	for _, x := range xs {
		if _, ok := r.ents[x]; ok || seen[x] || x == "" {
			continue
		}
		seen[x] = true
		todo = append(todo, x)
		pres = append(pres, namePrefixes(x)...)
	}
	if len(todo) == 0 {
		return nil
	}
	keys, err := r.ix.src.firstNames(r.ctx, pres)
	if err != nil {
		return err
	}
	for i, x := range todo {
		id, _ := entityID(x)
		e := EntityRef{ID: id, Type: typeOfID(id)}
		setNames(&e, pres[2*i:2*i+2], keys[2*i:2*i+2])
		r.ents[x] = e
	}
	return nil
}

// readAheadNerveLinks reads what nerveLinks will ask for of procs, level
// by level of its walk: the procedures' ends, the ends' parents and
// nerves, those nerves' parents, then every edge's evidence.
func (r *reader) readAheadNerveLinks(procs []quad.IRI) error {
	if !r.readingAhead() {
		return nil
	}
	var first []nbrReq
	for _, proc := range procs {
		for _, p := range []medkg.Predicate{medkg.Cuts, medkg.Targets} {
			first = append(first, nbrReq{proc, p, true})
		}
	}
	var edges []edgeReq
	var second, third []nbrReq
	err := r.walkAhead(first, func(q nbrReq, end quad.IRI) {
		edges = append(edges, edgeReq{q.x, q.p, end})
		switch typeOfIRI(end) {
		case medkg.Nerve:
			second = append(second, nbrReq{end, medkg.BranchOf, true})
		case medkg.Muscle:
			second = append(second, nbrReq{end, medkg.Innervates, false})
		}
	})
	if err != nil {
		return err
	}
	err = r.walkAhead(second, func(q nbrReq, y quad.IRI) {
		if q.p == medkg.BranchOf {
			edges = append(edges, edgeReq{q.x, medkg.BranchOf, y})
			return
		}
		edges = append(edges, edgeReq{y, medkg.Innervates, q.x})
		third = append(third, nbrReq{y, medkg.BranchOf, true})
	})
	if err != nil {
		return err
	}
	err = r.walkAhead(third, func(q nbrReq, y quad.IRI) {
		edges = append(edges, edgeReq{q.x, medkg.BranchOf, y})
	})
	if err != nil {
		return err
	}
	return r.readAheadEdges(edges)
}

// walkAhead reads the ends reqs ask for in one batch and calls fn with
// each.
func (r *reader) walkAhead(reqs []nbrReq, fn func(q nbrReq, end quad.IRI)) error {
	if err := r.readAheadNeighbours(reqs); err != nil {
		return err
	}
	for _, q := range reqs {
		ends, err := r.neighbours(q.x, q.p, q.forward)
		if err != nil {
			return err
		}
		for _, end := range ends {
			fn(q, end)
		}
	}
	return nil
}
