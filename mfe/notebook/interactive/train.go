package interactive

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/widgets"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/notebook"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/report"
)

// TrainPanel shows the parameter sliders, regime and profile selectors and
// Train, Stop and Close buttons for the method m (one of mfe.Methods). Train
// trains m with the chosen settings in the background: the profile's
// configuration (m.Config), m.Train with seed 1, no checkpoint. A live
// progress bar (loss, control error against the exact solution) is updated
// in place; Stop cancels the run cleanly (its context is cancelled: the
// method stops at the end of the epoch and the panel says where); when
// training ends the panel draws the learned control against the exact one,
// the training curve and the metrics. Errors (invalid parameters, a regime
// without a solution, a panic in the method) are shown in place. Close
// stops any training and ends the cell.
//
// The panel starts at the reference parameters, the method's first regime
// and the notebook's profile (notebook.Profile). Without a live front end
// (see FrontEnd) it shows a one-line note and returns at once: headless
// runs train in the notebook's other cells.
func TrainPanel(m mfe.Method, opts ...Option) error {
	o := collect(opts)
	if m == nil {
		err := errors.New("interactive: TrainPanel without a method")
		notebook.ShowHTML(message("error", err.Error()))
		return err
	}
	if live, why := FrontEnd(o.probe); !live {
		notebook.ShowHTML(message("note", fmt.Sprintf(
			"Training panel for %s: not shown (%s). In Jupyter with a browser, this cell trains with the parameters, regime and profile chosen in its controls.",
			m.Title(), why)))
		return nil
	}
	return liveTrainPanel(m, o)
}

// trainPanel is the state of a live panel, independent of GoNB (tested with a
// recording ui).
type trainPanel struct {
	ui       ui
	m        mfe.Method
	regimes  []mfe.Regime // m.Regimes()
	prefix   string
	ctlID    string // output block of the controls
	statusID string // output block of the progress bar and messages
	resultID string // output block of the figures

	p       mfe.Params
	regime  mfe.Regime
	profile mfe.Profile
	sliders *sliderState

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{} // closed when the current run has finished
	runs   int
}

func newTrainPanel(u ui, m mfe.Method) *trainPanel {
	uid := gonbui.UniqueId()
	regimes := m.Regimes()
	return &trainPanel{ui: u, m: m, regimes: regimes, prefix: "mfe-t-" + uid,
		ctlID: "mfe_t_ctl_" + uid, statusID: "mfe_t_status_" + uid, resultID: "mfe_t_result_" + uid,
		p: mfe.Reference(), regime: regimes[0], profile: notebook.Profile(), sliders: newSliderState(Specs())}
}

func (tp *trainPanel) controls() string {
	return fmt.Sprintf(`<div class="mfe-train" id="%s"><b>Train %s</b>`+
		`<table style="margin:4px 0">%s</table>`+
		`<div>regime: <span id="%s-regime"></span> &nbsp; profile: <span id="%s-profile"></span> &nbsp; `+
		`<span id="%s-buttons"></span></div></div>`,
		tp.prefix, notebook.Escape(tp.m.Title()), sliders(tp.prefix, tp.sliders.specs, tp.p), tp.prefix, tp.prefix, tp.prefix)
}

func (tp *trainPanel) status(state, body string) {
	tp.ui.HTML(tp.statusID, fmt.Sprintf(`<div class="mfe-train-status" data-state="%s" data-runs="%d">%s</div>`, state, tp.runs, body))
}

func (tp *trainPanel) result(body string) {
	tp.ui.HTML(tp.resultID, `<div class="mfe-train-result">`+body+`</div>`)
}

// running reports whether a training run is under way.
func (tp *trainPanel) running() bool {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.cancel != nil
}

// handle applies one event; it reports whether the panel must close.
func (tp *trainPanel) handle(ev event) (closed bool) {
	switch ev.kind {
	case "slider":
		if tp.running() {
			return false // the run in progress keeps its parameters; the next one takes the new ones
		}
		tp.sliders.apply(&tp.p, ev)
	case "select":
		i, err := strconv.Atoi(ev.value)
		if err != nil || i < 0 {
			return false
		}
		switch ev.name {
		case "regime":
			if i < len(tp.regimes) {
				tp.regime = tp.regimes[i]
			}
		case "profile":
			if i < len(mfe.Profiles) {
				tp.profile = mfe.Profiles[i]
			}
		}
	case "button":
		switch ev.name {
		case "train":
			tp.start()
		case "stop":
			tp.stop()
		case "close":
			return true
		}
	}
	return false
}

