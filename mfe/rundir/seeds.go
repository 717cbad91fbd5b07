package rundir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// A multi-seed directory holds one run directory per seed of the same run,
// SeedPrefix+"N" for seed N (`mfe train -seeds 1,2,3 -out DIR` writes
// DIR/seed-1, DIR/seed-2, DIR/seed-3), and their summary, SummaryFile.
const (
	SeedPrefix  = "seed-"
	SummaryFile = "summary.json"
)

// SeedDir returns the run directory of seed in the multi-seed directory
// dir: dir/seed-N.
func SeedDir(dir string, seed uint64) string {
	return filepath.Join(dir, SeedPrefix+strconv.FormatUint(seed, 10))
}

// IsRun reports whether dir is itself a run directory, one that holds a
// result.json or a checkpoint directory, rather than a multi-seed
// directory (or nothing yet).
func IsRun(dir string) bool {
	for _, name := range []string{ResultFile, CheckpointDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// SeedDirs returns the run directories of the multi-seed directory dir
// that hold the file name, by increasing seed, with their seeds. Only
// subdirectories named exactly as SeedDir names them count (seed-1, not
// seed-01). A missing dir has none.
func SeedDirs(dir, name string) (seeds []uint64, dirs []string, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), SeedPrefix) {
			continue
		}
		s, err := strconv.ParseUint(strings.TrimPrefix(e.Name(), SeedPrefix), 10, 64)
		if err != nil || SeedDir(dir, s) != filepath.Join(dir, e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), name)); err == nil {
			seeds = append(seeds, s)
		}
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	for _, s := range seeds {
		dirs = append(dirs, SeedDir(dir, s))
	}
	return seeds, dirs, nil
}

// RunDirs returns the run directories that dir stands for and that hold
// the file name: dir itself when it is a run directory (IsRun) holding
// name, else the seed directories of the multi-seed directory dir holding
// name, by increasing seed (SeedDirs). A saved run is found in either
// layout.
func RunDirs(dir, name string) ([]string, error) {
	if IsRun(dir) {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, nil
		}
		return []string{dir}, nil
	}
	_, dirs, err := SeedDirs(dir, name)
	return dirs, err
}
