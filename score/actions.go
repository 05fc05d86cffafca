package score

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/medkg/medkg"
)

// ActionGold is one annotation file of regulatory actions, in the format
// of /work/annot/actions/BRIEF.md: the actions a text states and the
// statements that look like actions but are not (claims, calls, plans).
// Gold kept for third-party texts stores evidence as rune spans into the
// text file (EvidenceSpan), never the text itself.
type ActionGold struct {
	Actions    []GoldAction    `json:"actions"`
	NotActions []GoldNotAction `json:"not_actions"`
}

// GoldAction is one annotated action.
type GoldAction struct {
	Kind          string   `json:"kind"`
	Actor         *string  `json:"actor"`
	ActorText     *string  `json:"actor_text"`
	Target        string   `json:"target"`
	TargetType    string   `json:"target_type"`
	Scope         *string  `json:"scope"`
	Conditions    []string `json:"conditions"`
	Jurisdiction  string   `json:"jurisdiction"`
	EffectiveDate *string  `json:"effective_date"`
	DateText      *string  `json:"date_text"`
	Evidence      string   `json:"evidence,omitempty"`
	EvidenceSpan  []int    `json:"evidence_span,omitempty"`
	Optional      bool     `json:"optional,omitempty"`
	Note          string   `json:"note,omitempty"`
}

// GoldNotAction is a statement the annotator judged not to be an action.
type GoldNotAction struct {
	Evidence     string `json:"evidence,omitempty"`
	EvidenceSpan []int  `json:"evidence_span,omitempty"`
	Note         string `json:"note,omitempty"`
}

// LoadActionGold reads and checks an action annotation file: known kinds
// and jurisdictions, evidence or a span for each action.
func LoadActionGold(path string) (*ActionGold, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g ActionGold
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, a := range g.Actions {
		if !medkg.ActionKind(a.Kind).Valid() {
			return nil, fmt.Errorf("%s: action %d: unknown kind %q", path, i, a.Kind)
		}
		if a.Jurisdiction != "" && !medkg.Jurisdiction(a.Jurisdiction).Valid() {
			return nil, fmt.Errorf("%s: action %d: unknown jurisdiction %q", path, i, a.Jurisdiction)
		}
		if a.Evidence == "" && len(a.EvidenceSpan) != 2 {
			return nil, fmt.Errorf("%s: action %d: no evidence and no evidence_span", path, i)
		}
	}
	return &g, nil
}

// fillActionEvidence fills evidence kept as rune spans into the article
// file; a span that does not fit the file is an error (the file changed).
func fillActionEvidence(g *ActionGold, article string) error {
	data, err := os.ReadFile(article)
	if err != nil {
		return err
	}
	raw := []rune(string(data))
	fill := func(ev *string, span []int, what string) error {
		if *ev != "" || len(span) != 2 {
			return nil
		}
		if span[0] < 0 || span[1] > len(raw) || span[0] >= span[1] {
			return fmt.Errorf("%s: %s span %v does not fit the file (%d runes)", article, what, span, len(raw))
		}
		*ev = string(raw[span[0]:span[1]])
		return nil
	}
	for i := range g.Actions {
		if err := fill(&g.Actions[i].Evidence, g.Actions[i].EvidenceSpan, fmt.Sprintf("action %d", i)); err != nil {
			return err
		}
	}
	for i := range g.NotActions {
		if err := fill(&g.NotActions[i].Evidence, g.NotActions[i].EvidenceSpan, fmt.Sprintf("not_action %d", i)); err != nil {
			return err
		}
	}
	return nil
}

