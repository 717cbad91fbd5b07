package memoir

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// configText renders a method's configuration as "key = value" items,
// leaving out the fields that are unset: zero numbers, empty strings and
// lists, and nulls.
func configText(cfg any) string {
	m, ok := cfg.(map[string]any)
	if !ok || len(m) == 0 {
		return "not recorded"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var items []string
	for _, k := range keys {
		if unset(m[k]) {
			continue
		}
		items = append(items, fmt.Sprintf("\\texttt{%s}~=~%s", texEscape(k), configValue(m[k])))
	}
	if len(items) == 0 {
		return "not recorded"
	}
	return strings.Join(items, ", ")
}

// unset reports whether a configuration value is a zero number, an empty
// string, list or object, or null: a field the run does not use.
func unset(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case float64:
		return v == 0
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// configValue renders one configuration value.
func configValue(v any) string {
	switch v := v.(type) {
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return texInt(int(v))
		}
		return texShort(v)
	case string:
		return "\\texttt{" + texEscape(v) + "}"
	case bool:
		return strconv.FormatBool(v)
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, configValue(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case nil:
		return "--"
	}
	b, _ := json.Marshal(v)
	return "\\texttt{" + texEscape(string(b)) + "}"
}

func setText(set map[string]string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var items []string
	for _, k := range keys {
		items = append(items, fmt.Sprintf("\\texttt{%s=%s}", texEscape(k), texEscape(set[k])))
	}
	return strings.Join(items, ", ")
}

// texNum formats v for text or math mode (\ensuremath) with the given significant digits:
// plain decimals between 1e-3 and 1e4, m×10^e otherwise.
func texNum(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return "\\ensuremath{\\infty}"
	case v == 0:
		return "\\ensuremath{0}"
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	// Rounding may carry into the next decade (9.996 → 10.0).
	if r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', digits-1, 64), 64); math.Abs(r) >= math.Pow(10, float64(e+1)) {
		e++
	}
	if e >= -3 && e < 4 {
		dec := max(digits-1-e, 0)
		return "\\ensuremath{" + strconv.FormatFloat(v, 'f', dec, 64) + "}"
	}
	m := v / math.Pow(10, float64(e))
	ms := strconv.FormatFloat(m, 'f', digits-1, 64)
	return fmt.Sprintf("\\ensuremath{%s\\times10^{%d}}", ms, e)
}

// texShort formats v exactly (shortest representation) in math mode,
// m×10^e for the small and the large.
func texShort(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if m, e, ok := strings.Cut(s, "e"); ok {
		n, _ := strconv.Atoi(e)
		return fmt.Sprintf("\\ensuremath{%s\\times10^{%d}}", m, n)
	}
	return "\\ensuremath{" + s + "}"
}

// texInt writes n with thin-space thousands separators.
func texInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, "\\,")
	if neg {
		out = "$-$" + out
	}
	return out
}

var texEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `_`, `\_`, `%`, `\%`, `&`, `\&`, `#`, `\#`, `$`, `\$`,
	`{`, `\{`, `}`, `\}`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`)

func texEscape(s string) string { return texEscaper.Replace(s) }

// texCmd escapes a command line for \texttt and lets it break after each
// slash (typewriter text does not hyphenate, and paths are long).
func texCmd(s string) string { return strings.ReplaceAll(texEscape(s), "/", "/\\allowbreak{}") }

// texText writes plain text, such as a method's title, for LaTeX: its
// special characters escaped and its dashes as LaTeX spells them.
func texText(s string) string { return texDashes.Replace(texEscape(s)) }

var texDashes = strings.NewReplacer("–", "--", "—", "---")
