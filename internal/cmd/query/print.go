package query

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdutil"
)

// name shows an entity by its Chinese name, or its id when it has none.
func name(e graph.EntityRef) string {
	if e.Name != "" {
		return e.Name
	}
	return e.ID
}

func namePtr(e *graph.EntityRef) string {
	if e == nil {
		return "-"
	}
	return name(*e)
}

// source shows where a piece of evidence comes from: on a terminal the
// file name and sentence number, piped the full source. Sentences are
// numbered from 0, as in JSON ("sentence") and medkg extract: one
// convention everywhere.
func source(ev graph.Evidence, tty bool) string {
	if ev.Kind == graph.FromVocabulary {
		return "vocabulary"
	}
	s := ev.Source
	if tty && filepath.IsAbs(s) {
		s = filepath.Base(s)
	}
	return fmt.Sprintf("%s#%d", s, ev.Sentence)
}

// newTable returns a table printer honouring --wide.
func newTable(opts *QueryOptions) *cmdutil.TablePrinter {
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.SetWide(opts.Wide)
	return tp
}

func flags(ev graph.Evidence) string {
	var f []string
	if ev.Negated {
		f = append(f, "negated")
	}
	if ev.Hedged {
		f = append(f, "hedged")
	}
	if ev.Claim {
		f = append(f, "claim")
	}
	if ev.ViaBranch {
		f = append(f, "via_branch")
	}
	return strings.Join(f, ",")
}

// evidenceCell is one piece of evidence in a table cell.
func evidenceCell(ev graph.Evidence, tty bool) string {
	s := source(ev, tty)
	if f := flags(ev); f != "" {
		s += " [" + f + "]"
	}
	if ev.Text != "" {
		s += " " + ev.Text
	}
	return s
}

// empty tells on stderr that a query had no answer, so that an empty
// table is not mistaken for a failure.
func empty(opts *QueryOptions, what string) error {
	_, err := fmt.Fprintf(opts.IO.ErrOut, "no %s in the graph\n", what)
	return err
}

func printBannedNerves(opts *QueryOptions, q app.Query, rows []graph.BannedNerve) error {
	if len(rows) == 0 {
		return empty(opts, "nerve related to a banned procedure")
	}
	tty := opts.IO.IsStdoutTTY()
	tp := newTable(opts)
	tp.Header(q.Columns...)
	for _, r := range rows {
		through := namePtr(r.Through)
		if r.Via != nil {
			through += " via " + name(*r.Via)
		}
		key := append([]string{name(r.Nerve), r.Relation, through, name(r.Procedure)}, actionCells(r.Banner, r.Action)...)
		tp.AddRow(append(key, string(r.Kind)+": "+firstEvidence(r.BanEvidence, tty))...)
		// Further lines: the row's support (the table has no room for a
		// column), the other documents stating the ban, then the sources
		// for the procedure→nerve link and any denial of it. On a
		// terminal they continue the row; piped, each line repeats the
		// row's fields so that every line stands alone.
		if tty {
			key = make([]string, len(key))
		}
		tp.AddRow(append(slices.Clone(key), "support: "+supportCell(r.Support))...)
		for _, ev := range rest(r.BanEvidence) {
			tp.AddRow(append(slices.Clone(key), string(r.Kind)+": "+evidenceCell(ev, tty))...)
		}
		for _, ev := range r.LinkEvidence {
			tp.AddRow(append(slices.Clone(key), "link: "+evidenceCell(ev, tty))...)
		}
		for _, e := range r.Edges {
			for _, ev := range denied(e.Support) {
				tp.AddRow(append(slices.Clone(key), "denied: "+evidenceCell(ev, tty))...)
			}
		}
	}
	return tp.Render()
}

// supportCell shows a support: the number of documents asserting the
// fact and their source kinds (2 regulation,news), "vocabulary" for a
// curated fact, the claims besides, and CONTESTED when a document
// denies what another source asserts.
func supportCell(s graph.Support) string {
	var kinds []string
	for _, k := range medkg.SourceKinds {
		if n := s.Kinds[k]; n > 0 {
			kinds = append(kinds, string(k))
		}
	}
	out := strconv.Itoa(s.Documents)
	if len(kinds) > 0 {
		out += " " + strings.Join(kinds, ",")
	}
	if s.Vocabulary {
		out = "vocabulary"
		if s.Documents > 0 {
			out += "+" + strconv.Itoa(s.Documents)
		}
	}
	if s.Claims > 0 {
		out += fmt.Sprintf(" +%d claim", s.Claims)
	}
	if s.Contested {
		out += " CONTESTED"
	}
	return out
}

// denied is the denying side of a contested support.
func denied(s graph.Support) []graph.Evidence {
	if s.Conflict == nil {
		return nil
	}
	return s.Conflict.Denied
}

