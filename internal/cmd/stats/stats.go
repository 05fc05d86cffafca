// Package stats implements `medkg stats`.
package stats

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg"
	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// StatsOptions are the inputs of `medkg stats`.
type StatsOptions struct {
	IO    *iostreams.IOStreams
	Store func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Format string
}

// NewCmdStats returns the stats command.
func NewCmdStats(f *cmdutil.Factory, runF func(*StatsOptions) error) *cobra.Command {
	opts := &StatsOptions{IO: f.IOStreams, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count what the graph holds",
		Long: `Count what the graph holds: entities by type, edges by predicate,
assertions made by documents (and how many are negated), and for each
document its source, title, hash, entities, relations and quads.`,
		Example: `  $ medkg stats
  $ medkg stats --format json | jq '.documents[].source'`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statsRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, cmdutil.FormatTable, cmdutil.FormatJSON)
	return cmd
}

func statsRun(ctx context.Context, opts *StatsOptions) (err error) {
	store, err := opts.Store(ctx, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	st, err := store.Stats(ctx)
	if err != nil {
		return fmt.Errorf("count graph: %w", err)
	}
	if st.Documents == nil {
		st.Documents = []graph.DocInfo{}
	}
	s := Stats{Stats: st}
	if s.BySource.Vocabulary, s.BySource.Documents, err = store.CountBySource(ctx); err != nil {
		return fmt.Errorf("count graph: %w", err)
	}
	if opts.Format == cmdutil.FormatJSON {
		return cmdutil.WriteJSON(opts.IO, s)
	}
	return printStats(opts.IO, s)
}

// Stats is what stats prints: the graph's totals, and the same counts
// separately for what the vocabulary and what the documents state.
type Stats struct {
	graph.Stats
	BySource struct {
		Vocabulary graph.SourceCounts `json:"vocabulary"`
		Documents  graph.SourceCounts `json:"documents"`
	} `json:"by_source"`
}

func printStats(ios *iostreams.IOStreams, s Stats) error {
	tp := cmdutil.NewTablePrinter(ios)
	// Totals count an entity or relation stated by both sources once.
	tp.Header("what", "kind", "vocabulary", "documents", "total")
	voc, docs := s.BySource.Vocabulary, s.BySource.Documents
	tp.AddRow("graph", s.Backend, "", "", s.Path)
	if s.Vocabulary != "" {
		tp.AddRow("version", "", s.Vocabulary, "", "")
	}
	tp.AddRow("quads", "", strconv.Itoa(voc.Quads), strconv.Itoa(docs.Quads), strconv.FormatInt(s.Quads, 10))
	sum := func(m map[string]int) int {
		n := 0
		for _, v := range m {
			n += v
		}
		return n
	}
	tp.AddRow("entities", "", strconv.Itoa(sum(voc.Entities)), strconv.Itoa(sum(docs.Entities)), strconv.Itoa(sum(s.Entities)))
	for _, t := range sortedKeys(s.Entities, typeOrder) {
		tp.AddRow("entities", t, strconv.Itoa(voc.Entities[t]), strconv.Itoa(docs.Entities[t]), strconv.Itoa(s.Entities[t]))
	}
	edges := map[string]int{}
	for p := range voc.Edges {
		edges[p] = 0
	}
	for p := range docs.Edges {
		edges[p] = 0
	}
	for _, p := range sortedKeys(edges, nil) {
		tp.AddRow("edges", p, strconv.Itoa(voc.Edges[p]), strconv.Itoa(docs.Edges[p]), "")
	}
	tp.AddRow("assertions", "", "", strconv.Itoa(s.Assertions), strconv.Itoa(s.Assertions))
	tp.AddRow("assertions", "negated", "", strconv.Itoa(s.Negated), strconv.Itoa(s.Negated))
	tp.AddRow("documents", "", "", strconv.Itoa(len(s.Documents)), strconv.Itoa(len(s.Documents)))
	if err := tp.Render(); err != nil {
		return err
	}
	if len(s.Documents) == 0 {
		return nil
	}
	if ios.IsStdoutTTY() {
		fmt.Fprintln(ios.Out)
	}
	tp = cmdutil.NewTablePrinter(ios)
	if ios.IsStdoutTTY() {
		tp.Header("hash", "entities", "relations", "quads", "source", "title")
	} else {
		tp.Header("what", "hash", "entities", "relations", "quads", "source", "title")
	}
	for _, d := range s.Documents {
		src := d.Source
		if ios.IsStdoutTTY() {
			src = filepath.Base(src) // the full path in TSV and JSON
		}
		row := []string{short(d.Hash), strconv.Itoa(d.Entities), strconv.Itoa(d.Relations), strconv.Itoa(d.Quads), src, d.Title}
		if !ios.IsStdoutTTY() {
			row = append([]string{"document"}, row...)
		}
		tp.AddRow(row...)
	}
	return tp.Render()
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// typeOrder sorts entity types as medkg.EntityTypes lists them.
func typeOrder(a, b string) bool {
	ia, ib := len(medkg.EntityTypes), len(medkg.EntityTypes)
	for i, t := range medkg.EntityTypes {
		if string(t) == a {
			ia = i
		}
		if string(t) == b {
			ib = i
		}
	}
	if ia != ib {
		return ia < ib
	}
	return a < b
}

func sortedKeys(m map[string]int, less func(a, b string) bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if less == nil {
		sort.Strings(keys)
	} else {
		sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	}
	return keys
}
