package extract

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// The extraction knowledge — cue words, lexicons, relation rules and
// frames — is data, in extract/rules/*.tsv, so that a reviewer reads a rule
// change as a data diff. See extract/rules/README.md for the format.
//
//go:embed rules/*.tsv
var rulesFS embed.FS

// knowledge is the loaded rule data.
type knowledge struct {
	lists  map[string][]string // named word lists (lexicon.tsv)
	rules  []rule              // relation rules (relations.tsv)
	frames []frame             // key–value and heading frames (frames.tsv)

	limits         limits
	demonstratives []demonstrative
	detStarts      map[rune]bool                // first runes of the demonstratives' determiners
	maps           map[string]map[string]string // lists of a=b pairs
	runeSets       map[string]map[rune]bool     // lists of single runes, as sets
	countRunes     map[rune]bool                // numerals (not 第) and count_numeral: what a count starts with
	prefixEnds     map[rune]bool                // last runes of condition_prefix words
	firstRunes     map[string]map[rune]bool     // each list's first runes: a word of it can start only there

	keyStarts map[rune]bool // first runes of frame keys
	maxGap    int           // the furthest any rule reaches, in runes
	longCues  []string      // every rule cue of two runes or more, longest first
	leadCues  []leadCue     // cues of two runes or more, for zero subjects
	midCues   []leadCue     // markers of a rule's second argument (由, 因 …), for zero subjects
}

// limits are the thresholds of rules/thresholds.tsv.
type limits struct {
	headingMax, listMax, listLineMax, pageTopicSentences, leadMax                                                                           int
	branchWindow, antecedentWindow, exemplifiedReach, afterWindow, mechanismMax, mechanismReach, subtypeWindow, passageMax, circumstanceMax int
	chainLead                                                                                                                               int
}

// leadCue is a cue word and the predicate of its rule.
type leadCue struct {
	word string
	pred medkg.Predicate
}

// frame is a key that states a relation between a topic and the items
// that follow it: `病因：A、B` under a heading about C states A causes C.
type frame struct {
	keys      []string
	pred      medkg.Predicate
	topicSubj bool // the topic is the subject; otherwise the items are
	line      string
}

// requiredLists are the lexicon lists the code refers to by name; a data
// file without one of them fails to load.
var requiredLists = []string{
	"ban", "cut", "aim", "treat", "choose", "hit", "cause", "issue",
	"neg_strong", "neg_weak", "neg_post", "neg_pre", "hedge", "claim", "prohibition", "basis",
	"connector", "enumerate", "exclude_open", "exclude_close", "exclude_pre", "contrast",
	"deny_efficacy", "list_marker", "frame_modifier", "frame_opener", "adverb", "numeral",
	"tendon_suffix", "muscle_part_suffix", "procedure_head", "product_head", "region", "approach", "agency_unit",
	"procedure_verb", "cut_verb", "condition_head", "condition_prefix", "location_infix", "anaesthesia_head", "generic_place", "nerve_part_suffix", "unreported", "copula", "disease_suffix", "resolution", "likeness", "plural_det", "procedure_qualifier", "give_off", "stop_key", "subtype_det", "compare_prep", "compare_verb", "place_word", "mechanism_cause", "keyword_label", "copula_qualifier", "argument_tail", "passage_open", "passage_close", "resumptive", "circumstance_end", "after_treatment", "comorbid", "operated_lesion", "positional_branch", "division",
	"authority_head", "authority_short", "infix_synonym", "generic_branch", "department", "pronoun", "title_short",
	"demonstrative_det_procedure", "demonstrative_noun_procedure", "demonstrative_det_nerve", "demonstrative_noun_nerve",
	"demonstrative_det_muscle", "demonstrative_noun_muscle", "demonstrative_det_condition", "demonstrative_noun_condition",
	"demonstrative_det_regulation", "demonstrative_noun_regulation", "name_prefix_variant", "deny_scope", "count_word", "owned_part", "branch_modifier", "bare_part", "count_numeral", "inject_verb", "locative", "muscle_branch_suffix", "frame_filler", "key_adjective", "case_lead", "case_word", "subtype_suffix", "structure_part", "tail_word",
}

