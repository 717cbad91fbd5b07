package mfe

// Progress receives a long computation's progress: Update after each step
// (epoch, iteration, batch of episodes) with named current values such as
// "loss" and "control_rel", Done once at the end. The terminal bar
// (package progress) and the GoNB inline bar (package notebook) implement it.
type Progress interface {
	Update(step, total int, fields map[string]float64)
	Done()
}

// NopProgress discards progress.
type NopProgress struct{}

func (NopProgress) Update(int, int, map[string]float64) {}
func (NopProgress) Done()                               {}
