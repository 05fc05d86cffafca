package graph

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// ixFormats pins, for each format version of the query index, a digest
// of the entries ixEntries writes for formatQuads. An index is rebuilt by
// `medkg migrate` only when its version differs from ixVersion, so a
// change to the entries without a new version leaves older stores with
// entries the readers misread (as the claim and via_branch bits did,
// added to version 1's assertion entries without a new version). Never
// change a recorded digest: add the new version's.
var ixFormats = map[string]string{
	"2": "cba38c413f3d39e7",
}

// formatQuads are quads of the vocabulary and of one document holding
// every kind of entry and every flag an entry keeps.
func formatQuads() []quad.Quad {
	v := iri(iriVocabulary)
	d := quad.IRI(nsMedkg + "doc/0123456789abcdef")
	tibial, sciatic := quad.IRI(nsMedkg+"nerve/tibial"), quad.IRI(nsMedkg+"nerve/sciatic")
	proc, nhc := quad.IRI(nsMedkg+"procedure/calf_nerve_transection"), quad.IRI(nsMedkg+"agency/nhc")
	q := func(s, p, o quad.Value, l quad.IRI) quad.Quad {
		return quad.Quad{Subject: s, Predicate: p, Object: o, Label: l}
	}
	out := []quad.Quad{
		q(tibial, iri(iriRDFType), quad.IRI(nsMedkg+"Nerve"), v),
		q(tibial, iri(iriName), quad.String("胫神经"), v),
		q(tibial, iri(iriNameEn), quad.String("tibial nerve"), v),
		q(tibial, iri(iriAlias), quad.String("胫后神经"), v),
		q(tibial, iri(iriAliasEn), quad.String("posterior tibial nerve"), v),
		q(tibial, predicateIRI(medkg.BranchOf), sciatic, v),
		q(v, iri(iriVersion), quad.String("test-1"), v),
		q(d, iri(iriRDFType), iri(iriDocument), d),
		q(d, iri(iriSource), quad.String("/corpus/x.md"), d),
		q(d, iri(iriTitle), quad.String("标题"), d),
		q(d, iri(iriDate), quad.String("2021-07-31"), d),
		q(d, iri(iriURL), quad.String("https://example.org/x"), d),
		q(d, iri(iriAuthor), quad.String("作者"), d),
		q(d, iri(iriHash), quad.String("ab12"), d),
		q(d, iri(iriQuads), quad.Int(42), d),
		q(d, iri(iriSourceKind), quad.String("news"), d),
		q(d, iri(iriSourceFlag), quad.String("reprint"), d),
		q(d, iri(iriExtractor), quad.String("0011223344556677"), d),
		q(d, iri(iriActions), quad.Int(1), d),
		q(d, iri(iriMentions), tibial, d),
		q(proc, iri(iriRDFType), quad.IRI(nsMedkg+"Procedure"), d),
		q(proc, iri(iriName), quad.String("小腿神经离断瘦腿手术"), d),
		q(proc, predicateIRI(medkg.Cuts), tibial, d),
		q(nhc, predicateIRI(medkg.Bans), proc, d),
	}
	assert := func(n int, subj quad.IRI, p medkg.Predicate, obj quad.IRI, negated, hedged, claim, viaBranch bool) {
		a := assertionIRI(d, n)
		out = append(out,
			q(a, iri(iriRDFType), iri(iriAssertion), d),
			q(a, iri(iriSubject), subj, d),
			q(a, iri(iriPredicate), predicateIRI(p), d),
			q(a, iri(iriObject), obj, d),
			q(a, iri(iriNegated), quad.Bool(negated), d),
			q(a, iri(iriHedged), quad.Bool(hedged), d),
			q(a, iri(iriSentence), quad.Int(n), d),
			q(a, iri(iriEvidence), quad.String(fmt.Sprintf("第%d句。", n)), d),
			q(a, iri(iriInDoc), d, d))
		if claim {
			out = append(out, q(a, iri(iriClaim), quad.Bool(true), d))
		}
		if viaBranch {
			out = append(out, q(a, iri(iriViaBranch), quad.Bool(true), d))
		}
	}
	assert(0, nhc, medkg.Bans, proc, false, false, false, false)
	assert(1, proc, medkg.Cuts, tibial, false, false, false, false)
	assert(2, proc, medkg.Cuts, sciatic, true, false, false, false)
	assert(3, proc, medkg.Cuts, sciatic, false, true, true, false)
	assert(4, proc, medkg.Cuts, tibial, false, false, false, true)
	return out
}

