package memoir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/rundir"
	"github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
)

// maxHistory is the number of points per history series that Import keeps.
const maxHistory = 400

// Import copies the run directory src into the memoir's data as dst:
// result.json with its history thinned to at most 400 points per
// series (the numbers are kept as written), control.json as it is (removed
// from dst when src lacks it), and, for a run of a method in
// valueMethods, value.json: its learned value function tabulated by
// NewValueGrid from the run reloaded from its checkpoint (reload), none
// when it has no value to compare. A src without result.json but with
// seed-N runs (an ablation's row, AblationsDir, or a method's runs on
// another model, ModelsDir) gives dst their summary.json only.
func Import(src, dst string) error {
	if !rundir.IsRun(src) {
		return importSummary(src, dst)
	}
	b, err := os.ReadFile(filepath.Join(src, "result.json"))
	if err != nil {
		return err
	}
	thin, err := thinResult(b, maxHistory)
	if err != nil {
		return fmt.Errorf("%s/result.json: %w", src, err)
	}
	if err := rundir.WriteFileAtomic(filepath.Join(dst, "result.json"), thin); err != nil {
		return err
	}
	for _, name := range []string{"control.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if errors.Is(err, os.ErrNotExist) {
			os.Remove(filepath.Join(dst, name))
			continue
		}
		if err != nil {
			return err
		}
		if err := rundir.WriteFileAtomic(filepath.Join(dst, name), b); err != nil {
			return err
		}
	}
	return importValue(src, dst)
}

// valueMethods are the methods whose learned value function the memoir
// draws from value.json.
var valueMethods = []string{actorcritic.Method}

// importValue writes dst/value.json from the run in src when its method
// is one of valueMethods and it has a value to compare, and removes a
// stale one otherwise.
func importValue(src, dst string) error {
	path := filepath.Join(dst, "value.json")
	res, err := rundir.ReadResult(src)
	if err != nil {
		return err
	}
	if !slices.Contains(valueMethods, res.Method) {
		os.Remove(path)
		return nil
	}
	if res, err = reload(context.Background(), src, res); err != nil {
		return fmt.Errorf("%s: reloading the run for its value function: %w", src, err)
	}
	vg, err := NewValueGrid(res)
	if err != nil {
		return err
	}
	if vg == nil {
		os.Remove(path)
		return nil
	}
	return rundir.WriteJSON(path, vg)
}

// reload loads the finished run saved in dir, whose result.json is res,
// with its networks: its method trains it with the configuration its
// result records from dir's checkpoint directory, which reloads a finished
// run without training and refuses one of another configuration. A run
// without a finished checkpoint is refused: the memoir never trains.
func reload(ctx context.Context, dir string, res *mfe.Result) (*mfe.Result, error) {
	ck := filepath.Join(dir, rundir.CheckpointDir)
	if !rundir.Finished(ck) {
		return nil, fmt.Errorf("%s holds no finished run to reload (the memoir does not train)", ck)
	}
	m, err := mfe.LookupMethod(res.Method)
	if err != nil {
		return nil, err
	}
	cfg, err := m.Config(res.Profile)
	if err != nil {
		return nil, err
	}
	recorded, ok := res.Config.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("result.json records no configuration")
	}
	set := map[string]string{}
	names := mfe.Settings(cfg)
	for k, v := range recorded {
		if !slices.Contains(names, k) {
			// A size derived from the run (e.g. run_steps), recorded beside
			// the settings: training derives it again, and the checkpoint's
			// key refuses a run where it differs.
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		set[k] = string(b)
	}
	if cfg, err = mfe.SetConfig(cfg, set); err != nil {
		return nil, err
	}
	return m.Train(ctx, mfe.Run{Params: res.Params, Regime: res.Regime, Profile: res.Profile, Seed: res.Seed, Checkpoint: ck}, cfg)
}

// thinResult keeps at most n evenly spaced points (first and last
// included) of the history's per-epoch and per-evaluation series.
func thinResult(b []byte, n int) ([]byte, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, err
	}
	if raw, ok := top["history"]; ok {
		var h map[string]json.RawMessage
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, err
		}
		var epoch, eval []json.RawMessage
		json.Unmarshal(h["epoch"], &epoch)
		json.Unmarshal(h["eval_epoch"], &eval)
		lens := map[int][]int{}
		for _, l := range []int{len(epoch), len(eval)} {
			if l > n {
				lens[l] = thinIndex(l, n)
			}
		}
		thinArray := func(raw json.RawMessage) json.RawMessage {
			var a []json.RawMessage
			if json.Unmarshal(raw, &a) != nil {
				return raw
			}
			idx, ok := lens[len(a)]
			if !ok {
				return raw
			}
			out := make([]json.RawMessage, len(idx))
			for i, j := range idx {
				out[i] = a[j]
			}
			r, _ := json.Marshal(out)
			return r
		}
		for k, v := range h {
			if k == "extra" {
				var ex map[string]json.RawMessage
				if json.Unmarshal(v, &ex) == nil {
					for ek, ev := range ex {
						ex[ek] = thinArray(ev)
					}
					h[k], _ = json.Marshal(ex)
				}
				continue
			}
			h[k] = thinArray(v)
		}
		top["history"], _ = json.Marshal(h)
	}
	// Keys come out sorted; every number keeps the text it was written with.
	var out bytes.Buffer
	enc, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	if err := json.Indent(&out, enc, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func thinIndex(l, n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = int(math.Round(float64(i) * float64(l-1) / float64(n-1)))
	}
	return idx
}
