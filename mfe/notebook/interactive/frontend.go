package interactive

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
)

// WidgetsEnv is the environment variable that overrides front-end detection:
// "off" always takes the static path, "on" skips the heuristics of FrontEnd
// and only probes.
const WidgetsEnv = "MFE_WIDGETS"

// DefaultProbe is how long FrontEnd waits for the browser's answer.
const DefaultProbe = 5 * time.Second

// FrontEnd reports whether a browser is attached to the notebook and able to
// run widgets, and if not, why. It never blocks for long and leaves nothing in
// headless outputs:
//
//  1. outside GoNB, or with $MFE_WIDGETS=off: no;
//  2. GoNB's widget channel needs the Jupyter kernel id, which GoNB reads from
//     a connection file named kernel-<id>.json, as Jupyter servers name them;
//     any other name (nbclient's temporary files) means no front end;
//  3. a kernel launched by nbconvert, nbclient or papermill (the process
//     $JPY_PARENT_PID) has no browser;
//  4. otherwise a probe: the cell asks the page to answer on a fresh address
//     and waits up to probe (DefaultProbe if 0) for the answer.
//
// Steps 2 and 3 are skipped with $MFE_WIDGETS=on.
func FrontEnd(probe time.Duration) (bool, string) {
	if !gonbui.IsNotebook {
		return false, "not running under GoNB"
	}
	switch strings.ToLower(strings.TrimSpace(os.Getenv(WidgetsEnv))) {
	case "off", "0", "false", "no":
		return false, "$" + WidgetsEnv + " is off"
	case "on", "1", "true", "yes":
	default:
		if why := headlessKernel(); why != "" {
			return false, why
		}
	}
	if probe <= 0 {
		probe = DefaultProbe
	}
	if !probeBrowser(probe) {
		return false, fmt.Sprintf("no answer from a browser within %v", probe)
	}
	return true, ""
}

var kernelFile = regexp.MustCompile(`(^|/)kernel-[a-f0-9-]+\.json$`)

// headlessKernel returns why the kernel cannot have a browser attached, or "".
func headlessKernel() string {
	if k := kernelArg(cmdline(os.Getppid())); k != "" && !kernelFile.MatchString(k) {
		return "headless run: the kernel was not started by a Jupyter server"
	}
	if pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil {
		launcher := strings.Join(cmdline(pid), " ")
		for _, h := range []string{"nbconvert", "nbclient", "papermill", "nbtool.py"} {
			if strings.Contains(launcher, h) {
				return "headless run (" + h + ")"
			}
		}
	}
	return ""
}

// cmdline returns a process' arguments (nil if unknown, e.g. not Linux).
func cmdline(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
}

// kernelArg returns the value of gonb's --kernel flag ("" if absent).
func kernelArg(args []string) string {
	for i, a := range args {
		switch {
		case (a == "--kernel" || a == "-kernel") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--kernel="), strings.HasPrefix(a, "-kernel="):
			return a[strings.Index(a, "=")+1:]
		}
	}
	return ""
}

// probeBrowser asks the page to send a value back on a fresh address.
func probeBrowser(timeout time.Duration) bool {
	addr := "/mfe/probe/" + gonbui.UniqueId()
	ch := comms.Listen[int](addr)
	defer ch.Close()
	dom.TransientJavascript(fmt.Sprintf(`(() => { const c = globalThis?.gonb_comm; if (c) c.send(%q, 1); })();`, addr))
	select {
	case <-ch.C:
		return true
	case <-time.After(timeout):
		return false
	}
}
