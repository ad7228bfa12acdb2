package present

import (
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/scoring"
)

// SchemeProblem words a problem of a scheme file in one line: the file,
// the place in it (in the file's own names) and what is wrong.
func SchemeProblem(l i18n.Lang, p *scoring.SchemeProblem) string {
	msg := schemeProblem(l, p)
	if p.Path == "" {
		return l.T("schemefile.file", p.File, msg)
	}
	return l.T("schemefile.at", p.File, p.Path, msg)
}

func schemeProblem(l i18n.Lang, p *scoring.SchemeProblem) string {
	key := "schemefile." + p.Code
	switch p.Code {
	case scoring.SchemeUnreadable, scoring.SchemeUnknownField, scoring.SchemeEmpty, scoring.SchemeThresholdUnused,
		scoring.SchemeThresholdRange, scoring.SchemeNoBands, scoring.SchemeBandOrder, scoring.SchemeLastBand:
		return l.T(key)
	case scoring.SchemeSyntax:
		if p.Line > 0 {
			return l.T("schemefile.syntax.line", Int(l, int64(p.Line)))
		}
		return l.T(key)
	case scoring.SchemeWrongType, scoring.SchemeNumber, scoring.SchemeTiePrecision, scoring.SchemeDate,
		scoring.SchemeRepeated, scoring.SchemeNegative, scoring.SchemeMetricIsGroup, scoring.SchemeUnknownGroup,
		scoring.SchemeThresholdDecimals, scoring.SchemeInfoMax, scoring.SchemeBandMin:
		return l.T(key, p.Value)
	case scoring.SchemeNotOneOf:
		return l.T(key, p.Value, strings.Join(p.Allowed, ", "))
	case scoring.SchemeGroupsTotal, scoring.SchemeMetricsTotal:
		return l.T(key, Max(l, p.Total), Max(l, p.Want))
	case scoring.SchemeSameDay:
		day := p.Value
		if t, err := time.ParseInLocation("2006-01-02", p.Value, scoring.Location); err == nil {
			day = Date(l, t)
		}
		return l.T(key, day, p.Other)
	}
	return l.T("schemefile.other", p.Code)
}
