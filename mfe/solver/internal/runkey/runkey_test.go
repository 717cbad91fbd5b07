package runkey

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/mf-optimal-execution/mf-optimal-execution/mfe"
)

type config struct {
	Epochs int    `json:"epochs"`
	Dir    string `json:"-"`
}

func TestCheck(t *testing.T) {
	key := Key{Method: "m", Regime: mfe.MFG, Params: mfe.Reference(), Config: config{Epochs: 10, Dir: "a"}, Seed: 1}
	saved, err := json.MarshalIndent(key, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	same := key
	same.Config = config{Epochs: 10, Dir: "b"} // json:"-" fields are not the run's identity
	if err := Check("d", saved, same); err != nil {
		t.Errorf("same run, other spacing and checkpoint dir: %v", err)
	}
	other := key
	other.Params.Gamma, other.Seed = 1, 2
	err = Check("d", saved, other)
	var mm *mfe.MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("other run: err = %v, want a *mfe.MismatchError", err)
	}
	want := []string{"params.gamma: saved 1.75, requested 1", "seed: saved 1, requested 2"}
	if len(mm.Differs) != len(want) || mm.Differs[0] != want[0] || mm.Differs[1] != want[1] {
		t.Errorf("differences %q, want %q", mm.Differs, want)
	}
}
