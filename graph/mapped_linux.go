package graph

import (
	"os"
	"syscall"

	bolt "github.com/coreos/bbolt"
)

// releaseMapped tells the kernel that this process no longer needs the
// pages of bolt's memory map it has touched (MADV_DONTNEED). bolt maps
// the file read-only and writes with pwrite, so nothing is lost: the
// pages stay in the page cache and the next access maps them again. A
// long ingest otherwise keeps every page it ever read of a file of
// hundreds of megabytes in its resident set.
func releaseMapped(db *bolt.DB) {
	info := db.Info()
	st, err := os.Stat(db.Path())
	if err != nil || info.Data == 0 || st.Size() == 0 {
		return
	}
	// The map is at least as long as the file; an error only means the
	// pages stay, as before.
	syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(st.Size()), syscall.MADV_DONTNEED)
}
