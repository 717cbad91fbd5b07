package progress

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Terminal is an mfe.Progress that prints one line per update, rewriting it
// in place with '\r' when the writer is a terminal. Updates are throttled
// (Interval), except the last step, which is always printed. It is safe for
// concurrent use.
type Terminal struct {
	// Interval is the minimum time between two printed updates. NewTerminal sets
	// it to 200ms on a terminal and 10s otherwise (log files get one line per print).
	Interval time.Duration

	mu      sync.Mutex
	w       io.Writer
	title   string
	tty     bool
	start   time.Time
	last    time.Time
	pending bool // an update was throttled and not printed yet
	step    int
	total   int
	fields  map[string]float64
	done    bool
	width   int // length of the last '\r' line, to blank leftovers
}

// NewTerminal returns a terminal progress reporter writing to w (os.Stderr if nil).
func NewTerminal(w io.Writer, title string) *Terminal {
	if w == nil {
		w = os.Stderr
	}
	t := &Terminal{w: w, title: title, tty: isTerminal(w), start: time.Now()}
	t.Interval = 10 * time.Second
	if t.tty {
		t.Interval = 200 * time.Millisecond
	}
	return t
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Update implements mfe.Progress.
func (t *Terminal) Update(step, total int, fields map[string]float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.step, t.total = step, total
	t.fields = copyFields(fields)
	now := time.Now()
	final := total > 0 && step >= total
	if !final && !t.last.IsZero() && now.Sub(t.last) < t.Interval {
		t.pending = true
		return
	}
	t.printLocked(now)
}

// Done implements mfe.Progress: prints the last state (if not yet printed) and ends the line.
func (t *Terminal) Done() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	if t.pending || t.last.IsZero() {
		t.printLocked(time.Now())
	}
	if t.tty {
		fmt.Fprintln(t.w)
	}
	t.done = true
}

func (t *Terminal) printLocked(now time.Time) {
	t.last = now
	t.pending = false
	line := Format(t.title, t.step, t.total, t.fields, now.Sub(t.start))
	if t.tty {
		pad := ""
		if n := t.width - len(line); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		fmt.Fprint(t.w, "\r"+line+pad)
		t.width = len(line)
	} else {
		fmt.Fprintln(t.w, line)
	}
}

func copyFields(f map[string]float64) map[string]float64 {
	if f == nil {
		return nil
	}
	c := make(map[string]float64, len(f))
	for k, v := range f {
		c[k] = v
	}
	return c
}

// Format renders one progress line: title, a 20-character bar, step/total,
// percentage, elapsed time, ETA and the fields sorted by name, e.g.
//
//	fbsde [########------------] 40/100  40% 12s eta 18s  loss=0.0123 control_rel=0.0456
func Format(title string, step, total int, fields map[string]float64, elapsed time.Duration) string {
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteByte(' ')
	}
	if total > 0 {
		frac := min(max(float64(step)/float64(total), 0), 1)
		const width = 20
		n := int(frac * width)
		fmt.Fprintf(&b, "[%s%s] %d/%d %3.0f%%", strings.Repeat("#", n), strings.Repeat("-", width-n), step, total, 100*frac)
	} else {
		fmt.Fprintf(&b, "step %d", step)
	}
	fmt.Fprintf(&b, " %s", roundDuration(elapsed))
	if total > 0 && step > 0 && step < total {
		eta := time.Duration(float64(elapsed) / float64(step) * float64(total-step))
		fmt.Fprintf(&b, " eta %s", roundDuration(eta))
	}
	for i, k := range SortedKeys(fields) {
		if i == 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, " %s=%.4g", k, fields[k])
	}
	return b.String()
}

// SortedKeys returns the field names in a stable order (sorted).
func SortedKeys(fields map[string]float64) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond)
	}
}
