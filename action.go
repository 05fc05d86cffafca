package medkg

// ActionKind is the kind of a regulatory action.
type ActionKind string

// Action kinds. Only Ban and Suspension answer "banned" (see Banning);
// a penalty on one institution or a public warning is never a ban.
const (
	ActionBan                ActionKind = "ban"                 // prohibits a procedure outright (禁止, 不得开展)
	ActionSuspension         ActionKind = "suspension"          // halts it for now (暂停, 暂缓)
	ActionRestriction        ActionKind = "restriction"         // limits its use (限制, 仅限, 须备案)
	ActionApprovalWithdrawal ActionKind = "approval_withdrawal" // withdraws an approval or listing (撤销, 注销)
	ActionPenalty            ActionKind = "penalty"             // punishes a named institution or person (罚款, 没收)
	ActionWarning            ActionKind = "warning"             // a public warning (提醒, 警示)
	ActionAdvertisingBan     ActionKind = "advertising_ban"     // forbids advertising (不得发布…广告)
)

// ActionKinds lists every action kind in a stable order.
var ActionKinds = []ActionKind{
	ActionBan, ActionSuspension, ActionRestriction, ActionApprovalWithdrawal,
	ActionPenalty, ActionWarning, ActionAdvertisingBan,
}

// Valid reports whether k is one of ActionKinds.
func (k ActionKind) Valid() bool {
	for _, x := range ActionKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Banning reports whether an action of kind k answers "is it banned":
// bans and suspensions, national or local.
func (k ActionKind) Banning() bool { return k == ActionBan || k == ActionSuspension }

// Jurisdiction is the level of the body acting, read from its name.
type Jurisdiction string

// Jurisdictions, from the widest.
const (
	National   Jurisdiction = "national"
	Provincial Jurisdiction = "provincial"
	City       Jurisdiction = "city"
	District   Jurisdiction = "district"
	Unknown    Jurisdiction = "unknown"
)

// Jurisdictions lists every jurisdiction in a stable order.
var Jurisdictions = []Jurisdiction{National, Provincial, City, District, Unknown}

// Valid reports whether j is one of Jurisdictions.
func (j Jurisdiction) Valid() bool {
	for _, x := range Jurisdictions {
		if j == x {
			return true
		}
	}
	return false
}

// Target types of an action.
const (
	TargetProcedure   = "procedure"   // a procedure or technology
	TargetInstitution = "institution" // a clinic, hospital or company (penalties)
	TargetPerson      = "person"      // a person (penalties)
	TargetProduct     = "product"     // a drug, device or product
	TargetAdvertising = "advertising" // advertising of something
)

// Action is one statement of a regulatory action: who (Actor) does what
// (Kind) to what (Target), for which indication or population (Scope),
// under which conditions, where (Jurisdiction) and from when.
//
// Actor is the id of the agency or regulation acting, or empty when the
// statement names none (ActorNote then says so): an action is never
// attributed to the nearest agency. EffectiveDate is resolved from the
// text (YYYY-MM-DD, YYYY-MM or YYYY) against the dates it gives and the
// article's date; DateText is the date as written; when a date is written
// but cannot be resolved, or is a range, EffectiveDate is empty and
// DateNote says why. The article's own date is Document.Date, kept apart.
type Action struct {
	Kind          ActionKind   `json:"kind"`
	Actor         string       `json:"actor,omitempty"`
	ActorText     string       `json:"actor_text,omitempty"`
	ActorNote     string       `json:"actor_note,omitempty"`
	Target        string       `json:"target,omitempty"` // entity id, when the target is a known entity
	TargetText    string       `json:"target_text"`
	TargetType    string       `json:"target_type"`
	Scope         string       `json:"scope,omitempty"`
	Conditions    []string     `json:"conditions"`
	Jurisdiction  Jurisdiction `json:"jurisdiction"`
	EffectiveDate string       `json:"effective_date,omitempty"`
	DateText      string       `json:"date_text,omitempty"`
	DateNote      string       `json:"date_note,omitempty"`
	Cue           string       `json:"cue"` // the word that states the action
	Sentence      int          `json:"sentence"`
	Start         int          `json:"start"` // rune span of the statement in the normalised text
	End           int          `json:"end"`
	Evidence      string       `json:"evidence"`
}
