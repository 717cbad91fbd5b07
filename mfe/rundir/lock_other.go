//go:build !unix

package rundir

import (
	"errors"
	"os"
)

// tryLock: this system has no flock, and the project supports only Unix
// systems.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("locking run directories needs a Unix system")
}
