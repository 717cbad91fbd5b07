package sim

// GapMemory returns the bytes Exploitability and SocialGap hold at once:
// six series of per-batch moments over the Steps+1 times (up to 100
// batches, whatever N) and eight buffers of N particles. Beside them a
// simulation (Run, ControlError) holds a few buffers of N particles and
// series over the times.
func (s Sim) GapMemory() float64 {
	k := float64(min(jackknifeBatches, max(s.N, 0)))
	return 8 * (6*k*float64(s.Steps+1) + 8*float64(s.N))
}
