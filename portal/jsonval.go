package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"scorecard/scoring"
)

// decodeJSON reads one JSON value from b with numbers kept as written
// (json.Number), so that counts and scores are converted exactly. Bytes
// that are not one complete JSON value are a problem of the whole file:
// an error page, a truncated download, two answers glued together.
func decodeJSON(file string, b []byte, ps *problems) (any, bool) {
	body := bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		ps.add(file, "", "portal.problem.empty")
		return nil, false
	case trimmed[0] == '<':
		ps.add(file, "", "portal.problem.html")
		return nil, false
	case !utf8.Valid(trimmed):
		ps.add(file, "", "portal.problem.notutf8")
		return nil, false
	case trimmed[0] != '{':
		ps.add(file, "", "portal.problem.notjson")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			ps.add(file, "", "portal.problem.truncated", len(b))
		case errors.As(err, &se):
			line := bytes.Count(body[:min(int(se.Offset), len(body))], []byte{'\n'}) + 1
			ps.add(file, "", "portal.problem.syntax", se.Offset, line)
		default:
			ps.add(file, "", "portal.problem.notjson")
		}
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		ps.add(file, "", "portal.problem.trailing", dec.InputOffset())
		return nil, false
	}
	return v, true
}

// obj is a JSON object being read, with where it is for messages.
type obj struct {
	m    map[string]any
	path string
	file string
	ps   *problems
}

// asObj reads v as an object at path; a problem when it is not one.
func asObj(v any, file, path string, ps *problems) (obj, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		ps.add(file, path, "portal.problem.notobject", kindOf(v))
		return obj{}, false
	}
	return obj{m: m, path: path, file: file, ps: ps}, true
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return "?"
}

func (o obj) at(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func (o obj) bad(key, msgKey string, args ...any) { o.ps.add(o.file, o.at(key), msgKey, args...) }

// unknown reports the keys of o that are not in known, sorted: the portal
// changed its answer, and a figure we do not read could be one that
// matters (a rank, a new metric).
func (o obj) unknown(known map[string]bool) bool {
	var extra []string
	for k := range o.m {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return false
	}
	sort.Strings(extra)
	for i, k := range extra {
		extra[i] = strconv.Quote(k)
	}
	o.ps.add(o.file, o.path, "portal.problem.unknownfields", strings.Join(extra, ", "))
	return true
}

func (o obj) has(key string) bool { _, ok := o.m[key]; return ok }

// present reports whether key is there and not null.
func (o obj) present(key string) bool { v, ok := o.m[key]; return ok && v != nil }

// str reads a string; required adds a problem when it is missing, null or
// empty.
func (o obj) str(key string, required bool) string {
	v, ok := o.m[key]
	if !ok || v == nil {
		if required {
			o.bad(key, "portal.problem.missing")
		}
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		o.bad(key, "portal.problem.notstring", kindOf(v))
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		o.bad(key, "portal.problem.missing")
	}
	return s
}

// number reads a JSON number; nil when missing or null, and a problem when
// it is something else.
func (o obj) number(key string) (json.Number, bool) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return "", false
	}
	n, isNum := v.(json.Number)
	if !isNum {
		o.bad(key, "portal.problem.notnumber", kindOf(v))
		return "", false
	}
	return n, true
}

// count reads a non-negative integer count; nil when missing or null.
func (o obj) count(key string) *int64 {
	n, ok := o.number(key)
	if !ok {
		return nil
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		// 12.0 or 1.2e3 written by another tool are still integers.
		r, ok := new(big.Rat).SetString(string(n))
		if !ok || !r.IsInt() || !r.Num().IsInt64() {
			o.bad(key, "portal.problem.notcount", string(n))
			return nil
		}
		v = r.Num().Int64()
	}
	if v < 0 {
		o.bad(key, "portal.problem.negative", string(n))
		return nil
	}
	return &v
}

// integer reads an integer of any sign (page numbers); ok false when
// missing, null or not an integer.
func (o obj) integer(key string) (int64, bool) {
	n, ok := o.number(key)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		o.bad(key, "portal.problem.notcount", string(n))
		return 0, false
	}
	return v, true
}

// score reads a published score exactly: at most two decimals, as the
// portal publishes them. Official figures are stored as they are, so a
// third decimal is a change of the answer to look at, not to round away.
func (o obj) score(key string) *scoring.Cents {
	n, ok := o.number(key)
	if !ok {
		return nil
	}
	c, err := scoring.ParseCents(string(n))
	if err != nil {
		o.bad(key, "portal.problem.notscore", string(n))
		return nil
	}
	return &c
}

// hundredths reads a figure shown for information (a ratio, days, a
// change) in hundredths, rounded half up: these are kept for display and
// diagnosis, never compared exactly.
func (o obj) hundredths(key string) *scoring.Cents {
	n, ok := o.number(key)
	if !ok {
		return nil
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		o.bad(key, "portal.problem.notnumber", "number")
		return nil
	}
	r.Mul(r, big.NewRat(100, 1))
	neg := r.Sign() < 0
	if neg {
		r.Neg(r)
	}
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() {
		o.bad(key, "portal.problem.notnumber", "number")
		return nil
	}
	c := scoring.Cents(q.Int64())
	if neg {
		c = -c
	}
	return &c
}

// array reads an array; ok false (and a problem when required) when it is
// missing, null or not an array.
func (o obj) array(key string, required bool) ([]any, bool) {
	v, ok := o.m[key]
	if !ok || v == nil {
		if required {
			o.bad(key, "portal.problem.missing")
		}
		return nil, false
	}
	a, isArr := v.([]any)
	if !isArr {
		o.bad(key, "portal.problem.notarray", kindOf(v))
		return nil, false
	}
	return a, true
}

// object reads a nested object.
func (o obj) object(key string, required bool) (obj, bool) {
	v, ok := o.m[key]
	if !ok || v == nil {
		if required {
			o.bad(key, "portal.problem.missing")
		}
		return obj{}, false
	}
	return asObj(v, o.file, o.at(key), o.ps)
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
