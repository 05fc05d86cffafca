// Package medkg holds the domain types shared by the vocabulary, the
// extractor, the graph and the CLI: entities, mentions, relations,
// documents, and the error codes that the CLI maps to exit statuses.
//
// It depends on the standard library only, so every other package can
// import it without pulling in gse, cayley or cobra.
package medkg

import (
	"errors"
	"fmt"
)

// EntityType is the kind of thing an entity is.
type EntityType string

// Entity types. The first seven are the annotated kinds; Drug and Exam are
// kept in the vocabulary so that their names are segmented as units, but
// they are never subjects or objects of the typed predicates.
const (
	Nerve      EntityType = "nerve"
	Muscle     EntityType = "muscle"
	Anatomy    EntityType = "anatomy"
	Procedure  EntityType = "procedure"
	Condition  EntityType = "condition"
	Agency     EntityType = "agency"
	Regulation EntityType = "regulation"
	Drug       EntityType = "drug"
	Exam       EntityType = "exam"
)

// EntityTypes lists every entity type in a stable order.
var EntityTypes = []EntityType{Nerve, Muscle, Anatomy, Procedure, Condition, Agency, Regulation, Drug, Exam}

// Valid reports whether t is one of EntityTypes.
func (t EntityType) Valid() bool {
	for _, x := range EntityTypes {
		if t == x {
			return true
		}
	}
	return false
}

// Predicate is the type of a relation between two entities.
type Predicate string

// Predicates extracted from text and curated in the vocabulary.
const (
	Bans        Predicate = "bans"         // agency or regulation → procedure
	Cuts        Predicate = "cuts"         // procedure → nerve
	Targets     Predicate = "targets"      // procedure → nerve, muscle or anatomy
	Innervates  Predicate = "innervates"   // nerve → muscle
	BranchOf    Predicate = "branch_of"    // nerve → nerve
	Treats      Predicate = "treats"       // procedure → condition
	Affects     Predicate = "affects"      // condition → nerve, muscle or anatomy
	Causes      Predicate = "causes"       // procedure or condition → condition
	IssuedBy    Predicate = "issued_by"    // regulation → agency
	PartOf      Predicate = "part_of"      // anatomy/muscle/nerve → same kind; agency → agency
	SucceededBy Predicate = "succeeded_by" // agency → agency
	CoOccurs    Predicate = "co_occurs"    // weak: two entities in one sentence, no cue
)

// Signature is the domain and range of a predicate.
type Signature struct {
	Subject []EntityType
	Object  []EntityType
}

// Signatures gives, for every predicate, the entity types allowed as its
// subject and object. CoOccurs accepts any pair.
var Signatures = map[Predicate]Signature{
	Bans:        {[]EntityType{Agency, Regulation}, []EntityType{Procedure}},
	Cuts:        {[]EntityType{Procedure}, []EntityType{Nerve}},
	Targets:     {[]EntityType{Procedure}, []EntityType{Nerve, Muscle, Anatomy}},
	Innervates:  {[]EntityType{Nerve}, []EntityType{Muscle}},
	BranchOf:    {[]EntityType{Nerve}, []EntityType{Nerve}},
	Treats:      {[]EntityType{Procedure}, []EntityType{Condition}},
	Affects:     {[]EntityType{Condition}, []EntityType{Nerve, Muscle, Anatomy}},
	Causes:      {[]EntityType{Procedure, Condition}, []EntityType{Condition}},
	IssuedBy:    {[]EntityType{Regulation}, []EntityType{Agency}},
	PartOf:      {[]EntityType{Anatomy, Muscle, Nerve, Agency}, []EntityType{Anatomy, Muscle, Nerve, Agency}},
	SucceededBy: {[]EntityType{Agency}, []EntityType{Agency}},
	CoOccurs:    {EntityTypes, EntityTypes},
}

// Allows reports whether subj -p-> obj respects the predicate's signature.
// PartOf additionally requires both ends to be of the same broad kind
// (agency with agency, body part with body part).
func (p Predicate) Allows(subj, obj EntityType) bool {
	sig, ok := Signatures[p]
	if !ok {
		return false
	}
	if !contains(sig.Subject, subj) || !contains(sig.Object, obj) {
		return false
	}
	if p == PartOf && (subj == Agency) != (obj == Agency) {
		return false
	}
	return true
}

