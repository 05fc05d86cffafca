// Package completion implements `medkg completion SHELL`.
package completion

import (
	"fmt"

	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/spf13/cobra"
)

// CompletionOptions are the inputs of `medkg completion`.
type CompletionOptions struct {
	IO    *iostreams.IOStreams
	Shell string
	// Root is the command tree to complete; set when the command runs.
	Root *cobra.Command
}

// shells lists the supported shells.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// NewCmdCompletion returns the completion command.
func NewCmdCompletion(f *cmdutil.Factory, runF func(*CompletionOptions) error) *cobra.Command {
	opts := &CompletionOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "completion {bash|zsh|fish|powershell}",
		Short: "Generate a shell completion script",
		Long: `Generate the completion script of medkg for a shell and print it.

Load it in the current shell, or install it where your shell looks for
completions.`,
		Example: `  $ source <(medkg completion bash)
  $ medkg completion bash > /etc/bash_completion.d/medkg
  $ medkg completion zsh > "${fpath[1]}/_medkg"
  $ medkg completion fish > ~/.config/fish/completions/medkg.fish`,
		ValidArgs:             shells,
		DisableFlagsInUseLine: true,
		Args:                  cmdutil.ExactArgs(1, "name a shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Shell = args[0]
			opts.Root = cmd.Root()
			if runF != nil {
				return runF(opts)
			}
			return completionRun(opts)
		},
	}
	return cmd
}

func completionRun(opts *CompletionOptions) error {
	w := opts.IO.Out
	var err error
	switch opts.Shell {
	case "bash":
		err = opts.Root.GenBashCompletionV2(w, true)
	case "zsh":
		err = opts.Root.GenZshCompletion(w)
	case "fish":
		err = opts.Root.GenFishCompletion(w, true)
	case "powershell":
		err = opts.Root.GenPowerShellCompletionWithDesc(w)
	default:
		return cmdutil.FlagErrorf("unsupported shell %q: choose bash, zsh, fish or powershell", opts.Shell)
	}
	if err != nil {
		return fmt.Errorf("write %s completion: %w", opts.Shell, err)
	}
	return nil
}
