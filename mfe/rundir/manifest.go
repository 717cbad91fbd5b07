package rundir

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A checkpoint directory (a run's checkpoint/) holds the solver's state,
// StateFile, the files it names (the network solvers' variables, in a
// directory VarsPrefix+"NNNNNN"), and ManifestFile, which lists every one of
// them with its size and SHA-256 together with the run's key and, for a
// finished run, its ControlCheck. The manifest is the commit point of a
// save (CommitCheckpoint): a checkpoint is loaded (OpenCheckpoint) only if
// every file it lists is there, whole and unchanged, and paths inside it
// stay inside it (LocalPath).
const (
	StateFile    = "state.json"
	ManifestFile = "manifest.json"
	VarsPrefix   = "vars-"
	// pendingState is state.json as written before the manifest that lists
	// it, renamed to StateFile once the manifest is in place.
	pendingState = ".state.json.next"
	// manifestFormat is the version of the manifest's layout.
	manifestFormat = 1
)

// Manifest is the content of a checkpoint's manifest.json.
type Manifest struct {
	Format int             `json:"format"`
	Key    json.RawMessage `json:"key"` // the run's identity (runkey.Key)
	Files  []FileSum       `json:"files"`
	// Check is the control of a finished run on the standard grid, computed
	// from its weights when it was saved.
	Check *ControlCheck `json:"check,omitempty"`
}

// FileSum is a file of a checkpoint: its path relative to the checkpoint
// directory (slash-separated), size in bytes and SHA-256 (hexadecimal).
type FileSum struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Under returns the manifest's files in the directory sub of the checkpoint
// (relative paths), in the manifest's order.
func (m *Manifest) Under(sub string) []string {
	var out []string
	prefix := filepath.ToSlash(filepath.Clean(sub)) + "/"
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, prefix) {
			out = append(out, f.Path)
		}
	}
	return out
}

// CheckpointError reports a checkpoint that cannot be loaded as it was
// saved: a file missing, truncated, altered or unlisted, or a path that
// leads out of the checkpoint.
type CheckpointError struct {
	Dir     string // the checkpoint directory
	File    string // the file at fault, relative to Dir
	Problem string
}

func (e *CheckpointError) Error() string {
	return fmt.Sprintf("checkpoint %s: %s: %s; refusing to load it (delete the checkpoint, or mfe train -fresh, to train from scratch)",
		e.Dir, e.File, e.Problem)
}

// LegacyError reports a checkpoint without a manifest: saved by a version
// of mfe that wrote none, or with its manifest deleted. Its files cannot be
// verified, so it is loaded only on request (OpenCheckpoint's legacy), for
// the one step that verifies a finished run against its stored metrics and
// writes its manifest (mfe train -adopt-legacy, mfe.Run.AdoptLegacy).
type LegacyError struct{ Dir string }

func (e *LegacyError) Error() string {
	return fmt.Sprintf("checkpoint %s has no %s (saved by an older mfe, or the manifest was deleted), so its files cannot be verified; "+
		"mfe train -adopt-legacy reloads a finished run only if its weights reproduce its stored metrics, then writes the manifest",
		e.Dir, ManifestFile)
}

// LocalPath returns dir joined with rel, a path inside the checkpoint
// directory dir, after checking that it stays there: rel must be relative,
// without "..", and none of its components may be a symbolic link.
func LocalPath(dir, rel string) (string, error) {
	if rel == "" || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("path %q leads out of the checkpoint (want a relative path inside it, without \"..\")", rel)
	}
	path := dir
	for _, part := range strings.Split(filepath.Clean(filepath.FromSlash(rel)), string(filepath.Separator)) {
		path = filepath.Join(path, part)
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			break // a missing file is the caller's to report
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("path %q goes through a symbolic link, which could lead out of the checkpoint", rel)
		}
	}
	return filepath.Join(dir, filepath.FromSlash(rel)), nil
}

