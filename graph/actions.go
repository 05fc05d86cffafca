package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/medkg/medkg"
)

// Regulatory actions (medkg.Action) are nodes <DOC/a/N> of class
// medkg:Action under the document's label; docs/schema.md lists their
// properties. A document extracted with actions carries <medkg:actions>
// (their number, 0 included), so that a document ingested before actions
// existed is told apart from one that states none.
const (
	iriAction       = nsMedkg + "Action"
	iriActions      = nsMedkg + "actions" // document → number of actions
	iriKind         = nsMedkg + "kind"
	iriActor        = nsMedkg + "actor"      // action → agency or regulation
	iriActorName    = nsMedkg + "actor_name" // the actor as written
	iriActorNote    = nsMedkg + "actor_note"
	iriTarget       = nsMedkg + "target"      // action → procedure (or other entity)
	iriTargetName   = nsMedkg + "target_name" // the target as written or named
	iriTargetType   = nsMedkg + "target_type"
	iriScope        = nsMedkg + "scope"
	iriCondition    = nsMedkg + "condition" // one quad per condition
	iriJurisdiction = nsMedkg + "jurisdiction"
	iriEffective    = nsMedkg + "effective_date"
	iriDateText     = nsMedkg + "date_text"
	iriDateNote     = nsMedkg + "date_note"
	iriCue          = nsMedkg + "cue"

	// iriClaim marks an assertion only a claim or hearsay states (宣称):
	// it has no direct edge.
	iriClaim = nsMedkg + "claim"
	// iriViaBranch marks an assertion about the unnamed branch of its
	// object (切断胫神经的肌支): it has no direct edge.
	iriViaBranch = nsMedkg + "via_branch"
)

// actionIRI names the i-th action of a document.
func actionIRI(doc quad.IRI, i int) quad.IRI {
	return quad.IRI(fmt.Sprintf("%s/a/%d", string(doc), i))
}

// addActions writes a document's actions. A nil slice (a document built
// before actions were extracted) writes nothing, not even the count.
func (b *quadSet) addActions(d quad.IRI, as []medkg.Action) error {
	if as == nil {
		return nil
	}
	b.add(d, iri(iriActions), quad.Int(len(as)))
	for i, a := range as {
		if !a.Kind.Valid() {
			return medkg.Errorf(medkg.EINVALID, "action %d: unknown kind %q", i, a.Kind)
		}
		x := actionIRI(d, i)
		b.add(x, iri(iriRDFType), iri(iriAction))
		b.str(x, iri(iriKind), string(a.Kind))
		if a.Actor != "" {
			e, err := entityIRI(a.Actor)
			if err != nil {
				return fmt.Errorf("action %d: actor: %w", i, err)
			}
			b.typeOf(e)
			b.add(x, iri(iriActor), e)
		}
		b.str(x, iri(iriActorName), a.ActorText)
		b.str(x, iri(iriActorNote), a.ActorNote)
		if a.Target != "" {
			e, err := entityIRI(a.Target)
			if err != nil {
				return fmt.Errorf("action %d: target: %w", i, err)
			}
			b.typeOf(e)
			b.add(x, iri(iriTarget), e)
		}
		b.str(x, iri(iriTargetName), a.TargetText)
		b.str(x, iri(iriTargetType), a.TargetType)
		b.str(x, iri(iriScope), a.Scope)
		for _, c := range a.Conditions {
			b.str(x, iri(iriCondition), c)
		}
		j := a.Jurisdiction
		if j == "" {
			j = medkg.Unknown
		}
		b.str(x, iri(iriJurisdiction), string(j))
		b.str(x, iri(iriEffective), a.EffectiveDate)
		b.str(x, iri(iriDateText), a.DateText)
		b.str(x, iri(iriDateNote), a.DateNote)
		b.str(x, iri(iriCue), a.Cue)
		b.add(x, iri(iriSentence), quad.Int(a.Sentence))
		b.str(x, iri(iriEvidence), a.Evidence)
		b.add(x, iri(iriInDoc), d)
	}
	return nil
}

