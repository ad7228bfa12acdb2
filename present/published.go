package present

import (
	"strings"

	"scorecard/i18n"
	"scorecard/models"
)

// PublishedRefusal explains to a person, in language l, why a change of
// the published periods was refused: each period with the day it was
// published, what to do, and, when all are the demo's periods, how to free
// them.
func PublishedRefusal(l i18n.Lang, periods []models.Publication) string {
	parts := make([]string, len(periods))
	demo := len(periods) > 0
	for i, p := range periods {
		parts[i] = l.T("store.published.period", p.Period, Date(l, p.PublishedAt))
		demo = demo && p.Demo
	}
	msg := l.T("store.published.refused", strings.Join(parts, ", "))
	if demo {
		msg += " " + l.T("store.published.demo")
	}
	return msg
}
