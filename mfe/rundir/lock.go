package rundir

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the file in a run directory that LockRun locks.
const LockFile = ".lock"

// RunLock is a run directory held by this process (LockRun).
type RunLock struct {
	f *os.File
}

// LockedError reports a run directory held by another run.
type LockedError struct {
	Dir string
	PID int // the holder's process ID, 0 if it has not written it yet
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("process %d", e.PID)
	}
	return fmt.Sprintf("run directory %s is in use by %s (it holds %s); wait for it to end or write to another directory",
		e.Dir, who, filepath.Join(e.Dir, LockFile))
}

// LockRun makes this process the one writer of the run directory dir,
// creating dir if needed: it takes an exclusive lock (flock) on dir's
// LockFile and writes its process ID there, until Release or the
// process's end. A directory held by another process, or by another
// LockRun of this one, is refused at once with a *LockedError naming the
// holder's process ID. `mfe train` and the notebooks' runs hold it for the
// whole run.
func LockRun(dir string) (*RunLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR|os.O_CREATE, FileMode)
	if err != nil {
		return nil, err
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	if !held {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:n])))
		return nil, &LockedError{Dir: dir, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	return &RunLock{f: f}, nil
}

// Release gives the run directory up. The lock file stays, emptied.
func (l *RunLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close()
	l.f = nil
	return err
}