// loadKnowledge reads lexicon.tsv, relations.tsv and frames.tsv from fsys
// (a directory holding them). Every problem is reported as file:line.
func loadKnowledge(fsys fs.FS) (*knowledge, error) {
	k := &knowledge{lists: map[string][]string{}}
	files := &ruleFiles{fsys: fsys}
	report, read := files.report, files.read

	read("lexicon.tsv", 2, func(file string, line int, f []string) {
		name := f[0]
		if _, dup := k.lists[name]; dup {
			report(file, line, "list %q defined twice", name)
			return
		}
		words := splitWords(f[1])
		if len(words) == 0 {
			report(file, line, "list %q is empty", name)
			return
		}
		k.lists[name] = words
	})
	for _, n := range requiredLists {
		if _, ok := k.lists[n]; !ok && len(files.errs) == 0 {
			files.errs = append(files.errs, fmt.Errorf("lexicon.tsv: list %q is missing (the code uses it)", n))
		}
	}
	// words resolves a list field: "-", "@name", "a|b", or a mix.
	words := func(file string, line int, field string) []string {
		var out []string
		for _, w := range splitWords(field) {
			if name, ok := strings.CutPrefix(w, "@"); ok {
				l, found := k.lists[name]
				if !found {
					report(file, line, "unknown list %q", w)
				}
				out = append(out, l...)
				continue
			}
			out = append(out, w)
		}
		return out
	}
	number := func(file string, line int, field, what string) int {
		if field == "-" || field == "" {
			return 0
		}
		n, err := strconv.Atoi(field)
		if err != nil || n < 0 {
			report(file, line, "%s %q is not a number ≥ 0", what, field)
		}
		return n
	}

	// predicate	order	between	mid	after	before	clauses	gap	reach	flags	objtypes	example
	read("relations.tsv", 12, func(file string, line int, f []string) {
		r := rule{pred: medkg.Predicate(f[0]), line: fmt.Sprintf("%s:%d", file, line), example: f[11]}
		if _, ok := medkg.Signatures[r.pred]; !ok {
			report(file, line, "unknown predicate %q", f[0])
		}
		switch f[1] {
		case "s>o":
			r.subjFirst = true
		case "o>s":
		default:
			report(file, line, "order %q: want s>o (subject first) or o>s", f[1])
		}
		r.between, r.mid, r.after, r.before = words(file, line, f[2]), words(file, line, f[3]), words(file, line, f[4]), words(file, line, f[5])
		r.clauses, r.gap, r.reach = number(file, line, f[6], "clauses"), number(file, line, f[7], "gap"), number(file, line, f[8], "reach")
		for _, fl := range splitWords(f[9]) {
			switch {
			case fl == "adjacent":
				r.adjacent = true
			case strings.HasPrefix(fl, "subject="):
				t := medkg.EntityType(strings.TrimPrefix(fl, "subject="))
				if !t.Valid() || !typeIn(t, medkg.Signatures[r.pred].Subject) {
					report(file, line, "flag %q: not a subject type of %s", fl, r.pred)
				}
				r.subjTypes = append(r.subjTypes, t)
			default:
				report(file, line, "unknown flag %q", fl)
			}
		}
		for _, t := range splitWords(f[10]) {
			if !medkg.EntityType(t).Valid() {
				report(file, line, "unknown entity type %q", t)
			}
			r.objTypes = append(r.objTypes, medkg.EntityType(t))
		}
		if !r.adjacent && len(r.between)+len(r.mid)+len(r.after)+len(r.before) == 0 {
			report(file, line, "a rule needs a cue (between, mid, after or before) or the adjacent flag")
		}
		if r.example == "" || r.example == "-" {
			report(file, line, "a rule needs an example sentence, which its test extracts")
		}
		k.rules = append(k.rules, r)
	})

	// keys	predicate	topic	example
	read("frames.tsv", 4, func(file string, line int, f []string) {
		fr := frame{keys: words(file, line, f[0]), pred: medkg.Predicate(f[1]), line: fmt.Sprintf("%s:%d", file, line)}
		if _, ok := medkg.Signatures[fr.pred]; !ok {
			report(file, line, "unknown predicate %q", f[1])
		}
		switch f[2] {
		case "subject":
			fr.topicSubj = true
		case "object":
		default:
			report(file, line, "topic %q: want subject or object", f[2])
		}
		if len(fr.keys) == 0 {
			report(file, line, "a frame needs keys")
		}
		k.frames = append(k.frames, fr)
	})
	// name	value	what
	numbers := map[string]*int{
		"heading_max": &k.limits.headingMax, "list_max": &k.limits.listMax, "list_line_max": &k.limits.listLineMax,
		"page_topic_sentences": &k.limits.pageTopicSentences, "lead_max": &k.limits.leadMax,
		"branch_window": &k.limits.branchWindow, "antecedent_window": &k.limits.antecedentWindow,
		"exemplified_reach": &k.limits.exemplifiedReach, "after_window": &k.limits.afterWindow,
		"mechanism_max": &k.limits.mechanismMax, "mechanism_reach": &k.limits.mechanismReach, "subtype_window": &k.limits.subtypeWindow, "passage_max": &k.limits.passageMax, "circumstance_max": &k.limits.circumstanceMax,
		"chain_lead": &k.limits.chainLead,
	}
	set := map[string]bool{}
	read("thresholds.tsv", 2, func(file string, line int, f []string) {
		p, ok := numbers[f[0]]
		if !ok {
			report(file, line, "unknown threshold %q", f[0])
			return
		}
		if set[f[0]] {
			report(file, line, "threshold %q set twice", f[0])
		}
		set[f[0]] = true
		*p = number(file, line, f[1], f[0])
	})
	for name := range numbers {
		if !set[name] && len(files.errs) == 0 {
			files.errs = append(files.errs, fmt.Errorf("thresholds.tsv: threshold %q is missing (the code uses it)", name))
		}
	}
	if len(files.errs) > 0 {
		return nil, errors.Join(files.errs...)
	}
	for _, r := range k.rules {
		k.maxGap = max(k.maxGap, r.gap+k.limits.exemplifiedReach)
	}
	for _, t := range []medkg.EntityType{medkg.Procedure, medkg.Nerve, medkg.Muscle, medkg.Condition, medkg.Regulation} {
		k.demonstratives = append(k.demonstratives, demonstrative{
			dets: k.lists["demonstrative_det_"+string(t)], nouns: k.lists["demonstrative_noun_"+string(t)], typ: t})
	}
	k.demonstratives = append(k.demonstratives,
		demonstrative{dets: k.lists["pronoun"], nouns: []string{""}},
		demonstrative{dets: []string{"《"}, nouns: k.lists["title_short"], typ: medkg.Regulation})
	k.detStarts = map[rune]bool{}
	for _, d := range k.demonstratives {
		for _, det := range d.dets {
			k.detStarts[[]rune(det)[0]] = true
		}
	}
	k.maps = map[string]map[string]string{}
	for name, l := range k.lists {
		m := map[string]string{}
		for _, w := range l {
			if a, b, ok := strings.Cut(w, "="); ok {
				m[a] = b
			}
		}
		if len(m) == len(l) {
			k.maps[name] = m
		}
	}
	k.runeSets = map[string]map[rune]bool{}
	for name, l := range k.lists {
		set := map[rune]bool{}
		for _, w := range l {
			if rs := []rune(w); len(rs) == 1 {
				set[rs[0]] = true
			}
		}
		if len(set) == len(l) {
			k.runeSets[name] = set
		}
	}
	k.countRunes = map[rune]bool{}
	for r := range k.runeSets["numeral"] {
		if r != '第' {
			k.countRunes[r] = true
		}
	}
	for r := range k.runeSets["count_numeral"] {
		k.countRunes[r] = true
	}
	k.firstRunes = map[string]map[rune]bool{}
	for name, l := range k.lists {
		set := map[rune]bool{}
		for _, w := range l {
			if r, _ := utf8.DecodeRuneInString(w); r != utf8.RuneError {
				set[r] = true
			}
		}
		k.firstRunes[name] = set
	}
	k.prefixEnds = map[rune]bool{}
	for _, w := range k.lists["condition_prefix"] {
		if rs := []rune(w); len(rs) > 0 {
			k.prefixEnds[rs[len(rs)-1]] = true
		}
	}
	k.keyStarts = map[rune]bool{}
	for _, f := range k.frames {
		for _, key := range f.keys {
			k.keyStarts[[]rune(key)[0]] = true
		}
	}
	long := map[string]bool{}
	for _, r := range k.rules {
		for _, l := range [][]string{r.between, r.mid, r.after, r.before} {
			for _, c := range l {
				if len([]rune(c)) >= 2 && !long[c] {
					long[c] = true
					k.longCues = append(k.longCues, c)
				}
			}
		}
	}
	sort.Slice(k.longCues, func(i, j int) bool { return len(k.longCues[i]) > len(k.longCues[j]) })
	seen := map[leadCue]bool{}
	for _, r := range k.rules {
		for _, c := range r.mid {
			if lc := (leadCue{c, r.pred}); !seen[lc] {
				seen[lc] = true
				k.midCues = append(k.midCues, lc)
			}
		}
	}
	clear(seen)
	for _, r := range k.rules {
		for _, c := range append(append([]string{}, r.between...), r.mid...) {
			if lc := (leadCue{c, r.pred}); len([]rune(c)) >= 2 && !seen[lc] {
				seen[lc] = true
				k.leadCues = append(k.leadCues, lc)
			}
		}
	}
	return k, nil
}

