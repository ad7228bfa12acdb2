package present

import (
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/i18n"
	"scorecard/scoring"
)

// romanQuarter names the quarters the Vietnamese way (Quý II/2024).
var romanQuarter = [...]string{"", "I", "II", "III", "IV"}

// Period is a period's name: "Tháng 04/2024", "Quý II/2024", "6 tháng đầu
// năm 2024", "Năm 2024"; "Apr 2024", "Q2 2024", "H1 2024", "2024".
func Period(l i18n.Lang, p scoring.Period) string {
	key := ""
	switch p.Kind {
	case scoring.Month:
		key = "periodname.month"
	case scoring.Quarter:
		key = "periodname.quarter"
	case scoring.Half:
		key = "periodname.half" + strconv.Itoa(p.N)
	case scoring.Year:
		key = "periodname.year"
	default:
		return ""
	}
	// The messages pick among three texts: the number as Vietnamese writes
	// it (04, II), the year, and the number as English writes it (Apr, 2).
	num, en := fmt.Sprintf("%02d", p.N), strconv.Itoa(p.N)
	switch {
	case p.Kind == scoring.Quarter && p.N >= 1 && p.N <= 4:
		num = romanQuarter[p.N]
	case p.Kind == scoring.Month && p.N >= 1 && p.N <= 12:
		en = time.Month(p.N).String()[:3]
	}
	return l.T(key, num, fmt.Sprintf("%04d", p.Year), en)
}

// PeriodShort is a period on a chart's axis, the same in both languages:
// "04/2024", "Q2/2024", "H1/2024", "2024".
func PeriodShort(p scoring.Period) string {
	switch p.Kind {
	case scoring.Month:
		return fmt.Sprintf("%02d/%04d", p.N, p.Year)
	case scoring.Quarter:
		return fmt.Sprintf("Q%d/%04d", p.N, p.Year)
	case scoring.Half:
		return fmt.Sprintf("H%d/%04d", p.N, p.Year)
	}
	return strconv.Itoa(p.Year)
}

// PeriodKind is the name of a kind of period, for the selector's groups:
// "Tháng", "Quý"…
func PeriodKind(l i18n.Lang, k scoring.PeriodKind) string { return l.T("periodkind." + string(k)) }

// Lower lowercases the first letter of a label used inside a Vietnamese
// sentence ("báo cáo tháng 04/2024"); English labels ("Apr 2024", "Q2
// 2024") keep their capitals.
func Lower(l i18n.Lang, s string) string {
	if l == i18n.EN {
		return s
	}
	return LowerFirst(s)
}

// LowerFirst lowercases the first letter whatever the language ("tháng
// 04/2024" inside a Vietnamese document).
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Unit kinds: the one place their names are chosen.

// KindKey is the catalogue key of a unit kind's name in area prefix ("kind",
// "kindlower", "kindone", "reportdoc.recipient", "rev.unitkind") as the
// period p words it. The commune level changed with the two-tier local
// government of 01/07/2025: "xã, phường, thị trấn" before (towns were
// communes of the district tier), "xã, phường, đặc khu" from then on. A
// period spanning the change (the year 2025) takes the wording of its end, as
// its units are those existing at its end; a zero period (no period in view)
// is today's country.
func KindKey(prefix string, k scoring.UnitKind, p scoring.Period) string {
	key := prefix + "." + string(k)
	if k == scoring.KindCommune && TwoTiers(p) {
		key += ".twotier"
	}
	return key
}

// TwoTiers reports whether period p ends in the country of two tiers of
// local government (from 01/07/2025): its last day is on or after that date.
func TwoTiers(p scoring.Period) bool {
	return p.IsZero() || p.End().After(scoring.DistrictsAbolished)
}

// Kind is the plural name of a unit kind in period p, for headings: "Sở,
// ban, ngành", "Provincial agencies".
func Kind(l i18n.Lang, k scoring.UnitKind, p scoring.Period) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T(KindKey("kind", k, p))
}

// KindLower is Kind inside a sentence: "xếp hạng sở, ban, ngành", "ranking
// of provincial agencies".
func KindLower(l i18n.Lang, k scoring.UnitKind, p scoring.Period) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T(KindKey("kindlower", k, p))
}

// KindOne is the singular name of a unit kind in period p: "Sở, ban, ngành
// cấp tỉnh", "Provincial agency".
func KindOne(l i18n.Lang, k scoring.UnitKind, p scoring.Period) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T(KindKey("kindone", k, p))
}

// The scheme's enumerations.

// Source says where a metric's counts came from.
func Source(l i18n.Lang, s scoring.Source) string {
	switch s {
	case scoring.SourceOwn, scoring.SourceDerived, scoring.SourceProvince:
		return l.T("source." + string(s))
	}
	return l.T("source.none")
}

// Derivation explains how derived counts were obtained ("" for counts
// entered as they are).
func Derivation(l i18n.Lang, m scoring.MetricScore) string {
	switch m.Derived {
	case scoring.DerivedDossier:
		return l.T("derived.dossiers")
	case scoring.DerivedMonths:
		if m.MonthsOf > 0 {
			return l.T("derived.months.of", m.Months, m.MonthsOf)
		}
		return l.T("derived.months")
	case scoring.DerivedPool:
		return l.T("derived.pool")
	}
	return ""
}

// Rule names a metric's scoring rule.
func Rule(l i18n.Lang, m *scoring.Metric) string {
	switch m.Rule {
	case scoring.RuleLinear:
		return l.T("rule.linear")
	case scoring.RuleThreshold:
		return l.T("rule.threshold", Max(l, m.Threshold))
	case scoring.RuleInfo:
		return l.T("rule.info")
	}
	return string(m.Rule)
}

// NoData names a no-data rule.
func NoData(l i18n.Lang, n scoring.NoData) string {
	switch n {
	case scoring.NoDataZero, scoring.NoDataFull, scoring.NoDataNone:
		return l.T("nodata." + string(n))
	}
	return string(n)
}

// Rounding names a rounding.
func Rounding(l i18n.Lang, r scoring.Rounding) string {
	switch r {
	case scoring.RoundExact, scoring.RoundPercentFirst:
		return l.T("rounding." + string(r))
	}
	return string(r)
}

// Aggregation names how months add up.
func Aggregation(l i18n.Lang, a scoring.Aggregation) string {
	switch a {
	case scoring.Flow, scoring.Snapshot:
		return l.T("aggregation." + string(a))
	}
	return string(a)
}

// Level names where a metric is measured.
func Level(l i18n.Lang, lv scoring.Level) string {
	if lv == scoring.LevelProvince {
		return l.T("level.province")
	}
	return l.T("level.unit")
}

// Confidence names how sure a rule is ("—" when the scheme does not say).
func Confidence(l i18n.Lang, c string) string {
	switch c {
	case "legal", "data", "assumed":
		return l.T("confidence." + c)
	}
	return "—"
}

// Name is the name of scheme data that carries both (a group, a metric, a
// band): the English one on English pages when the scheme has it.
func Name(l i18n.Lang, vi, en string) string {
	if l == i18n.EN && en != "" {
		return en
	}
	return vi
}
