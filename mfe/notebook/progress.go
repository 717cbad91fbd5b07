package notebook

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
)

// Progress is an mfe.Progress: an in-place updating progress bar in a GoNB
// cell output (an HTML block updated through gonbui.UpdateHTML). Updates are
// throttled (Interval); the last step and Done are always shown, and Done
// leaves the final state in the cell's output.
type Progress struct {
	// Interval is the minimum time between two updates of the display (default 250ms).
	Interval time.Duration

	mu      sync.Mutex
	id      string
	title   string
	start   time.Time
	last    time.Time
	pending bool
	step    int
	total   int
	fields  map[string]float64
	done    bool
}

// NewProgress returns the progress of a long computation titled title: an
// inline HTML progress bar under GoNB, and a terminal line on os.Stderr
// (progress.NewTerminal) otherwise.
func NewProgress(title string) mfe.Progress {
	if !gonbui.IsNotebook {
		return progress.NewTerminal(os.Stderr, title)
	}
	return &Progress{
		Interval: 250 * time.Millisecond,
		id:       "mfe_progress_" + gonbui.UniqueId(),
		title:    title,
		start:    time.Now(),
	}
}

// Update implements mfe.Progress.
func (p *Progress) Update(step, total int, fields map[string]float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.step, p.total = step, total
	p.fields = make(map[string]float64, len(fields))
	for k, v := range fields {
		p.fields[k] = v
	}
	now := time.Now()
	if !(total > 0 && step >= total) && !p.last.IsZero() && now.Sub(p.last) < p.Interval {
		p.pending = true
		return
	}
	p.renderLocked(now)
}

// Done implements mfe.Progress: shows the final state and flushes it.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.renderLocked(time.Now())
	p.done = true
	gonbui.Sync()
}

func (p *Progress) renderLocked(now time.Time) {
	p.last = now
	p.pending = false
	gonbui.UpdateHTML(p.id, HTMLProgress(p.title, p.step, p.total, p.fields, now.Sub(p.start)))
}

// HTMLProgress renders the progress bar's HTML (used by Progress; exported for tests and custom displays).
func HTMLProgress(title string, step, total int, fields map[string]float64, elapsed time.Duration) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace">`)
	if title != "" {
		fmt.Fprintf(&b, "<b>%s</b> ", Escape(title))
	}
	if total > 0 {
		fmt.Fprintf(&b, `<progress value="%d" max="%d" style="width:30ex"></progress> %d/%d`, step, total, step, total)
	} else {
		fmt.Fprintf(&b, "step %d", step)
	}
	fmt.Fprintf(&b, " &middot; %s", elapsed.Round(100*time.Millisecond))
	for _, k := range progress.SortedKeys(fields) {
		fmt.Fprintf(&b, " &middot; %s=%.4g", Escape(k), fields[k])
	}
	b.WriteString("</div>")
	return b.String()
}
