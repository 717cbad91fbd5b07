package nn

import "testing"

func TestActivationValidate(t *testing.T) {
	for _, a := range []Activation{"", ActReLU, ActTanh} {
		if err := a.Validate(); err != nil {
			t.Errorf("%q: %v", a, err)
		}
	}
	if (Activation("sigmoid")).Validate() == nil {
		t.Error(`"sigmoid" accepted`)
	}
}
