// Package check implements `medkg vocab check`.
package check

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// CheckOptions are the inputs of `medkg vocab check`.
type CheckOptions struct {
	IO *iostreams.IOStreams
	// GlobalFiles are the --vocab files, checked when no FILE is given.
	GlobalFiles []string

	Files  []string
	Format string
}

// NewCmdCheck returns the `vocab check` command.
func NewCmdCheck(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Check vocabulary files for problems",
		Long: `Check vocabulary files against the built-in vocabulary and print every
problem as file:line: message. The exit status is 2 if there is any.

With no FILE, check what medkg would load: every *.tsv in
$XDG_CONFIG_HOME/medkg/vocab and the --vocab files.`,
		Example: `  $ medkg vocab check my-terms.tsv
  $ medkg vocab check
  $ medkg vocab check --format json extra.tsv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			opts.GlobalFiles = f.Globals.VocabFiles
			if runF != nil {
				return runF(opts)
			}
			return checkRun(opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func checkRun(opts *CheckOptions) error {
	files := opts.Files
	if len(files) == 0 {
		if dir := vocab.UserDir(); dir != "" {
			found, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
			if err != nil {
				return fmt.Errorf("list user vocabulary %s: %w", dir, err)
			}
			sort.Strings(found)
			files = append(files, found...)
		}
		files = append(files, opts.GlobalFiles...)
	}
	problems, err := vocab.Check(files...)
	if err != nil {
		return fmt.Errorf("check vocabulary: %w", err)
	}
	if problems == nil {
		problems = []vocab.Problem{}
	}
	if opts.Format == cmdutil.FormatJSON {
		if err := cmdutil.WriteJSON(opts.IO, problems); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			if _, err := fmt.Fprintln(opts.IO.Out, p.String()); err != nil {
				return err
			}
		}
	}
	what := "the built-in vocabulary"
	if len(files) > 0 {
		what = fmt.Sprintf("%d file(s) and the built-in vocabulary", len(files))
	}
	if len(problems) > 0 {
		return &medkg.Error{Code: medkg.EINVALID, Message: fmt.Sprintf("%d problem(s) in %s", len(problems), what)}
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "✓ no problems in %s\n", what)
	}
	return nil
}
