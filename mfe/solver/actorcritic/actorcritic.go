package actorcritic

import (
	"context"
	"errors"
	"math"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/eval"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic/internal/learner"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/internal/mfrl/mfgraph"
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
	KeyAbarErr    mfe.HistoryKey = "abar_rel"  // Langevin mean action against the exact one, relative RMS over the episode's times (RMS where the exact one is 0)
)

// trainer is the method as nettrain.Train runs it.
var trainer = nettrain.Method[Config]{Name: Method, Regimes: []mfe.Regime{mfe.MFG}, CheckpointEvery: 500,
	Build: func(env nettrain.Env, cfg Config) (*nettrain.Job, error) {
		return build(env, cfg, newEnv(env.Model, cfg.Steps))
	}}

// Train solves the MFG of run (regime mfe.MFG) of its model (run.Model:
// LQ, capped, or any model of package mfe/model, a user's registered by
// name included, model.Register) by the mean-field actor–critic, saving
// and resuming the run as mfe.Run says (a checkpoint every 500 episodes
// unless run.CheckpointEvery says otherwise; it holds the Langevin chains
// too). res.Control is the actor's mean, res.Value the
// critic; FieldsOf(res) has the score too. A cancelled or diverged run
// returns its partial result with ctx.Err() or a *mfe.DivergenceError.
func Train(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, error) {
	return nettrain.Train(ctx, trainer, run, cfg)
}

// TrainFields is Train returning also the learned fields (FieldsOf).
func TrainFields(ctx context.Context, run mfe.Run, cfg Config) (*mfe.Result, *Fields, error) {
	res, err := Train(ctx, run, cfg)
	return res, FieldsOf(res), err
}

// build compiles the training episode of the learner in world (the
// environment the learner sees, with cfg.Steps steps: the run's model,
// whichever it is, through modelEnv) and the learned fields. For a model
// with an exact solution (env.Reference nil), the step also records
// abar_rel at every episode and, at the evaluation episodes, value_rel and
// score_rel against the exact solution of env.Run.Params; a model measured
// against a reference control (env.Reference) has no exact value, score
// or mean action, and records none of the three. At the evaluation episodes
// the progress records the loop's control_rel (against the exact control
// or the reference) in the history.
func build(env nettrain.Env, cfg Config, world mfgraph.Env) (*nettrain.Job, error) {
	p := env.Run.Params
	exactKnown := env.Reference == nil
	sc, err := learner.Pilot(env.Backend, world, int64(env.Run.Seed))
	if err != nil {
		return nil, err
	}
	exec, err := model.NewExec(env.Backend, env.Store, func(scope *model.Scope, lrC, lrA, lrS *Node) []*Node {
		return episode(scope, world, cfg, sc, lrC, lrA, lrS)
	})
	if err != nil {
		return nil, err
	}
	fields, err := newFields(env.Backend, env.Store, world, cfg, sc)
	if err != nil {
		return nil, err
	}
	var exactAbar []float64
	var abarNorm float64
	if exactKnown {
		if exactAbar, abarNorm, err = exactMeanAction(p, cfg.Steps); err != nil {
			return nil, err
		}
	}
	wrapped := &progress{inner: env.Run.Progress, fields: map[string]float64{}, h: env.History,
		isEval: func(e int) bool { return cfg.EvalEvery > 0 && (e%cfg.EvalEvery == 0 || e == cfg.Episodes || e == 1) }}
	return &nettrain.Job{
		Epochs: cfg.Episodes, EvalEvery: cfg.EvalEvery,
		Control: fields.Control, Value: fields.Value,
		Progress: wrapped,
		Step: func(e int) (float64, map[mfe.HistoryKey]float64, error) {
			lr := func(lr0 float64) float64 { return nettrain.CosineLR(lr0, lr0*cfg.LRDecay, e, cfg.Episodes) }
			out, err := exec.Call(float32(lr(cfg.LRCritic)), float32(lr(cfg.LRActor)), float32(lr(cfg.LRScore)))
			if err != nil {
				return 0, nil, err
			}
			extra := map[mfe.HistoryKey]float64{
				KeyCriticLoss:    nettrain.ScalarOf(out[outCritic]),
				KeyActorLoss:     nettrain.ScalarOf(out[outActor]),
				KeyScoreLoss:     nettrain.ScalarOf(out[outScore]),
				KeyAdvantage:     nettrain.ScalarOf(out[outAdv]),
				KeyLRCritic:      lr(cfg.LRCritic),
				mfe.KeyParamNorm: nettrain.ScalarOf(out[outNorm]),
			}
			if exactKnown {
				abar := tensors.MustCopyFlatData[float32](out[outAbar])
				var d2 float64
				for k, v := range abar {
					d := float64(v) - exactAbar[k]
					d2 += d * d
				}
				extra[KeyAbarErr] = abarErr(d2, abarNorm, len(abar))
			}
			loss := extra[KeyCriticLoss]
			if exactKnown && wrapped.isEval(e) && finite(loss, extra) {
				if err := evalFields(p, fields, env.History, wrapped.fields); err != nil {
					return 0, nil, err
				}
			}
			return loss, extra, nil
		},
	}, nil
}

// exactMeanAction is the exact MFG mean action at the N decision times of
// the grid of N steps, and the sum of its squares.
func exactMeanAction(p mfe.Params, N int) (abar []float64, norm float64, err error) {
	ex, err := exact.NewMFG(p)
	if err != nil {
		return nil, 0, err
	}
	ts := make([]float64, N)
	for k := range ts {
		ts[k] = float64(k) * p.T / float64(N)
	}
	laws, err := ex.LawAlphas(ts)
	if err != nil {
		return nil, 0, err
	}
	abar = make([]float64, N)
	for k, law := range laws {
		abar[k] = law.Mean
		norm += abar[k] * abar[k]
	}
	return abar, norm, nil
}

// evalFields appends value_rel and score_rel to the history and to the
// progress fields; score_rel is left out where the exact action law has no
// score (ErrNoScore).
func evalFields(p mfe.Params, fs *Fields, h *mfe.History, shown map[string]float64) error {
	vr, err := eval.ValueRel(p, fs.Value)
	if err != nil {
		return err
	}
	h.Append(KeyValueRel, vr)
	shown[string(KeyValueRel)] = vr
	sr, err := ScoreRel(p, fs.Score)
	if errors.Is(err, ErrNoScore) {
		return nil
	}
	if err != nil {
		return err
	}
	h.Append(KeyScoreRel, sr)
	shown[string(KeyScoreRel)] = sr
	return nil
}

// abarErr is the relative L2 error of the mean action flow, sqrt(d2/norm),
// or its RMS error sqrt(d2/n) where the exact flow is 0 (nobody trades).
func abarErr(d2, norm float64, n int) float64 {
	if norm == 0 {
		return math.Sqrt(d2 / float64(n))
	}
	return math.Sqrt(d2 / norm)
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
