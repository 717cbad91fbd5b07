package mfe

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Method is a numerical method of the framework. Each solver package
// registers its Method once, in an init function ([Register]); the command
// line, the notebooks, the comparison and the memoir enumerate [Methods] and
// never spell a method's name or regimes again.
type Method interface {
	// Name identifies the method on the command line, in results and in
	// run directories, e.g. "fbsde".
	Name() string
	// Title is how figures and tables name the method, e.g. "Deep MKV FBSDE".
	Title() string
	// Order places the method in listings and comparisons (ascending).
	Order() int
	// Regimes are the problems the method solves, the default first.
	Regimes() []Regime
	// Config returns the configuration of a profile: a fresh value the
	// caller may change (see [SetConfig]) before passing it to Train.
	Config(Profile) (Config, error)
	// Train runs the method with a configuration returned by Config.
	Train(ctx context.Context, run Run, cfg Config) (*Result, error)
}

// Config is a method's configuration: a struct encoded in result.json under
// "config" (its JSON field names are the settings' names) whose Validate
// reports a setting that cannot run.
type Config interface {
	Validate() error
}

// Run is what a training run is asked to do, apart from its configuration.
type Run struct {
	Params  Params
	Regime  Regime
	Profile Profile // recorded in the result; the configuration says the sizes
	Seed    uint64
	// Model is the model solved; the zero value is the LQ model of the
	// package doc. A method that does not take it refuses the run
	// (TakesModel).
	Model ModelSpec
	// Checkpoint, if not empty, is the directory the run saves itself in
	// (every CheckpointEvery epochs, at the end and when interrupted) and
	// resumes from: a finished run is reloaded without training, and a
	// checkpoint of another run is refused with a *MismatchError.
	Checkpoint string
	// CheckpointEvery is the number of epochs (iterations, episodes)
	// between saves; 0 leaves it to the method.
	CheckpointEvery int
	Progress        Progress // nil: no progress
	// AdoptLegacy lets a finished run saved without a manifest (by an older
	// version) be reloaded: only if its weights reproduce its stored
	// metrics, after which its manifest is written (package rundir). Without
	// it such a checkpoint is refused.
	AdoptLegacy bool
	// Reevaluate, if set, makes Train re-evaluate a finished run instead of
	// reloading it: its checkpoint is verified as on any reload (a run
	// without a manifest, an unfinished one or none at all is refused), its
	// final metrics are computed again from its weights exactly as at the
	// end of training, with the current evaluation code, and must have the
	// stored control_mse and control_rel (rundir.SameControlMetrics); they
	// then replace the stored metrics in the checkpoint, whose manifest is
	// rewritten, the result carries them, and Reevaluate is called with the
	// stored and the new metrics. AdoptLegacy does not apply then.
	Reevaluate func(old, new Metrics)
}

// Spec is a Method made of typed parts; a solver package registers one:
//
//	func init() {
//		mfe.Register(mfe.Spec[Config]{Name: "fbsde", Title: "Deep MKV FBSDE", ...})
//	}
type Spec[C Config] struct {
	MethodName  string
	MethodTitle string
	Rank        int
	Solves      []Regime
	Profile     func(Profile) (C, error)
	TrainFunc   func(ctx context.Context, run Run, cfg C) (*Result, error)
	// TargetRel is the control_rel the default profile is meant to reach
	// over the parameter box of package sweep (0: the method states none);
	// ModelTargetRel the one it is meant to reach on a model without a
	// closed form, against that model's finite-difference reference (0:
	// TargetRel).
	TargetRel      float64
	ModelTargetRel float64
	// Models names the models the method solves besides the LQ one
	// (ModelSpec.Name), e.g. ModelCapped; UserModels says that it solves
	// a user's model too (RegisterModelName), one that gives what the
	// method needs (its training says so when it does not).
	Models     []string
	UserModels bool
}

func (s Spec[C]) Name() string      { return s.MethodName }
func (s Spec[C]) Title() string     { return s.MethodTitle }
func (s Spec[C]) Order() int        { return s.Rank }
func (s Spec[C]) Regimes() []Regime { return slices.Clone(s.Solves) }
func (s Spec[C]) Target() float64   { return s.TargetRel }

// ModelTarget implements ModelTargeted.
func (s Spec[C]) ModelTarget() float64 {
	if s.ModelTargetRel > 0 {
		return s.ModelTargetRel
	}
	return s.TargetRel
}

// Targeted is a Method that states the accuracy its default profile is
// meant to reach: control_rel at most Target, at every parameter set of the
// robustness box (package sweep).
type Targeted interface {
	Target() float64
}

// Target returns the control_rel target of m's default profile, and false
// when m states none.
func Target(m Method) (float64, bool) {
	t, ok := m.(Targeted)
	if !ok || t.Target() <= 0 {
		return 0, false
	}
	return t.Target(), true
}

// ModelTargeted is a Method that states the accuracy its default profile
// is meant to reach on a model without a closed form.
type ModelTargeted interface {
	ModelTarget() float64
}

// ModelTarget returns the control_rel target of m's default profile on the
// model s against its reference (Target for the LQ model), and false when m
// states none.
func ModelTarget(m Method, s ModelSpec) (float64, bool) {
	if s.IsLQ() {
		return Target(m)
	}
	t, ok := m.(ModelTargeted)
	if !ok || t.ModelTarget() <= 0 {
		return 0, false
	}
	return t.ModelTarget(), true
}