// OpenCheckpoint verifies the checkpoint in dir against its manifest and
// returns the content of its state.json and the manifest. It returns
// (nil, nil, nil) when dir holds no checkpoint (neither a manifest nor a
// state.json), a *CheckpointError naming the file when a listed file is
// missing, not a regular file, of another size or content, or its path
// leads out of dir, and a *LegacyError for a state.json without a manifest,
// unless legacy is true: then it returns that state.json, unverified, and a
// nil manifest.
//
// A save interrupted after its manifest was written but before its
// state.json was renamed into place (CommitCheckpoint) is completed here.
func OpenCheckpoint(dir string, legacy bool) (state []byte, m *Manifest, err error) {
	mb, err := readRegular(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		state, err := readRegular(filepath.Join(dir, StateFile))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, nil, nil
		case err != nil:
			return nil, nil, &CheckpointError{Dir: dir, File: StateFile, Problem: err.Error()}
		case !legacy:
			return nil, nil, &LegacyError{Dir: dir}
		}
		return state, nil, nil
	}
	if err != nil {
		return nil, nil, &CheckpointError{Dir: dir, File: ManifestFile, Problem: err.Error()}
	}
	m = new(Manifest)
	if err := json.Unmarshal(mb, m); err != nil {
		return nil, nil, &CheckpointError{Dir: dir, File: ManifestFile, Problem: "unreadable: " + err.Error()}
	}
	if m.Format != manifestFormat {
		return nil, nil, &CheckpointError{Dir: dir, File: ManifestFile, Problem: fmt.Sprintf("format %d, this mfe reads format %d", m.Format, manifestFormat)}
	}
	for _, f := range m.Files {
		if f.Path != StateFile {
			if err := checkFile(dir, f); err != nil {
				return nil, nil, err
			}
			continue
		}
		if state, err = readState(dir, f); err != nil {
			return nil, nil, err
		}
	}
	if state == nil {
		return nil, nil, &CheckpointError{Dir: dir, File: ManifestFile, Problem: "lists no " + StateFile}
	}
	return state, m, nil
}

// readState returns the content of state.json if it matches f, after
// completing an interrupted save whose pending state matches f.
func readState(dir string, f FileSum) ([]byte, error) {
	b, err := readRegular(filepath.Join(dir, StateFile))
	if err == nil && matches(b, f) {
		return b, nil
	}
	if pb, perr := readRegular(filepath.Join(dir, pendingState)); perr == nil && matches(pb, f) {
		if err := os.Rename(filepath.Join(dir, pendingState), filepath.Join(dir, StateFile)); err != nil {
			return nil, &CheckpointError{Dir: dir, File: StateFile, Problem: "completing an interrupted save: " + err.Error()}
		}
		return pb, nil
	}
	if err != nil {
		return nil, &CheckpointError{Dir: dir, File: StateFile, Problem: problem(err)}
	}
	return nil, &CheckpointError{Dir: dir, File: StateFile, Problem: mismatch(b, f)}
}

// checkFile verifies one listed file other than state.json.
func checkFile(dir string, f FileSum) error {
	path, err := LocalPath(dir, f.Path)
	if err != nil {
		return &CheckpointError{Dir: dir, File: f.Path, Problem: err.Error()}
	}
	b, err := readRegular(path)
	if err != nil {
		return &CheckpointError{Dir: dir, File: f.Path, Problem: problem(err)}
	}
	if !matches(b, f) {
		return &CheckpointError{Dir: dir, File: f.Path, Problem: mismatch(b, f)}
	}
	return nil
}

func problem(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "missing (the manifest lists it)"
	}
	return err.Error()
}

func matches(b []byte, f FileSum) bool {
	return int64(len(b)) == f.Size && sum(b) == f.SHA256
}

