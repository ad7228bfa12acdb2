package api

import (
	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// apiPeriodItem is one period with data. label and label_en are extras for
// clients that show the period to people.
type apiPeriodItem struct {
	Period  string             `json:"period"`
	Kind    scoring.PeriodKind `json:"kind"`
	Label   string             `json:"label"`
	LabelEN string             `json:"label_en"`
}

// apiPeriods answers GET /api/v1/periods: the periods with data, newest
// first (the engine's order), as an array even when empty.
func (h *API) Periods(c *fiber.Ctx) error {
	e, err := h.Engine(c)
	if err != nil {
		return err
	}
	ps, err := site.VisiblePeriods(c, e) // drafts only for who may see them
	if err != nil {
		return site.Internal(err)
	}
	out := make([]apiPeriodItem, 0, len(ps))
	for _, p := range ps {
		out = append(out, apiPeriodItem{Period: p.String(), Kind: p.Kind, Label: present.Period(i18n.VI, p), LabelEN: present.Period(i18n.EN, p)})
	}
	return site.WriteJSON(c, fiber.StatusOK, out)
}