func contains(ts []EntityType, t EntityType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// Entity is a thing the graph knows: a vocabulary entry, or an agency or
// regulation recognised by pattern (Pattern is then true).
type Entity struct {
	ID      string     `json:"id"`
	Type    EntityType `json:"type"`
	Name    string     `json:"name"`
	NameEn  string     `json:"name_en"`
	Aliases []string   `json:"aliases"`
	Codes   []string   `json:"codes,omitempty"`
	Pattern bool       `json:"pattern,omitempty"`
	// Derived is set on a name built from parts the vocabulary knows
	// (尺神经松解术 from 尺神经, 颅底骨折 from 颅底); Parts are their ids.
	Derived bool     `json:"derived,omitempty"`
	Parts   []string `json:"parts,omitempty"`
}

// Mention is one occurrence of an entity in a document. Start and End are
// rune offsets into the document's normalised text (End exclusive);
// Sentence is the 0-based index of the sentence holding it.
type Mention struct {
	Text     string `json:"text"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Sentence int    `json:"sentence"`
}

// DocEntity is an entity together with its mentions in one document.
type DocEntity struct {
	Entity
	Mentions []Mention `json:"mentions"`
}

// Relation is a typed edge asserted (or denied) by a sentence.
type Relation struct {
	Subject   string    `json:"subject"`
	Predicate Predicate `json:"predicate"`
	Object    string    `json:"object"`
	Negated   bool      `json:"negated"`
	Hedged    bool      `json:"hedged"`
	// Claim is set on a hedged relation only a claim or hearsay states
	// (宣称, 号称, 网传): stored as a claim, never as a positive edge.
	Claim bool `json:"claim,omitempty"`
	// ViaBranch is set when the sentence names the object only as the
	// owner of an unnamed branch (切断胫神经的肌支): the branch is acted
	// on, not the nerve itself, so it is no positive edge.
	ViaBranch bool   `json:"via_branch,omitempty"`
	Sentence  int    `json:"sentence"`
	Evidence  string `json:"evidence"`
}

// Document is an extracted article: its metadata, normalised text,
// sentences, entities and relations.
type Document struct {
	Source    string      `json:"source"`
	Title     string      `json:"title"`
	Date      string      `json:"date"`
	URL       string      `json:"url"`
	Author    string      `json:"author,omitempty"`
	Hash      string      `json:"hash,omitempty"` // sha256 of the raw input, hex
	Text      string      `json:"-"`
	Sentences []Sentence  `json:"-"`
	Entities  []DocEntity `json:"entities"`
	Relations []Relation  `json:"relations"`
	// Actions are the regulatory actions the document states (see Action).
	// Date above stays the article's date; an action carries its own.
	Actions []Action `json:"actions"`
	// SourceKind is what kind of page the document is, and SourceFlags
	// what else it shows about its trust (advertising, a third-party
	// disclaimer, a reprint): read from its metadata and text.
	SourceKind  SourceKind `json:"source_kind,omitempty"`
	SourceFlags []string   `json:"source_flags,omitempty"`
	// Extractor identifies the vocabulary and extraction rules that
	// produced the document (a hash): a document whose Extractor differs
	// from the current one is stale. Not part of the extraction's
	// output, so that golden files do not change with every rule.
	Extractor string `json:"-"`
}

// SourceKind is the kind of page a document is, which says how much its
// statements weigh: a regulator's notice is not a clinic's advert.
type SourceKind string

// Source kinds.
const (
	SourceRegulation SourceKind = "regulation" // a regulation or government notice
	SourceJournal    SourceKind = "journal"    // a journal article or case report
	SourceNews       SourceKind = "news"       // a news report
	SourceHospital   SourceKind = "hospital"   // a hospital or health-education page
	SourceClinic     SourceKind = "clinic"     // a (cosmetic) clinic's page
	SourceUnknown    SourceKind = "unknown"    // no cue decided
)

// SourceKinds lists the source kinds from the most to the least
// authoritative, unknown last.
var SourceKinds = []SourceKind{SourceRegulation, SourceJournal, SourceNews, SourceHospital, SourceClinic, SourceUnknown}

// Valid reports whether k is one of SourceKinds.
func (k SourceKind) Valid() bool {
	for _, x := range SourceKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Source flags: what a page shows about its trust besides its kind.
const (
	FlagAdvertising = "advertising" // prices, consultation lines, offers
	FlagDisclaimer  = "disclaimer"  // 本文仅供参考, 不构成医疗建议
	FlagReprint     = "reprint"     // 转载…版权归原作者: a third party's text
)

// SourceFlags lists the source flags.
var SourceFlags = []string{FlagAdvertising, FlagDisclaimer, FlagReprint}

// Sentence is a span of the normalised text, in rune offsets.
type Sentence struct {
	Start int
	End   int
	Text  string
}

// Error codes. The CLI maps each to an exit status in one place.
const (
	EINVALID  = "invalid"  // bad input or arguments
	ENOTFOUND = "notfound" // a named thing does not exist
	ELOCKED   = "locked"   // the store is held by another process
	ETIMEOUT  = "timeout"  // a query ran past its deadline
	EPARTIAL  = "partial"  // some inputs failed, the rest succeeded
	EINTERNAL = "internal" // a bug or an unexpected failure
)

// Error is an application error carrying a code and a message meant for
// the user. Wrap it with fmt.Errorf("…: %w", err) to add context.
type Error struct {
	Code    string
	Message string
	Err     error // optional cause
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}