// start launches a training run with the current settings, unless one is
// already running.
func (tp *trainPanel) start() {
	tp.mu.Lock()
	if tp.cancel != nil {
		tp.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	tp.cancel = cancel
	tp.done = make(chan struct{})
	tp.runs++
	done := tp.done
	p, r, prof := tp.p, tp.regime, tp.profile
	tp.mu.Unlock()

	tp.ui.JS(setEnabled(false, tp.prefix+"-train") + setEnabled(true, tp.prefix+"-stop"))
	title := fmt.Sprintf("%s (%s, %s)", tp.m.Title(), r, prof)
	tp.status("running", message("note", "training "+title+" at "+paramLine(p)+" …"))
	tp.result("")
	go func() {
		defer close(done)
		pr := &liveProgress{panel: tp, title: title, start: time.Now(), interval: 250 * time.Millisecond}
		res, err := tp.train(ctx, p, r, prof, pr)
		tp.finish(title, p, prof, res, err, pr)
		tp.mu.Lock()
		tp.cancel = nil
		tp.mu.Unlock()
		cancel()
		tp.ui.JS(setEnabled(true, tp.prefix+"-train") + setEnabled(false, tp.prefix+"-stop"))
	}()
}

// train trains the method with the profile's configuration, turning a
// panic into an error.
func (tp *trainPanel) train(ctx context.Context, p mfe.Params, r mfe.Regime, prof mfe.Profile, pr mfe.Progress) (res *mfe.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("%s panicked: %v", tp.m.Title(), v)
		}
	}()
	cfg, err := tp.m.Config(prof)
	if err != nil {
		return nil, err
	}
	return tp.m.Train(ctx, mfe.Run{Params: p, Regime: r, Profile: prof, Seed: 1, Progress: pr}, cfg)
}

// stop cancels the run in progress, if any.
func (tp *trainPanel) stop() {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if tp.cancel != nil {
		tp.cancel()
	}
}