// TestQueryIndexFormat fails when the entries the index keeps change
// without a new ixVersion: bump it (so that migrate rebuilds older
// indexes) and record the new digest in ixFormats.
func TestQueryIndexFormat(t *testing.T) {
	qs := formatQuads()
	var vocab, doc []quad.Quad
	for _, q := range qs {
		if q.Label == quad.Value(iri(iriVocabulary)) {
			vocab = append(vocab, q)
		} else {
			doc = append(doc, q)
		}
	}
	entries := ixEntries(ixSeq(0), vocab)
	for k, v := range ixEntries(ixSeq(1), doc) {
		entries[k] = v
	}
	var lines []string
	for _, k := range slices.Sorted(mapsKeysB(entries)) {
		lines = append(lines, strconv.Quote(k)+" "+hex.EncodeToString(entries[k]))
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	got := hex.EncodeToString(sum[:])[:16]
	want, ok := ixFormats[string(ixVersion)]
	if !ok || got != want {
		t.Errorf("the query index's entries for version %s have digest %s, pinned %q: the entry format changed. "+
			"Bump ixVersion so that `medkg migrate` rebuilds older indexes, and pin the new digest in ixFormats. Entries:\n%s",
			ixVersion, got, want, strings.Join(lines, "\n"))
	}
	// each flag of an assertion is in its entry
	for k, v := range entries {
		if !strings.HasPrefix(k, "a"+ixSep) {
			continue
		}
		var a assertion
		if err := decodeAssertion(v, &a); err != nil || !a.flagsKnown {
			t.Errorf("entry %q: %+v, %v; want every flag", k, a, err)
		}
	}
}

// branchDocs are documents with a relation to a nerve through one of its
// unnamed branches (via_branch, not hedged) and one only a claim states,
// as an older medkg stored them: no source kind, no extractor version.
func branchDocs(current bool) []*medkg.Document {
	a := &medkg.Document{
		Source: "/corpus/900_branch_ban.md", Title: "叫停肌支切断瘦腿术", Date: "2022-03-15",
		Hash: "ee00000000000000000000000000000000000000000000000000000000000001",
		Entities: []medkg.DocEntity{
			ent("agency:nhc", "国家卫生健康委员会"), ent("procedure:calf_nerve_transection", "小腿神经离断瘦腿手术"),
			ent("nerve:tibial", "胫神经"), ent("nerve:saphenous", "隐神经"),
		},
		Relations: []medkg.Relation{
			{Subject: "agency:nhc", Predicate: medkg.Bans, Object: "procedure:calf_nerve_transection", Sentence: 0, Evidence: "国家卫生健康委员会禁止开展小腿神经离断瘦腿手术。"},
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:tibial", ViaBranch: true, Sentence: 1, Evidence: "这种手术切断胫神经的肌支。"},
			{Subject: "procedure:calf_nerve_transection", Predicate: medkg.Cuts, Object: "nerve:saphenous", Hedged: true, Claim: true, Sentence: 2, Evidence: "有机构宣称该手术切断隐神经。"},
		},
		Actions: []medkg.Action{{Kind: medkg.ActionBan, Actor: "agency:nhc", ActorText: "国家卫生健康委员会", Target: "procedure:calf_nerve_transection",
			TargetText: "小腿神经离断瘦腿手术", TargetType: medkg.TargetProcedure, Conditions: []string{}, Jurisdiction: medkg.National,
			EffectiveDate: "2022-03-10", DateText: "本月10日", Cue: "禁止", Sentence: 0, Evidence: "国家卫生健康委员会禁止开展小腿神经离断瘦腿手术。"}},
	}
	docs := []*medkg.Document{a, muscleDoc()}
	if current {
		for _, d := range docs {
			d.SourceKind, d.SourceFlags, d.Extractor = medkg.SourceKind("news"), []string{}, "current"
		}
	}
	return docs
}

// markAnswers are answers, and those that carry the claim and via_branch marks.
func markAnswers(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := answers(t, s)
	for _, nerve := range []string{"nerve:tibial", "nerve:saphenous"} {
		ev, err := s.Evidence(ctx, "procedure:calf_nerve_transection", medkg.Cuts, nerve)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := s.Neighbors(ctx, nerve)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]any{"evidence cuts " + nerve: ev, "neighbors " + nerve: nb} {
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			out[k] = string(data)
		}
	}
	return out
}

// checkMarks checks that the via_branch and claim assertions answer
// marked, and neither as a positive edge.
func checkMarks(t *testing.T, what string, s *Store) {
	t.Helper()
	ctx := context.Background()
	for nerve, mark := range map[string]func(Evidence) bool{
		"nerve:tibial":    func(e Evidence) bool { return e.ViaBranch },
		"nerve:saphenous": func(e Evidence) bool { return e.Claim },
	} {
		ev, err := s.Evidence(ctx, "procedure:calf_nerve_transection", medkg.Cuts, nerve)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 || !mark(ev[0]) || ev[0].Support == nil || ev[0].Support.Documents != 0 {
			t.Errorf("%s: evidence of cuts %s = %+v, want one marked assertion, no document for the edge", what, nerve, ev)
		}
	}
}

