// Package stats implements `medkg vocab stats`.
package stats

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// StatsOptions are the inputs of `medkg vocab stats`.
type StatsOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)

	Format string
}

// NewCmdStats returns the `vocab stats` command.
func NewCmdStats(f *cmdutil.Factory, runF func(*StatsOptions) error) *cobra.Command {
	opts := &StatsOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count vocabulary entries and relations",
		Long: `Count the entries of the vocabulary by type, their aliases, and the
curated relations by predicate. The version identifies the vocabulary's
content and changes whenever a file does.`,
		Example: `  $ medkg vocab stats
  $ medkg vocab stats --format json`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statsRun(opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func statsRun(opts *StatsOptions) error {
	v, err := opts.Vocabulary()
	if err != nil {
		return err
	}
	s := v.Stats()
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, s)
	}
	tp := cmdutil.NewTablePrinter(opts.IO)
	tp.Header("what", "kind", "count")
	tp.AddRow("version", "", s.Version)
	tp.AddRow("entries", "", strconv.Itoa(s.Entries))
	for _, t := range medkg.EntityTypes {
		if n := s.ByType[t]; n > 0 {
			tp.AddRow("entries", string(t), strconv.Itoa(n))
		}
	}
	tp.AddRow("aliases", "", strconv.Itoa(s.Aliases))
	tp.AddRow("relations", "", strconv.Itoa(s.Relations))
	preds := make([]string, 0, len(s.ByPredicate))
	for p := range s.ByPredicate {
		preds = append(preds, string(p))
	}
	sort.Strings(preds)
	for _, p := range preds {
		tp.AddRow("relations", p, strconv.Itoa(s.ByPredicate[medkg.Predicate(p)]))
	}
	if err := tp.Render(); err != nil {
		return fmt.Errorf("print stats: %w", err)
	}
	return nil
}
