package mfe

import "fmt"

// Result is what every solver returns: the run's identity, its training
// history, the final metrics against the exact solution ([Metrics]), timings,
// and the learned control (and value, where the method learns one).
type Result struct {
	Method  string  `json:"method"`
	Regime  Regime  `json:"regime"`
	Params  Params  `json:"params"`
	Profile Profile `json:"profile"`
	Backend string  `json:"backend"`
	Seed    uint64  `json:"seed"`
	// Model is the model solved, left out for the LQ model (a result saved
	// before models existed reads as one).
	Model   ModelSpec `json:"model,omitzero"`
	Config  any       `json:"config,omitempty"` // the method's configuration
	History History   `json:"history"`
	Metrics Metrics   `json:"metrics"`
	// WallTime is the whole run in seconds, evaluation included; EpochTime
	// the mean seconds per training epoch (or iteration, or episode batch).
	WallTime  float64 `json:"wall_time_s"`
	EpochTime float64 `json:"epoch_time_s"`

	Control Control   `json:"-"` // the learned feedback alpha(t, x)
	Value   ValueFunc `json:"-"` // the learned value v(t, x), nil if none
	// Reference is the control Metrics.Reference names, which control.json
	// and the figures set beside the learned one in place of the exact
	// control (a model without a closed form: its finite-difference
	// solution); nil when the metrics are against the exact solution.
	Reference Control `json:"-"`
	// ReferenceLaw, if set, gives the mean and standard deviation of X_t
	// under the reference: where its population is, which the figures
	// draw in place of the exact law's range.
	ReferenceLaw func(t float64) (mean, sd float64) `json:"-"`
}

// Metrics are the final errors against the exact solution, those of the
// package doc (computed by package eval), or, for a model without one,
// against a reference solution named by Reference. Optional metrics are nil
// where the method, regime or model has none.
type Metrics struct {
	ControlMSE float64 `json:"control_mse"`
	ControlRel float64 `json:"control_rel"`
	// Reference names the control that control_mse and control_rel are
	// measured against when it is not the exact one (a model without a
	// closed form), e.g. "finite-difference (default profile)"; empty for
	// the exact solution.
	Reference      string   `json:"reference,omitempty"`
	Exploitability *float64 `json:"exploitability,omitempty"`  // MFG
	SocialGap      *float64 `json:"social_cost_gap,omitempty"` // MFC
	// ExploitabilitySE and SocialGapSE are the Monte-Carlo standard errors
	// of the two (nil in runs saved before they were computed).
	ExploitabilitySE *float64           `json:"exploitability_se,omitempty"`
	SocialGapSE      *float64           `json:"social_cost_gap_se,omitempty"`
	ValueRel         *float64           `json:"value_rel,omitempty"`
	DensityL1        map[string]float64 `json:"density_l1,omitempty"` // keyed by time, e.g. "0.4"
	// TimeToAccuracy is the training time in seconds until control_rel first
	// reached 1e-2, nil if it never did (or was not tracked).
	TimeToAccuracy *float64 `json:"time_to_1pct_s,omitempty"`
}

// Gap returns the exploitability (MFG) or the social-cost gap (MFC) and its
// standard error; nil where the metrics have none (se nil in runs saved
// before it was recorded).
func (m Metrics) Gap() (value, se *float64) {
	if m.SocialGap != nil {
		return m.SocialGap, m.SocialGapSE
	}
	return m.Exploitability, m.ExploitabilitySE
}

// GapText formats Gap with verb f as "value ± se" (the value alone without
// a standard error, "" without a value).
func (m Metrics) GapText(f string) string {
	v, se := m.Gap()
	switch {
	case v == nil:
		return ""
	case se == nil:
		return fmt.Sprintf(f, *v)
	}
	return fmt.Sprintf(f+" ± %.1e", *v, *se)
}

// Float returns a pointer to v, for the optional metrics.
func Float(v float64) *float64 { return &v }
