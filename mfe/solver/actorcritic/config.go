package actorcritic

import (
	"errors"
	"fmt"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic/internal/learner"
)

// Method is the name of the method in results and on the command line.
const Method = "actor-critic"

// Network heads (package learner documents each).
const (
	HeadStructured = learner.HeadStructured // model-aware ablation: heads shaped like the LQ solution
	HeadMLP        = learner.HeadMLP        // generic MLPs of (t, x) and (t, a)
)

// Exploration modes (package learner documents each).
const (
	ExploreOneStep  = learner.ExploreOneStep  // the population follows the actor's mean; one explored action per visited state
	ExploreOnPolicy = learner.ExploreOnPolicy // the agents follow the Gaussian policy
)

// Config is the training configuration.
type Config struct {
	Episodes int `json:"episodes"` // training steps; each simulates Agents agents over Steps steps
	Agents   int `json:"agents"`   // agents per episode (a fresh batch each)
	Steps    int `json:"steps"`    // time steps N_T

	Head   string `json:"head"`   // HeadStructured or HeadMLP
	Hidden []int  `json:"hidden"` // hidden widths of the three networks
	// Activation is the hidden layers' nonlinearity of the generic actor
	// and critic, nn.ActReLU or nn.ActTanh; empty means tanh. The score
	// network and the structured heads are tanh networks.
	Activation nn.Activation `json:"activation,omitempty"`

	// CriticLambda is the λ of the critic's TD(λ) targets, the λ-weighted
	// mix of the n-step returns of the episode (0: TD(0); 1: the Monte
	// Carlo cost-to-go of the rollout).
	CriticLambda float64 `json:"critic_lambda,omitempty"`

	Explore    string  `json:"explore"`     // ExploreOneStep or ExploreOnPolicy
	ExploreStd float64 `json:"explore_std"` // the Gaussian policy's standard deviation s
	// NormalizeAdvantage divides the TD errors, minus their batch mean, by
	// their batch standard deviation before the policy gradient.
	NormalizeAdvantage bool `json:"normalize_advantage"`
	// PairedBaseline subtracts from each explored transition's TD error the
	// TD error of the mean action on the same Brownian increment.
	PairedBaseline bool `json:"paired_baseline"`

	// Learning rates of the three timescales (Adam) at the start, and the
	// factor by which each has decayed (cosine in log space) at the end.
	LRCritic float64 `json:"lr_critic"`
	LRActor  float64 `json:"lr_actor"`
	LRScore  float64 `json:"lr_score"`
	LRDecay  float64 `json:"lr_decay"` // final LR / initial LR, in (0, 1]

	// Langevin sampling of the population's actions at each time step:
	// a += eps/2 S(t, a) + sqrt(eps) N(0, 1), LangevinSteps steps per
	// episode on LangevinSamples chains per time. With LangevinPrecondition,
	// eps at time t is LangevinEps divided by the score's mean curvature
	// -E[∂a S(t, a)] over the chains (the action law's precision for a
	// Gaussian law), so that every time mixes at the same rate; otherwise
	// eps = LangevinEps. Persistent chains continue from the previous
	// episode's; otherwise they restart from N(0, 1).
	// ScoreWeighting weights each time's implicit score-matching term by
	// the variance of its law (1 / -E[∂a S], detached), as denoising score
	// matching weights its noise levels.
	ScoreWeighting bool `json:"score_weighting"`

	LangevinSamples      int     `json:"langevin_samples"`
	LangevinSteps        int     `json:"langevin_steps"`
	LangevinEps          float64 `json:"langevin_eps"`
	LangevinPrecondition bool    `json:"langevin_precondition"`
	LangevinPersistent   bool    `json:"langevin_persistent"`

	EvalEvery int `json:"eval_every"` // episodes between evaluations against the exact solution (0: none)
}

// ProfileConfig returns the configuration of a named profile.
func ProfileConfig(p mfe.Profile) (Config, error) {
	c := Config{
		Episodes: 3000, Agents: 500, Steps: 100,
		Head: HeadMLP, Hidden: []int{16, 16}, Activation: nn.ActReLU, CriticLambda: 0.9,
		Explore: ExploreOneStep, ExploreStd: 0.5, NormalizeAdvantage: true, PairedBaseline: true,
		LRCritic: 3e-2, LRActor: 3e-2, LRScore: 1e-2, LRDecay: 0.01,
		ScoreWeighting:  true,
		LangevinSamples: 200, LangevinSteps: 3, LangevinEps: 0.5,
		LangevinPrecondition: true, LangevinPersistent: true,
		EvalEvery: 100,
	}
	switch p {
	case mfe.Default:
	case mfe.Quick:
		c.Episodes, c.Steps = 800, 50
	case mfe.Memoir:
		// The reference method (the memoir's actor–critic section): generic
		// networks, on-policy Gaussian exploration, its learning rates
		// (constant) and Langevin settings (1,000 samples, 200 steps of
		// eps = 0.05 from scratch at every step), N_T = 100; batched over
		// 1,000 agents. The reference gives no number of episodes: 2,000
		// here, hours on a CPU (BenchmarkMemoirEpisode times one episode).
		c.Episodes, c.Agents, c.Steps, c.EvalEvery = 2000, 1000, 100, 100
		c.Head, c.Hidden, c.Activation, c.CriticLambda = HeadMLP, []int{64, 64}, "", 0 // tanh
		c.Explore, c.NormalizeAdvantage, c.PairedBaseline, c.ScoreWeighting = ExploreOnPolicy, false, false, false
		c.LRCritic, c.LRActor, c.LRScore, c.LRDecay = 1e-5, 5e-6, 1e-6, 1
		c.LangevinSamples, c.LangevinSteps, c.LangevinEps = 1000, 200, 0.05
		c.LangevinPrecondition, c.LangevinPersistent = false, false
	default:
		return c, fmt.Errorf("actorcritic: unknown profile %q (want quick, default or memoir)", p)
	}
	return c, nil
}