// Config implements Method.
func (s Spec[C]) Config(p Profile) (Config, error) {
	if _, err := ParseProfile(string(p)); err != nil {
		return nil, fmt.Errorf("%s: %w", s.MethodName, err)
	}
	c, err := s.Profile(p)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Train implements Method: it checks the regime, the model and the
// configuration's type before calling the solver.
func (s Spec[C]) Train(ctx context.Context, run Run, cfg Config) (*Result, error) {
	if !slices.Contains(s.Solves, run.Regime) {
		return nil, fmt.Errorf("%s solves %s, not %q", s.MethodName, RegimeList(s.Solves), run.Regime)
	}
	if err := run.Model.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.MethodName, err)
	}
	if !s.TakesModel(run.Model.Name) {
		return nil, fmt.Errorf("%s does not take the %s model yet", s.MethodName, run.Model.Label())
	}
	c, ok := cfg.(C)
	if !ok {
		return nil, fmt.Errorf("%s: configuration of type %T, want %T", s.MethodName, cfg, *new(C))
	}
	return s.TrainFunc(ctx, run, c)
}

// RegimeList writes regimes as "mfg and mfc", "mfg", ....
func RegimeList(rs []Regime) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, " and ")
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Method{}
	validName  = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Register makes a method known by its name. It panics if the name is not
// lower-case words joined by hyphens, is taken, or the method solves no
// regime: registration happens in init functions, where these are
// programming errors.
func Register(m Method) {
	registryMu.Lock()
	defer registryMu.Unlock()
	name := m.Name()
	switch {
	case !validName.MatchString(name):
		panic(fmt.Sprintf("mfe.Register: invalid method name %q", name))
	case registry[name] != nil:
		panic(fmt.Sprintf("mfe.Register: method %q registered twice", name))
	case len(m.Regimes()) == 0:
		panic(fmt.Sprintf("mfe.Register: method %q solves no regime", name))
	}
	registry[name] = m
}

// Methods returns the registered methods by Order, then name.
func Methods() []Method {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Method, 0, len(registry))
	for _, m := range registry {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order() != out[j].Order() {
			return out[i].Order() < out[j].Order()
		}
		return out[i].Name() < out[j].Name()
	})
	return out
}

// MethodNames returns the names of Methods, in their order.
func MethodNames() []string {
	var names []string
	for _, m := range Methods() {
		names = append(names, m.Name())
	}
	return names
}

// LookupMethod returns the method registered as name, or an error listing
// the registered ones.
func LookupMethod(name string) (Method, error) {
	registryMu.RLock()
	m := registry[name]
	registryMu.RUnlock()
	if m == nil {
		return nil, fmt.Errorf("unknown method %q: want one of %s", name, strings.Join(MethodNames(), ", "))
	}
	return m, nil
}

// MethodRank returns the position of the named method in Methods (unknown
// names after every registered one), for sorting runs.
func MethodRank(name string) int {
	for i, m := range Methods() {
		if m.Name() == name {
			return i
		}
	}
	return len(Methods())
}

// MethodTitle returns the title of the named method, or the name itself when
// no such method is registered (a saved run of a method this build lacks).
func MethodTitle(name string) string {
	if m, err := LookupMethod(name); err == nil {
		return m.Title()
	}
	return name
}

// Solves reports whether m solves regime r.
func Solves(m Method, r Regime) bool { return slices.Contains(m.Regimes(), r) }

// SettingError reports a setting that a configuration does not have or a
// value it cannot take.
type SettingError struct {
	Key, Value string
	Reason     string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("setting %q = %q: %s", e.Key, e.Value, e.Reason)
}

// SetConfig returns cfg with the settings named in set (JSON field names of
// the configuration, those omitted when empty included) replaced: a value
// that is valid JSON is used as such, anything else as a string. The result
// has cfg's dynamic type.
func SetConfig(cfg Config, set map[string]string) (Config, error) {
	if len(set) == 0 {
		return cfg, nil
	}
	fields := settings(reflect.TypeOf(cfg))
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	patch := map[string]json.RawMessage{}
	for _, k := range keys {
		v := set[k]
		if !slices.Contains(fields, k) {
			return cfg, &SettingError{k, v, "no such setting (settings: " + strings.Join(fields, ", ") + ")"}
		}
		if json.Valid([]byte(v)) {
			patch[k] = json.RawMessage(v)
		} else {
			patch[k], _ = json.Marshal(v)
		}
	}
	pb, _ := json.Marshal(patch)
	out := reflect.New(reflect.TypeOf(cfg))
	out.Elem().Set(reflect.ValueOf(cfg))
	if err := json.Unmarshal(pb, out.Interface()); err != nil {
		vals := make([]string, len(keys))
		for i, k := range keys {
			vals[i] = set[k]
		}
		return cfg, &SettingError{strings.Join(keys, ","), strings.Join(vals, ","), err.Error()}
	}
	return out.Elem().Interface().(Config), nil
}

// Settings returns the names SetConfig takes for cfg: the JSON names of its
// configuration's fields, sorted.
func Settings(cfg Config) []string { return settings(reflect.TypeOf(cfg)) }

// settings returns the sorted JSON names of the exported fields of the
// struct type t (and of the structs it embeds without a name).
func settings(t reflect.Type) []string {
	var names []string
	if t.Kind() != reflect.Struct {
		return names
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
			continue
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			continue // its fields are visible on their own
		case name == "":
			name = f.Name
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