// ActionFilter selects the actions a ban question answers with.
type ActionFilter struct {
	Kinds         []medkg.ActionKind   // empty: ban and suspension
	Jurisdictions []medkg.Jurisdiction // empty: any
	Since         string               // YYYY, YYYY-MM or YYYY-MM-DD: actions in effect from then on; "" any
	// Actor, an entity id, keeps the actions of that body, of its
	// predecessors (succeeded_by, backwards) and of their units (part_of).
	Actor string
}

// BanningKinds are the kinds that answer "banned" by default.
var BanningKinds = []medkg.ActionKind{medkg.ActionBan, medkg.ActionSuspension}

// CheckSince validates a --since value.
func CheckSince(s string) error {
	if s == "" {
		return nil
	}
	ok := len(s) == 4 || len(s) == 7 || len(s) == 10
	for i, r := range s {
		switch {
		case i == 4 || i == 7:
			ok = ok && r == '-'
		default:
			ok = ok && r >= '0' && r <= '9'
		}
	}
	if !ok {
		return medkg.Errorf(medkg.EINVALID, "date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return nil
}

func (f ActionFilter) kinds() []medkg.ActionKind {
	if len(f.Kinds) == 0 {
		return BanningKinds
	}
	return f.Kinds
}

// keeps reports whether an action row passes the filter. With Since, an
// action without an effective date is left out (its date is unknown), and
// dates are compared at the precision both have (2021 passes --since
// 2021-06).
func (f ActionFilter) keeps(kind medkg.ActionKind, j medkg.Jurisdiction, effective string) bool {
	if !slices.Contains(f.kinds(), kind) {
		return false
	}
	if len(f.Jurisdictions) > 0 && !slices.Contains(f.Jurisdictions, j) {
		return false
	}
	if f.Since != "" {
		if effective == "" {
			return false
		}
		n := min(len(effective), len(f.Since))
		if effective[:n] < f.Since[:n] {
			return false
		}
	}
	return true
}

// storedAction is an action node as read back.
type storedAction struct {
	node                               quad.Value
	doc                                quad.IRI
	kind                               medkg.ActionKind
	actor, target                      quad.IRI
	actorName, actorNote               string
	targetName, targetType             string
	scope, jurisdiction                string
	effective, dateText, dateNote, cue string
	conditions                         []string
	sentence                           int
	text                               string
}

// allActions reads every action node.
func (r *reader) allActions() ([]*storedAction, error) {
	subjects, props, err := r.typedNodes(iri(iriAction))
	if err != nil {
		return nil, err
	}
	var out []*storedAction
	for _, x := range subjects {
		a := &storedAction{node: x}
		for _, p := range props[x] {
			switch p.Predicate {
			case quad.Value(iri(iriInDoc)):
				a.doc, _ = p.Object.(quad.IRI)
			case quad.Value(iri(iriKind)):
				a.kind = medkg.ActionKind(valueString(p.Object))
			case quad.Value(iri(iriActor)):
				a.actor, _ = p.Object.(quad.IRI)
			case quad.Value(iri(iriActorName)):
				a.actorName = valueString(p.Object)
			case quad.Value(iri(iriActorNote)):
				a.actorNote = valueString(p.Object)
			case quad.Value(iri(iriTarget)):
				a.target, _ = p.Object.(quad.IRI)
			case quad.Value(iri(iriTargetName)):
				a.targetName = valueString(p.Object)
			case quad.Value(iri(iriTargetType)):
				a.targetType = valueString(p.Object)
			case quad.Value(iri(iriScope)):
				a.scope = valueString(p.Object)
			case quad.Value(iri(iriCondition)):
				a.conditions = append(a.conditions, valueString(p.Object))
			case quad.Value(iri(iriJurisdiction)):
				a.jurisdiction = valueString(p.Object)
			case quad.Value(iri(iriEffective)):
				a.effective = valueString(p.Object)
			case quad.Value(iri(iriDateText)):
				a.dateText = valueString(p.Object)
			case quad.Value(iri(iriDateNote)):
				a.dateNote = valueString(p.Object)
			case quad.Value(iri(iriCue)):
				a.cue = valueString(p.Object)
			case quad.Value(iri(iriSentence)):
				a.sentence = valueInt(p.Object)
			case quad.Value(iri(iriEvidence)):
				a.text = valueString(p.Object)
			}
		}
		slices.Sort(a.conditions)
		out = append(out, a)
	}
	return out, nil
}

// typedNodes lists the nodes of class c (rdf:type) and every quad of
// each, by node. On PostgreSQL they are one statement on the query's own
// connection (typedReader); elsewhere cayley's: one scan of the class,
// one per node.
func (r *reader) typedNodes(c quad.IRI) ([]quad.Value, map[quad.Value][]quad.Quad, error) {
	if tr, ok := r.ix.typedReader(); ok && !r.previous {
		return tr.typedNodes(r.ctx, c)
	}
	return r.cayleyTypedNodes(c)
}

// cayleyTypedNodes is typedNodes through cayley.
func (r *reader) cayleyTypedNodes(c quad.IRI) ([]quad.Value, map[quad.Value][]quad.Quad, error) {
	typed, err := r.quadsWith(quad.Object, c)
	if err != nil {
		return nil, nil, err
	}
	var nodes []quad.Value
	props := map[quad.Value][]quad.Quad{}
	for _, q := range typed {
		if q.Predicate != quad.Value(iri(iriRDFType)) {
			continue
		}
		if _, ok := props[q.Subject]; ok {
			continue
		}
		qs, err := r.quadsWith(quad.Subject, q.Subject)
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, q.Subject)
		props[q.Subject] = qs
	}
	return nodes, props, nil
}

// hasActions reports whether a document was extracted with actions.
func (r *reader) hasActions(d quad.IRI, cache map[quad.IRI]bool) (bool, error) {
	if v, ok := cache[d]; ok {
		return v, nil
	}
	// The query index's d entry says, unless written before it did: the
	// evidence read it already.
	if r.ix != nil && !r.previous && isDocIRI(d) {
		if _, ok := r.docs[d]; !ok {
			if _, err := r.ixDoc(d); err != nil {
				return false, err
			}
		}
		if has, ok := r.docActions[d]; ok {
			cache[d] = has
			return has, nil
		}
	}
	props, err := r.quadsWith(quad.Subject, d)
	if err != nil {
		return false, err
	}
	has := docHasActions(props)
	cache[d] = has
	return has, nil
}

// actionEvidence is the evidence of a stored action.
func (r *reader) actionEvidence(a *storedAction) (Evidence, error) {
	d, err := r.doc(a.doc)
	if err != nil {
		return Evidence{}, err
	}
	sid, _ := entityID(a.actor)
	oid, _ := entityID(a.target)
	return Evidence{
		Subject: sid, Object: oid, Action: a.kind, Kind: FromDocument, Document: string(a.doc),
		Source: d.Source, Title: d.Title, URL: d.URL, Date: d.Date,
		Sentence: a.sentence, Text: a.text, SourceKind: kindOf(d), SourceFlags: d.SourceFlags,
	}, nil
}

// actionBans groups the actions on procedures that pass f into ban rows:
// one per (actor, procedure, kind, scope), with every document stating
// it. Documents ingested before actions were extracted contribute their
// positive bans assertions as bans of unknown jurisdiction and date.
func (r *reader) actionBans(f ActionFilter) ([]ban, error) {
	acts, err := r.allActions()
	if err != nil {
		return nil, err
	}
	type key struct {
		actor     string
		procedure quad.IRI
		kind      medkg.ActionKind
		scope     string
	}
	groups := map[key]*ban{}
	var order []key
	for _, a := range acts {
		if a.target == "" || typeOfIRI(a.target) != medkg.Procedure {
			continue
		}
		actor := string(a.actor)
		if actor == "" {
			actor = "name:" + a.actorName
		}
		k := key{actor, a.target, a.kind, a.scope}
		b, ok := groups[k]
		if !ok {
			b = &ban{banner: a.actor, procedure: a.target, kind: a.kind, scope: a.scope,
				actorName: a.actorName, actorNote: a.actorNote, jurisdiction: medkg.Jurisdiction(a.jurisdiction)}
			groups[k] = b
			order = append(order, k)
		}
		ev, err := r.actionEvidence(a)
		if err != nil {
			return nil, err
		}
		b.evidence = append(b.evidence, ev)
		b.dates = append(b.dates, actionDate{a.effective, a.dateText, a.dateNote, ev.Source})
		for _, c := range a.conditions {
			if !slices.Contains(b.conditions, c) {
				b.conditions = append(b.conditions, c)
			}
		}
	}
	legacy, err := r.legacyBans()
	if err != nil {
		return nil, err
	}
	var lineage map[quad.IRI]string
	if f.Actor != "" {
		x, err := entityIRI(f.Actor)
		if err != nil {
			return nil, err
		}
		if lineage, err = r.lineage(x); err != nil {
			return nil, err
		}
	}
	out := make([]ban, 0, len(order)+len(legacy))
	for _, k := range order {
		b := groups[k]
		b.resolveDate()
		out = append(out, *b)
	}
	out = append(out, legacy...)
	kept := out[:0]
	for _, b := range out {
		if lineage != nil {
			how, ok := lineage[b.banner]
			if !ok {
				continue
			}
			b.lineage = how
		}
		if f.keeps(b.kind, b.jurisdiction, b.effective) {
			sortEvidence(b.evidence, cmpEvidenceByDate)
			slices.Sort(b.conditions)
			kept = append(kept, b)
		}
	}
	return kept, nil
}

// actionDate is one document's date for an action.
type actionDate struct{ value, text, note, source string }

// resolveDate sets the row's effective date: the one its documents give;
// when they give different ones, the earliest, with a note naming the
// others (sources disagree).
func (b *ban) resolveDate() {
	var vals []string
	for _, d := range b.dates {
		if d.value != "" && !slices.Contains(vals, d.value) {
			vals = append(vals, d.value)
		}
	}
	// 2021, 2021-07 and 2021-07-26 agree: keep the most precise of dates
	// that are prefixes of another
	slices.SortFunc(vals, func(x, y string) int { return cmp.Compare(len(y), len(x)) })
	agreed := vals[:0]
	for _, v := range vals {
		coarser := false
		for _, w := range agreed {
			if strings.HasPrefix(w, v) {
				coarser = true
			}
		}
		if !coarser {
			agreed = append(agreed, v)
		}
	}
	vals = agreed
	slices.Sort(vals)
	for _, d := range b.dates {
		if len(vals) > 0 && d.value == vals[0] {
			b.effective, b.dateText, b.dateNote = d.value, d.text, d.note
			break
		}
	}
	if len(vals) == 0 {
		for _, d := range b.dates {
			if d.text != "" {
				b.dateText, b.dateNote = d.text, d.note
				break
			}
		}
	}
	if len(vals) > 1 {
		note := "sources disagree: also " + strings.Join(vals[1:], ", ")
		if b.dateNote != "" {
			note = b.dateNote + "; " + note
		}
		b.dateNote = note
	}
}

// legacyBans are the positive bans assertions of documents ingested
// before actions were extracted, read as bans.
func (r *reader) legacyBans() ([]ban, error) {
	old, err := r.bans()
	if err != nil {
		return nil, err
	}
	cache := map[quad.IRI]bool{}
	var out []ban
	for _, b := range old {
		var ev []Evidence
		for _, e := range b.evidence {
			has, err := r.hasActions(quad.IRI(e.Document), cache)
			if err != nil {
				return nil, err
			}
			if !has {
				ev = append(ev, e)
			}
		}
		if len(ev) == 0 {
			continue
		}
		b.evidence = ev
		b.kind = medkg.ActionBan
		b.jurisdiction = medkg.Unknown
		b.dateNote = "stated as a bans relation by a document ingested before actions were extracted"
		out = append(out, b)
	}
	return out, nil
}

// ExportedAction is a regulatory action in the json export.
type ExportedAction struct {
	ID            string             `json:"id"`
	Kind          medkg.ActionKind   `json:"kind"`
	Actor         string             `json:"actor,omitempty"` // entity id
	ActorName     string             `json:"actor_name,omitempty"`
	ActorNote     string             `json:"actor_note,omitempty"`
	Target        string             `json:"target,omitempty"` // entity id
	TargetName    string             `json:"target_name,omitempty"`
	TargetType    string             `json:"target_type,omitempty"`
	Scope         string             `json:"scope,omitempty"`
	Conditions    []string           `json:"conditions"`
	Jurisdiction  medkg.Jurisdiction `json:"jurisdiction"`
	EffectiveDate string             `json:"effective_date,omitempty"`
	DateText      string             `json:"date_text,omitempty"`
	DateNote      string             `json:"date_note,omitempty"`
	Evidence      Evidence           `json:"evidence"`
}

// exportActions lists the actions of the selection: those of the selected
// documents (none for the vocabulary scope); for a query's subgraph, those
// whose actor or target is one of its nodes.
func (s *Store) exportActions(ctx context.Context, sel Selection, g *EntityGraph) ([]ExportedAction, error) {
	out := []ExportedAction{}
	if sel.Scope == ScopeVocabulary {
		return out, nil
	}
	nodes := map[string]bool{}
	for _, n := range g.Nodes {
		nodes[n.ID] = true
	}
	err := s.read(ctx, func(r *reader) error {
		docs, err := r.selectDocs(Selection{Doc: sel.Doc})
		if err != nil {
			return err
		}
		acts, err := r.allActions()
		if err != nil {
			return err
		}
		for _, a := range acts {
			if docs != nil && !docs[a.doc] {
				continue
			}
			actor, _ := entityID(a.actor)
			target, _ := entityID(a.target)
			if sel.Query != "" && !nodes[actor] && !nodes[target] {
				continue
			}
			ev, err := r.actionEvidence(a)
			if err != nil {
				return err
			}
			c := a.conditions
			if c == nil {
				c = []string{}
			}
			out = append(out, ExportedAction{
				ID: string(a.node.(quad.IRI)), Kind: a.kind, Actor: actor, ActorName: a.actorName, ActorNote: a.actorNote,
				Target: target, TargetName: a.targetName, TargetType: a.targetType, Scope: a.scope, Conditions: c,
				Jurisdiction: medkg.Jurisdiction(a.jurisdiction), EffectiveDate: a.effective, DateText: a.dateText, DateNote: a.dateNote,
				Evidence: ev,
			})
		}
		return nil
	})
	slices.SortFunc(out, func(x, y ExportedAction) int {
		return cmp.Or(cmp.Compare(x.Evidence.Source, y.Evidence.Source), cmp.Compare(x.Evidence.Sentence, y.Evidence.Sentence), cmp.Compare(x.ID, y.ID))
	})
	return out, err
}

// lineage is a body and those whose actions count as its own: its
// predecessors (A succeeded_by B: a question about B includes A) and the
// units of each (part_of), with how each relates ("" for the body itself).
func (r *reader) lineage(x quad.IRI) (map[quad.IRI]string, error) {
	out := map[quad.IRI]string{x: ""}
	queue := []quad.IRI{x}
	for len(queue) > 0 {
		y := queue[0]
		queue = queue[1:]
		in, err := r.edgesTo(y)
		if err != nil {
			return nil, err
		}
		name, err := r.entity(y)
		if err != nil {
			return nil, err
		}
		for _, q := range in {
			p, ok := predicateOf(q.Predicate)
			z, isIRI := q.Subject.(quad.IRI)
			if !ok || !isIRI {
				continue
			}
			if _, seen := out[z]; seen {
				continue
			}
			switch p {
			case medkg.SucceededBy:
				out[z] = "predecessor of " + name.Name
			case medkg.PartOf:
				out[z] = "part of " + name.Name
			default:
				continue
			}
			if out[y] != "" {
				out[z] += ", " + out[y]
			}
			queue = append(queue, z)
		}
	}
	return out, nil
}
