package actorcritic

import (
	"context"
	"math"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/backend"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/nettrain"
)

// Keys of the method's history series (History.Extra). The losses are
// recorded at every episode; the errors at the evaluation episodes
// (History.EvalEpoch, beside control_mse and mfe.KeyControlRel, the actor
// mean against the exact control).
const (
	KeyCriticLoss mfe.HistoryKey = "critic_loss"
	KeyActorLoss  mfe.HistoryKey = "actor_loss"
	KeyScoreLoss  mfe.HistoryKey = "score_loss"
	KeyAdvantage  mfe.HistoryKey = "mean_abs_td" // mean |TD error| of the explored transitions
	KeyLRCritic   mfe.HistoryKey = "lr_critic"
	KeyValueRel   mfe.HistoryKey = "value_rel" // critic against the exact value (eval.ValueRel)
	KeyScoreRel   mfe.HistoryKey = "score_rel" // score against the exact action law's (ScoreRel)
	KeyAbarErr    mfe.HistoryKey = "abar_rel"  // Langevin mean action against the exact one, relative RMS over the episode's times
)

// Train solves the MFG with parameters p by the mean-field actor–critic on
// the default backend. res.Control is the actor's mean, res.Value the critic.
func Train(ctx context.Context, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress) (*mfe.Result, error) {
	res, _, err := TrainFields(ctx, nil, p, cfg, seed, pr)
	return res, err
}

// TrainFields is Train on a given backend (nil: the default), returning
// also the learned fields, the score among them.
func TrainFields(ctx context.Context, be compute.Backend, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress) (*mfe.Result, *Fields, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if be == nil {
		var err error
		if be, err = backend.DefaultErr(); err != nil {
			return nil, nil, err
		}
	}
	return train(ctx, be, p, cfg, seed, pr, true)
}

