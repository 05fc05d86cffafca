package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// The schema: every IRI medkg writes. docs/schema.md describes it with
// examples; keep the two in step.
const (
	nsMedkg = "medkg:"

	iriRDFType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

	// Classes (objects of rdf:type).
	iriDocument   = nsMedkg + "Document"
	iriAssertion  = nsMedkg + "Assertion"
	iriVocabulary = nsMedkg + "vocabulary" // the vocabulary node and its quad label

	// Entity properties.
	iriName    = nsMedkg + "name"     // Chinese standard name
	iriNameEn  = nsMedkg + "name_en"  // English name
	iriAlias   = nsMedkg + "alias"    // Chinese alias, one quad each
	iriAliasEn = nsMedkg + "alias_en" // further English names
	iriCode    = nsMedkg + "code"     // external code SYSTEM:CODE
	iriPattern = nsMedkg + "pattern"  // true for entities recognised by pattern

	// Document properties.
	iriSource   = nsMedkg + "source"
	iriTitle    = nsMedkg + "title"
	iriDate     = nsMedkg + "date"
	iriURL      = nsMedkg + "url"
	iriAuthor   = nsMedkg + "author"
	iriHash     = nsMedkg + "hash"
	iriQuads    = nsMedkg + "quads"  // number of quads under the document label
	iriCounts   = nsMedkg + "counts" // JSON: what the document (or vocabulary) adds to stats
	iriMentions = nsMedkg + "mentions"
	// What kind of page the document is, its trust flags (one quad
	// each) and the version of the extractor that produced it.
	iriSourceKind = nsMedkg + "source_kind"
	iriSourceFlag = nsMedkg + "source_flag"
	iriExtractor  = nsMedkg + "extractor"

	// Assertion (reified relation) properties.
	iriSubject   = nsMedkg + "subject"
	iriPredicate = nsMedkg + "predicate"
	iriObject    = nsMedkg + "object"
	iriNegated   = nsMedkg + "negated"
	iriHedged    = nsMedkg + "hedged"
	iriSentence  = nsMedkg + "sentence"
	iriEvidence  = nsMedkg + "evidence"
	iriInDoc     = nsMedkg + "document"

	// Vocabulary node property.
	iriVersion = nsMedkg + "version"

	// Transient padding written around cayley's kv delta bug (see apply).
	iriPad     = nsMedkg + "pad"
	iriPadding = nsMedkg + "padding"

	entityPrefix = nsMedkg          // medkg:<type>/<name>
	docPrefix    = nsMedkg + "doc/" // medkg:doc/<16 hex of sha256(source)>
)

func iri(s string) quad.IRI { return quad.IRI(s) }

// predicateIRI is the IRI of a relation predicate: medkg:bans, medkg:cuts, …
func predicateIRI(p medkg.Predicate) quad.IRI { return quad.IRI(nsMedkg + string(p)) }

// predicateOf reverses predicateIRI; ok is false for anything that is not
// a relation predicate.
func predicateOf(v quad.Value) (medkg.Predicate, bool) {
	s, ok := v.(quad.IRI)
	if !ok || !strings.HasPrefix(string(s), nsMedkg) {
		return "", false
	}
	p := medkg.Predicate(strings.TrimPrefix(string(s), nsMedkg))
	if _, ok := medkg.Signatures[p]; !ok {
		return "", false
	}
	return p, true
}

// classIRI is the rdf:type object for an entity type: medkg:Nerve, …
func classIRI(t medkg.EntityType) quad.IRI {
	s := string(t)
	if s == "" {
		return quad.IRI(nsMedkg + "Entity")
	}
	return quad.IRI(nsMedkg + strings.ToUpper(s[:1]) + s[1:])
}

// entityIRI maps a vocabulary id "nerve:common_peroneal" to
// <medkg:nerve/common_peroneal>.
func entityIRI(id string) (quad.IRI, error) {
	typ, name, ok := strings.Cut(id, ":")
	if !ok || typ == "" || name == "" || !medkg.EntityType(typ).Valid() {
		return "", medkg.Errorf(medkg.EINVALID, "entity id %q is not of the form type:name with a known type", id)
	}
	return quad.IRI(entityPrefix + typ + "/" + name), nil
}

// entityID reverses entityIRI; ok is false if v is not an entity IRI.
func entityID(v quad.Value) (string, bool) {
	s, ok := v.(quad.IRI)
	if !ok || !strings.HasPrefix(string(s), entityPrefix) {
		return "", false
	}
	typ, name, ok := strings.Cut(strings.TrimPrefix(string(s), entityPrefix), "/")
	if !ok || name == "" || !medkg.EntityType(typ).Valid() {
		return "", false
	}
	return typ + ":" + name, true
}

// typeOfID is the entity type encoded in an id's prefix.
func typeOfID(id string) medkg.EntityType {
	typ, _, _ := strings.Cut(id, ":")
	return medkg.EntityType(typ)
}

// docIRI is derived from the document's identity, its Source, so that a
// changed document keeps its IRI and replaces its previous version.
func docIRI(source string) quad.IRI {
	sum := sha256.Sum256([]byte(source))
	return quad.IRI(docPrefix + hex.EncodeToString(sum[:8]))
}

// assertionIRI names the i-th relation of a document.
func assertionIRI(doc quad.IRI, i int) quad.IRI {
	return quad.IRI(fmt.Sprintf("%s/r/%d", string(doc), i))
}

func isDocIRI(v quad.Value) bool {
	s, ok := v.(quad.IRI)
	return ok && strings.HasPrefix(string(s), docPrefix) && !strings.Contains(strings.TrimPrefix(string(s), docPrefix), "/")
}

// Quad value helpers that tolerate a missing or differently typed value.

func valueString(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.String:
		return string(v)
	case quad.LangString:
		return string(v.Value)
	case quad.TypedString:
		return string(v.Value)
	case quad.IRI:
		return string(v)
	}
	return quad.StringOf(v)
}

func valueInt(v quad.Value) int {
	switch v := v.(type) {
	case quad.Int:
		return int(v)
	case quad.Float:
		return int(v)
	}
	return 0
}

func valueBool(v quad.Value) bool {
	b, ok := v.(quad.Bool)
	return ok && bool(b)
}
