//go:build !linux

package graph

import bolt "github.com/coreos/bbolt"

// releaseMapped is a no-op where madvise is not used.
func releaseMapped(*bolt.DB) {}
