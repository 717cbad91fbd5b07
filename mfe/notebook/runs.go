package notebook

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// RetrainEnv set to 1 makes RunDir forget saved runs, so that every notebook
// trains again (the main job, setup/run.sh, sets it).
const RetrainEnv = "MFE_RETRAIN"

// RunDir returns the directory where a notebook saves and reloads its run
// named name (e.g. "direct-mfc-mfc"): notebooks/results/NAME-PROFILE under the
// repository root, the profile being Profile(). A solver given it as its
// checkpoint directory loads a finished run from there instead of training,
// resumes an interrupted one, and refuses one saved for other parameters.
//
// With retrain true, or $MFE_RETRAIN=1, the saved run is deleted first and
// the notebook trains from scratch. Under GoNB, where every cell is a new
// process, this happens once per kernel session and run: the later cells
// of the same session that ask for the run get the one the first trained
// (a marker in the kernel's temporary directory, $GONB_TMP_DIR, remembers
// it). Outside GoNB every call with retrain deletes the run.
func RunDir(name string, retrain bool) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "notebooks", "results", name+"-"+Profile())
	if retrain || strings.TrimSpace(os.Getenv(RetrainEnv)) == "1" {
		marker := ""
		if tmp := os.Getenv("GONB_TMP_DIR"); tmp != "" {
			marker = filepath.Join(tmp, "mfe-retrained", name+"-"+Profile())
			if _, err := os.Stat(marker); err == nil {
				return dir, nil // retrained earlier in this kernel session
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			return "", err
		}
		if marker != "" {
			if err := os.MkdirAll(filepath.Dir(marker), 0o755); err != nil {
				return "", err
			}
			if err := os.WriteFile(marker, nil, 0o644); err != nil {
				return "", err
			}
		}
	}
	return dir, nil
}

// RepoRoot returns the root of the mfe repository the notebook runs from:
// the first directory holding the mfe go.mod, looking up from the kernel's
// start directory ($GONB_DIR, the notebook's folder) or else the working
// directory.
func RepoRoot() (string, error) {
	start := os.Getenv("GONB_DIR")
	if start == "" {
		var err error
		if start, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if isMFERoot(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("notebook: no mfe repository (go.mod of %s) above %s", modulePath, start)
		}
	}
}

const modulePath = "github.com/mf-optimal-execution/mf-optimal-execution"

func isMFERoot(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fs := strings.Fields(s.Text()); len(fs) == 2 && fs[0] == "module" {
			return fs[1] == modulePath
		}
	}
	return false
}
