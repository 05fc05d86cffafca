package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Output formats shared by the commands that print data.
const (
	FormatTable = "table"
	FormatJSON  = "json"
)

// enumValue is a string flag restricted to a set of values, so that a bad
// value fails flag parsing (exit 2) before any work starts.
type enumValue struct {
	p       *string
	allowed []string
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }

func (e *enumValue) Set(s string) error {
	for _, a := range e.allowed {
		if s == a {
			*e.p = s
			return nil
		}
	}
	return fmt.Errorf("valid values are %s", strings.Join(e.allowed, ", "))
}

// AddFormatFlag adds --format with the given allowed values, the first
// being the default, and completion for them.
func AddFormatFlag(cmd *cobra.Command, p *string, allowed ...string) {
	AddEnumFlag(cmd, p, "format", "", allowed[0], allowed, "Output format")
}

// AddEnumFlag adds a string flag that only accepts the allowed values.
func AddEnumFlag(cmd *cobra.Command, p *string, name, shorthand, def string, allowed []string, usage string) {
	*p = def
	cmd.Flags().VarP(&enumValue{p: p, allowed: allowed}, name, shorthand,
		fmt.Sprintf("%s: {%s}", usage, strings.Join(allowed, "|")))
	_ = cmd.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return allowed, cobra.ShellCompDirectiveNoFileComp
	})
}

// AddPersistentEnumFlag adds a persistent string flag that only accepts
// the allowed values.
func AddPersistentEnumFlag(cmd *cobra.Command, p *string, name, def string, allowed []string, usage string) {
	*p = def
	cmd.PersistentFlags().Var(&enumValue{p: p, allowed: allowed}, name,
		fmt.Sprintf("%s: {%s}", usage, strings.Join(allowed, "|")))
	_ = cmd.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return allowed, cobra.ShellCompDirectiveNoFileComp
	})
}
