package present

import (
	"strings"

	"scorecard/i18n"
	"scorecard/scoring"
)

// Noun is what a metric's numerator counts, for n of them, as sentences
// name it ("thêm 37 hồ sơ nộp trực tuyến", "1 more dossier submitted
// online"). The scheme names the ratio ("Tỷ lệ hồ sơ nộp trực tuyến"), not
// the thing counted: the catalogue has the words of the known metrics
// ("metric.noun.<code>", "metric.noun.one.<code>"); a metric it does not
// know is named by its name without "Tỷ lệ".
func Noun(l i18n.Lang, m *scoring.Metric, n int64) string {
	key := "metric.noun." + m.Code
	if n == 1 {
		key = "metric.noun.one." + m.Code
	}
	if i18n.Has(l, key) {
		return l.T(key)
	}
	name := Name(l, m.NameVI, m.NameEN)
	return LowerFirst(strings.TrimSpace(strings.TrimPrefix(name, l.T("metric.noun.ratioprefix"))))
}

// periodIn is "trong tháng" / "in the month" for the period's kind.
func periodIn(l i18n.Lang, p scoring.Period) string {
	switch p.Kind {
	case scoring.Quarter:
		return l.T("stake.in.quarter")
	case scoring.Half:
		return l.T("stake.in.half")
	case scoring.Year:
		return l.T("stake.in.year")
	}
	return l.T("stake.in.month")
}

// StakeMessage says in a sentence what the points a unit lost on a metric
// in period p would take to win back.
func StakeMessage(l i18n.Lang, p scoring.Period, st scoring.Stake) string {
	var msg string
	switch st.Kind {
	case scoring.StakeCounts:
		msg = l.T("stake.msg.counts", Int(l, st.Need), Noun(l, st.Metric, st.Need), periodIn(l, p), Int(l, st.Counts.Den),
			Percent(l, st.Ratio), Percent(l, st.NewRatio), Score(l, st.Lost))
	case scoring.StakeNoCounts:
		msg = l.T("stake.msg.nocounts", Score(l, st.Points), Max(l, st.Max))
	case scoring.StakeZeroDen:
		msg = l.T("stake.msg.zeroden", Score(l, st.Points), Max(l, st.Max), Percent(l, st.Target), Score(l, st.Lost))
	}
	if st.Inherited {
		msg = l.T("stake.msg.inherited", msg)
	}
	return msg
}
