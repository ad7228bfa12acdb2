package report

import "scorecard/i18n"

// advice is what the report recommends for a metric, in the plain words
// of a provincial office's report: the catalogue's ("metric.advice.<code>",
// words belong there, the scheme is data), or the generic sentence for a
// metric it does not know (a new scheme).
func advice(code, name string) string {
	if key := "metric.advice." + code; i18n.Has(i18n.VI, key) {
		return i18n.VI.T(key)
	}
	return i18n.VI.T("metric.advice", name)
}
