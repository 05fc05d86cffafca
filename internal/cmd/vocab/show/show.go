// Package show implements `medkg vocab show`.
package show

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// ShowOptions are the inputs of `medkg vocab show`.
type ShowOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)

	Name   string
	Format string
}

// NewCmdShow returns the `vocab show` command.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary}
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a vocabulary entry and its relations",
		Long: `Show a vocabulary entry: its id, type, names, English names, codes and the
file and line defining it, then its curated relations in both directions
(for a nerve: the muscles it innervates, its branches and what it is a
branch of).

NAME may be the id, the Chinese name, any alias or the English name
(case-insensitive). A name shared by entries of several types shows each of
them. An unknown name fails with suggestions (exit status 3).`,
		Example: `  $ medkg vocab show 胫神经
  $ medkg vocab show 腓骨小头
  $ medkg vocab show "tibial nerve"
  $ medkg vocab show nerve:tibial --format json`,
		Args: cmdutil.ExactArgs(1, "name one entry: an id, Chinese name, alias or English name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// Shown is the JSON form of one entry with its relations.
type Shown struct {
	*vocab.Entry
	English  []string      `json:"english,omitempty"`
	Outgoing []RelationOut `json:"outgoing"`
	Incoming []RelationOut `json:"incoming"`
}

// RelationOut is a curated relation with the names of its ends.
type RelationOut struct {
	vocab.Relation
	SubjectName string `json:"subject_name"`
	ObjectName  string `json:"object_name"`
}

func showRun(opts *ShowOptions) error {
	v, err := opts.Vocabulary()
	if err != nil {
		return err
	}
	entries := v.Resolve(opts.Name)
	if len(entries) == 0 {
		return &app.NotFoundError{What: "vocabulary entry", Name: opts.Name, Suggestions: app.Suggest(v, opts.Name, 5)}
	}
	shown := make([]Shown, 0, len(entries))
	for _, e := range entries {
		s := Shown{Entry: e, English: e.English(), Outgoing: []RelationOut{}, Incoming: []RelationOut{}}
		for _, r := range v.RelationsFrom(e.ID) {
			s.Outgoing = append(s.Outgoing, named(v, r))
		}
		for _, r := range v.RelationsTo(e.ID) {
			s.Incoming = append(s.Incoming, named(v, r))
		}
		shown = append(shown, s)
	}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, shown)
	}
	for i, s := range shown {
		if i > 0 {
			fmt.Fprintln(opts.IO.Out)
		}
		if err := printEntry(opts.IO.Out, s); err != nil {
			return err
		}
	}
	return nil
}

func named(v *vocab.Vocabulary, r vocab.Relation) RelationOut {
	name := func(id string) string {
		if e, ok := v.Entry(id); ok {
			return e.Name
		}
		return id
	}
	return RelationOut{Relation: r, SubjectName: name(r.Subject), ObjectName: name(r.Object)}
}

func printEntry(w io.Writer, s Shown) error {
	field := func(k, val string) {
		if val != "" {
			fmt.Fprintf(w, "%-9s %s\n", k+":", val)
		}
	}
	field("id", s.ID)
	field("name", s.Name)
	field("type", string(s.Type))
	field("english", strings.Join(s.English, " | "))
	field("aliases", strings.Join(s.Aliases, " | "))
	field("codes", strings.Join(s.Codes, " "))
	field("defined", fmt.Sprintf("%s:%d", s.File, s.Line))
	if len(s.Outgoing)+len(s.Incoming) == 0 {
		_, err := fmt.Fprintln(w, "relations: none")
		return err
	}
	fmt.Fprintln(w, "relations:")
	groups, order := map[string][]string{}, []string{}
	add := func(label, item string) {
		if _, ok := groups[label]; !ok {
			order = append(order, label)
		}
		groups[label] = append(groups[label], item)
	}
	for _, r := range s.Outgoing {
		add(string(r.Predicate), fmt.Sprintf("%s (%s)", r.ObjectName, r.Object))
	}
	for _, r := range s.Incoming {
		add(inverse(r.Predicate), fmt.Sprintf("%s (%s)", r.SubjectName, r.Subject))
	}
	for _, label := range order {
		items := groups[label]
		fmt.Fprintf(w, "  %s (%d):\n", label, len(items))
		for _, it := range items {
			fmt.Fprintf(w, "    %s\n", it)
		}
	}
	return nil
}

// inverse names a predicate read from its object: the muscles a nerve
// innervates are listed under the muscle as "innervated_by".
func inverse(p medkg.Predicate) string {
	switch p {
	case medkg.Innervates:
		return "innervated_by"
	case medkg.BranchOf:
		return "branches"
	case medkg.PartOf:
		return "parts"
	case medkg.SucceededBy:
		return "succeeds"
	case medkg.IssuedBy:
		return "issues"
	}
	return "inverse of " + string(p)
}
