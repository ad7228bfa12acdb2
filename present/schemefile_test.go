package present

import (
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/scoring"
)

func TestSchemeProblem(t *testing.T) {
	codes := []string{scoring.SchemeUnreadable, scoring.SchemeSyntax, scoring.SchemeUnknownField, scoring.SchemeWrongType,
		scoring.SchemeNumber, scoring.SchemeTiePrecision, scoring.SchemeEmpty, scoring.SchemeDate, scoring.SchemeRepeated,
		scoring.SchemeNegative, scoring.SchemeGroupsTotal, scoring.SchemeMetricIsGroup, scoring.SchemeUnknownGroup,
		scoring.SchemeThresholdUnused, scoring.SchemeThresholdRange, scoring.SchemeThresholdDecimals, scoring.SchemeNotOneOf,
		scoring.SchemeInfoMax, scoring.SchemeMetricsTotal, scoring.SchemeNoBands, scoring.SchemeBandMin,
		scoring.SchemeBandOrder, scoring.SchemeLastBand, scoring.SchemeSameDay}
	for _, l := range i18n.Langs {
		for _, code := range codes {
			p := &scoring.SchemeProblem{File: "s/a.json", Path: "bands[B].min", Code: code, Value: "7"}
			got := SchemeProblem(l, p)
			if !strings.HasPrefix(got, "s/a.json, bands[B].min: ") || strings.Contains(got, "[schemefile") ||
				strings.Contains(got, "%!") || (l == i18n.VI && strings.Contains(got, code)) {
				t.Errorf("%s %s: %q", l, code, got)
			}
		}
	}
	for _, c := range []struct {
		l    i18n.Lang
		p    scoring.SchemeProblem
		want string
	}{
		{i18n.VI, scoring.SchemeProblem{File: "a.json", Path: "groups[CKMB]", Code: scoring.SchemeMetricsTotal, Total: 1750, Want: 1800},
			"a.json, groups[CKMB]: điểm tối đa của các chỉ tiêu trong nhóm cộng lại là 17,5, khác điểm tối đa của nhóm (18)."},
		{i18n.EN, scoring.SchemeProblem{File: "a.json", Code: scoring.SchemeSyntax, Line: 12},
			"a.json: not valid JSON (error on line 12)."},
		{i18n.VI, scoring.SchemeProblem{File: "b.json", Path: "effective_from", Code: scoring.SchemeSameDay, Value: "2027-01-01", Other: "a.json"},
			"b.json, effective_from: có hiệu lực cùng ngày 01/01/2027 với bộ chỉ số trong a.json; mỗi phiên bản cần một ngày hiệu lực riêng."},
		{i18n.EN, scoring.SchemeProblem{File: "a.json", Path: "metrics[X].level", Code: scoring.SchemeNotOneOf, Value: "town", Allowed: []string{"unit", "province"}},
			`a.json, metrics[X].level: "town" is not valid: use unit, province.`},
	} {
		if got := SchemeProblem(c.l, &c.p); got != c.want {
			t.Errorf("%s: got %q, want %q", c.p.Code, got, c.want)
		}
	}
}