// lexicon returns a list of the built-in rule data, for the stages that
// work without an extractor at hand. New has loaded the data (or failed)
// before any extraction runs.
func lexicon(name string) []string {
	k, err := builtinKnowledge()
	if err != nil {
		panic(err) // unreachable once New has succeeded
	}
	return k.list(name)
}

// lim returns the thresholds of the built-in rule data.
func lim() *limits {
	k, err := builtinKnowledge()
	if err != nil {
		panic(err) // unreachable once New has succeeded
	}
	return &k.limits
}

// lexiconMap returns a list of a=b pairs of the built-in rule data as a map.
// startsWord reports whether a word of the built-in lexicon list name may
// start at text[i]: a cheap test before trying each word.
func startsWord(name string, text []rune, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	k, err := builtinKnowledge()
	if err != nil {
		panic(err) // unreachable once New has succeeded
	}
	return k.firstRunes[name][text[i]]
}

func lexiconMap(name string) map[string]string {
	k, err := builtinKnowledge()
	if err != nil {
		panic(err) // unreachable once New has succeeded
	}
	m, ok := k.maps[name]
	if !ok {
		panic("extract: lexicon list " + name + " is not a list of a=b pairs")
	}
	return m
}

// list returns a lexicon list the code requires.
func (k *knowledge) list(name string) []string {
	l, ok := k.lists[name]
	if !ok {
		panic("extract: lexicon list " + name + " not loaded") // requiredLists guards this
	}
	return l
}

