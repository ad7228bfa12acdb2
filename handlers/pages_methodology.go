package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/scoring"
)

// methodologyPage is generated from the scheme files, so it always states
// the rules the engine actually applies.
type methodologyPage struct {
	Layout  layout
	Schemes []schemeView
}

type schemeView struct {
	ID, Title, LegalBasis string
	Effective             string // dd/mm/yyyy
	Current               bool   // the latest scheme
	File                  string
	TiePrecision          int
	Groups                []methodGroup
	Bands                 []methodBand
	BandsSource           string
}

type methodGroup struct {
	Code, Name, NameEN string
	Max                scoring.Cents
	Reconstructed      bool // the split of its maximum among metrics was reconstructed
	Split              string
	Metrics            []methodMetric
}

type methodMetric struct {
	Code, Name       string
	Max              scoring.Cents
	Rule             string
	NoData           string
	Rounding         string
	Aggregation      string
	Level            string
	ProvinceLevel    bool
	Confidence       string
	ConfidenceNoData string
	Reconstructed    bool
	Source           string
}

type methodBand struct {
	Band  bandView
	Range string
}

func (h *handler) methodology(c *fiber.Ctx) error {
	v := methodologyPage{Layout: layout{Title: "Phương pháp tính điểm", Product: productName,
		OfficeName: h.opts.OfficeName, Nav: "methodology"}}
	demo, err := h.scores.Demo(c.UserContext())
	if err != nil {
		return err
	}
	v.Layout.Demo = demo
	all := h.scores.Schemes().All()
	// Newest first: the scheme in force is what visitors come for.
	for i := len(all) - 1; i >= 0; i-- {
		v.Schemes = append(v.Schemes, newSchemeView(all[i], i == len(all)-1))
	}
	return h.render(c, fiber.StatusOK, "methodology", v)
}

func newSchemeView(s *scoring.Scheme, current bool) schemeView {
	sv := schemeView{ID: s.ID, Title: s.Title, LegalBasis: s.LegalBasis, Effective: dateVI(s.EffectiveFrom),
		Current: current, File: s.File, TiePrecision: s.TiePrecision, BandsSource: s.BandsSource}
	for _, g := range s.Groups {
		mg := methodGroup{Code: g.Code, Name: g.NameVI, NameEN: g.NameEN, Max: g.Max}
		var parts []string
		for _, m := range s.GroupMetrics(g.Code) {
			mm := methodMetric{
				Code: m.Code, Name: m.NameVI, Max: m.Max,
				Rule: ruleVI(m), NoData: noDataVI(m.NoData), Rounding: roundingVI(m.Rounding),
				Aggregation: aggregationVI(m.Aggregation), Level: levelVI(m.Level),
				ProvinceLevel: m.Level == scoring.LevelProvince,
				Confidence:    confidenceVI(m.Confidence), Reconstructed: m.Reconstructed, Source: m.Source,
			}
			if m.ConfidenceNoData != "" {
				mm.ConfidenceNoData = confidenceVI(m.ConfidenceNoData)
			}
			if m.Reconstructed {
				mg.Reconstructed = true
			}
			if m.Scored() {
				parts = append(parts, shortVI(m.Max))
			}
			mg.Metrics = append(mg.Metrics, mm)
		}
		mg.Split = strings.Join(parts, " + ")
		sv.Groups = append(sv.Groups, mg)
	}
	for i, b := range s.Bands {
		r := "từ " + shortVI(b.Min) + " điểm trở lên"
		if i > 0 {
			r = "từ " + shortVI(b.Min) + " đến dưới " + shortVI(s.Bands[i-1].Min) + " điểm"
		}
		if i == len(s.Bands)-1 && i > 0 {
			r = "dưới " + shortVI(s.Bands[i-1].Min) + " điểm"
		}
		sv.Bands = append(sv.Bands, methodBand{Band: newBandView(s, &s.Bands[i]), Range: r})
	}
	return sv
}