// ActionResult is the score of extracted actions against gold.
type ActionResult struct {
	Docs    int    `json:"docs"`
	Actions Counts `json:"actions"` // matched / predicted / gold (optional gold neither rewards nor punishes)
	// Kind: matched actions whose kind agrees; Dated: matched actions
	// whose gold gives an effective date, DateRight those the extractor
	// resolved to the same date; Undated: matched actions whose gold
	// gives none, DateExtra those the extractor gave one anyway (resolved
	// from what the annotator did not take as a date: an article's date,
	// a heading).
	Matched    int               `json:"matched"`
	KindRight  int               `json:"kind_right"`
	Dated      int               `json:"dated"`
	DateRight  int               `json:"date_right"`
	Undated    int               `json:"undated"`
	DateExtra  int               `json:"date_extra"`
	ActorRight int               `json:"actor_right"` // matched actions whose actor agrees (none with none)
	JurisRight int               `json:"juris_right"` // matched actions whose jurisdiction agrees
	ByKind     map[string]Counts `json:"by_kind"`     // detection by gold (FN) and predicted (FP) kind; TP by gold kind
	Confusions []string          `json:"confusions"`  // "gold→predicted: evidence" for kind disagreements
	DateErrors []string          `json:"date_errors"`
	DateExtras []string          `json:"date_extras"` // "doc: got DATE (text; note): evidence" for each DateExtra
	Errors     []Error           `json:"errors"`
}

// NewActionResult returns an empty result.
func NewActionResult() *ActionResult {
	return &ActionResult{ByKind: map[string]Counts{}, Confusions: []string{}, DateErrors: []string{}, DateExtras: []string{}, Errors: []Error{}}
}

// KindAccuracy is the share of matched actions whose kind agrees.
func (r *ActionResult) KindAccuracy() float64 { return ratio(r.KindRight, r.Matched) }

// DateAccuracy is the share of matched actions with a gold date whose
// effective date the extractor resolved to the same value.
func (r *ActionResult) DateAccuracy() float64 { return ratio(r.DateRight, r.Dated) }

// Add merges o into r.
func (r *ActionResult) Add(o *ActionResult) {
	r.Docs += o.Docs
	r.Actions.Add(o.Actions)
	r.Matched += o.Matched
	r.KindRight += o.KindRight
	r.Dated += o.Dated
	r.DateRight += o.DateRight
	r.Undated += o.Undated
	r.DateExtra += o.DateExtra
	r.ActorRight += o.ActorRight
	r.JurisRight += o.JurisRight
	for k, v := range o.ByKind {
		c := r.ByKind[k]
		c.Add(v)
		r.ByKind[k] = c
	}
	r.Confusions = append(r.Confusions, o.Confusions...)
	r.DateErrors = append(r.DateErrors, o.DateErrors...)
	r.DateExtras = append(r.DateExtras, o.DateExtras...)
	r.Errors = append(r.Errors, o.Errors...)
}

// foldKey keeps the letters and digits of s, full-width folded, for
// comparing evidence read from a file with sentences of the normalised
// text.
func foldKey(s string) []rune {
	var out []rune
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToLower(r))
		}
	}
	return out
}

// overlaps reports whether two evidence texts are about the same
// statement: one holds the other, or they share a run of 10 characters.
func overlaps(a, b []rune) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if strings.Contains(string(a), string(b)) || strings.Contains(string(b), string(a)) {
		return true
	}
	need := min(10, len(a), len(b))
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] >= need {
					return true
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return false
}

