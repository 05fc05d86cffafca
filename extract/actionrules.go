package extract

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/medkg/medkg"
)

// actionRule is a line of rules/actions.tsv: cue words stating an action
// of one kind, optionally only with a context word in the cue's clause.
type actionRule struct {
	kind    medkg.ActionKind
	cues    []string
	context []string
	example string
	line    string // file:line
}

// actionRules is the loaded data of rules/actions.tsv,
// rules/action_words.tsv and rules/dates.tsv.
type actionRules struct {
	rules []actionRule
	words map[string][]string
	dates *dateRules // rules/dates.tsv
}

// requiredActionWords are the lists of action_words.tsv the code uses.
var requiredActionWords = []string{
	"action_claim", "action_proposal", "action_negation", "action_basis", "authority_head", "name_stop",
	"institution_head", "person_word", "condition_open", "condition_close", "target_verb",
	"scope_before", "scope_population", "national_name",
	"action_not_cue", "action_exclusion", "institution_ref", "action_future", "institution_measure", "target_head",
	"contraindication_cue", "contraindication_who", "regulatory_marker", "claim_strong", "branch_verb", "provision_marker", "action_noun_after",
}

// loadActionRules reads actions.tsv, action_words.tsv and dates.tsv from fsys and
// validates them like the other rule files: every problem is reported as
// file:line.
func loadActionRules(fsys fs.FS) (*actionRules, error) {
	ar := &actionRules{words: map[string][]string{}}
	files := &ruleFiles{fsys: fsys}
	report, read := files.report, files.read
	read("action_words.tsv", 2, func(file string, line int, f []string) {
		if _, dup := ar.words[f[0]]; dup {
			report(file, line, "list %q defined twice", f[0])
			return
		}
		w := splitWords(f[1])
		if len(w) == 0 {
			report(file, line, "list %q is empty", f[0])
			return
		}
		ar.words[f[0]] = w
	})
	if len(files.errs) == 0 {
		for _, n := range requiredActionWords {
			if _, ok := ar.words[n]; !ok {
				files.errs = append(files.errs, fmt.Errorf("action_words.tsv: list %q is missing (the code uses it)", n))
			}
		}
	}
	// kind	cues	context	example
	read("actions.tsv", 4, func(file string, line int, f []string) {
		r := actionRule{kind: medkg.ActionKind(f[0]), cues: splitWords(f[1]), context: splitWords(f[2]),
			example: f[3], line: fmt.Sprintf("%s:%d", file, line)}
		if !r.kind.Valid() {
			report(file, line, "unknown action kind %q (want one of %s)", f[0], kindList())
		}
		if len(r.cues) == 0 {
			report(file, line, "a line needs cue words")
		}
		if r.example == "" || r.example == "-" {
			report(file, line, "a line needs an example sentence, which its test reads")
		}
		ar.rules = append(ar.rules, r)
	})
	ar.dates = loadDateRules(files)
	if len(files.errs) > 0 {
		return nil, errors.Join(files.errs...)
	}
	return ar, nil
}

func kindList() string {
	var s []string
	for _, k := range medkg.ActionKinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// list returns a word list the code requires.
func (ar *actionRules) list(name string) []string {
	l, ok := ar.words[name]
	if !ok {
		panic("extract: action word list " + name + " not loaded") // requiredActionWords guards this
	}
	return l
}

var builtinActions struct {
	once sync.Once
	ar   *actionRules
	err  error
}

// builtinActionRules returns the embedded action rules, loaded once.
func builtinActionRules() (*actionRules, error) {
	builtinActions.once.Do(func() {
		sub, err := fs.Sub(rulesFS, "rules")
		if err == nil {
			builtinActions.ar, err = loadActionRules(sub)
		}
		if err != nil {
			builtinActions.err = fmt.Errorf("action rules: %w", err)
		}
	})
	return builtinActions.ar, builtinActions.err
}
