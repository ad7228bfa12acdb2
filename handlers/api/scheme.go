package api

import (
	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/scoring"
)

// The scheme as the API shows it. It is a view of its own rather than the
// scoring structs' tags, so that refactoring the engine cannot change the
// public contract by accident. Thresholds and band minima are percentages
// with two decimals (80.00 = 80 %), like every ratio the API returns, not
// fractions as in the scheme file; "threshold_unit" says so.
type apiScheme struct {
	ID            string             `json:"id"`
	Title         string             `json:"title"`
	TitleEN       string             `json:"title_en,omitempty"`
	LegalBasis    string             `json:"legal_basis"`
	EffectiveFrom string             `json:"effective_from"`
	TiePrecision  int                `json:"tie_precision"`
	MaxTotal      scoring.Cents      `json:"max_total"`
	ThresholdUnit string             `json:"threshold_unit"`
	Groups        []apiSchemeGroup   `json:"groups"`
	Metrics       []apiSchemeMetric  `json:"metrics"`
	Bands         []apiSchemeBand    `json:"bands"`
	BandsSource   string             `json:"bands_source,omitempty"`
	Versions      []apiSchemeVersion `json:"versions"`
}

type apiSchemeGroup struct {
	Code    string        `json:"code"`
	NameVI  string        `json:"name_vi"`
	NameEN  string        `json:"name_en"`
	Max     scoring.Cents `json:"max"`
	Metrics []string      `json:"metrics"`
}

type apiSchemeMetric struct {
	Code             string              `json:"code"`
	NameVI           string              `json:"name_vi"`
	NameEN           string              `json:"name_en"`
	Group            string              `json:"group"`
	Max              scoring.Cents       `json:"max"`
	Rule             scoring.Rule        `json:"rule"`
	Threshold        *scoring.Cents      `json:"threshold"`
	NoData           scoring.NoData      `json:"no_data"`
	Rounding         scoring.Rounding    `json:"rounding"`
	Aggregation      scoring.Aggregation `json:"aggregation"`
	Level            scoring.Level       `json:"level"`
	Confidence       string              `json:"confidence"`
	ConfidenceNoData string              `json:"confidence_no_data,omitempty"`
	Reconstructed    bool                `json:"reconstructed"`
	Source           string              `json:"source"`
}

type apiSchemeBand struct {
	Code   string        `json:"code"`
	NameVI string        `json:"name_vi"`
	NameEN string        `json:"name_en"`
	Min    scoring.Cents `json:"min"`
}

// apiSchemeVersion lists every loaded version, so a client reading an old
// period knows another scheme may have scored it.
type apiSchemeVersion struct {
	ID            string `json:"id"`
	EffectiveFrom string `json:"effective_from"`
}

// apiScheme answers GET /api/v1/scheme: the active scheme (the one with the
// latest effective date).
func (h *API) Scheme(c *fiber.Ctx) error {
	all := h.Scores.Schemes()
	s := all.Latest()
	out := apiScheme{ID: s.ID, Title: s.Title, TitleEN: s.TitleEN, LegalBasis: s.LegalBasis,
		EffectiveFrom: s.Effective, TiePrecision: s.TiePrecision, ThresholdUnit: "percent",
		BandsSource: s.BandsSource,
		Groups:      make([]apiSchemeGroup, 0, len(s.Groups)),
		Metrics:     make([]apiSchemeMetric, 0, len(s.Metrics)),
		Bands:       make([]apiSchemeBand, 0, len(s.Bands))}
	for _, g := range s.Groups {
		codes := []string{}
		for _, m := range s.GroupMetrics(g.Code) {
			codes = append(codes, m.Code)
		}
		out.Groups = append(out.Groups, apiSchemeGroup{Code: g.Code, NameVI: g.NameVI, NameEN: g.NameEN, Max: g.Max, Metrics: codes})
		out.MaxTotal += g.Max
	}
	for i := range s.Metrics {
		m := &s.Metrics[i]
		out.Metrics = append(out.Metrics, apiSchemeMetric{Code: m.Code, NameVI: m.NameVI, NameEN: m.NameEN,
			Group: m.Group, Max: m.Max, Rule: m.Rule, Threshold: threshold(m), NoData: m.NoData,
			Rounding: m.Rounding, Aggregation: m.Aggregation, Level: m.Level, Confidence: m.Confidence,
			ConfidenceNoData: m.ConfidenceNoData, Reconstructed: m.Reconstructed, Source: m.Source})
	}
	for _, b := range s.Bands {
		out.Bands = append(out.Bands, apiSchemeBand{Code: b.Code, NameVI: b.NameVI, NameEN: b.NameEN, Min: b.Min})
	}
	for _, v := range all.All() {
		out.Versions = append(out.Versions, apiSchemeVersion{ID: v.ID, EffectiveFrom: v.Effective})
	}
	return site.WriteJSON(c, fiber.StatusOK, out)
}

// threshold is the metric's threshold in percent, null for other rules.
func threshold(m *scoring.Metric) *scoring.Cents {
	if m.Rule != scoring.RuleThreshold {
		return nil
	}
	t := m.Threshold
	return &t
}
