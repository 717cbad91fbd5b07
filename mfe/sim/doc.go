// Package sim simulates particles of the mean-field optimal execution model
// with the Euler–Maruyama scheme,
//
//	X_{i+1} = X_i + alpha(t_i, X_i) dt + sigma sqrt(dt) xi_i,  xi_i ~ N(0, 1),
//
// under any feedback control (mfe.Control), and computes from the particles
// the costs and the error metrics of package mfe's doc: control_mse and
// control_rel against an exact control, the Monte-Carlo exploitability of an
// MFG control and the social-cost gap of an MFC control.
//
// A Sim is seeded: the same seed gives the same initial states and Brownian
// increments, so two controls simulated with one Sim see common random
// numbers, and their cost difference carries much less noise than either cost.
package sim
