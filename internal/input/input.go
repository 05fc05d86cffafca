// Package input turns the PATH arguments of extract and ingest into the
// list of articles to read: files as given, directories walked for article
// files, and "-" for standard input.
package input

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

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
	// walked is set for files found in a directory: only a regular file
	// is read then, even if it was replaced by a FIFO after the walk.
	walked bool
}

// IsStdin reports whether a is standard input.
func (a Article) IsStdin() bool { return a.Path == Stdin }

// Failure is an argument that could not be expanded.
type Failure struct {
	Arg string
	Err error
}

// Skip is a file found in a directory and left alone: not an article
// file by its extension, or not a regular file (a FIFO, a device, a
// socket), which reading could block on forever.
type Skip struct {
	Arg    string
	Reason string
}

// Expand resolves args to articles. A file named as an argument is taken
// whatever its extension, and may be a named pipe (`<(curl …)`); a
// directory is walked recursively for regular files with one of
// Extensions, skipping hidden files and directories silently and
// returning every other file it leaves alone in skipped. Arguments that
// cannot be read are returned as failures, not errors, so that one bad
// argument does not stop the others. Duplicates are dropped.
func Expand(args []string) (articles []Article, skipped []Skip, failed []Failure) {
	var out []Article
	seen := map[string]bool{}
	skip := func(path, arg, reason string) {
		if !seen["skip:"+path] {
			seen["skip:"+path] = true
			skipped = append(skipped, Skip{arg, reason})
		}
	}
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
			if t := info.Mode().Type(); t&(fs.ModeDevice|fs.ModeSocket|fs.ModeIrregular) != 0 {
				failed = append(failed, Failure{arg, medkg.Errorf(medkg.EINVALID, "%s, not an article file", describeMode(t))})
				continue
			}
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
			if d.IsDir() {
				return nil
			}
			rel := p
			if r, err := filepath.Rel(abs, p); err == nil {
				rel = filepath.Join(arg, r)
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				info, err := os.Stat(p)
				if err != nil {
					skip(p, rel, "broken symbolic link")
					return nil
				}
				if info.IsDir() {
					return nil // not followed, like any walk
				}
				mode = info.Mode().Type()
			}
			switch {
			case !mode.IsRegular():
				skip(p, rel, describeMode(mode)+", not a regular file")
			case !IsArticleFile(p):
				skip(p, rel, "not an article file ("+strings.Join(Extensions, ", ")+")")
			default:
				found = append(found, Article{Arg: rel, Path: p, walked: true})
			}
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
	return out, skipped, failed
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
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
		if err := checkUTF16(data); err != nil {
			return nil, err
		}
		return data, nil
	}
	// O_NONBLOCK: opening a FIFO without a writer would block; regular
	// files ignore the flag.
	flag := os.O_RDONLY
	if a.walked {
		flag |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(a.Path, flag, 0)
	if err != nil {
		return nil, statError(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, statError(err)
	}
	if info.IsDir() {
		return nil, medkg.Errorf(medkg.EINVALID, "is a directory (medkg ingest walks directories)")
	}
	if a.walked && !info.Mode().IsRegular() {
		return nil, medkg.Errorf(medkg.EINVALID, "%s, not a regular file", describeMode(info.Mode().Type()))
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if err := checkUTF16(data); err != nil {
		return nil, err
	}
	return data, nil
}

// checkUTF16 rejects data that starts with a UTF-16 byte-order mark but
// is not UTF-16 text: the decoder turns any byte pairs into characters,
// so garbage after a BOM would otherwise be read as an article of
// unassigned, private-use or unpaired-surrogate code points, or of
// mojibake without a single space, line break or punctuation mark.
func checkUTF16(data []byte) error {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return nil
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return medkg.Errorf(medkg.EINVALID, "UTF-16 byte-order mark followed by an odd number of bytes: not UTF-16 text")
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		units[i] = order.Uint16(body[2*i:])
	}
	n, bad, separators := 0, 0, 0
	for _, r := range utf16.Decode(units) {
		n++
		switch {
		case r == utf8.RuneError, r == 0, unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r),
			unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f',
			!unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf):
			bad++
		case unicode.IsSpace(r), unicode.IsPunct(r):
			separators++
		}
	}
	if bad*100 > n || (n >= 32 && separators == 0) {
		return medkg.Errorf(medkg.EINVALID, "UTF-16 byte-order mark followed by bytes that are not UTF-16 text")
	}
	return nil
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
