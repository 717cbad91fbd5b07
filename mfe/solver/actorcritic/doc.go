// Package actorcritic solves the MFG by finite-horizon mean-field actor–critic
// with a score network (Memoir.pdf, section "Five methods").
//
// # What the learner sees
//
// The learner (package actorcritic/internal/learner) is model-free by its
// imports: it sees the problem only through an mfgraph.Env (package
// solver/internal/mfrl/mfgraph), the graph form of package mfrl's contract —
// the time grid, the action range, a sampler of initial states, opaque
// transition noise and a transition function it cannot open, a black-box
// running reward r(t, x, a, population statistics) and terminal reward
// g(x) that it may query at points of its choosing. No parameter of the
// model (σ, γ, c_α, c_X, c_g, the initial law, the cap) and nothing of
// package exact reaches it; its test checks its imports, and
// TestOtherModel gives it another model, written as the test's own
// environment, and sees it learn that model's solution. Train wires the
// run's model (package model: the LQ model, the capped one, or a user's
// model registered by name, model.Register, which needs nothing beyond
// the Model interface) into an Env
// (modelEnv: the reward -f dt of the model's running cost, the terminal
// reward -g, the action range its control set) and evaluates what the
// learner learned outside the learner: against the exact solution for the
// LQ model, against the finite-difference solution for another
// (finitedifference.Reference; control_mse and control_rel only, the
// value, score and mean-action errors needing the exact solution).
// Concretely the learner
//
//   - draws the states at the networks' input from the environment: the
//     input is centred on the mean of 10,000 initial states and scaled by
//     the largest standard deviation of a pilot rollout of them holding
//     action 0 (learner.Pilot);
//   - builds the critic's terminal condition from the black-box terminal
//     reward: V(t, x) = -g(x) + (1 - t/T) net(t, x), so V(T, ·) = -g;
//   - replays a transition with another action on the same noise (common
//     random numbers: mfgraph.Env's Noise and Step are separate).
//
// # The method
//
// Three networks, three timescales (Adam, each its learning rate, cosine
// decay): a critic V(t, x) (the cost-to-go, cost = -reward) trained on
// TD(λ) targets, detached; a Gaussian actor N(mu(t, x), s²) trained by the
// policy gradient with the TD error as advantage; and a score S(t, a) ≈ ∂a
// log p_t(a) of the population's action law trained by implicit score
// matching, E[|S|²/2 + ∂a S] (the ∂a S term differentiated again in the
// weights, so the networks come from package nn). The population's mean
// action abar_t, which enters every agent's reward, is the mean of Langevin
// chains a += eps/2 S(t, a) + sqrt(eps) N(0, 1) driven by the score: the
// agents see the population only through the score network. The learned
// control is the actor's mean, the learned value the critic. An episode is
// one compiled GoMLX graph: Langevin steps for all N_T times, the rollout
// of Agents agents, the three losses and the three updates.
//
// # Defaults
//
// The default profile uses generic networks, as the original method does:
// MLPs 16-16 of (t, x) for the actor mean and the critic, with ReLU hidden
// layers, and of (t, a) for the score, with tanh ones (Head "mlp",
// Activation "relu"); 3,000 episodes of 500 agents over N_T = 100 steps,
// 200 Langevin chains per step. What makes them converge (the memoir's
// version stayed nearly flat):
//
//   - ReLU hidden layers in the actor and the critic: a ReLU network is
//     piecewise linear and goes on linearly beyond the states the
//     population visits often, as the exact control does, where a tanh
//     network flattens. The tanh networks (Config.TanhNetworks, the
//     previous default) left the error in the tails of the population's
//     law and missed the target at two sets of the robustness box.
//   - TD(λ) critic targets, λ = 0.9 (CriticLambda): the λ-return of the
//     rollout instead of the one-step target, which with a generic critic
//     compounds its bias over the N_T bootstrapped steps (quick profile,
//     seed 1, tanh networks: control_rel 0.19 → 0.13, value_rel 0.11 →
//     0.047).
//   - One-step exploration (Explore "one-step"): the population follows the
//     actor's mean, so that the critic learns the value of the control being
//     learned and the score the law of that control's actions; at every
//     visited state the agent tries one Gaussian action, replayed on the
//     transition's noise, and its TD error is the advantage.
//   - A paired baseline: the advantage is the explored transition's TD error
//     minus the mean action's TD error on the same noise, which removes the
//     dynamics' noise from the policy gradient (unbiased: the baseline does
//     not depend on the exploration noise).
//   - Advantage normalisation; learning rates 3e-2 (critic and actor) and
//     1e-2 (score), decayed by a factor 100.
//   - Score matching weighted per time by the law's variance, so that the
//     wide early-time laws learn as fast as the narrow late ones.
//   - Langevin preconditioned by the score's curvature (eps = 0.5/precision,
//     stable and equally fast at every time, where the memoir's eps = 0.05
//     is at the stability limit 4·var near T), on persistent chains (3 steps
//     per episode instead of 200 from scratch).
//
// Config.Structured is the model-aware ablation (the previous default):
// heads shaped like the linear–quadratic solution — small MLPs of t whose
// outputs are the coefficients of an affine actor mean, a quadratic critic
// and a Gaussian score — with TD(0). The memoir profile is the literal
// method (generic networks 64-64, on-policy exploration, TD(0), its
// learning rates and Langevin settings).
//
// Measured, reference parameters, seeds 1-3 (notebooks/results/
// actor-critic-mfg-default, `mfe train -method actor-critic -seeds 1,2,3`,
// 194-250 s each on one core of this 2-core machine): control_rel 0.051,
// 0.093, 0.050 (0.065 ± 0.025), value_rel 0.017, 0.035, 0.017, score_rel
// 0.36-0.49, abar_rel 0.05-0.09. With tanh actor and critic the same seeds
// gave 0.085, 0.105, 0.071 (0.087 ± 0.017; notebook 05's ablation, lower at
// every seed with ReLU), and over the robustness box (`mfe sweep -methods
// actor-critic`, notebooks/results/sweep/sweep-actor-critic.md) ReLU moved
// the two sets where tanh missed within the target (set 2, a point-mass
// initial law: 0.105 to 0.043; set 7: 0.113 to 0.080) but missed at set 4
// (sigma = 0.85: 0.166 where tanh gave 0.093; training seeds 2 and 3 give
// 0.040 and 0.078, notebooks/results/sweep/actor-critic-set-4),
// its error in both tails of the population. At the reference parameters
// the difference is within the seeds' spread. Quick profile
// (N_T = 50, 800 episodes, seed 1): control_rel 0.065, value_rel 0.020,
// score_rel 0.505, abar_rel 0.092 (TestQuick); the structured ablation, on
// another parameter set, 0.055, 0.019, 0.155, 0.064.
//
// # A bounded action range
//
// Where the environment's action range [lo, hi] has an end (the capped
// model's [-A, A]; the LQ model's is the whole line, and its graph is the
// unbounded one, op for op), the learner
//
//   - clips the actor's output into the range: the mean mu = clip(z(t, x))
//     (mfgraph.Bound), the learned control, as package model's Bound
//     clips the network solvers' outputs. A clip, not a squashing such as
//     A tanh(z/A): the capped model's control is the clip of a smooth
//     feedback (model.Bound says why), and a state whose z is beyond the
//     cap, where the control is the cap, gets no gradient; its neighbours
//     inside carry the network;
//   - executes every action clipped into the range, the explored ones
//     included: the model's reward and transition are not defined beyond
//     it (TestQuickCapped runs the learner in an environment that is NaN
//     there);
//   - narrows the exploration near an end: a draw clipped to the end has
//     a TD error that is flat in the draw, which pulls the policy gradient
//     of a mean within about s of the end towards it (the mean of the
//     clipped draws' TD errors is not the mean action's). The standard
//     deviation is a third of the distance to the nearest end where that
//     is below s (at least s/20), and the TD error is scaled by s/sd, so
//     that the gradient of every state is on the scale of an exploration
//     of std s. Without it (std s everywhere, the draws clipped) the quick
//     profile with tanh networks ended at control_rel 0.288 (seed 1)
//     instead of 0.120, its control at the cap too early (at t = 0 from
//     x ≈ 0, the reference's from x ≈ 0.35);
//   - learns the score of the latent actions z (before the clip), whose
//     law has a density where the clipped actions pile up at the cap (an
//     atom, which score matching cannot fit), and takes the population's
//     mean action as the mean of the Langevin chains' clip.
//
// Measured, capped model A = 1 at the reference parameters, against the
// finite-difference control (MFG): default profile, seeds 1-3
// (notebooks/results/actor-critic-mfg-default-capped-amax1, `mfe train
// -method actor-critic -regime mfg -model capped -amax 1 -seeds 1,2,3`):
// control_rel 0.043, 0.040, 0.033 (0.039 ± 0.005; the LQ model's
// 0.065 ± 0.025), 220-430 s each on one core, other trainings beside
// them; quick profile 0.055 (seed 1) and 0.102 (seed 2). The LQ model's
// exact control clipped to the cap is 0.016 from the reference: at A = 1
// the cap changes the equilibrium little beyond the clip itself.
//
// The time grid limits the accuracy: the discrete problem's optimal policy
// (the greedy policy of the exact value) is O(dt) from the continuous
// control, 4.9 % at the quick profile's N_T = 50 (TestQuick's comment).
package actorcritic
