package notebook

import (
	"strings"
	"testing"

	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// TestProgress: a Progress shows nothing until its first Update (a run
// reloaded without training calls Done alone), then each display block
// holds the bar as HTML and the same line as plain text, under one display
// id, the last one at Done.
func TestProgress(t *testing.T) {
	var sent []*protocol.DisplayData
	record := func(d *protocol.DisplayData) { sent = append(sent, d) }

	reloaded := newProgress("fbsde (mfg)", record)
	reloaded.Done()
	if len(sent) != 0 {
		t.Fatalf("Done without Update displayed %d blocks, want none", len(sent))
	}

	p := newProgress("fbsde (mfg)", record)
	p.Interval = 0
	p.Update(3, 10, map[string]float64{"loss": 0.5})
	p.Update(10, 10, map[string]float64{"loss": 0.25})
	p.Done()
	if len(sent) != 3 {
		t.Fatalf("%d blocks displayed, want 3 (two updates and Done)", len(sent))
	}
	for i, d := range sent {
		html, _ := d.Data[protocol.MIMETextHTML].(string)
		text, _ := d.Data[protocol.MIMETextPlain].(string)
		if d.DisplayID != sent[0].DisplayID || d.DisplayID == "" {
			t.Errorf("block %d: display id %q, want the first's %q", i, d.DisplayID, sent[0].DisplayID)
		}
		if !strings.Contains(html, "<progress") || !strings.HasPrefix(text, "fbsde (mfg) [") || strings.Contains(text, "<") {
			t.Errorf("block %d: html %q, text %q", i, html, text)
		}
	}
	if text := sent[2].Data[protocol.MIMETextPlain].(string); !strings.Contains(text, "10/10 100%") || !strings.Contains(text, "loss=0.25") {
		t.Errorf("final text %q, want the last step and its fields", text)
	}
}
