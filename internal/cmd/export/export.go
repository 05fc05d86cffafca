// Package export implements `medkg export`.
package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/medkg/medkg/graph"
	"github.com/medkg/medkg/internal/app"
	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// ExportOptions are the inputs of `medkg export`.
type ExportOptions struct {
	IO    *iostreams.IOStreams
	Store func(ctx context.Context, readOnly bool) (*graph.Store, error)

	Format string
	Output string
	Scope  string
	Doc    string
	Query  string
	Args   []string // the query's arguments
	Base   string
}

// NewCmdExport returns the export command.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "export [--query NAME [ARG...]]",
		Short: "Write the graph, or part of it, for another tool",
		Long: `Write the graph, or the part a scope, a document or a query selects, in the
format of the tool that will read it:

  nquads, turtle, jsonld  RDF (rdflib, Jena, GraphDB, any triple store):
                          every fact with its provenance; N-Quads and JSON-LD
                          keep the document of each quad as its graph; IRIs
                          under --base; literals typed with XSD datatypes
  graphml, gml            Gephi, yEd, Cytoscape desktop, networkx, igraph:
                          entities are nodes (name, name_en, type), relations
                          edges (predicate, documents, negated, vocabulary,
                          evidence); GML is ASCII, a directed multigraph
  neo4j                   nodes.csv and relationships.csv in the directory -o
                          names, for neo4j-admin database import
  cytoscape               the object cytoscape() takes: {elements: …}
  json                    node-link document (nodes, edges) for D3
  dot                     Graphviz, for a query's subgraph only (--query)

--scope documents (the default) exports what the ingested articles state;
vocabulary what the curated vocabulary states; all both. --doc narrows
to one document (source path, file name or IRI). --query NAME ARGS
exports the entities and relations a named query's answer involves
(see medkg query --list).

With -o the output is written to a temporary file next to FILE and renamed
over it only when complete, so a failed or interrupted export never leaves
a partial file.`,
		Example: `  $ medkg export > graph.nq
  $ medkg export --format turtle --scope all --base https://kg.example.org/ -o graph.ttl
  $ medkg export --format graphml -o graph.graphml
  $ medkg export --format cytoscape --doc 000_nhc_ban_zaobao.md -o ban.json
  $ medkg export --format neo4j -o neo4j/
  $ medkg export --format dot --query neighbors 胫神经 | dot -Tsvg > tibial.svg`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Query == "" && len(args) > 0 {
				return cmdutil.FlagErrorf("export takes arguments only after --query NAME, got %q", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Args = args
			if opts.Format == graph.FormatNeo4j && (opts.Output == "" || opts.Output == "-") {
				return cmdutil.FlagErrorf("--format neo4j writes two files: give a directory with -o")
			}
			if opts.Format == graph.FormatDOT && opts.Query == "" {
				return cmdutil.FlagErrorf("--format dot draws a query's subgraph: add --query NAME [ARGS] (e.g. --query neighbors 胫神经); use graphml or gml for the whole graph")
			}
			if opts.Query != "" && opts.Doc != "" {
				return cmdutil.FlagErrorf("give --query or --doc, not both")
			}
			if opts.Query != "" {
				q, err := app.Find(opts.Query)
				if err != nil {
					return err
				}
				if err := q.Check(args); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format, graph.ExportFormats()...)
	cmdutil.AddEnumFlag(cmd, &opts.Scope, "scope", "", string(graph.ScopeDocuments), graph.Scopes(), "What to export")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "Write to `FILE` (a directory for neo4j) instead of standard output")
	cmd.Flags().StringVar(&opts.Doc, "doc", "", "Export only what `DOCUMENT` (source path, file name or IRI) states")
	cmd.Flags().StringVar(&opts.Query, "query", "", "Export the subgraph of the named query `NAME`; its arguments follow")
	cmd.Flags().StringVar(&opts.Base, "base", graph.DefaultBase, "Namespace `IRI` (http or https) of the RDF exports")
	return cmd
}

func exportRun(ctx context.Context, opts *ExportOptions) (err error) {
	store, err := opts.Store(ctx, true)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close graph: %w", cerr)
		}
	}()
	o := graph.ExportOptions{
		Format:    opts.Format,
		Selection: graph.Selection{Scope: graph.Scope(opts.Scope), Doc: opts.Doc, Query: opts.Query, Args: opts.Args},
		Base:      opts.Base,
	}
	if opts.Format == graph.FormatNeo4j {
		return exportNeo4j(ctx, store, opts.Output, o.Selection)
	}
	if opts.Output == "" || opts.Output == "-" {
		return store.Export(ctx, opts.IO.Out, o)
	}
	return writeAtomic(opts.Output, func(w io.Writer) error {
		if err := store.Export(ctx, w, o); err != nil {
			return fmt.Errorf("%w (to %s)", err, opts.Output)
		}
		return nil
	})
}

// exportNeo4j writes DIR/nodes.csv and DIR/relationships.csv, each
// atomically.
func exportNeo4j(ctx context.Context, store *graph.Store, dir string, sel graph.Selection) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	var nodes, rels bytes.Buffer
	if err := store.ExportNeo4j(ctx, &nodes, &rels, sel); err != nil {
		return err
	}
	for name, buf := range map[string]*bytes.Buffer{"nodes.csv": &nodes, "relationships.csv": &rels} {
		if err := writeAtomic(filepath.Join(dir, name), func(w io.Writer) error {
			_, err := buf.WriteTo(w)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeAtomic writes path through a temporary file in the same directory
// renamed over path once write and Close have succeeded.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("set mode of %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	return nil
}
