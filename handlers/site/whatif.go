package site

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/scoring"
)

// ErrTooManyMetrics is the 400 for a what-if request naming more metrics
// than scoring.MaxWhatIfMetrics.
var ErrTooManyMetrics = BadRequest("err.whatif.toomany")

// WhatIfQuery collects n.CODE, d.CODE and (withRatio) r.CODE from the query
// string, as the what-if form and the API's GET name them; other
// parameters (period…) are left to their readers. The texts are copied:
// Fiber's are only valid inside the handler.
func WhatIfQuery(c *fiber.Ctx, withRatio bool) (*scoring.WhatIfInput, error) {
	in := &scoring.WhatIfInput{}
	var err error
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if err != nil {
			return
		}
		kind, code, ok := strings.Cut(string(k), ".")
		code = strings.TrimSpace(code)
		if !ok || code == "" || (kind != "n" && kind != "d" && !(withRatio && kind == "r")) {
			return
		}
		if !in.Set(kind, code, string(v)) {
			err = ErrTooManyMetrics
		}
	})
	return in, err
}