// writeOldEntries rewrites the store's index as medkg wrote it before
// the claim and via_branch bits and the source fields of d entries: the
// entries version 1 held when it was read as current.
func writeOldEntries(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	x, err := s.openIxReader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ops []ixOp
	for _, kind := range []string{"a", "b", "p", "d"} {
		err = x.src.scan(ctx, []byte(kind+ixSep), func(k, v []byte) (bool, error) {
			if kind == "d" {
				var info DocInfo
				actions, err := decodeDoc(v[ixSeqWidth:], &info)
				if err != nil {
					return false, err
				}
				old := append(slices.Clone(v[:ixSeqWidth]), encodeDocBeforeActions(info)...)
				ops = append(ops, ixOp{key: string(k), val: binary.AppendUvarint(old, uint64(actions))})
				return true, nil
			}
			var a assertion
			if err := decodeAssertion(v, &a); err != nil {
				return false, err
			}
			ops = append(ops, ixOp{key: string(k), val: encodeAssertionBeforeBits(&a)})
			return true, nil
		})
		if err != nil {
			x.close()
			t.Fatal(err)
		}
	}
	x.close()
	if err := s.writeIxOps(ctx, ops); err != nil {
		t.Fatal(err)
	}
}

// encodeAssertionBeforeBits is an assertion entry as written before the
// claim and via_branch bits: negated and hedged only.
func encodeAssertionBeforeBits(a *assertion) []byte {
	var flags uint64
	if a.negated {
		flags |= 1
	}
	if a.hedged {
		flags |= 2
	}
	b := binary.AppendUvarint(nil, flags)
	b = binary.AppendVarint(b, int64(a.sentence))
	b = appendString(b, string(a.doc))
	return appendString(b, a.text)
}

// TestOldStoreReachesCurrentAnswers: a store an older medkg wrote — a
// query index of version 1 whose entries lack the claim and via_branch
// bits and the documents' source fields, documents without their source
// kind and extractor version — answers with the marks read-only (through
// the quads), refuses writes naming `medkg migrate`, and after Migrate
// has an index matching its quads (the marks kept) and lists every
// document as stale; re-extracting them (reindex) gives the answers of a
// store the current medkg wrote.
func TestOldStoreReachesCurrentAnswers(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			ref := MustOpenStore(t, Memstore)
			mustLoad(t, ref, branchDocs(true)...)
			want := markAnswers(t, ref)

			s, path := mustOpenStorePath(t, b)
			mustLoad(t, s, branchDocs(false)...)
			writeOldEntries(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			setIndexVersion(t, b, path, []byte("1"))

			ro, err := Open(ctx, Options{Path: path, Backend: b, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if ro.indexed() {
				t.Error("an index of version 1 is read as current")
			}
			checkMarks(t, "read-only, before migrate", ro)
			if err := ro.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(ctx, Options{Path: path, Backend: b}); medkg.ErrorCode(err) != medkg.EINVALID || !strings.Contains(err.Error(), "medkg migrate") {
				t.Fatalf("writable open: %v, want EINVALID naming medkg migrate", err)
			}

			res, err := Migrate(ctx, Options{Path: path, Backend: b})
			if err != nil || !res.Changed {
				t.Fatalf("Migrate = %+v, %v", res, err)
			}
			s, err = Open(ctx, Options{Path: path, Backend: b})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			checkIndex(t, s)
			checkMarks(t, "migrated", s)
			stale, err := s.StaleDocuments(ctx, "current")
			if err != nil || len(stale) != 2 {
				t.Fatalf("stale documents %+v, %v; want both", stale, err)
			}
			for _, d := range branchDocs(true) { // what reindex does with each
				if _, err := s.Ingest(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			checkIndex(t, s)
			if stale, err := s.StaleDocuments(ctx, "current"); err != nil || len(stale) != 0 {
				t.Errorf("stale documents after re-extraction %+v, %v", stale, err)
			}
			compareAnswers(t, "migrated and re-extracted", markAnswers(t, s), want)
		})
	}
}

// TestAssertionEntriesWithoutBits: an assertion entry without the claim
// and via_branch bits is read with its quads, hedged or not (a
// via_branch assertion is not hedged), so that it never answers as a
// positive edge.
func TestAssertionEntriesWithoutBits(t *testing.T) {
	for _, b := range []string{Bolt, Postgres} {
		t.Run(b, func(t *testing.T) {
			s := MustOpenStore(t, b)
			mustLoad(t, s, branchDocs(true)...)
			writeOldEntries(t, s)
			checkMarks(t, "entries without the bits", s)
		})
	}
}
