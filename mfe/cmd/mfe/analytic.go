package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/exact"
)

// analyticOutput is the JSON of `mfe analytic` (the README's section "Command
// line").
type analyticOutput struct {
	Params mfe.Params `json:"params"`
	T      []float64  `json:"t"`
	X      []float64  `json:"x"`
	MFG    mfgOutput  `json:"mfg"`
	MFC    *mfcOutput `json:"mfc"`
	Notes  []string   `json:"notes,omitempty"`
}

type mfgOutput struct {
	Alpha     [][]float64 `json:"alpha"`
	Value     [][]float64 `json:"value"`
	MeanX     []float64   `json:"mean_x"`
	VarX      []float64   `json:"var_x"`
	MeanAlpha []float64   `json:"mean_alpha"`
	VarAlpha  []float64   `json:"var_alpha"`
}

type mfcOutput struct {
	Alpha [][]float64 `json:"alpha"`
	MeanX []float64   `json:"mean_x"`
}

// maxGrid bounds the (t, x) grid of `mfe analytic`.
const maxGrid = 1000000

func analytic(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("analytic", flag.ContinueOnError)
	p := paramFlags(fs)
	nt := fs.Int("nt", 10, "number of time steps: nt+1 times from 0 to T")
	xs := fs.String("x", "-1.5:2:0.25", "x grid lo:hi:step")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkParams("analytic", *p); err != nil {
		return err
	}
	if *nt < 1 || *nt > 100000 {
		return usagef("mfe analytic: invalid value %d for flag -nt: must be in 1..100000", *nt)
	}
	x, err := parseRange(*xs)
	if err != nil {
		return usagef("mfe analytic: invalid value %q for flag -x: %v", *xs, err)
	}
	if n := (*nt + 1) * len(x); n > maxGrid {
		return usagef("mfe analytic: invalid value %q for flag -x: %d points times %d times (-nt %d) is more than %d values", *xs, len(x), *nt+1, *nt, maxGrid)
	}
	out, err := analyticSolution(*p, *nt, x)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	return enc.Encode(out)
}

// nonFinite names the first value of the MFG part of out that is NaN or
// infinite, or returns "".
func (out *analyticOutput) nonFinite() string {
	grids := []struct {
		name string
		v    [][]float64
	}{{"alpha", out.MFG.Alpha}, {"value", out.MFG.Value}}
	for _, g := range grids {
		if i, j, v, bad := firstNonFinite(g.v); bad {
			return fmt.Sprintf("%s(t = %v, x = %v) = %v", g.name, out.T[i], out.X[j], v)
		}
	}
	series := []struct {
		name string
		v    []float64
	}{{"mean_x", out.MFG.MeanX}, {"var_x", out.MFG.VarX}, {"mean_alpha", out.MFG.MeanAlpha}, {"var_alpha", out.MFG.VarAlpha}}
	for _, s := range series {
		if _, j, v, bad := firstNonFinite([][]float64{s.v}); bad {
			return fmt.Sprintf("%s(t = %v) = %v", s.name, out.T[j], v)
		}
	}
	return ""
}

// nonFinite is analyticOutput.nonFinite for the MFC part.
func (c *mfcOutput) nonFinite(t, x []float64) string {
	if i, j, v, bad := firstNonFinite(c.Alpha); bad {
		return fmt.Sprintf("alpha(t = %v, x = %v) = %v", t[i], x[j], v)
	}
	if _, j, v, bad := firstNonFinite([][]float64{c.MeanX}); bad {
		return fmt.Sprintf("mean_x(t = %v) = %v", t[j], v)
	}
	return ""
}

// firstNonFinite returns the indices and value of the first NaN or
// infinite entry of rows (row-major order).
func firstNonFinite(rows [][]float64) (i, j int, v float64, bad bool) {
	for i, r := range rows {
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return i, j, v, true
			}
		}
	}
	return 0, 0, 0, false
}

func analyticSolution(p mfe.Params, nt int, x []float64) (*analyticOutput, error) {
	m, err := exact.NewMFG(p)
	if err != nil {
		return nil, err
	}
	t := mfe.TimeGrid(p.T, nt)
	out := &analyticOutput{Params: p, T: t, X: x}
	out.MFG.Alpha = mfe.OnGrid(m.Control(), t, x)
	// One sweep over the times: per-time quadratures from 0 or to T took
	// minutes for large -nt at stiff parameters.
	lawX, lawAlpha, value, err := m.Paths(t, x)
	if err != nil {
		return nil, err
	}
	out.MFG.Value = value
	for i := range t {
		lx, la := lawX[i], lawAlpha[i]
		out.MFG.MeanX = append(out.MFG.MeanX, lx.Mean)
		out.MFG.VarX = append(out.MFG.VarX, lx.Var)
		out.MFG.MeanAlpha = append(out.MFG.MeanAlpha, la.Mean)
		out.MFG.VarAlpha = append(out.MFG.VarAlpha, la.Var)
	}
	if bad := out.nonFinite(); bad != "" {
		return nil, fmt.Errorf("analytic: the MFG solution at these parameters is beyond float64's range: %s "+
			"(its scale grows with |x|, |x0-mean|, gamma/ca, cx and cg and their products; bring them nearer 1)", bad)
	}
	c, err := exact.NewMFC(p)
	if err != nil {
		// The MFC can fail to exist where the MFG does (exact.ErrNoSolution): say so.
		out.Notes = append(out.Notes, err.Error())
		return out, nil
	}
	mfc := &mfcOutput{Alpha: mfe.OnGrid(c.Control(), t, x)}
	for _, ti := range t {
		mfc.MeanX = append(mfc.MeanX, c.XBar(ti))
	}
	if bad := mfc.nonFinite(t, x); bad != "" {
		// The MFG stands on its own: the MFC is left out, and a note says why.
		out.Notes = append(out.Notes, "the MFC solution at these parameters is beyond float64's range: "+bad)
		return out, nil
	}
	out.MFC = mfc
	return out, nil
}
