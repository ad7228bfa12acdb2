package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SchemeProblem codes: what is wrong in a scheme file. The engine says
// where and what in figures and codes; package present words them for the
// administrator fixing the file, in the run's language.
const (
	// SchemeUnreadable: the file could not be read (Err).
	SchemeUnreadable = "unreadable"
	// SchemeSyntax: the file is not JSON (Line, Err).
	SchemeSyntax = "syntax"
	// SchemeUnknownField: Path is not a field of the scheme format.
	SchemeUnknownField = "unknown_field"
	// SchemeWrongType: the value at Path is a JSON Value (string, number…)
	// where the format wants another kind.
	SchemeWrongType = "wrong_type"
	// SchemeNumber: Value has more than two decimals (or is far too big).
	SchemeNumber = "number"
	// SchemeTiePrecision: tie_precision is not 0, 1 or 2.
	SchemeTiePrecision = "tie_precision"
	// SchemeEmpty: a field that names something is empty.
	SchemeEmpty = "empty"
	// SchemeDate: Value is not a day YYYY-MM-DD.
	SchemeDate = "date"
	// SchemeRepeated: the code Value is used twice.
	SchemeRepeated = "repeated"
	// SchemeNegative: a maximum below zero.
	SchemeNegative = "negative"
	// SchemeGroupsTotal: the groups' maxima add up to Total, not Want.
	SchemeGroupsTotal = "groups_total"
	// SchemeMetricIsGroup: the metric code Value is also a group's.
	SchemeMetricIsGroup = "metric_is_group"
	// SchemeUnknownGroup: a metric's group Value is not a group.
	SchemeUnknownGroup = "unknown_group"
	// SchemeThresholdUnused: a threshold on a metric whose rule is not
	// threshold.
	SchemeThresholdUnused = "threshold_unused"
	// SchemeThresholdRange: a threshold metric without a threshold in (0, 1].
	SchemeThresholdRange = "threshold_range"
	// SchemeThresholdDecimals: a threshold with more than four decimals.
	SchemeThresholdDecimals = "threshold_decimals"
	// SchemeNotOneOf: Value is not one of Allowed.
	SchemeNotOneOf = "not_one_of"
	// SchemeInfoMax: an info metric (no points) with a maximum.
	SchemeInfoMax = "info_max"
	// SchemeMetricsTotal: a group's metrics' maxima add up to Total, not
	// the group's maximum Want.
	SchemeMetricsTotal = "metrics_total"
	// SchemeNoBands: no classification bands.
	SchemeNoBands = "no_bands"
	// SchemeBandMin: a band minimum outside 0–100.
	SchemeBandMin = "band_min"
	// SchemeBandOrder: bands not listed from the highest minimum down.
	SchemeBandOrder = "band_order"
	// SchemeLastBand: the last band does not start at 0.
	SchemeLastBand = "last_band"
	// SchemeSameDay: two schemes take effect on the same day Value; Other
	// is the other scheme's file.
	SchemeSameDay = "same_day"
)

// SchemeProblem is one thing wrong in a scheme file, addressed to the
// place in the file so that the person who wrote it can find it.
type SchemeProblem struct {
	// File is where the scheme was read from (its label and name).
	File string
	// Path is the place in the file, in the format's own names:
	// "effective_from", "groups[CKMB].max", "metrics[DOSSIER_SYNC].rule";
	// an element without a code is named by its position from 1
	// ("bands[3].code"); "" is the file as a whole.
	Path string
	Code string
	// Value is the value refused, as the file writes it, when there is one.
	Value string
	// Allowed lists the values the field takes (SchemeNotOneOf).
	Allowed []string
	// Total and Want are a sum of maxima and what it must be.
	Total, Want Cents
	// Line is where reading the JSON stopped (SchemeSyntax), 0 if unknown.
	Line int
	// Other is the other scheme's file (SchemeSameDay).
	Other string
	// Err is the cause, from the file system or the JSON decoder.
	Err error
}

// Error is for logs and wrapped errors: codes and values, not words.
func (p *SchemeProblem) Error() string {
	var b strings.Builder
	b.WriteString("scoring: scheme " + p.File)
	if p.Path != "" {
		b.WriteString(": " + p.Path)
	}
	b.WriteString(": " + p.Code)
	if p.Value != "" || p.Code == SchemeNotOneOf {
		b.WriteString(" " + strconv.Quote(p.Value))
	}
	if len(p.Allowed) > 0 {
		b.WriteString(" (" + strings.Join(p.Allowed, "|") + ")")
	}
	if p.Code == SchemeGroupsTotal || p.Code == SchemeMetricsTotal {
		b.WriteString(" " + p.Total.String() + " != " + p.Want.String())
	}
	if p.Line > 0 {
		b.WriteString(" line " + strconv.Itoa(p.Line))
	}
	if p.Other != "" {
		b.WriteString(" and " + p.Other)
	}
	if p.Err != nil {
		b.WriteString(": " + p.Err.Error())
	}
	return b.String()
}

// Unwrap is the cause, so that errors.Is finds a file system error.
func (p *SchemeProblem) Unwrap() error { return p.Err }

// SchemeProblems is every problem found in the scheme files read together
// (all of them, so the file is fixed in one go). errors.As finds the list
// and each *SchemeProblem in it.
type SchemeProblems []*SchemeProblem

func (ps SchemeProblems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap lists the problems for errors.Is and errors.As.
func (ps SchemeProblems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// elem is the path of the i-th element (from 0) of a list of the file:
// by its code when it has one, else by its position from 1.
func elem(list string, i int, code string) string {
	if code == "" {
		return fmt.Sprintf("%s[%d]", list, i+1)
	}
	return list + "[" + code + "]"
}

// decodeProblem is the problem of a file the JSON decoder refused.
func decodeProblem(file string, b []byte, err error) *SchemeProblem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &SchemeProblem{File: file, Code: SchemeSyntax, Line: lineAt(b, syn.Offset), Err: err}
	case errors.As(err, &typ):
		return &SchemeProblem{File: file, Path: typ.Field, Code: SchemeWrongType, Value: typ.Value, Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &SchemeProblem{File: file, Code: SchemeSyntax, Line: lineAt(b, int64(len(b))), Err: err}
	}
	// DisallowUnknownFields has no error type of its own: its message is
	// `json: unknown field "name"`, stable since Go 1.10.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if s, qerr := strconv.Unquote(name); qerr == nil {
			name = s
		}
		return &SchemeProblem{File: file, Path: name, Code: SchemeUnknownField, Err: err}
	}
	return &SchemeProblem{File: file, Code: SchemeSyntax, Err: err}
}

// lineAt is the line (from 1) of the byte at offset.
func lineAt(b []byte, offset int64) int {
	if offset > int64(len(b)) {
		offset = int64(len(b))
	}
	if offset < 0 {
		offset = 0
	}
	return bytes.Count(b[:offset], []byte("\n")) + 1
}
