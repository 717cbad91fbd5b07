package mfe

import "fmt"

// Profile names a size preset of a solver: "quick" (tests and CI, seconds to
// a minute), "default" (what a notebook runs on a 2-core CPU in minutes) and
// "memoir" (the memoir's reference sizes).
type Profile string

const (
	Quick   Profile = "quick"
	Default Profile = "default"
	Memoir  Profile = "memoir"
)

// Profiles are the profiles every method has, smallest first.
var Profiles = []Profile{Quick, Default, Memoir}

// ParseProfile returns the profile named s.
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown profile %q: want quick, default or memoir", s)
}