// train is TrainFields; finalMetrics false skips the final evaluation (benchmarks).
func train(ctx context.Context, be compute.Backend, p mfe.Params, cfg Config, seed uint64, pr mfe.Progress, finalMetrics bool) (*mfe.Result, *Fields, error) {
	ex, err := exact.NewMFG(p)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(int64(seed)); err != nil {
		return nil, nil, err
	}
	exec, err := model.NewExec(be, store, func(scope *model.Scope, lrC, lrA, lrS *Node) []*Node {
		return episode(scope, p, cfg, lrC, lrA, lrS)
	})
	if err != nil {
		return nil, nil, err
	}
	fields, err := newFields(be, store, p, cfg)
	if err != nil {
		return nil, nil, err
	}
	res := &mfe.Result{Method: Method, Regime: mfe.MFG, Params: p, Backend: be.Name(), Seed: seed, Config: cfg,
		Control: fields.Control, Value: fields.Value}
	ck := &nettrain.Checkpoint{Dir: cfg.CheckpointDir, Every: cfg.CheckpointEvery,
		Key: nettrain.RunKey{Method: Method, Regime: mfe.MFG, Params: p, Config: cfg, Seed: seed}}
	state, err := ck.Load(store)
	if err != nil {
		return nil, nil, err
	}
	if state != nil && state.Finished {
		state.Apply(res)
		return res, fields, nil
	}
	N := cfg.Steps
	exactAbar := make([]float64, N)
	var abarNorm float64
	for k := range N {
		exactAbar[k] = ex.LawAlpha(float64(k) * p.T / float64(N)).Mean
		abarNorm += exactAbar[k] * exactAbar[k]
	}
	wrapped := &progress{inner: pr, fields: map[string]float64{}, h: &res.History,
		isEval: func(e int) bool { return cfg.EvalEvery > 0 && (e%cfg.EvalEvery == 0 || e == cfg.Episodes || e == 1) }}
	loop := nettrain.Loop{
		Checkpoint: ck, Store: store, Resume: state,
		Epochs: cfg.Episodes, EvalEvery: cfg.EvalEvery,
		EvalSim: nettrain.EvalSim(p, 100), Exact: ex.Control(),
		Control:  func() mfe.Control { return fields.Control },
		Progress: wrapped,
		Step: func(e int) (float64, map[mfe.HistoryKey]float64, error) {
			lr := func(lr0 float64) float64 { return nettrain.CosineLR(lr0, lr0*cfg.LRDecay, e, cfg.Episodes) }
			out, err := exec.Call(float32(lr(cfg.LRCritic)), float32(lr(cfg.LRActor)), float32(lr(cfg.LRScore)))
			if err != nil {
				return 0, nil, err
			}
			abar := tensors.MustCopyFlatData[float32](out[outAbar])
			var d2 float64
			for k, v := range abar {
				d := float64(v) - exactAbar[k]
				d2 += d * d
			}
			extra := map[mfe.HistoryKey]float64{
				KeyCriticLoss:    nettrain.ScalarOf(out[outCritic]),
				KeyActorLoss:     nettrain.ScalarOf(out[outActor]),
				KeyScoreLoss:     nettrain.ScalarOf(out[outScore]),
				KeyAdvantage:     nettrain.ScalarOf(out[outAdv]),
				KeyAbarErr:       math.Sqrt(d2 / abarNorm),
				KeyLRCritic:      lr(cfg.LRCritic),
				mfe.KeyParamNorm: nettrain.ScalarOf(out[outNorm]),
			}
			loss := extra[KeyCriticLoss]
			if wrapped.isEval(e) && finite(loss, extra) {
				if err := evalFields(p, fields, &res.History, wrapped.fields); err != nil {
					return 0, nil, err
				}
			}
			return loss, extra, nil
		},
	}
	st, runErr := loop.Run(ctx, &res.History)
	res.EpochTime = st.EpochTime
	if finalMetrics && runErr == nil {
		m, err := eval.Control(p, mfe.MFG, fields.Control, eval.Default)
		if err == nil {
			var vr float64
			vr, err = eval.ValueRel(p, fields.Value)
			m.ValueRel = mfe.Float(vr)
		}
		if err != nil {
			runErr = err
		}
		m.TimeToAccuracy = st.TimeToAccuracy
		res.Metrics = m
	}
	res.WallTime = time.Since(start).Seconds()
	if err := ck.SaveRun(store, st, res, runErr); err != nil && runErr == nil {
		runErr = err
	}
	return res, fields, runErr
}

// evalFields appends value_rel and score_rel to the history and to the
// progress fields.
func evalFields(p mfe.Params, fs *Fields, h *mfe.History, shown map[string]float64) error {
	vr, err := eval.ValueRel(p, fs.Value)
	if err != nil {
		return err
	}
	sr, err := ScoreRel(p, fs.Score)
	if err != nil {
		return err
	}
	h.Append(KeyValueRel, vr)
	h.Append(KeyScoreRel, sr)
	shown[string(KeyValueRel)], shown[string(KeyScoreRel)] = vr, sr
	return nil
}

func finite(loss float64, extra map[mfe.HistoryKey]float64) bool {
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return false
	}
	for _, v := range extra {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// progress adds the last value_rel and score_rel to what the loop shows,
// and records the loop's control_rel at the evaluation episodes.
type progress struct {
	inner  mfe.Progress
	fields map[string]float64
	h      *mfe.History
	isEval func(episode int) bool
}

func (p *progress) Update(step, total int, fields map[string]float64) {
	if v, ok := fields[string(mfe.KeyControlRel)]; ok && p.isEval(step) {
		p.h.Append(mfe.KeyControlRel, v)
	}
	if p.inner == nil {
		return
	}
	shown := map[string]float64{}
	for _, k := range []string{"loss", string(mfe.KeyControlRel), string(KeyAbarErr)} {
		if v, ok := fields[k]; ok {
			shown[k] = v
		}
	}
	for k, v := range p.fields {
		shown[k] = v
	}
	p.inner.Update(step, total, shown)
}

func (p *progress) Done() {
	if p.inner != nil {
		p.inner.Done()
	}
}