// actionCells are the kind, banner, jurisdiction, scope and effective
// date of a ban row. A banner the statement does not name is "-"; the
// scope carries the conditions in brackets (干细胞治疗 [未经备案]); a date
// written but not resolved is shown as written with "?".
func actionCells(banner graph.EntityRef, a graph.Action) []string {
	who := banner.Name
	if who == "" {
		who = a.BannerName
	}
	if who == "" {
		who = banner.ID
	}
	if who == "" {
		who = "-"
	}
	if a.Lineage != "" {
		who += " (" + a.Lineage + ")"
	}
	scope := a.Scope
	if len(a.Conditions) > 0 {
		scope = strings.TrimSpace(scope + " [" + strings.Join(a.Conditions, "、") + "]")
	}
	if scope == "" {
		scope = "-"
	}
	date := a.EffectiveDate
	if date == "" && a.DateText != "" {
		date = a.DateText + "?"
	}
	if date == "" {
		date = "-"
	}
	return []string{string(a.Kind), who, string(a.Jurisdiction), scope, date}
}

// firstEvidence shows the first piece of evidence, or "-".
func firstEvidence(evs []graph.Evidence, tty bool) string {
	if len(evs) == 0 {
		return "-"
	}
	return evidenceCell(evs[0], tty)
}

func rest(evs []graph.Evidence) []graph.Evidence {
	if len(evs) < 2 {
		return nil
	}
	return evs[1:]
}

func printBannedProcedures(opts *QueryOptions, q app.Query, rows []graph.BannedProcedure) error {
	if len(rows) == 0 {
		return empty(opts, "banned procedure")
	}
	tty := opts.IO.IsStdoutTTY()
	tp := newTable(opts)
	tp.Header(q.Columns...)
	for _, r := range rows {
		key := append([]string{name(r.Procedure)}, actionCells(r.Banner, r.Action)...)
		key = append(key, supportCell(r.Support))
		tp.AddRow(append(key, firstEvidence(r.Evidence, tty))...)
		if tty {
			key = make([]string, len(key))
		}
		for _, ev := range rest(r.Evidence) {
			tp.AddRow(append(slices.Clone(key), evidenceCell(ev, tty))...)
		}
	}
	return tp.Render()
}

func printInnervation(opts *QueryOptions, q app.Query, rows []graph.InnervationRow) error {
	if len(rows) == 0 {
		return empty(opts, "innervation known for "+opts.Args[0])
	}
	tty := opts.IO.IsStdoutTTY()
	tp := newTable(opts)
	tp.Header(q.Columns...)
	for _, r := range rows {
		key := []string{name(r.Nerve), namePtr(r.Branch), name(r.Muscle), supportCell(r.Support)}
		tp.AddRow(append(key, firstEvidence(r.Evidence, tty))...)
		if tty {
			key = make([]string, len(key))
		}
		for _, ev := range rest(r.Evidence) {
			tp.AddRow(append(slices.Clone(key), evidenceCell(ev, tty))...)
		}
		for _, e := range r.Edges {
			for _, ev := range denied(e.Support) {
				tp.AddRow(append(slices.Clone(key), "denied: "+evidenceCell(ev, tty))...)
			}
		}
	}
	return tp.Render()
}

func printNeighbors(opts *QueryOptions, q app.Query, rows []graph.Edge) error {
	if len(rows) == 0 {
		return empty(opts, "edge touching "+opts.Args[0])
	}
	tp := newTable(opts)
	tp.Header(q.Columns...)
	for _, e := range rows {
		vocab := "-"
		if e.Vocabulary {
			vocab = "yes"
		}
		tp.AddRow(e.Direction, name(e.Subject), string(e.Predicate), name(e.Object),
			strconv.Itoa(e.Documents), strconv.Itoa(e.Negated), vocab, supportCell(e.Support))
	}
	return tp.Render()
}

func printPath(opts *QueryOptions, q app.Query, steps []graph.Step) error {
	if len(steps) == 0 {
		_, err := fmt.Fprintln(opts.IO.ErrOut, "both names are the same entity")
		return err
	}
	tp := newTable(opts)
	tty := opts.IO.IsStdoutTTY()
	tp.Header(q.Columns...)
	for i, s := range steps {
		pred := string(s.Predicate) + " →"
		if !s.Forward {
			pred = "← " + string(s.Predicate)
		}
		key := []string{strconv.Itoa(i + 1), name(s.From), pred, name(s.To)}
		tp.AddRow(append(key, firstEvidence(s.Evidence, tty))...)
		if tty {
			key = make([]string, len(key))
		}
		for _, ev := range rest(s.Evidence) {
			tp.AddRow(append(slices.Clone(key), evidenceCell(ev, tty))...)
		}
	}
	return tp.Render()
}

func printEvidence(opts *QueryOptions, q app.Query, ev []graph.Evidence) error {
	if len(ev) == 0 {
		return empty(opts, "evidence for "+strings.Join(opts.Args, " "))
	}
	tty := opts.IO.IsStdoutTTY()
	tp := newTable(opts)
	tp.Header(q.Columns...)
	for _, e := range ev {
		f := flags(e)
		if f == "" {
			f = "-"
		}
		kind := "-"
		if e.Kind == graph.FromDocument {
			kind = string(e.SourceKind)
			if len(e.SourceFlags) > 0 {
				kind += " [" + strings.Join(e.SourceFlags, ",") + "]"
			}
		}
		if e.Support != nil && e.Support.Contested && !e.Negated {
			f = strings.TrimPrefix(f+",contested", "-,")
		}
		tp.AddRow(source(e, tty), kind, e.Date, f, e.Text)
	}
	return tp.Render()
}
