// Package vocab groups the `medkg vocab` commands, which inspect and check
// the vocabulary without touching the graph.
package vocab

import (
	"github.com/spf13/cobra"

	"github.com/medkg/medkg/internal/cmd/vocab/check"
	"github.com/medkg/medkg/internal/cmd/vocab/gaps"
	"github.com/medkg/medkg/internal/cmd/vocab/list"
	"github.com/medkg/medkg/internal/cmd/vocab/show"
	"github.com/medkg/medkg/internal/cmd/vocab/stats"
	"github.com/medkg/medkg/internal/cmdutil"
)

// NewCmdVocab returns `medkg vocab` and its subcommands.
func NewCmdVocab(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vocab <command>",
		Short: "Inspect and check the vocabulary",
		Long: `Inspect and check the vocabulary: the curated entries (nerves, muscles,
anatomy, procedures, conditions, agencies, regulations, drugs, exams) with
their Chinese names, aliases, English names, codes and curated relations.

The built-in vocabulary is merged with every *.tsv in
$XDG_CONFIG_HOME/medkg/vocab and with each --vocab file; the format is
described in vocab/FORMAT.md.`,
		Example: `  $ medkg vocab list --type nerve
  $ medkg vocab show 胫神经
  $ medkg vocab check my-terms.tsv
  $ medkg vocab stats
  $ medkg vocab gaps ../shared/corpus/texts`,
		Args: cmdutil.GroupArgs,
		RunE: cmdutil.GroupRun,
	}
	cmd.AddCommand(
		list.NewCmdList(f, nil),
		show.NewCmdShow(f, nil),
		check.NewCmdCheck(f, nil),
		stats.NewCmdStats(f, nil),
		gaps.NewCmdGaps(f, nil),
	)
	return cmd
}
