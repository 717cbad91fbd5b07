package actorcritic

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

// TestNobodyTrades: where every parameter but T and ca is 0, nobody trades
// and the exact action law is a point mass at 0. abar_rel, NaN there (0/0),
// is the RMS error, and score_rel, which stopped the run at its first
// evaluation (the law has no score), is left out; the result is written as
// JSON (no NaN).
func TestNobodyTrades(t *testing.T) {
	cfg, err := ProfileConfig(mfe.Quick)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Episodes, cfg.EvalEvery = 3, 3
	res, err := Train(context.Background(), mfe.Run{Params: mfe.Params{T: 1, Ca: 1}, Regime: mfe.MFG, Seed: 1}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.History.Extra[KeyAbarErr] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("abar_rel %v", res.History.Extra[KeyAbarErr])
		}
	}
	if len(res.History.Extra[KeyValueRel]) == 0 || len(res.History.Extra[KeyScoreRel]) != 0 {
		t.Errorf("value_rel %v, score_rel %v; want value_rel and no score_rel",
			res.History.Extra[KeyValueRel], res.History.Extra[KeyScoreRel])
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("the result does not encode: %v", err)
	}
}