// wait waits up to d for the run in progress (if any) to finish; it reports
// whether none is left running.
func (tp *trainPanel) wait(d time.Duration) bool {
	tp.mu.Lock()
	done := tp.done
	tp.mu.Unlock()
	if done == nil {
		return true
	}
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// finish shows the outcome of a run.
func (tp *trainPanel) finish(title string, p mfe.Params, prof mfe.Profile, res *mfe.Result, err error, pr *liveProgress) {
	step, total := pr.last()
	switch {
	case errors.Is(err, context.Canceled):
		tp.status("stopped", message("note", fmt.Sprintf("%s: stopped by the user after %d of %d epochs.", title, step, total)))
		if res != nil && res.History.Len() > 1 {
			if f, e := report.TrainingFigure(res); e == nil {
				if img, e := pngTag(tp.prefix+"-training", f, figureWidth); e == nil {
					tp.result(img)
				}
			}
		}
	case err != nil:
		tp.status("error", message("error", fmt.Sprintf("%s: %v", title, err)))
	case res == nil:
		tp.status("error", message("error", title+": the method returned no result"))
	default:
		res.Profile = prof
		tp.status("drawing", notebook.HTMLProgress(title, step, total, pr.fields(), time.Since(pr.start))+
			message("note", "drawing the learned control …"))
		tp.result(tp.resultHTML(res)) // before the final status, so that "done" means everything is shown
		tp.status("done", notebook.HTMLProgress(title, step, total, pr.fields(), time.Since(pr.start))+
			message("note", fmt.Sprintf("done in %.1f s: control_rel = %.3g (RMS relative error of the learned control along fresh particles)",
				res.WallTime, res.Metrics.ControlRel)))
	}
}

// resultHTML draws the learned control against the exact one, the training
// curve and the metrics table.
func (tp *trainPanel) resultHTML(res *mfe.Result) string {
	var b strings.Builder
	if res.Control != nil {
		g, err := report.ControlFigure(res, report.Times(res.Params.T, 0, 0.5, 1))
		if err == nil {
			var img string
			if img, err = pngTag(tp.prefix+"-control", g, figureWidth); err == nil {
				b.WriteString(img)
			}
		}
		if err != nil {
			b.WriteString(message("error", "drawing the learned control: "+err.Error()))
		}
	}
	if res.History.Len() > 1 {
		f, err := report.TrainingFigure(res)
		if err == nil {
			var img string
			if img, err = pngTag(tp.prefix+"-training", f, figureWidth); err == nil {
				b.WriteString(img)
			}
		}
		if err != nil {
			b.WriteString(message("error", "drawing the training curve: "+err.Error()))
		}
	}
	header, rows := report.MetricsRows(res)
	b.WriteString(table(append([][]string{header}, rows...)))
	return b.String()
}

// liveProgress is the panel's progress bar (an mfe.Progress), throttled.
type liveProgress struct {
	panel    *trainPanel
	title    string
	start    time.Time
	interval time.Duration

	mu      sync.Mutex
	shown   time.Time
	step    int
	total   int
	current map[string]float64
}

func (l *liveProgress) Update(step, total int, fields map[string]float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.step, l.total = step, total
	l.current = make(map[string]float64, len(fields))
	for k, v := range fields {
		l.current[k] = v
	}
	now := time.Now()
	if now.Sub(l.shown) < l.interval && step < total {
		return
	}
	l.shown = now
	l.panel.status("running", notebook.HTMLProgress(l.title, step, total, l.current, now.Sub(l.start))+
		`<div style="color:#555;font-size:90%">Stop cancels at the end of the epoch.</div>`)
}

func (l *liveProgress) Done() {}

func (l *liveProgress) last() (step, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.step, l.total
}

func (l *liveProgress) fields() map[string]float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// close stops any run, waits for it, and replaces the controls by a summary.
func (tp *trainPanel) close() {
	tp.stop()
	if !tp.wait(2 * time.Minute) {
		tp.status("error", message("error", "the training run did not stop within 2 minutes of Close"))
	}
	tp.ui.HTML(tp.ctlID, message("note", fmt.Sprintf("Training panel for %s closed (last settings: %s, %s, %s). Re-run the cell to train again.",
		tp.m.Title(), paramLine(tp.p), tp.regime, tp.profile)))
}

// loop handles events until Close or idle (idle counts only while no run is
// in progress).
func (tp *trainPanel) loop(events <-chan event, idle time.Duration) {
	for {
		var timeout <-chan time.Time
		if idle > 0 && !tp.running() {
			timeout = time.After(idle)
		}
		select {
		case ev := <-events:
			if tp.handle(ev) {
				return
			}
		case <-timeout:
			if !tp.running() {
				return
			}
		}
	}
}

// liveTrainPanel builds the controls in the page and runs the panel.
func liveTrainPanel(m mfe.Method, o options) error {
	tp := newTrainPanel(gonbUI{}, m)
	tp.ui.HTML(tp.ctlID, tp.controls())
	tp.status("idle", message("note", "Choose the parameters, regime and profile, then press Train."))
	tp.result("")
	events := make(chan event, 256)
	addr := "/mfe/train/" + gonbui.UniqueId()
	sl := listenSliders(addr, events)
	defer sl.Close()
	tp.ui.JS(slidersJS(tp.prefix, addr, tp.sliders.specs))

	regimes := make([]string, len(tp.regimes))
	for i, r := range tp.regimes {
		regimes[i] = strings.ToUpper(string(r))
	}
	rs := widgets.Select(regimes).WithHtmlId(tp.prefix + "-regimesel").AppendTo(tp.prefix + "-regime").Done()
	rc := rs.Listen()
	defer rc.Close()
	forward(rc, "select", "regime", events)

	profiles := make([]string, len(mfe.Profiles))
	def := 0
	for i, p := range mfe.Profiles {
		profiles[i] = string(p)
		if p == tp.profile {
			def = i
		}
	}
	tp.profile = mfe.Profiles[def]
	ps := widgets.Select(profiles).SetDefault(def).WithHtmlId(tp.prefix + "-profilesel").AppendTo(tp.prefix + "-profile").Done()
	pc := ps.Listen()
	defer pc.Close()
	forward(pc, "select", "profile", events)

	for _, name := range []string{"train", "stop", "close"} {
		label := strings.ToUpper(name[:1]) + name[1:]
		b := widgets.Button(label).WithHtmlId(tp.prefix + "-" + name).AppendTo(tp.prefix + "-buttons").Done()
		c := b.Listen()
		defer c.Close()
		forward(c, "button", name, events)
	}
	tp.ui.JS(setEnabled(false, tp.prefix+"-stop"))
	tp.loop(events, o.idle)
	tp.close()
	gonbui.Sync()
	return nil
}
