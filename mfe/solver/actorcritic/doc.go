// Package actorcritic solves the MFG by finite-horizon mean-field actor–critic
// with a score network (Memoir.pdf, section "Five methods"), model-free in the
// representative agent's costs and dynamics: it only sees simulated
// transitions and their running costs f(x, a, abar) dt, plus the terminal
// cost g at T.
//
// Three networks, three timescales (Adam, each its learning rate, cosine
// decay): a critic V(t, x) trained by TD(0) with its target detached; a
// Gaussian actor N(mu(t, x), s²) trained by the policy gradient with the TD
// error as advantage, the critic as baseline; and a score S(t, a) ≈ ∂a log
// p_t(a) of the population's action law trained by implicit score matching,
// E[|S|²/2 + ∂a S] (the ∂a S term differentiated again in the weights, so
// the networks come from package nn). The population's mean action abar_t,
// which enters every agent's cost, is the mean of Langevin chains
// a += eps/2 S(t, a) + sqrt(eps) N(0, 1) driven by the score: the agents see
// the population only through the score network. The learned control is
// the actor's mean, the learned value the critic.
//
// An episode is one compiled GoMLX graph: Langevin steps for all N_T times,
// the rollout of Agents agents, the three losses and the three updates.
//
// What makes it converge (the memoir's version stayed nearly flat):
//
//   - Heads shaped like the solution (Head "structured"): small MLPs of t
//     whose outputs are the coefficients of an affine actor mean, a
//     quadratic critic with the terminal cost built in, and a Gaussian
//     score -e^ρ(t) (a - m(t)).
//   - One-step exploration (Explore "one-step"): the population follows the
//     actor's mean, so that the critic learns the value of the control being
//     learned (on-policy noise would add ca s²/2 per unit time to it) and the
//     score the law of that control's actions; at every visited state the
//     agent tries one Gaussian action and its TD error is the advantage.
//   - A paired baseline: the advantage is the explored transition's TD error
//     minus the mean action's TD error on the same Brownian increment, which
//     removes the sigma dW noise from the policy gradient (unbiased: the
//     baseline does not depend on the exploration noise).
//   - Advantage normalisation, and learning rates decayed by a factor 100.
//   - Score matching weighted per time by the law's variance, so that the
//     wide early-time laws learn as fast as the narrow late ones.
//   - Langevin preconditioned by the score's curvature (eps = 0.5/precision,
//     stable and equally fast at every time, where the memoir's eps = 0.05
//     is at the stability limit 4·var near T), on persistent chains (3 steps
//     per episode instead of 200 from scratch).
//
// The time grid limits the accuracy: the discrete problem's optimal policy
// (the greedy policy of the exact value) is O(dt) from the continuous
// control; the memoir's actor–critic section gives its control_rel at the
// reference N_T = 100, and TestQuick's comment at the quick profile's 50.
package actorcritic
