package notebook

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/progress"
)

// Progress is an mfe.Progress: an in-place updating progress bar in a GoNB
// cell output, one display block updated through its display id, holding
// the bar as HTML and the same line as plain text (progress.Format) for
// viewers that drop HTML. Updates are throttled (Interval); the last step
// and Done are always shown, and Done leaves the final state in the cell's
// output. Nothing is shown before the first Update: a run reloaded without
// training, which calls Done alone, leaves no empty bar.
type Progress struct {
	// Interval is the minimum time between two updates of the display (default 250ms).
	Interval time.Duration

	mu      sync.Mutex
	id      string
	title   string
	start   time.Time
	last    time.Time
	pending bool
	updated bool // Update was called
	step    int
	total   int
	fields  map[string]float64
	done    bool
	// send delivers a display block to the notebook (gonbui.SendData).
	send func(*protocol.DisplayData)
}

// NewProgress returns the progress of a long computation titled title: an
// inline progress bar under GoNB (Progress), and a terminal line on
// os.Stderr (progress.NewTerminal) otherwise.
func NewProgress(title string) mfe.Progress {
	if !gonbui.IsNotebook {
		return progress.NewTerminal(os.Stderr, title)
	}
	return newProgress(title, gonbui.SendData)
}

// newProgress returns a Progress that displays through send.
func newProgress(title string, send func(*protocol.DisplayData)) *Progress {
	return &Progress{
		Interval: 250 * time.Millisecond,
		id:       "mfe_progress_" + gonbui.UniqueId(),
		title:    title,
		start:    time.Now(),
		send:     send,
	}
}

// Update implements mfe.Progress.
func (p *Progress) Update(step, total int, fields map[string]float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.updated = true
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

// Done implements mfe.Progress: shows the final state, if Update was
// called, and flushes it.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	if !p.updated {
		return
	}
	p.renderLocked(time.Now())
	gonbui.Sync()
}

func (p *Progress) renderLocked(now time.Time) {
	p.last = now
	p.pending = false
	elapsed := now.Sub(p.start)
	p.send(&protocol.DisplayData{
		Data: map[protocol.MIMEType]any{
			protocol.MIMETextHTML:  HTMLProgress(p.title, p.step, p.total, p.fields, elapsed),
			protocol.MIMETextPlain: progress.Format(p.title, p.step, p.total, p.fields, elapsed),
		},
		DisplayID: p.id,
	})
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
