package interactive

import (
	"encoding/base64"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/figure"
)

// Option configures a panel.
type Option func(*options)

type options struct {
	probe time.Duration
	idle  time.Duration
}

// Probe sets how long a panel waits for a browser to answer (see FrontEnd).
func Probe(d time.Duration) Option { return func(o *options) { o.probe = d } }

// Idle ends a live panel after d without any input (0, the default: only its
// Close button, or interrupting the kernel, ends it).
func Idle(d time.Duration) Option { return func(o *options) { o.idle = d } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// ui is where a panel's output goes: GoNB in a notebook, a recorder in tests.
type ui interface {
	// HTML creates the output block id, or replaces its content.
	HTML(id, html string)
	// JS runs JavaScript in the page.
	JS(code string)
}

type gonbUI struct{}

func (gonbUI) HTML(id, h string) { gonbui.UpdateHTML(id, h) }
func (gonbUI) JS(code string)    { dom.TransientJavascript(code) }

// event is one input from the page.
type event struct {
	kind  string // "slider", "select", "button"
	name  string // slider's parameter name, select's or button's name
	value string // slider value; select index; button click count
	seq   int    // slider messages: the page's sequence number
}

// parseSlider decodes a slider message "seq|name|value".
func parseSlider(msg string) (event, error) {
	parts := strings.SplitN(msg, "|", 3)
	if len(parts) != 3 {
		return event{}, fmt.Errorf("malformed slider message %q", msg)
	}
	seq, err := strconv.Atoi(parts[0])
	if err != nil {
		return event{}, fmt.Errorf("malformed slider message %q", msg)
	}
	return event{kind: "slider", name: parts[1], value: parts[2], seq: seq}, nil
}

// sliders renders the table rows of the parameter sliders, with DOM ids
// prefix-NAME (the <input>) and prefix-NAME-v (its value).
func sliders(prefix string, specs []Spec, p mfe.Params) string {
	var b strings.Builder
	for _, s := range specs {
		v := s.Clamp(s.Get(p))
		fmt.Fprintf(&b, `<tr data-param="%s"><td style="text-align:left;padding:1px 8px">%s</td>`+
			`<td style="padding:1px 4px"><input type="range" id="%s-%s" min="%s" max="%s" step="%s" value="%s" style="width:240px"/></td>`+
			`<td style="text-align:left;font-family:monospace;min-width:5ex" id="%s-%s-v">%s</td></tr>`,
			s.Name, html.EscapeString(s.Label), prefix, s.Name, Format(s.Min), Format(s.Max), Format(s.Step), Format(v),
			prefix, s.Name, Format(s.Get(p)))
	}
	return b.String()
}

// slidersJS wires the sliders: every move sends "seq|name|value" to addr,
// seq increasing, so that the kernel keeps the latest value of each slider
// whatever order the messages arrive in.
func slidersJS(prefix, addr string, specs []Spec) string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = strconv.Quote(s.Name)
	}
	return fmt.Sprintf(`(() => {
  const c = globalThis?.gonb_comm;
  if (!c) { console.error("mfe: no connection to GoNB: sliders are not connected"); return; }
  let seq = 0;
  for (const name of [%s]) {
    const el = document.getElementById(%q + "-" + name);
    const out = document.getElementById(%q + "-" + name + "-v");
    if (!el) { continue; }
    const send = () => {
      seq++;
      if (out) { out.textContent = el.value; }
      el.setAttribute("value", el.value);
      c.send(%q, seq + "|" + name + "|" + el.value);
    };
    el.addEventListener("input", send);
    el.addEventListener("change", send);
  }
})();`, strings.Join(names, ", "), prefix, prefix, addr)
}

// listenSliders forwards the page's slider messages to events.
func listenSliders(addr string, events chan<- event) *comms.AddressChan[string] {
	ch := comms.Listen[string](addr).WithBuffer(256)
	go func() {
		for msg := range ch.C {
			if ev, err := parseSlider(msg); err == nil {
				events <- ev
			}
		}
	}()
	return ch
}

// forward sends every value of an int channel to events as kind/name.
func forward(c *comms.AddressChan[int], kind, name string, events chan<- event) {
	go func() {
		for v := range c.C {
			events <- event{kind: kind, name: name, value: strconv.Itoa(v)}
		}
	}()
}

// sliderState applies slider events in sequence order.
type sliderState struct {
	specs []Spec
	seq   map[string]int
}

func newSliderState(specs []Spec) *sliderState {
	return &sliderState{specs: specs, seq: map[string]int{}}
}

// apply sets the parameter of a slider event unless a later message of the
// same slider was already applied; it reports whether p changed.
func (s *sliderState) apply(p *mfe.Params, ev event) bool {
	if ev.seq <= s.seq[ev.name] {
		return false
	}
	v, err := strconv.ParseFloat(ev.value, 64)
	if err != nil {
		return false
	}
	old := *p
	if !Apply(p, s.specs, ev.name, v) {
		return false
	}
	s.seq[ev.name] = ev.seq
	return *p != old
}

// paramLine writes the parameters as one line, e.g. "T=1 σ=0.5 ...".
func paramLine(p mfe.Params) string {
	return fmt.Sprintf("T=%s σ=%s γ=%s cα=%s cX=%s cg=%s X₀~N(%s, %s²)",
		Format(p.T), Format(p.Sigma), Format(p.Gamma), Format(p.Ca), Format(p.CX), Format(p.Cg),
		Format(p.X0Mean), Format(p.X0Std))
}

// figureWidth is the width, in CSS pixels, at which the panels show a
// figure: 80 % of its default width (figure.Width at figure.DPI, 1125
// pixels), where its smallest text (figure.TickSize) reads as 8 points.
const figureWidth = 900

// pngTag encodes a figure as an inline <img>; a panic while drawing (gonum/plot
// panics on some degenerate data) is returned as an error.
func pngTag(id string, f figure.Figure, maxWidth int) (tag string, err error) {
	defer func() {
		if r := recover(); r != nil {
			tag, err = "", fmt.Errorf("drawing the figure: %v", r)
		}
	}()
	b, err := figure.PNG(f, 0, 0)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`<img id="%s" style="max-width:100%%;width:%dpx" src="data:image/png;base64,%s"/>`,
		id, maxWidth, base64.StdEncoding.EncodeToString(b)), nil
}

// table renders rows of cells as a small HTML table; the first row is the header.
func table(rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;margin:4px 0">`)
	for i, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			fmt.Fprintf(&b, `<%s style="text-align:left;padding:1px 10px;border-bottom:1px solid #ddd">%s</%s>`, tag, html.EscapeString(c), tag)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

// message renders a notice in the output: kind "error" (red) or "note" (grey).
func message(kind, text string) string {
	color := "#555"
	if kind == "error" {
		color = "#b00020"
	}
	return fmt.Sprintf(`<div class="mfe-%s" style="color:%s;border-left:3px solid %s;padding:2px 8px;margin:4px 0;white-space:pre-wrap">%s</div>`,
		kind, color, color, html.EscapeString(text))
}

// setEnabled returns JavaScript enabling or disabling the elements by id.
func setEnabled(enabled bool, ids ...string) string {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, `{ const e = document.getElementById(%q); if (e) { e.disabled = %v; } }`, id, !enabled)
	}
	return b.String()
}
