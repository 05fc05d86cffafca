// Package cli assembles the medkg command tree and runs it: Main is the
// whole program, returning the exit status.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/build"
	completionCmd "github.com/medkg/medkg/internal/cmd/completion"
	evalCmd "github.com/medkg/medkg/internal/cmd/eval"
	exportCmd "github.com/medkg/medkg/internal/cmd/export"
	extractCmd "github.com/medkg/medkg/internal/cmd/extract"
	"github.com/medkg/medkg/internal/cmd/factory"
	forgetCmd "github.com/medkg/medkg/internal/cmd/forget"
	gizmoCmd "github.com/medkg/medkg/internal/cmd/gizmo"
	ingestCmd "github.com/medkg/medkg/internal/cmd/ingest"
	migrateCmd "github.com/medkg/medkg/internal/cmd/migrate"
	queryCmd "github.com/medkg/medkg/internal/cmd/query"
	reindexCmd "github.com/medkg/medkg/internal/cmd/reindex"
	serveCmd "github.com/medkg/medkg/internal/cmd/serve"
	statsCmd "github.com/medkg/medkg/internal/cmd/stats"
	versionCmd "github.com/medkg/medkg/internal/cmd/version"
	vocabCmd "github.com/medkg/medkg/internal/cmd/vocab"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// Main runs medkg with the process's arguments and streams and returns
// the exit status. Ctrl-C (SIGINT) or SIGTERM cancels the context handed to
// every command.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ios := iostreams.System()
	f := factory.New(ios, build.CurrentVersion())
	return Run(ctx, f, os.Args[1:])
}

// Run executes the command line args against f and returns the exit
// status, printing any error once on f.IOStreams.ErrOut.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(f.IOStreams.ErrOut, "medkg: interrupted")
		return cmdutil.ExitInterrupted
	}
	printError(f.IOStreams.ErrOut, cmd, err)
	return cmdutil.ExitCode(err)
}

// needsData reports whether cmd reads or writes the graph or the
// vocabulary; help, version and completion do not.
func needsData(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		switch c.Name() {
		case "help", "version", "completion", "__complete", "__completeNoDesc":
			return false
		}
	}
	return true
}

func printError(w io.Writer, cmd *cobra.Command, err error) {
	if cmdutil.IsSilent(err) {
		return
	}
	fmt.Fprintf(w, "medkg: %v\n", err)
	var flagErr *cmdutil.FlagError
	if errors.As(err, &flagErr) && cmd != nil {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
}

// NewCmdRoot returns the root command with every subcommand and the
// persistent flags bound to f.Globals.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "medkg <command> [flags]",
		Short: "Build a knowledge graph from Chinese medical articles and query it",
		Long: `medkg reads Chinese medical articles (Markdown, HTML or plain text), finds the
nerves, muscles, procedures, conditions, agencies and regulations they
mention, extracts the relations between them (an agency bans a procedure, a
procedure cuts a nerve, a nerve innervates a muscle, …) and stores them in
a local knowledge graph. Every answer comes with the sentences that
support it.

The graph lives in --db, else $MEDKG_DB, else $XDG_DATA_HOME/medkg/graph
(~/.local/share/medkg/graph). The built-in vocabulary is extended by every
*.tsv in $XDG_CONFIG_HOME/medkg/vocab (~/.config/medkg/vocab) and by each
--vocab file.

Exit status:
  0  success
  1  internal error (a bug, or an unexpected I/O failure)
  2  invalid usage or input: bad flag or argument, unreadable article,
     invalid vocabulary
  3  not found: no entity, document or file with that name
  4  locked: another medkg process is using the graph
  5  timeout: a query ran past --timeout
  6  partial failure: some inputs failed, the others were processed
  130 interrupted (Ctrl-C)`,
		Example: `  $ medkg ingest testdata/devset
  $ medkg query banned-nerves
  $ medkg query innervation 胫神经
  $ medkg vocab show 腓骨小头
  $ medkg gizmo -e 'g.V("<medkg:nerve/tibial>").Out("<medkg:innervates>").All()'`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       f.AppVersion,
		Args:          cmdutil.GroupArgs,
		RunE:          cmdutil.GroupRun,
		// Cobra's own completion command is replaced by ours.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f.Logger().Debug("command", "path", cmd.CommandPath(), "args", args)
			// A --vocab file the user named is checked by every command
			// that works on data, not only by those that load the
			// vocabulary: a typo in it must not go unnoticed.
			if len(f.Globals.VocabFiles) > 0 && needsData(cmd) {
				if _, err := f.Vocabulary(); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetVersionTemplate("medkg version {{.Version}}\n")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return &cmdutil.FlagError{Err: err}
	})

	g := f.Globals
	pf := cmd.PersistentFlags()
	pf.StringVar(&g.DB, "db", g.DB, "Graph directory, or postgres:// URL (default $MEDKG_DB or $XDG_DATA_HOME/medkg/graph)")
	cmdutil.AddPersistentEnumFlag(cmd, &g.Backend, "backend", g.Backend, graph.Backends,
		"Graph backend (memstore keeps nothing after the command exits; a postgres:// --db selects postgres)")
	pf.StringArrayVar(&g.VocabFiles, "vocab", nil, "User vocabulary `file` merged over the built-in one (repeatable)")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "Log progress and timings to stderr")
	pf.DurationVar(&g.LockTimeout, "lock-timeout", g.LockTimeout, "How long to wait for another medkg process to release the graph")
	_ = cmd.MarkPersistentFlagDirname("db")
	_ = cmd.MarkPersistentFlagFilename("vocab", "tsv")

	cmd.AddGroup(
		&cobra.Group{ID: "build", Title: "Build the graph:"},
		&cobra.Group{ID: "ask", Title: "Ask the graph:"},
		&cobra.Group{ID: "other", Title: "Vocabulary and tools:"},
	)
	add := func(group string, cmds ...*cobra.Command) {
		for _, c := range cmds {
			c.GroupID = group
			cmd.AddCommand(c)
		}
	}
	add("build",
		extractCmd.NewCmdExtract(f, nil),
		ingestCmd.NewCmdIngest(f, nil),
		forgetCmd.NewCmdForget(f, nil),
		reindexCmd.NewCmdReindex(f, nil),
		evalCmd.NewCmdEval(f, nil),
		migrateCmd.NewCmdMigrate(f, nil),
	)
	add("ask",
		queryCmd.NewCmdQuery(f, nil),
		gizmoCmd.NewCmdGizmo(f, nil),
		statsCmd.NewCmdStats(f, nil),
		exportCmd.NewCmdExport(f, nil),
		serveCmd.NewCmdServe(f, nil),
	)
	add("other",
		vocabCmd.NewCmdVocab(f),
		versionCmd.NewCmdVersion(f, nil),
		completionCmd.NewCmdCompletion(f, nil),
	)
	cmd.SetHelpCommandGroupID("other")
	return cmd
}
