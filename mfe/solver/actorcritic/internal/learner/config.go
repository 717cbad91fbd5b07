package learner

import "github.com/mf-optimal-execution/mf-optimal-execution/mfe/nn"

// Network heads.
const (
	// HeadStructured: every network is a small MLP of t alone whose outputs
	// are the coefficients of a form that linear–quadratic problems have:
	// the actor mean -(K(t) x + L(t)), the critic -g(x) + (1 - t/T)(Q(t)
	// x²/2 + P(t) x + R(t)), the score -e^{ρ(t)} (a - m(t)). A model-aware
	// ablation: the learner is told the solution's shape.
	HeadStructured = "structured"
	// HeadMLP: generic MLPs of (t, x) for the actor mean and the critic
	// (which keeps the terminal condition -g(x) + (1 - t/T) net, g the
	// black-box terminal reward), of (t, a) for the score.
	HeadMLP = "mlp"
)

// Exploration modes.
const (
	// ExploreOneStep: the population follows the actor's mean; at every
	// visited (t, x) the agent tries one Gaussian action a ~ N(mu, s²),
	// replayed on the transition's noise, and the advantage is that one
	// transition's TD error. The critic learns the value of the mean
	// policy, i.e. of the control being learned.
	ExploreOneStep = "one-step"
	// ExploreOnPolicy: the agents follow the Gaussian policy; the critic
	// learns the value of the noisy policy and the score the law of the
	// noisy actions.
	ExploreOnPolicy = "on-policy"
)

// Config is what the learner is told besides the environment: its
// networks, exploration and Langevin sampler (package actorcritic's Config
// documents each setting).
type Config struct {
	Agents int

	Head   string
	Hidden []int
	// Activation of the generic actor's and critic's hidden layers (empty:
	// tanh); the score and the structured heads are tanh networks.
	Activation nn.Activation
	// CriticLambda is the λ of the critic's TD(λ) targets (0: TD(0)).
	CriticLambda float64

	Explore            string
	ExploreStd         float64
	NormalizeAdvantage bool
	PairedBaseline     bool
	ScoreWeighting     bool

	LangevinSamples      int
	LangevinSteps        int
	LangevinEps          float64
	LangevinPrecondition bool
	LangevinPersistent   bool
}
