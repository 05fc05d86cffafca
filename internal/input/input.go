// Package input turns the PATH arguments of extract and ingest into the
// list of articles to read: files as given, directories walked for article
// files, and "-" for standard input.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/medkg/medkg"
)

// Stdin is the argument that names standard input.
const Stdin = "-"

// Extensions are the article files picked up when walking a directory.
var Extensions = []string{".md", ".markdown", ".html", ".htm", ".txt"}

// Article is one input to read.
type Article struct {
	// Arg is how the user named it (relative path, "-"), for messages.
	Arg string
	// Path is the absolute path, or "-" for standard input.
	Path string
}

// IsStdin reports whether a is standard input.
func (a Article) IsStdin() bool { return a.Path == Stdin }

// Failure is an argument that could not be expanded.
type Failure struct {
	Arg string
	Err error
}

// Expand resolves args to articles. A file is taken whatever its
// extension; a directory is walked recursively for files with one of
// Extensions, skipping hidden files and directories. Arguments that
// cannot be read are returned as failures, not errors, so that one bad
// argument does not stop the others. Duplicates are dropped.
func Expand(args []string) ([]Article, []Failure) {
	var out []Article
	var failed []Failure
	seen := map[string]bool{}
	add := func(a Article) {
		if !seen[a.Path] {
			seen[a.Path] = true
			out = append(out, a)
		}
	}
	for _, arg := range args {
		if arg == Stdin {
			add(Article{Arg: arg, Path: Stdin})
			continue
		}
		abs, err := filepath.Abs(arg)
		if err != nil {
			failed = append(failed, Failure{arg, fmt.Errorf("resolve path: %w", err)})
			continue
		}
		info, err := os.Stat(abs)
		if err != nil {
			failed = append(failed, Failure{arg, statError(err)})
			continue
		}
		if !info.IsDir() {
			add(Article{Arg: arg, Path: abs})
			continue
		}
		var found []Article
		err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != abs && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !IsArticleFile(p) {
				return nil
			}
			rel := p
			if r, err := filepath.Rel(abs, p); err == nil {
				rel = filepath.Join(arg, r)
			}
			found = append(found, Article{Arg: rel, Path: p})
			return nil
		})
		if err != nil {
			failed = append(failed, Failure{arg, fmt.Errorf("walk directory: %w", err)})
		}
		if err == nil && len(found) == 0 {
			failed = append(failed, Failure{arg, medkg.Errorf(medkg.EINVALID,
				"no article files (%s) in directory", strings.Join(Extensions, ", "))})
		}
		sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
		for _, a := range found {
			add(a)
		}
	}
	return out, failed
}

// IsArticleFile reports whether the file name has one of Extensions.
func IsArticleFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range Extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// Read returns the content of a, reading stdin from in.
func Read(in io.Reader, a Article) ([]byte, error) {
	if a.IsStdin() {
		data, err := io.ReadAll(in)
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		return data, nil
	}
	info, err := os.Stat(a.Path)
	if err != nil {
		return nil, statError(err)
	}
	if info.IsDir() {
		return nil, medkg.Errorf(medkg.EINVALID, "is a directory (medkg ingest walks directories)")
	}
	data, err := os.ReadFile(a.Path)
	if err != nil {
		return nil, statError(err)
	}
	return data, nil
}

func statError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &medkg.Error{Code: medkg.ENOTFOUND, Message: "no such file or directory"}
	case errors.Is(err, fs.ErrPermission):
		return &medkg.Error{Code: medkg.EINVALID, Message: "permission denied"}
	}
	return err
}

// Describe formats a failure to read or extract a: "arg: reason", unless
// the error already names the file (the extractor's errors do).
func Describe(a Article, err error) string {
	msg := err.Error()
	if a.IsStdin() {
		if strings.HasPrefix(msg, Stdin+": ") {
			msg = strings.TrimPrefix(msg, Stdin+": ")
		}
		return "standard input: " + msg
	}
	if (a.Path != "" && strings.Contains(msg, a.Path)) || (a.Arg != "" && strings.Contains(msg, a.Arg)) {
		return msg
	}
	return a.Arg + ": " + msg
}
