// Package gaps implements `medkg vocab gaps`.
package gaps

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/input"
	"github.com/medkg/medkg/internal/iostreams"
	"github.com/medkg/medkg/vocab"
)

// FormatTSV is the default output: tab-separated with a header row,
// printed alike on a terminal and in a pipe, for a curator's editor.
const FormatTSV = "tsv"

// GapsOptions are the inputs of `medkg vocab gaps`.
type GapsOptions struct {
	IO         *iostreams.IOStreams
	Vocabulary func() (*vocab.Vocabulary, error)

	Files    []string
	MinCount int
	Types    []string
	Format   string
}

// NewCmdGaps returns the `vocab gaps` command.
func NewCmdGaps(f *cmdutil.Factory, runF func(*GapsOptions) error) *cobra.Command {
	opts := &GapsOptions{IO: f.IOStreams, Vocabulary: f.Vocabulary}
	cmd := &cobra.Command{
		Use:   "gaps PATH...",
		Short: "List frequent corpus terms the vocabulary lacks",
		Long: `Read a corpus of articles (files, or directories walked for .txt, .md and
.html files; "-" for standard input) and list the terms it uses that the
vocabulary lacks, for a curator to review and add to a user vocabulary.

A candidate is a run of Chinese characters ending at a head word that gives
its type (…神经 nerve, …肌 muscle, …术/…阻滞/…注射 procedure,
…综合征/…炎/…骨折/…损伤 condition, …管/…孔/…骨/…关节/…韧带 anatomy,
…委员会/…局 agency; 《…》 titles ending in 办法, 通知, 规范 … regulation),
cut on the left at function words and verbs. Known names and their
variants, names nested in a known name and bare generic words (神经, 手术,
肌支) are left out.

Each row gives the term, its type and head, how often it occurs and in how
many documents, a suggested parent (the known nerve a branch starts with, or
the known name a compound is built on) and the first sentence it occurs in.
The shared corpus's source:/title: header lines are skipped.`,
		Example: `  $ medkg vocab gaps ../shared/corpus/texts
  $ medkg vocab gaps --type nerve --type muscle --min-count 3 articles/
  $ medkg vocab gaps --format json notes.md | jq -r '.[].term'`,
		Args: cmdutil.MinimumArgs(1, "give at least one file or directory to read"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			for _, t := range opts.Types {
				if !medkg.EntityType(t).Valid() {
					return cmdutil.FlagErrorf("invalid --type %q: valid types are %s", t, typeList())
				}
			}
			if opts.MinCount < 1 {
				return cmdutil.FlagErrorf("invalid --min-count %d: must be at least 1", opts.MinCount)
			}
			if runF != nil {
				return runF(opts)
			}
			return gapsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.MinCount, "min-count", 2, "Only terms seen at least this many times")
	cmd.Flags().StringSliceVarP(&opts.Types, "type", "t", nil, "Only terms of these types (repeatable, comma-separated)")
	_ = cmd.RegisterFlagCompletionFunc("type", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return strings.Split(typeList(), ", "), cobra.ShellCompDirectiveNoFileComp
	})
	cmdutil.AddFormatFlag(cmd, &opts.Format, FormatTSV, cmdutil.FormatJSON)
	return cmd
}

func typeList() string {
	ts := make([]string, len(medkg.EntityTypes))
	for i, t := range medkg.EntityTypes {
		ts[i] = string(t)
	}
	return strings.Join(ts, ", ")
}

func gapsRun(ctx context.Context, opts *GapsOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	articles, skipped, failures := input.Expand(opts.Files)
	if len(skipped) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "skipped %d file(s) that are not article files or not regular files\n", len(skipped))
	}
	for _, fl := range failures {
		fmt.Fprintf(opts.IO.ErrOut, "%s: %v\n", fl.Arg, fl.Err)
	}
	failed := len(failures)
	v, err := opts.Vocabulary()
	if err != nil {
		return err
	}
	m := vocab.NewGapMiner(v)
	for _, a := range articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := input.Read(opts.IO.In, a)
		if err != nil {
			fmt.Fprintln(opts.IO.ErrOut, input.Describe(a, err))
			failed++
			continue
		}
		m.Add(a.Arg, vocab.GapText(a.Path, data))
	}
	types := make([]medkg.EntityType, len(opts.Types))
	for i, t := range opts.Types {
		types[i] = medkg.EntityType(t)
	}
	gaps := m.Gaps(vocab.GapOptions{MinCount: opts.MinCount, Types: types})
	if gaps == nil {
		gaps = []vocab.Gap{}
	}
	if opts.Format == cmdutil.FormatJSON {
		err = cmdutil.WriteJSON(opts.IO, gaps)
	} else {
		err = writeTSV(opts.IO, gaps)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return medkg.Errorf(medkg.EPARTIAL, "%d of %d inputs failed", failed, len(articles)+len(failures))
	}
	return nil
}

// tsvColumns is the header of the TSV output.
var tsvColumns = []string{"term", "type", "head", "count", "docs", "parent_id", "parent", "example", "source"}

func writeTSV(ios *iostreams.IOStreams, gaps []vocab.Gap) error {
	w := bufio.NewWriter(ios.Out)
	clean := strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")
	fmt.Fprintln(w, strings.Join(tsvColumns, "\t"))
	for _, g := range gaps {
		fields := []string{g.Term, string(g.Type), g.Head, strconv.Itoa(g.Count), strconv.Itoa(g.Docs),
			g.ParentID, g.Parent, g.Example, g.Source}
		for i, f := range fields {
			fields[i] = clean.Replace(f)
		}
		fmt.Fprintln(w, strings.Join(fields, "\t"))
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write gaps: %w", err)
	}
	return nil
}
