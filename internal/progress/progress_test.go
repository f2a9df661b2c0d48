package progress

import (
	"strings"
	"testing"
	"time"
)

// fakeClock advances only when told to.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestBar(total int) (*Bar, *strings.Builder, *fakeClock) {
	var out strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	b := NewTo(&out, "work", total)
	b.now = clock.now
	b.start = clock.now()
	return b, &out, clock
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestETAFromThisRunsRate(t *testing.T) {
	b, out, clock := newTestBar(1000)
	clock.t = clock.t.Add(100 * time.Second)
	b.Set(100, "")
	if got := lastLine(out.String()); !strings.Contains(got, "100/1000 (10%) 1m40s elapsed, eta 15m0s") {
		t.Fatalf("fresh run: %q, want 900 steps left at 1 s/step", got)
	}
}

// A resumed run must not count the steps an earlier run did in its rate: 800 of 1000 done
// before, 100 done now in 100 s → 100 left take 100 s, not 100·100/900 s.
func TestETAAfterResume(t *testing.T) {
	b, out, clock := newTestBar(1000)
	b.Resume(800)
	if got := lastLine(out.String()); !strings.Contains(got, "800/1000 (80%) 0s elapsed, eta ?") {
		t.Fatalf("at resume: %q", got)
	}
	clock.t = clock.t.Add(100 * time.Second)
	b.Set(900, "")
	if got := lastLine(out.String()); !strings.Contains(got, "900/1000 (90%) 1m40s elapsed, eta 1m40s") {
		t.Fatalf("after resume: %q", got)
	}
	clock.t = clock.t.Add(100 * time.Second)
	b.Set(1000, "")
	if got := lastLine(out.String()); !strings.Contains(got, "eta 0s") {
		t.Fatalf("finished: %q", got)
	}
}

// Without a terminal a line comes every 10%, and at least every PlainInterval: a slow run's log
// shows it is alive, a fast run's log holds about ten lines.
func TestPlainLinesEveryTenPercentOrThirtySeconds(t *testing.T) {
	slow, out, clock := newTestBar(10000)
	for i := 1; i <= 100; i++ { // 1% of the work, one step per second
		clock.t = clock.t.Add(time.Second)
		slow.Set(i, "")
	}
	if n := strings.Count(out.String(), "\n"); n != 4 { // at 1 s, 31 s, 61 s, 91 s
		t.Fatalf("slow run: %d lines in 100 s, want 4:\n%s", n, out.String())
	}
	fast, out, clock := newTestBar(1000)
	for i := 1; i <= 1000; i++ {
		clock.t = clock.t.Add(time.Millisecond)
		fast.Set(i, "")
	}
	fast.Finish("done")
	if n := strings.Count(out.String(), "\n"); n != 12 { // the first, one per 10%, the final one
		t.Fatalf("fast run: %d lines, want 12:\n%s", n, out.String())
	}
}
