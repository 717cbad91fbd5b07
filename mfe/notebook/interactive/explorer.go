package interactive

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/widgets"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/notebook"
)

// Explorer shows sliders for the model parameters (starting at p) and a
// regime selector (MFG and MFC, MFG, MFC), and redraws the exact solution in
// place as they move (see ExactView for what is drawn). Invalid parameter
// sets, and regimes without a solution, show a message in place of the
// figure. The cell runs until the Close button is pressed (or Idle passes),
// leaving the last figure in its output.
//
// Without a live front end (see FrontEnd) it shows the figure at p as a
// static PNG and returns at once. The error is that of the initial
// parameters, or of setting up the controls; it is also shown in the cell.
func Explorer(p mfe.Params, opts ...Option) error {
	o := collect(opts)
	if live, why := FrontEnd(o.probe); !live {
		return staticExplorer(p, why)
	}
	return liveExplorer(p, o)
}

// staticExplorer shows the figure at p without controls.
func staticExplorer(p mfe.Params, why string) error {
	ex, err := ExactView(p, Both)
	if err != nil {
		notebook.ShowHTML(message("error", err.Error()))
		return err
	}
	png, err := figure.PNG(ex.Figure, 0, 0)
	if err != nil {
		notebook.ShowHTML(message("error", err.Error()))
		return err
	}
	notebook.ShowPNG(png)
	rows := [][]string{{"quantity", "value"}}
	for _, c := range ex.Costs {
		rows = append(rows, []string{c[0], c[1]})
	}
	notebook.ShowHTML(table(rows) + message("note", fmt.Sprintf(
		"Parameter explorer, static view at %s (%s). In Jupyter with a browser, this cell shows sliders and redraws as they move.",
		paramLine(p), why)))
	return nil
}

// explorer is the state of a live explorer, independent of GoNB (tested with
// a recording ui).
type explorer struct {
	ui      ui
	prefix  string // DOM id prefix
	ctlID   string // output block of the controls
	outID   string // output block of the figure
	p       mfe.Params
	view    View
	sliders *sliderState
	renders int
	lastImg string // the last good figure's <img>, shown dimmed under an error
}

func newExplorer(u ui, p mfe.Params) *explorer {
	uid := gonbui.UniqueId()
	return &explorer{ui: u, prefix: "mfe-x-" + uid, ctlID: "mfe_x_ctl_" + uid, outID: "mfe_x_out_" + uid,
		p: p, view: Both, sliders: newSliderState(Specs())}
}

// controls returns the HTML of the controls block; the regime selector and
// the Close button are appended into prefix-regime and prefix-close.
func (x *explorer) controls() string {
	return fmt.Sprintf(`<div class="mfe-explorer" id="%s"><b>Exact solution explorer</b>`+
		`<table style="margin:4px 0">%s</table>`+
		`<div>regime: <span id="%s-regime"></span> &nbsp; <span id="%s-close"></span></div></div>`,
		x.prefix, sliders(x.prefix, x.sliders.specs, x.p), x.prefix, x.prefix)
}

// handle applies one event; it reports whether the figure must be redrawn
// and whether the explorer must close.
func (x *explorer) handle(ev event) (redraw, closed bool) {
	switch ev.kind {
	case "slider":
		return x.sliders.apply(&x.p, ev), false
	case "select":
		i, err := strconv.Atoi(ev.value)
		if err != nil || i < 0 || i >= len(Views) || Views[i] == x.view {
			return false, false
		}
		x.view = Views[i]
		return true, false
	case "button":
		return false, ev.name == "close"
	}
	return false, false
}

// render redraws the output block; errors (and panics) become a message in
// place, never a failure of the cell.
func (x *explorer) render() {
	x.renders++
	state, body := "ok", ""
	func() {
		defer func() {
			if r := recover(); r != nil {
				state, body = "error", message("error", fmt.Sprintf("internal error: %v", r))
			}
		}()
		ex, err := ExactView(x.p, x.view)
		if err == nil {
			var img string
			img, err = pngTag(x.prefix+"-fig", ex.Figure, figureWidth)
			if err == nil {
				x.lastImg = img
				var b strings.Builder
				for _, n := range ex.Notes {
					b.WriteString(message("note", n))
				}
				b.WriteString(img)
				rows := [][]string{{"quantity", "value"}}
				for _, c := range ex.Costs {
					rows = append(rows, []string{c[0], c[1]})
				}
				b.WriteString(table(rows))
				body = b.String()
				return
			}
		}
		state = "error"
		body = message("error", err.Error())
		if x.lastImg != "" {
			body += `<div style="opacity:0.3">` + x.lastImg + `</div>`
		}
	}()
	x.ui.HTML(x.outID, fmt.Sprintf(`<div class="mfe-explorer-out" id="%s-out" data-render="%d" data-state="%s">`+
		`<div style="font-family:monospace;font-size:90%%">%s &middot; %s</div>%s</div>`,
		x.prefix, x.renders, state, notebook.Escape(paramLine(x.p)), notebook.Escape(x.view.String()), body))
}

// close replaces the controls by a summary of the final parameters.
func (x *explorer) close() {
	x.ui.HTML(x.ctlID, message("note", fmt.Sprintf("Explorer closed at %s (%s). Re-run the cell to explore again.",
		paramLine(x.p), x.view)))
}

// loop handles events until Close or idle, redrawing once per burst of events.
func (x *explorer) loop(events <-chan event, idle time.Duration) {
	var timeout <-chan time.Time
	for {
		if idle > 0 {
			timeout = time.After(idle)
		}
		var ev event
		select {
		case ev = <-events:
		case <-timeout:
			return
		}
		redraw, closed := x.handle(ev)
		// Drain what arrived meanwhile: one redraw for a burst of moves.
	drain:
		for !closed {
			select {
			case ev = <-events:
				r, c := x.handle(ev)
				redraw, closed = redraw || r, c
			default:
				break drain
			}
		}
		if closed {
			return
		}
		if redraw {
			x.render()
		}
	}
}

// liveExplorer builds the controls in the page and runs the explorer.
func liveExplorer(p mfe.Params, o options) error {
	x := newExplorer(gonbUI{}, p)
	x.ui.HTML(x.ctlID, x.controls())
	x.render()
	events := make(chan event, 256)
	addr := "/mfe/explorer/" + gonbui.UniqueId()
	sl := listenSliders(addr, events)
	defer sl.Close()
	x.ui.JS(slidersJS(x.prefix, addr, x.sliders.specs))
	names := make([]string, len(Views))
	for i, v := range Views {
		names[i] = v.String()
	}
	sel := widgets.Select(names).WithHtmlId(x.prefix + "-view").AppendTo(x.prefix + "-regime").Done()
	selCh := sel.Listen()
	defer selCh.Close()
	forward(selCh, "select", "view", events)
	cl := widgets.Button("Close").WithHtmlId(x.prefix + "-closebtn").AppendTo(x.prefix + "-close").Done()
	clCh := cl.Listen()
	defer clCh.Close()
	forward(clCh, "button", "close", events)
	x.loop(events, o.idle)
	x.close()
	gonbui.Sync()
	return nil
}
