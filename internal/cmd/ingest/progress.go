package ingest

import (
	"fmt"
	"strings"

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
}

func newProgress(ios *iostreams.IOStreams, total int) *progress {
	return &progress{ios: ios, total: total, on: ios.IsStderrTTY() && total > 1}
}

// step shows that document i (0-based) named name is being ingested.
func (p *progress) step(i int, name string) {
	if !p.on {
		return
	}
	const width = 24
	filled := width * i / p.total
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	line := fmt.Sprintf("[%s] %d/%d %s", bar, i+1, p.total, name)
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