func splitWords(field string) []string {
	if field == "-" || field == "" {
		return nil
	}
	var out []string
	for _, w := range strings.Split(field, "|") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

var builtin struct {
	once sync.Once
	k    *knowledge
	err  error
}

// builtinKnowledge returns the embedded rule data, loaded once.
func builtinKnowledge() (*knowledge, error) {
	builtin.once.Do(func() {
		sub, err := fs.Sub(rulesFS, "rules")
		if err == nil {
			builtin.k, err = loadKnowledge(sub)
		}
		if err != nil {
			builtin.err = fmt.Errorf("extraction rules: %w", err)
		}
	})
	return builtin.k, builtin.err
}

// ruleFiles reads the tab-separated rule files of a directory (comment and
// blank lines skipped, fields trimmed) and collects every problem as
// file:line, for the loaders of every rule file.
type ruleFiles struct {
	fsys fs.FS
	errs []error
}

func (r *ruleFiles) report(file string, line int, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
}

// read calls each with the fields of every data line of file name that
// has at least cols fields; a shorter line is reported.
func (r *ruleFiles) read(name string, cols int, each func(file string, line int, f []string)) {
	data, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: %w", name, err))
		return
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < cols {
			r.report(name, i+1, "%d columns, want at least %d (tab-separated)", len(f), cols)
			continue
		}
		for j := range f {
			f[j] = strings.TrimSpace(f[j])
		}
		each(name, i+1, f)
	}
}
