// Package list implements `medkg vocab list`.
package list

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// ListOptions are the inputs of `medkg vocab list`.
type ListOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)

	Type   string
	Format string
}

// NewCmdList returns the `vocab list` command.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List vocabulary entries",
		Long: `List the entries of the vocabulary, sorted by id: id, type, Chinese name,
English name and aliases. On a terminal the table has a header; piped, it
is tab-separated.`,
		Example: `  $ medkg vocab list
  $ medkg vocab list --type nerve
  $ medkg vocab list --type procedure --format json`,
		Aliases: []string{"ls"},
		Args:    cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	types := make([]string, 0, len(medkg.EntityTypes))
	for _, t := range medkg.EntityTypes {
		types = append(types, string(t))
	}
	cmdutil.AddEnumFlag(cmd, &opts.Type, "type", "t", "", types, "Only entries of this type")
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func listRun(opts *ListOptions) error {
	v, err := opts.Vocabulary()
	if err != nil {
		return err
	}
	entries := []*vocab.Entry{}
	for _, e := range v.Entries() {
		if opts.Type == "" || string(e.Type) == opts.Type {
			entries = append(entries, e)
		}
	}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, entries)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("id", "type", "name", "english", "aliases")
	for _, e := range entries {
		tp.AddRow(e.ID, string(e.Type), e.Name, e.NameEn, strings.Join(e.Aliases, "|"))
	}
	return tp.Render()
}
