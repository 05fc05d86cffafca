package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/medkg/medkg/internal/cmdutil"
	"github.com/medkg/medkg/internal/iostreams"
)

// progress draws a one-line bar on stderr when stderr is a terminal and
// does nothing otherwise, so logs and pipes stay clean.
type progress struct {
	ios   *iostreams.IOStreams
	total int
	on    bool
	drawn bool
	start time.Time
}

func newProgress(ios *iostreams.IOStreams, total int) *progress {
	return &progress{ios: ios, total: total, on: ios.IsStderrTTY() && total > 1, start: time.Now()}
}

// step shows that done documents of total are ingested, the rate so far
// and the time left at that rate.
func (p *progress) step(done int) {
	if !p.on {
		return
	}
	const width = 24
	filled := width * min(done, p.total) / p.total
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	line := fmt.Sprintf("[%s] %d/%d", bar, done, p.total)
	if el := time.Since(p.start); done > 0 && el > 0 {
		rate := float64(done) / el.Seconds()
		eta := time.Duration(float64(p.total-done) / rate * float64(time.Second))
		line += fmt.Sprintf("  %.1f docs/s  ETA %s", rate, eta.Round(time.Second))
	}
	if max := p.ios.TerminalWidth() - 1; cmdutil.DisplayWidth(line) > max {
		r := []rune(line)
		for len(r) > 0 && cmdutil.DisplayWidth(string(r)) > max {
			r = r[:len(r)-1]
		}
		line = string(r)
	}
	fmt.Fprintf(p.ios.ErrOut, "\r\x1b[K%s", line)
	p.drawn = true
}

// clear erases the bar so that a message can be printed; the next step
// draws it again.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[K")
		p.drawn = false
	}
}

// done erases the bar for good.
func (p *progress) done() {
	p.clear()
	p.on = false
}
