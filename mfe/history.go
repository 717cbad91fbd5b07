package mfe

// History is the per-epoch record of training. Epoch holds the epoch numbers
// at which Loss and Extra were recorded. ControlMSE and ControlMSEStd, recorded
// at the epochs EvalEpoch, are the mean and the standard deviation over
// particles of the squared control error against the exact control.
type History struct {
	Epoch         []int                    `json:"epoch"`
	Loss          []float64                `json:"loss"`
	EvalEpoch     []int                    `json:"eval_epoch,omitempty"`
	ControlMSE    []float64                `json:"control_mse,omitempty"`
	ControlMSEStd []float64                `json:"control_mse_std,omitempty"`
	Extra         map[HistoryKey][]float64 `json:"extra,omitempty"` // method-specific series, e.g. loss components
}

// Len returns the number of recorded epochs.
func (h *History) Len() int { return len(h.Epoch) }

// Append appends v to the series k of h.Extra.
func (h *History) Append(k HistoryKey, v float64) {
	if h.Extra == nil {
		h.Extra = map[HistoryKey][]float64{}
	}
	h.Extra[k] = append(h.Extra[k], v)
}

// HistoryKey names a series of History.Extra; it is the series' key in
// result.json. The keys several methods record are defined here, those of
// one method in its solver package.
type HistoryKey string

// History keys shared by several methods.
const (
	// KeyLR is the learning rate of each epoch.
	KeyLR HistoryKey = "lr"
	// KeyParamNorm is the Euclidean norm of the trained parameters after
	// each epoch's update.
	KeyParamNorm HistoryKey = "param_norm"
	// KeyControlRel is the relative error of the control against the exact
	// one (as ControlMSE, relative), for the methods that record it at
	// their evaluation epochs.
	KeyControlRel HistoryKey = "control_rel"
	// KeyTimes are the times of KeyControlRelByTime.
	KeyTimes HistoryKey = "t"
	// KeyControlRelByTime is the final control's relative L2 error at each
	// time of KeyTimes, weighted by the exact law of X_t.
	KeyControlRelByTime HistoryKey = "control_rel_by_time"
)
