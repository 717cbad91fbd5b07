package interactive

import (
	"strings"
	"sync"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// recorder is a ui keeping the last HTML of each output block.
type recorder struct {
	mu     sync.Mutex
	blocks map[string]string
	js     []string
	writes int
}

func newRecorder() *recorder { return &recorder{blocks: map[string]string{}} }

func (r *recorder) HTML(id, h string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocks[id] = h
	r.writes++
}

func (r *recorder) JS(code string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.js = append(r.js, code)
}

func (r *recorder) get(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.blocks[id]
}

func slider(seq int, name, v string) event {
	return event{kind: "slider", name: name, value: v, seq: seq}
}

func TestExplorerLoop(t *testing.T) {
	rec := newRecorder()
	x := newExplorer(rec, mfe.Reference())
	rec.HTML(x.ctlID, x.controls())
	for _, s := range Specs() {
		if !strings.Contains(rec.get(x.ctlID), `id="`+x.prefix+"-"+s.Name+`"`) {
			t.Errorf("controls lack the %s slider", s.Name)
		}
	}
	x.render()
	out := rec.get(x.outID)
	if !strings.Contains(out, `data-state="ok"`) || !strings.Contains(out, "<img") {
		t.Fatalf("first render: %.300s", out)
	}
	firstImg := x.lastImg

	// A burst: gamma moves 1.75 -> 1.5 -> 1.25, delivered out of order, then
	// the regime selector, then ca = 0 (invalid), then Close.
	events := make(chan event, 16)
	events <- slider(2, "gamma", "1.25")
	events <- slider(1, "gamma", "1.5") // stale: must not win
	events <- event{kind: "select", name: "view", value: "1"}
	loopDone := make(chan struct{})
	go func() {
		x.loop(events, 0)
		close(loopDone)
	}()
	waitFor(t, func() bool { return strings.Contains(rec.get(x.outID), `data-render="2"`) })
	out = rec.get(x.outID)
	if x.p.Gamma != 1.25 || !strings.Contains(out, "γ=1.25") {
		t.Fatalf("gamma = %v after out-of-order messages, want 1.25; output %.200s", x.p.Gamma, out)
	}
	if x.view != MFGOnly || strings.Contains(out, "MFC optimal social cost") {
		t.Errorf("view %v: the MFC is still drawn", x.view)
	}
	if x.lastImg == firstImg {
		t.Error("the figure did not change with gamma")
	}
	events <- slider(3, "ca", "0")
	waitFor(t, func() bool { return strings.Contains(rec.get(x.outID), `data-render="3"`) })
	out = rec.get(x.outID)
	if !strings.Contains(out, `data-state="error"`) || !strings.Contains(out, "invalid parameter ca = 0") {
		t.Fatalf("ca = 0: %.400s", out)
	}
	if !strings.Contains(out, `opacity:0.3`) {
		t.Error("the last good figure is not kept (dimmed) under the error")
	}
	events <- event{kind: "button", name: "close", value: "1"}
	<-loopDone // the loop returns on Close
	x.close()
	if !strings.Contains(rec.get(x.ctlID), "Explorer closed at T=1 σ=0.5 γ=1.25 cα=0") {
		t.Errorf("controls after close: %s", rec.get(x.ctlID))
	}
}

func TestSliderMessages(t *testing.T) {
	ev, err := parseSlider("12|x0-mean|-0.25")
	if err != nil || ev.seq != 12 || ev.name != "x0-mean" || ev.value != "-0.25" {
		t.Fatalf("parseSlider = %+v, %v", ev, err)
	}
	for _, bad := range []string{"", "1|gamma", "x|gamma|1"} {
		if _, err := parseSlider(bad); err == nil {
			t.Errorf("parseSlider(%q) accepted", bad)
		}
	}
	st := newSliderState(Specs())
	p := mfe.Reference()
	if !st.apply(&p, slider(1, "sigma", "0.7")) || p.Sigma != 0.7 {
		t.Fatalf("sigma = %v", p.Sigma)
	}
	if st.apply(&p, slider(1, "sigma", "0.1")) || p.Sigma != 0.7 {
		t.Error("a repeated sequence number was applied")
	}
	if st.apply(&p, slider(2, "sigma", "nan?")) {
		t.Error("a non-number was applied")
	}
	if !st.apply(&p, slider(3, "T", "-1")) || p.T != 0 {
		t.Errorf("T = %v, want clamped to the slider's minimum 0", p.T)
	}
}