// agree reports whether two names refer to the same thing, loosely: one
// holds the other once folded.
func agree(a, b string) bool {
	ka, kb := string(foldKey(a)), string(foldKey(b))
	return ka != "" && kb != "" && (strings.Contains(ka, kb) || strings.Contains(kb, ka))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ScoreActions scores a document's actions against its gold. An
// extracted action matches a gold action when their evidence is about
// the same statement; among those, one with the same target, then the
// same actor, is preferred. The kind is never used to match, so that
// kind accuracy measures it.
func ScoreActions(name string, doc *medkg.Document, g *ActionGold) *ActionResult {
	res := NewActionResult()
	res.Docs = 1
	type pair struct{ gi, pi, score int }
	var pairs []pair
	for gi, ga := range g.Actions {
		gk := foldKey(ga.Evidence)
		for pi, pa := range doc.Actions {
			if !overlaps(gk, foldKey(pa.Evidence)) {
				continue
			}
			sc := 0
			if agree(ga.Target, pa.TargetText) {
				sc += 4
			}
			actor := pa.ActorText
			if agree(deref(ga.ActorText), actor) || agree(deref(ga.Actor), actor) || (ga.Actor == nil && actor == "") {
				sc += 2
			}
			if deref(ga.DateText) != "" && agree(deref(ga.DateText), pa.DateText) {
				sc++
			}
			pairs = append(pairs, pair{gi, pi, sc})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].score > pairs[j].score })
	gUsed, pUsed := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if gUsed[p.gi] || pUsed[p.pi] {
			continue
		}
		gUsed[p.gi], pUsed[p.pi] = true, true
		ga, pa := g.Actions[p.gi], doc.Actions[p.pi]
		if ga.Optional {
			continue // neither rewarded nor punished
		}
		res.Actions.TP++
		res.Matched++
		c := res.ByKind[ga.Kind]
		c.TP++
		res.ByKind[ga.Kind] = c
		if string(pa.Kind) == ga.Kind {
			res.KindRight++
		} else {
			res.Confusions = append(res.Confusions, fmt.Sprintf("%s: %s→%s: %s", name, ga.Kind, pa.Kind, pa.Evidence))
		}
		if (ga.Actor == nil && pa.Actor == "" && pa.ActorText == "") || (ga.Actor != nil && (agree(*ga.Actor, pa.ActorText) || agree(deref(ga.ActorText), pa.ActorText))) {
			res.ActorRight++
		}
		if ga.Jurisdiction == string(pa.Jurisdiction) {
			res.JurisRight++
		}
		if d := deref(ga.EffectiveDate); d != "" {
			res.Dated++
			if pa.EffectiveDate == d {
				res.DateRight++
			} else {
				res.DateErrors = append(res.DateErrors, fmt.Sprintf("%s: gold %s (%s), got %q (%s; %s): %s", name, d, deref(ga.DateText), pa.EffectiveDate, pa.DateText, pa.DateNote, pa.Evidence))
			}
		} else {
			res.Undated++
			if pa.EffectiveDate != "" {
				res.DateExtra++
				res.DateExtras = append(res.DateExtras, fmt.Sprintf("%s: gold none (%s), got %s (%s; %s): %s", name, deref(ga.DateText), pa.EffectiveDate, pa.DateText, pa.DateNote, pa.Evidence))
			}
		}
	}
	for gi, ga := range g.Actions {
		if !gUsed[gi] && !ga.Optional {
			res.Actions.FN++
			c := res.ByKind[ga.Kind]
			c.FN++
			res.ByKind[ga.Kind] = c
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "action", Miss: true, Type: ga.Kind, Text: deref(ga.Actor) + " → " + ga.Target, Evidence: ga.Evidence})
		}
	}
	for pi, pa := range doc.Actions {
		if !pUsed[pi] {
			res.Actions.FP++
			c := res.ByKind[string(pa.Kind)]
			c.FP++
			res.ByKind[string(pa.Kind)] = c
			res.Errors = append(res.Errors, Error{Doc: name, Kind: "action", Type: string(pa.Kind), Text: pa.ActorText + " → " + pa.TargetText, Evidence: pa.Evidence})
		}
	}
	return res
}

// RunActions extracts and scores every case's actions, micro-averaged.
func RunActions(ctx context.Context, cases []Case, x Extractor) (*ActionResult, error) {
	total := NewActionResult()
	for _, c := range cases {
		g, err := LoadActionGold(c.Gold)
		if err != nil {
			return nil, err
		}
		if err := fillActionEvidence(g, c.Article); err != nil {
			return nil, err
		}
		doc, err := x(ctx, c.Article)
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", c.Article, err)
		}
		total.Add(ScoreActions(c.Name, doc, g))
	}
	return total, nil
}
