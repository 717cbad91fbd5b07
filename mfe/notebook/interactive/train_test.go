package interactive

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// fakeMethod is an mfe.Method whose training is train.
type fakeMethod struct {
	name    string
	regimes []mfe.Regime
	train   func(ctx context.Context, run mfe.Run) (*mfe.Result, error)
}

type fakeConfig struct{}

func (fakeConfig) Validate() error { return nil }

func (f *fakeMethod) Name() string                           { return f.name }
func (f *fakeMethod) Title() string                          { return f.name }
func (f *fakeMethod) Order() int                             { return 0 }
func (f *fakeMethod) Regimes() []mfe.Regime                  { return f.regimes }
func (f *fakeMethod) Config(mfe.Profile) (mfe.Config, error) { return fakeConfig{}, nil }
func (f *fakeMethod) Train(ctx context.Context, run mfe.Run, _ mfe.Config) (*mfe.Result, error) {
	return f.train(ctx, run)
}

// fakeTrain reports progress every few milliseconds for epochs epochs (or
// until cancelled) and returns the exact MFG control as its result.
func fakeTrain(epochs int, seen *mfe.Params) func(context.Context, mfe.Run) (*mfe.Result, error) {
	return func(ctx context.Context, run mfe.Run) (*mfe.Result, error) {
		p, pr := run.Params, run.Progress
		*seen = p
		if err := p.Validate(); err != nil {
			return nil, err
		}
		res := &mfe.Result{Method: "fake", Regime: run.Regime, Params: p}
		for e := 1; e <= epochs; e++ {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			res.History.Epoch = append(res.History.Epoch, e)
			res.History.Loss = append(res.History.Loss, 1/float64(e))
			pr.Update(e, epochs, map[string]float64{"loss": 1 / float64(e), "control_rel": 0.5 / float64(e)})
			time.Sleep(2 * time.Millisecond)
		}
		pr.Done()
		m, err := exact.NewMFG(p)
		if err != nil {
			return nil, err
		}
		res.Control = m.Control()
		res.Metrics.ControlRel = 1e-3
		return res, nil
	}
}

func TestTrainPanelRunStopError(t *testing.T) {
	rec := newRecorder()
	var seen mfe.Params
	fm := &fakeMethod{name: "fake", regimes: []mfe.Regime{mfe.MFG}, train: fakeTrain(5000, &seen)}
	tp := newTrainPanel(rec, fm)
	status := func() string { return rec.get(tp.statusID) }

	// Stop: the run is cancelled, the panel says after how many epochs.
	tp.handle(slider(1, "sigma", "0.25"))
	tp.handle(event{kind: "button", name: "train", value: "1"})
	waitFor(t, func() bool { return strings.Contains(status(), "<progress") })
	tp.handle(event{kind: "button", name: "train", value: "2"}) // ignored while running
	tp.handle(event{kind: "button", name: "stop", value: "1"})
	if !tp.wait(10 * time.Second) {
		t.Fatal("the run did not stop")
	}
	if !strings.Contains(status(), `data-state="stopped"`) || !strings.Contains(status(), "stopped by the user after") {
		t.Fatalf("status after Stop: %s", status())
	}
	if tp.runs != 1 {
		t.Errorf("%d runs started, want 1 (Train while running is ignored)", tp.runs)
	}
	if seen.Sigma != 0.25 {
		t.Errorf("the run used sigma = %v, want the slider's 0.25", seen.Sigma)
	}

	// A complete run draws the learned control, the training curve and the metrics.
	fm.train = fakeTrain(20, &seen)
	tp.handle(event{kind: "button", name: "train", value: "3"})
	if !tp.wait(30 * time.Second) {
		t.Fatal("the run did not finish")
	}
	res := rec.get(tp.resultID)
	if !strings.Contains(status(), `data-state="done"`) || strings.Count(res, "<img") != 2 || !strings.Contains(res, "control_rel") {
		t.Fatalf("after a complete run: status %.300s; result has %d images", status(), strings.Count(res, "<img"))
	}

	// Invalid parameters: the error is shown in place.
	tp.handle(slider(2, "ca", "0"))
	tp.handle(event{kind: "button", name: "train", value: "4"})
	tp.wait(10 * time.Second)
	if !strings.Contains(status(), `data-state="error"`) || !strings.Contains(status(), "invalid parameter ca = 0") {
		t.Fatalf("status with ca = 0: %s", status())
	}

	// A panicking method is an error in place too.
	tp.handle(slider(3, "ca", "1"))
	fm.train = func(context.Context, mfe.Run) (*mfe.Result, error) {
		panic("boom")
	}
	tp.handle(event{kind: "button", name: "train", value: "5"})
	tp.wait(10 * time.Second)
	if !strings.Contains(status(), "fake panicked: boom") {
		t.Fatalf("status after a panic: %s", status())
	}
}

func TestTrainPanelCloseStopsTheRun(t *testing.T) {
	rec := newRecorder()
	cancelled := make(chan error, 1)
	tp := newTrainPanel(rec, &fakeMethod{name: "slow", regimes: []mfe.Regime{mfe.MFG, mfe.MFC}, train: func(ctx context.Context, run mfe.Run) (*mfe.Result, error) {
		<-ctx.Done()
		cancelled <- ctx.Err()
		return nil, ctx.Err()
	}})
	if tp.regime != mfe.MFG || tp.p != mfe.Reference() {
		t.Errorf("defaults: regime %v, params %+v", tp.regime, tp.p)
	}
	events := make(chan event, 4)
	events <- event{kind: "select", name: "regime", value: "1"}
	events <- event{kind: "select", name: "profile", value: "2"}
	events <- event{kind: "button", name: "train", value: "1"}
	events <- event{kind: "button", name: "close", value: "1"}
	tp.loop(events, 0)
	tp.close()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("the method saw %v, want context.Canceled", err)
	}
	if tp.running() {
		t.Fatal("still running after close")
	}
	if tp.regime != mfe.MFC || tp.profile != mfe.Memoir {
		t.Errorf("selectors: regime %v, profile %v", tp.regime, tp.profile)
	}
	if !strings.Contains(rec.get(tp.ctlID), "closed") {
		t.Errorf("controls after close: %s", rec.get(tp.ctlID))
	}
}

func TestTrainPanelHeadless(t *testing.T) {
	// Outside GoNB the panel returns at once without training.
	called := false
	err := TrainPanel(&fakeMethod{name: "x", regimes: []mfe.Regime{mfe.MFG}, train: func(context.Context, mfe.Run) (*mfe.Result, error) {
		called = true
		return nil, nil
	}})
	if err != nil || called {
		t.Fatalf("TrainPanel outside GoNB: err %v, trained %v", err, called)
	}
	if err := TrainPanel(nil); err == nil {
		t.Error("a panel without a method was accepted")
	}
	if err := Explorer(mfe.Reference()); err != nil {
		t.Fatal(err)
	}
	p := mfe.Reference()
	p.T = 0
	if err := Explorer(p); err == nil || !strings.Contains(err.Error(), "T") {
		t.Fatalf("Explorer with T = 0: %v", err)
	}
}
