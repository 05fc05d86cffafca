// Package version implements `medkg version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/spf13/cobra"
)

// VersionOptions are the inputs of `medkg version`.
type VersionOptions struct {
	IO         *iostreams.IOStreams
	AppVersion string
	Format     string
}

// NewCmdVersion returns the version command. It reads nothing but the
// build info: no vocabulary, no graph.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, AppVersion: f.AppVersion}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the medkg version",
		Long:  "Print the version of medkg and of the Go toolchain that built it.",
		Example: `  $ medkg version
  $ medkg version --format json`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

// Info is the JSON form of the version.
type Info struct {
	Version string `json:"version"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

func versionRun(opts *VersionOptions) error {
	info := Info{Version: opts.AppVersion, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, info)
	}
	_, err := fmt.Fprintf(opts.IO.Out, "medkg version %s (%s %s/%s)\n", info.Version, info.Go, info.OS, info.Arch)
	return err
}
