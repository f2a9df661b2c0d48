// Package progress draws a one-line progress bar for long work on a terminal, and prints a
// line every 10% or every PlainInterval, whichever comes first, when the output is not a
// terminal (logs, CI, notebooks), so that long runs always show they are alive without flooding
// the output.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// PlainInterval is the longest time between two lines when the output is not a terminal.
const PlainInterval = 30 * time.Second

// Bar tracks progress of a known number of steps.
type Bar struct {
	mu       sync.Mutex
	out      io.Writer
	label    string
	total    int
	done     int
	base     int // steps already done when the bar started (a resumed run): not counted in the rate
	start    time.Time
	now      func() time.Time // the clock (tests replace it)
	lastDraw time.Time
	lastPct  int
	tty      bool
	status   string
}

// New starts a bar of total steps on stderr.
func New(label string, total int) *Bar { return NewTo(os.Stderr, label, total) }

// NewTo starts a bar writing to out.
func NewTo(out io.Writer, label string, total int) *Bar {
	b := &Bar{out: out, label: label, total: max(total, 1), now: time.Now, lastPct: -1}
	b.start = b.now()
	if f, ok := out.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			b.tty = true
		}
	}
	return b
}

// Add advances the bar by n steps with a short status text (e.g. current losses).
func (b *Bar) Add(n int, status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = min(b.done+n, b.total)
	b.status = status
	b.draw(false)
}

// Resume starts the bar at step done, for work that continues where an earlier run stopped:
// those steps count towards the percentage but not towards the rate behind the eta, which would
// otherwise promise the rest at the speed of steps this run never did.
func (b *Bar) Resume(done int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = min(max(done, 0), b.total)
	b.base = b.done
	b.start = b.now()
	b.draw(false)
}

// Set moves the bar to step done.
func (b *Bar) Set(done int, status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = min(max(done, 0), b.total)
	b.status = status
	b.draw(false)
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish(status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status = status
	b.draw(true)
	if b.tty {
		fmt.Fprintln(b.out)
	}
}

func (b *Bar) draw(final bool) {
	now := b.now()
	pct := 100 * b.done / b.total
	elapsed := now.Sub(b.start)
	eta := "?"
	if b.done == b.total {
		eta = "0s"
	} else if ran := b.done - b.base; ran > 0 {
		eta = (time.Duration(float64(elapsed) * float64(b.total-b.done) / float64(ran))).Round(time.Second).String()
	}
	line := fmt.Sprintf("%s %d/%d (%d%%) %s elapsed, eta %s", b.label, b.done, b.total, pct, elapsed.Round(time.Second), eta)
	if b.status != "" {
		line += "  " + b.status
	}
	if b.tty {
		if !final && now.Sub(b.lastDraw) < 100*time.Millisecond {
			return
		}
		b.lastDraw = now
		const width = 24
		filled := width * b.done / b.total
		fmt.Fprintf(b.out, "\r\033[K[%s%s] %s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), line)
		return
	}
	if final || pct/10 > b.lastPct/10 || b.lastPct < 0 || now.Sub(b.lastDraw) >= PlainInterval {
		b.lastPct, b.lastDraw = pct, now
		fmt.Fprintln(b.out, line)
	}
}

// Reporter returns a progress callback for work that tells its own total (func(done, total)):
// the bar starts at the first call and finishes when done reaches total. A new total (the next
// stage of the work) starts a new bar.
func Reporter(label string) func(done, total int) {
	report := StatusReporter(label)
	return func(done, total int) { report(done, total, "") }
}

// StatusReporter is Reporter with a status text (e.g. the current loss) on each call.
func StatusReporter(label string) func(done, total int, status string) {
	var bar *Bar
	return func(done, total int, status string) {
		if bar == nil || bar.total != max(total, 1) {
			bar = New(label, total)
		}
		bar.Set(done, status)
		if done >= total {
			bar.Finish("done")
			bar = nil
		}
	}
}
