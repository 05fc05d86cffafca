package cmdutil

import (
	"github.com/spf13/cobra"
)

// NoArgs rejects positional arguments with a usage error.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// MinimumArgs requires at least n arguments; msg says what is missing.
func MinimumArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}

// ExactArgs requires exactly n arguments; msg says what is expected.
func ExactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}

// RangeArgs requires between min and max arguments; msg says what is
// expected.
func RangeArgs(min, max int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}

// GroupArgs is the Args of a command that only groups subcommands: any
// argument is an unknown subcommand, a usage error with suggestions.
func GroupArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := "unknown command %q for %q"
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		return FlagErrorf(msg+"; did you mean %q?", args[0], cmd.CommandPath(), s[0])
	}
	return FlagErrorf(msg, args[0], cmd.CommandPath())
}

// GroupRun shows the help of a command that only groups subcommands.
func GroupRun(cmd *cobra.Command, _ []string) error {
	return cmd.Help()
}
