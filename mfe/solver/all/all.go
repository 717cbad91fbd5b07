// Package all registers every solver of the framework: importing it (for its
// side effect) makes every method known to mfe.Methods.
//
//	import _ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/all"
package all

import (
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/actorcritic"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/dgm"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/directmfc"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/fbsde"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/finitedifference"
	_ "github.com/mf-optimal-execution/mf-optimal-execution/mfe/solver/qlearn"
)
