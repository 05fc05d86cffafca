package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sync"
)

// extractorRevision names the behaviour of the extraction code. Bump it
// when a code change alters what the extractor returns for the same
// input: stored documents then read as stale and `medkg reindex`
// re-extracts them. Rule and dictionary changes need no bump (they are
// hashed).
const extractorRevision = "6"

// initProvenance loads the source rules and computes the extractor's
// version.
func (x *Extractor) initProvenance() error {
	sr, err := builtinSourceRules()
	if err != nil {
		return err
	}
	x.sources = sr
	x.version, err = extractorVersion(x.vocab.Version())
	return err
}

// Version identifies the vocabulary and the extraction rules this
// extractor applies: a hash of the vocabulary's version, every embedded
// rule and dictionary file and extractorRevision. Documents store it; one
// stored under another version is stale.
func (x *Extractor) Version() string { return x.version }

func extractorVersion(vocabVersion string) (string, error) {
	files, err := rulesDigest()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "revision %s\nvocabulary %s\nfiles %s\n", extractorRevision, vocabVersion, files))
	return hex.EncodeToString(sum[:])[:16], nil
}

// rulesDigest hashes the embedded rule files and dictionaries, once.
var rulesDigest = sync.OnceValues(func() (string, error) {
	h := sha256.New()
	names, err := fs.Glob(rulesFS, "rules/*.tsv")
	if err != nil {
		return "", fmt.Errorf("extractor version: %w", err)
	}
	slices.Sort(names)
	for _, n := range names {
		data, err := fs.ReadFile(rulesFS, n)
		if err != nil {
			return "", fmt.Errorf("extractor version: %w", err)
		}
		fmt.Fprintf(h, "%s %x\n", n, sha256.Sum256(data))
	}
	fmt.Fprintf(h, "general %x\nmedical %x\n", sha256.Sum256([]byte(generalDict)), sha256.Sum256([]byte(medicalDict)))
	return hex.EncodeToString(h.Sum(nil)), nil
})