func mismatch(b []byte, f FileSum) string {
	if int64(len(b)) != f.Size {
		return fmt.Sprintf("%d bytes, the manifest says %d (truncated or altered)", len(b), f.Size)
	}
	return "its SHA-256 differs from the manifest's (altered)"
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readRegular reads a regular file, refusing anything else (a symbolic
// link, a directory).
func readRegular(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// VerifyDir checks that the directory sub of the checkpoint dir holds
// exactly files the manifest lists, and at least one: a reader of the
// whole directory (GoMLX's variables loader) then reads only verified
// files.
func (m *Manifest) VerifyDir(dir, sub string) error {
	path, err := LocalPath(dir, sub)
	if err != nil {
		return &CheckpointError{Dir: dir, File: sub, Problem: err.Error()}
	}
	listed := m.Under(sub)
	if len(listed) == 0 {
		return &CheckpointError{Dir: dir, File: sub, Problem: "the manifest lists no file in it"}
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return &CheckpointError{Dir: dir, File: sub, Problem: problem(err)}
	}
	for _, e := range entries {
		rel := filepath.ToSlash(filepath.Join(sub, e.Name()))
		if !slices.Contains(listed, rel) {
			return &CheckpointError{Dir: dir, File: rel, Problem: "not listed in the manifest"}
		}
	}
	return nil
}

// ListFiles returns the regular files in the directory sub of dir, as
// paths relative to dir, refusing anything else in it.
func ListFiles(dir, sub string) ([]string, error) {
	path, err := LocalPath(dir, sub)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			return nil, fmt.Errorf("%s: %s is not a regular file", path, e.Name())
		}
		out = append(out, filepath.ToSlash(filepath.Join(sub, e.Name())))
	}
	return out, nil
}

// CommitCheckpoint makes dir's checkpoint the one whose state.json holds
// state and whose other files are files (relative paths, already written
// in dir), for the run whose key is key, with check for a finished run.
// It writes state to a pending file, then the manifest (atomically, the
// commit point), then renames the pending file to state.json: an
// interruption before the manifest leaves the previous checkpoint whole,
// one after it is completed by the next OpenCheckpoint. The caller removes
// the files of the previous checkpoint afterwards.
func CommitCheckpoint(dir string, key json.RawMessage, state []byte, files []string, check *ControlCheck) error {
	m := Manifest{Format: manifestFormat, Key: key, Check: check,
		Files: []FileSum{{Path: StateFile, Size: int64(len(state)), SHA256: sum(state)}}}
	for _, rel := range files {
		path, err := LocalPath(dir, rel)
		if err != nil {
			return fmt.Errorf("checkpoint %s: %w", dir, err)
		}
		b, err := readRegular(path)
		if err != nil {
			return fmt.Errorf("checkpoint %s: %s: %w", dir, rel, err)
		}
		m.Files = append(m.Files, FileSum{Path: filepath.ToSlash(rel), Size: int64(len(b)), SHA256: sum(b)})
	}
	if err := WriteFileAtomic(filepath.Join(dir, pendingState), state); err != nil {
		return err
	}
	if err := WriteJSON(filepath.Join(dir, ManifestFile), m); err != nil {
		return err
	}
	return os.Rename(filepath.Join(dir, pendingState), filepath.Join(dir, StateFile))
}

// RemoveCheckpoint removes the files of the checkpoint in dir that the
// project wrote: those its manifest lists, the manifest, state.json (and
// its pending copy and the atomic writer's temporary files) and the
// variables' directories (VarsPrefix*, and their temporary .vars-tmp*).
// Anything else in dir, a user's file, stays, and so does dir then; an
// empty dir is removed. A missing dir is nothing to remove.
func RemoveCheckpoint(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	remove := func(path string, all bool) {
		rm := os.Remove
		if all {
			rm = os.RemoveAll
		}
		if err := rm(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if b, err := readRegular(filepath.Join(dir, ManifestFile)); err == nil {
		var m Manifest
		if json.Unmarshal(b, &m) == nil {
			for _, f := range m.Files {
				if path, err := LocalPath(dir, f.Path); err == nil {
					remove(path, false)
				}
			}
		}
	}
	for _, e := range entries {
		n := e.Name()
		switch {
		case n == StateFile || n == ManifestFile || n == pendingState,
			strings.HasPrefix(n, "."+StateFile+".tmp"), strings.HasPrefix(n, "."+ManifestFile+".tmp"),
			strings.HasPrefix(n, "."+pendingState+".tmp"):
			remove(filepath.Join(dir, n), false)
		case strings.HasPrefix(n, VarsPrefix), strings.HasPrefix(n, ".vars-tmp"):
			remove(filepath.Join(dir, n), e.IsDir()) // a symbolic link is removed, not followed
		}
	}
	if left, err := os.ReadDir(dir); err == nil && len(left) == 0 {
		remove(dir, false)
	}
	return errors.Join(errs...)
}

// Finished reports whether the checkpoint directory ck holds a finished
// run: one whose manifest has the control check that only a finished run
// saves, which a solver reloads without training. It reads the manifest
// only; the solver verifies the files when it reloads them.
func Finished(ck string) bool {
	var m Manifest
	return ReadJSON(filepath.Join(ck, ManifestFile), &m) == nil && m.Check != nil
}
