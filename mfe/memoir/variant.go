package memoir

import (
	"context"
	"path/filepath"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
)

// Ablation is what a variant run changed in its profile's configuration,
// stored as variant.json beside the run's result.json.
type Ablation struct {
	Label string            `json:"label"` // short name, e.g. "Euler scheme (reference)"
	Set   map[string]string `json:"set"`   // settings by JSON key (see mfe.SetConfig); none: the profile as it is
}

// Config returns the configuration of profile p of method m with the
// settings of a changed; a setting m's configuration lacks is reported as a
// *mfe.SettingError.
func (a Ablation) Config(m mfe.Method, p mfe.Profile) (mfe.Config, error) {
	cfg, err := m.Config(p)
	if err != nil {
		return nil, err
	}
	return mfe.SetConfig(cfg, a.Set)
}

// Variant trains method m on run with the configuration a.Config(m,
// run.Profile) and writes the run directory dir: result.json, control.json
// and variant.json. An ablation without settings trains the profile as it
// is: the base of ablations made at another profile than the reported run.
// A result that training returned with an error (a divergence, an
// interruption) is written too.
func Variant(ctx context.Context, m mfe.Method, run mfe.Run, a Ablation, dir string) (*mfe.Result, error) {
	cfg, err := a.Config(m, run.Profile)
	if err != nil {
		return nil, err
	}
	res, err := m.Train(ctx, run, cfg)
	if res != nil {
		if werr := writeVariantRun(dir, res); werr != nil && err == nil {
			err = werr
		}
		if werr := rundir.WriteJSON(filepath.Join(dir, "variant.json"), a); werr != nil && err == nil {
			err = werr
		}
	}
	return res, err
}

// writeVariantRun writes result.json and control.json (the memoir draws its
// own figures, so no PNG).
func writeVariantRun(dir string, res *mfe.Result) error {
	if err := rundir.WriteJSON(filepath.Join(dir, "result.json"), res); err != nil {
		return err
	}
	if res.Control == nil {
		return nil
	}
	cg, err := rundir.GridControl(res)
	if err != nil {
		return err
	}
	return rundir.WriteJSON(filepath.Join(dir, "control.json"), cg)
}
