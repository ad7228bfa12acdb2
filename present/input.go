package present

import (
	"scorecard/i18n"
	"scorecard/scoring"
)

// InputError words a problem of a what-if input.
func InputError(l i18n.Lang, e *scoring.InputError) string {
	field := ""
	switch e.Field {
	case "numerator", "denominator":
		field = l.T("whatif.field." + e.Field)
	}
	switch e.Code {
	case scoring.ErrCodeNotANumber:
		if e.Field == "ratio" {
			return l.T("whatif.err.ratio_text")
		}
		return l.T("whatif.err.not_a_number", field)
	case scoring.ErrCodeTooLarge:
		return l.T("whatif.err.too_large", field, Int(l, scoring.MaxWhatIfCount))
	case scoring.ErrCodeNegative:
		return l.T("whatif.err.negative", field)
	case scoring.ErrCodeRatioRange:
		return l.T("whatif.err.ratio_range")
	case scoring.ErrCodeRatioAndNum:
		return l.T("whatif.err.ratio_and_num")
	case scoring.ErrCodeRepeated:
		return l.T("whatif.err.repeated")
	case scoring.ErrCodeUnknownMetric:
		return l.T("whatif.err.unknown_metric", e.Metric, e.Scheme)
	case scoring.ErrCodeOfficialOnly:
		return l.T("whatif.err.official_only")
	case scoring.ErrCodeNumAboveDen:
		return l.T("whatif.err.num_above_den", Int(l, e.Num), Int(l, e.Den))
	}
	return l.T("whatif.err.invalid")
}
