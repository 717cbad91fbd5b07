package mfe

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
	Config  any     `json:"config,omitempty"` // the method's configuration
	History History `json:"history"`
	Metrics Metrics `json:"metrics"`
	// WallTime is the whole run in seconds, evaluation included; EpochTime
	// the mean seconds per training epoch (or iteration, or episode batch).
	WallTime  float64 `json:"wall_time_s"`
	EpochTime float64 `json:"epoch_time_s"`

	Control Control   `json:"-"` // the learned feedback alpha(t, x)
	Value   ValueFunc `json:"-"` // the learned value v(t, x), nil if none
}

// Metrics are the final errors against the exact solution, those of the
// package doc (computed by package eval). Optional metrics are nil where the
// method or regime has none.
type Metrics struct {
	ControlMSE     float64            `json:"control_mse"`
	ControlRel     float64            `json:"control_rel"`
	Exploitability *float64           `json:"exploitability,omitempty"`  // MFG
	SocialGap      *float64           `json:"social_cost_gap,omitempty"` // MFC
	ValueRel       *float64           `json:"value_rel,omitempty"`
	DensityL1      map[string]float64 `json:"density_l1,omitempty"` // keyed by time, e.g. "0.4"
	// TimeToAccuracy is the training time in seconds until control_rel first
	// reached 1e-2, nil if it never did (or was not tracked).
	TimeToAccuracy *float64 `json:"time_to_1pct_s,omitempty"`
}

// Float returns a pointer to v, for the optional metrics.
func Float(v float64) *float64 { return &v }
