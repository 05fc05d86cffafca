package graph

import (
	"bufio"
	"os"
	"strconv"
	"strings"
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
	start := db.Info().Data
	if start == 0 {
		return
	}
	// The length is the mapping's own, read from /proc/self/maps: bolt
	// does not export it, and advising past its end could reach memory
	// that is not bolt's.
	end, ok := mappingEnd(start)
	if !ok {
		return
	}
	// An error only means the pages stay, as before.
	syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_DONTNEED)
}

// mappingEnd returns the end of the mapping of this process that starts
// at start.
func mappingEnd(start uintptr) (uintptr, bool) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	want := strconv.FormatUint(uint64(start), 16) + "-"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, want)
		if !ok {
			continue
		}
		hexEnd, _, _ := strings.Cut(rest, " ")
		end, err := strconv.ParseUint(hexEnd, 16, 64)
		if err != nil || uintptr(end) <= start {
			return 0, false
		}
		return uintptr(end), true
	}
	return 0, false
}