// Structured returns the model-aware ablation of c: heads shaped like the
// linear–quadratic solution (HeadStructured, tanh networks of t), the
// critic trained by TD(0), the actor's learning rate 1e-2 (the settings the
// structured heads were tuned with).
func (c Config) Structured() Config {
	c.Head, c.Activation, c.CriticLambda, c.LRActor = HeadStructured, "", 0, 1e-2
	return c
}

// TanhNetworks returns c with tanh hidden layers in the generic actor and
// critic (the previous default), the ablation of their ReLU layers.
func (c Config) TanhNetworks() Config {
	c.Activation = "" // tanh
	return c
}

// Validate reports a configuration that cannot run.
func (c Config) Validate() error {
	finitePos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	switch {
	case c.Episodes < 1:
		return fmt.Errorf("actorcritic: episodes = %d, want >= 1", c.Episodes)
	case c.Agents < 2:
		return fmt.Errorf("actorcritic: agents = %d, want >= 2", c.Agents)
	case c.Steps < 1:
		return fmt.Errorf("actorcritic: steps = %d, want >= 1", c.Steps)
	case c.Head != HeadStructured && c.Head != HeadMLP:
		return fmt.Errorf("actorcritic: head %q, want %q or %q", c.Head, HeadStructured, HeadMLP)
	case c.Activation.Validate() != nil:
		return fmt.Errorf("actorcritic: activation %q, want %q or %q", c.Activation, nn.ActReLU, nn.ActTanh)
	case len(c.Hidden) == 0:
		return errors.New("actorcritic: no hidden layers")
	case c.Explore != ExploreOneStep && c.Explore != ExploreOnPolicy:
		return fmt.Errorf("actorcritic: explore %q, want %q or %q", c.Explore, ExploreOneStep, ExploreOnPolicy)
	case !finitePos(c.ExploreStd):
		return fmt.Errorf("actorcritic: explore_std = %v, want finite > 0", c.ExploreStd)
	case !finitePos(c.LRCritic) || !finitePos(c.LRActor) || !finitePos(c.LRScore):
		return fmt.Errorf("actorcritic: learning rates %v, %v, %v, want finite > 0", c.LRCritic, c.LRActor, c.LRScore)
	case !(c.LRDecay > 0 && c.LRDecay <= 1):
		return fmt.Errorf("actorcritic: lr_decay = %v, want in (0, 1]", c.LRDecay)
	case c.LangevinSamples < 2 || c.LangevinSteps < 1:
		return fmt.Errorf("actorcritic: Langevin %d samples × %d steps, want >= 2 × 1", c.LangevinSamples, c.LangevinSteps)
	case !finitePos(c.LangevinEps):
		return fmt.Errorf("actorcritic: langevin_eps = %v, want finite > 0", c.LangevinEps)
	case !(c.CriticLambda >= 0 && c.CriticLambda <= 1):
		return fmt.Errorf("actorcritic: critic_lambda = %v, want in [0, 1]", c.CriticLambda)
	case c.EvalEvery < 0:
		return fmt.Errorf("actorcritic: eval_every = %d, want >= 0", c.EvalEvery)
	}
	for _, h := range c.Hidden {
		if h < 1 {
			return fmt.Errorf("actorcritic: hidden width %d, want >= 1", h)
		}
	}
	return nil
}

// learner returns what the learner is told of c.
func (c Config) learner() learner.Config {
	return learner.Config{
		Agents: c.Agents, Head: c.Head, Hidden: c.Hidden, Activation: c.Activation, CriticLambda: c.CriticLambda,
		Explore: c.Explore, ExploreStd: c.ExploreStd,
		NormalizeAdvantage: c.NormalizeAdvantage, PairedBaseline: c.PairedBaseline, ScoreWeighting: c.ScoreWeighting,
		LangevinSamples: c.LangevinSamples, LangevinSteps: c.LangevinSteps, LangevinEps: c.LangevinEps,
		LangevinPrecondition: c.LangevinPrecondition, LangevinPersistent: c.LangevinPersistent,
	}
}
