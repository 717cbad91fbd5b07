package qlearn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	mfemodel "github.com/mf-optimal-execution/mf-optimal-execution/mfe/model"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/sim"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/runkey"
)

// Keys of the method's history series, recorded with mfe.KeyControlRel at
// every history record.
const (
	// KeyControlRelLaw is the learned control's relative L2 error pooled over
	// the grid times, each weighted by the exact law of X_t
	// (eval.ControlRelByTime).
	KeyControlRelLaw mfe.HistoryKey = "control_rel_law"
	// KeyControlRelMaxT is the largest of its errors at the grid times.
	KeyControlRelMaxT mfe.HistoryKey = "control_rel_max_t"
)

// regimes are the problems the method solves.
var regimes = []mfe.Regime{mfe.MFG, mfe.MFC}

// Train runs mean-field Q-learning for the regime, parameters and model of
// run and returns the result: the
// history (Epoch = EvalEpoch = episodes done, Loss = mean squared TD error
// since the previous record, ControlMSE by a cheap simulation, Extra "control_rel",
// "control_rel_law", "control_rel_max_t" per record; "t" and "control_rel_by_time" once, for the
// final control at the grid times t_n = n dt, n = 0..N_T, weighted by the
// exact law of X_t), the final metrics (eval.Control with eval.Default) and
// the learned control, a *Tables. A model without an exact solution (the
// capped one, a user's) is measured against its finite-difference solution
// instead (finitedifference.Reference, kept in the result's Reference;
// eval.ControlAgainst: control_mse and control_rel, the metrics naming the
// reference), and its history holds
// control_mse and control_rel only, the series weighted by the exact law
// being left out. On cancellation it returns the partial
// result (its control and history, without final metrics) with ctx.Err().
//
// With run.Checkpoint set, the run saves its state there (see the package
// documentation) every run.CheckpointEvery episodes (Episodes/20 when 0;
// at the first batch boundary at or after each multiple), on cancellation
// and finished at the end. When the directory holds a checkpoint of the
// same run, Train resumes it: the resumed run ends with the same tables,
// history and metrics, bit for bit, as an uninterrupted one; a finished run
// is reloaded without training; a checkpoint of another run is refused
// with a *mfe.MismatchError. With run.Reevaluate, a finished run's final
// metrics are computed again and replace the stored ones (verifyFinished).
func Train(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
	start := time.Now()
	key, err := runkey.Of(Method, regimes, run, cfg)
	if err != nil {
		return nil, err
	}
	p, r, seed, pr := run.Params, run.Regime, run.Seed, run.Progress
	if pr == nil {
		pr = mfe.NopProgress{}
	}
	m, err := mfemodel.New(run.Model, p)
	if err != nil {
		return nil, err
	}
	spec, lq := key.Model, run.Model.IsLQ()
	// What the control is measured against: the exact control, or for a
	// model without one its finite-difference solution (the result keeps
	// it, for control.json and the figures).
	var ref *eval.Reference
	var exactC mfe.Control
	if lq {
		exactC, err = eval.ExactControl(p, r)
	} else {
		var rf eval.Reference
		rf, err = finitedifference.Reference(ctx, m, r)
		ref, exactC = &rf, rf.Control
	}
	if err != nil {
		return nil, err
	}
	// metrics are the final metrics of a learned control: eval.Control
	// with eval.Default, or against the reference eval.ControlAgainst
	// (control_mse and control_rel only).
	metrics := func(ctx context.Context, c mfe.Control) (mfe.Metrics, error) {
		if ref != nil {
			return eval.ControlAgainst(ctx, p, c, *ref, eval.Default)
		}
		return eval.Control(ctx, p, r, c, eval.Default)
	}
	ckDir, ckEvery := run.Checkpoint, runkey.Every(run, max(1, cfg.Episodes/20))
	saved, err := loadCheckpoint(ckDir, key, run.AdoptLegacy, run.Reevaluate != nil)
	if err != nil {
		return nil, err
	}
	l, err := newLearner(m, r, cfg, seed)
	if err != nil {
		return nil, err
	}
	res := &mfe.Result{
		Method: Method, Regime: r, Params: p, Profile: run.Profile, Backend: plainBackend, Seed: seed, Model: spec, Config: cfg,
		History: mfe.History{Extra: map[mfe.HistoryKey][]float64{}},
	}
	if ref != nil {
		res.Reference, res.ReferenceLaw = ref.Control, ref.Law
	}
	var prevTrain, prevWall float64 // seconds spent before the resumed part
	prevBatches := 0
	if saved != nil {
		if err := l.Restore(saved.Learner.state(), cfg.Episodes); err != nil {
			return nil, fmt.Errorf("qlearn: checkpoint %s: %w", ckDir, err)
		}
		res.History = saved.History.history()
		if res.History.Extra == nil {
			res.History.Extra = map[mfe.HistoryKey][]float64{}
		}
		if saved.Finished {
			if saved.Metrics == nil {
				return nil, fmt.Errorf("qlearn: checkpoint %s: a finished run without metrics (corrupt file?)", ckDir)
			}
			res.Control = newTables(l, r, p, spec, cfg, seed)
			if err := verifyFinished(ctx, ckDir, key, saved, res, metrics, run.Reevaluate); err != nil {
				return nil, err
			}
			res.Metrics = *saved.Metrics
			res.EpochTime, res.WallTime = saved.EpochTime, saved.WallTime
			pr.Done()
			return res, nil
		}
		prevTrain, prevWall, prevBatches = saved.TrainTime, saved.WallTime, saved.Batches
	}
	// Episodes per level: the last level gets half, the others share the rest.
	perLevel := make([]int, cfg.Levels)
	if cfg.Levels == 1 {
		perLevel[0] = cfg.Episodes
	} else {
		last := cfg.Episodes / 2
		for k := range perLevel[:cfg.Levels-1] {
			perLevel[k] = (cfg.Episodes - last) / (cfg.Levels - 1)
		}
		sum := 0
		for _, v := range perLevel[:cfg.Levels-1] {
			sum += v
		}
		perLevel[cfg.Levels-1] = cfg.Episodes - sum
	}
	checkEvery := math.MaxInt
	if cfg.Checkpoints > 0 {
		checkEvery = max(1, cfg.Episodes/cfg.Checkpoints)
	}
	nextCheck := checkEvery
	if saved != nil {
		nextCheck = saved.NextCheck
	}
	nextSave := math.MaxInt
	if ckDir != "" {
		nextSave = (l.Episode()/ckEvery + 1) * ckEvery
	}
	ckSim := sim.Sim{P: p, N: cfg.EvalN, Steps: max(cfg.Steps, 50), Seed: seed ^ 0x5eed}
	times := mfe.TimeGrid(p.T, cfg.Steps)
	lastRel := math.NaN()
	if v := res.History.Extra[mfe.KeyControlRel]; len(v) > 0 {
		lastRel = v[len(v)-1]
	}
	record := func() error {
		tb := newTables(l, r, p, spec, cfg, seed)
		// A record runs to its end (it is cheap; the loop checks ctx
		// between batches), so that a resumed run's history is that of an
		// uninterrupted one.
		ce, err := ckSim.ControlError(context.WithoutCancel(ctx), tb, exactC)
		if err != nil {
			return err
		}
		var sd float64
		if len(ce.PerTime) > 1 {
			for _, v := range ce.PerTime {
				sd += (v - ce.MSE) * (v - ce.MSE)
			}
			sd = math.Sqrt(sd / float64(len(ce.PerTime)))
		}
		h := &res.History
		h.Epoch = append(h.Epoch, l.Episode())
		h.Loss = append(h.Loss, l.TakeLoss())
		h.EvalEpoch = append(h.EvalEpoch, l.Episode()) // ControlMSE is recorded at EvalEpoch
		h.ControlMSE = append(h.ControlMSE, ce.MSE)
		h.ControlMSEStd = append(h.ControlMSEStd, sd)
		h.Append(mfe.KeyControlRel, ce.Rel)
		if lq {
			byT, overall, err := eval.ControlRelByTime(p, r, tb, times)
			if err != nil {
				return err
			}
			h.Append(KeyControlRelLaw, overall)
			h.Append(KeyControlRelMaxT, maxOf(byT))
		}
		lastRel = ce.Rel
		return nil
	}
	var trainErr error
	trainStart := time.Now()
	batches := 0
	// state is the checkpoint of the run as it stands (at a batch boundary).
	state := func() checkpointState {
		return checkpointState{
			History: saveHistory(res.History), NextCheck: nextCheck, Batches: prevBatches + batches,
			TrainTime: prevTrain + time.Since(trainStart).Seconds(), WallTime: prevWall + time.Since(start).Seconds(),
		}
	}
	// A resumed run starts in the level it was saved in (whose nextLevel
	// was done before the save), with the episodes of that level left.
	startLevel, done := l.Level(), 0
	for _, v := range perLevel[:startLevel] {
		done += v
	}
loop:
	for lev := startLevel; lev < cfg.Levels; lev++ {
		left := perLevel[lev]
		if lev > startLevel {
			l.NextLevel()
		} else {
			left -= l.Episode() - done
		}
		for left > 0 {
			if err := ctx.Err(); err != nil {
				trainErr = err
				break loop
			}
			b := min(cfg.Batch, left, max(1, nextCheck-l.Episode()))
			l.Run(b)
			batches++
			left -= b
			if l.Episode() >= nextCheck {
				if err := record(); err != nil {
					return nil, err
				}
				nextCheck += checkEvery
			}
			if l.Episode() >= nextSave {
				if err := saveCheckpoint(ckDir, key, l, state()); err != nil {
					return nil, err
				}
				nextSave = (l.Episode()/ckEvery + 1) * ckEvery
			}
			pr.Update(l.Episode(), cfg.Episodes, map[string]float64{"episodes": float64(l.Episode()), "level": float64(l.Level()), string(mfe.KeyControlRel): lastRel})
		}
	}
	if trainErr != nil {
		// Interrupted: save where the run stands, to be resumed.
		if err := saveCheckpoint(ckDir, key, l, state()); err != nil {
			return nil, errors.Join(trainErr, err)
		}
	}
	trainTime := prevTrain + time.Since(trainStart).Seconds()
	if n := prevBatches + batches; n > 0 {
		res.EpochTime = trainTime / float64(n)
	}
	tb := newTables(l, r, p, spec, cfg, seed)
	res.Control = tb
	st := state() // before the final series join the history
	if lq {
		if err := eval.RecordByTime(&res.History, p, r, tb, times); err != nil {
			return res, err
		}
	}
	met, err := metrics(ctx, tb)
	if err != nil {
		pr.Done()
		res.WallTime = prevWall + time.Since(start).Seconds()
		if trainErr != nil {
			return res, trainErr
		}
		// Trained but not evaluated: saved unfinished, a rerun evaluates again.
		if serr := saveCheckpoint(ckDir, key, l, st); serr != nil {
			err = errors.Join(err, serr)
		}
		return res, fmt.Errorf("qlearn: evaluating the learned control: %w", err)
	}
	res.Metrics = met
	res.WallTime = prevWall + time.Since(start).Seconds()
	if trainErr == nil {
		st.History, st.Finished, st.Metrics = saveHistory(res.History), true, &met
		st.EpochTime, st.WallTime = res.EpochTime, res.WallTime
		if err := saveCheckpoint(ckDir, key, l, st); err != nil {
			return res, err
		}
	}
	pr.Update(l.Episode(), cfg.Episodes, map[string]float64{"episodes": float64(l.Episode()), string(mfe.KeyControlRel): met.ControlRel})
	pr.Done()
	return res, trainErr
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}
