package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// methodologyPage is generated from the scheme files, so it always states
// the rules the engine actually applies.
type methodologyPage struct {
	site.Layout
	Schemes []schemeView
}

type schemeView struct {
	ID, Title, LegalBasis string // Title in the page's language
	Effective             string // dd/mm/yyyy
	Current               bool   // the latest scheme
	File                  string
	TiePrecision          int
	Groups                []methodGroup
	Bands                 []methodBand
	BandsSource           string
}

type methodGroup struct {
	Code, Name    string
	Max           scoring.Cents
	Reconstructed bool // the split of its maximum among metrics was reconstructed
	Split         string
	Metrics       []methodMetric
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
	l := site.Lang(c)
	v := methodologyPage{Layout: site.Layout{Title: l.T("layout.footer.methodology"), Nav: "methodology"}}
	demo, err := h.Scores.Demo(c.UserContext())
	if err != nil {
		return err
	}
	v.Layout.Demo = demo
	all := h.Scores.Schemes().All()
	// Newest first: the scheme in force is what visitors come for.
	for i := len(all) - 1; i >= 0; i-- {
		v.Schemes = append(v.Schemes, newSchemeViewL(l, all[i], i == len(all)-1))
	}
	return h.Render(c, fiber.StatusOK, "methodology", &v)
}

// newSchemeViewL describes a scheme for the methodology page, in language l.
func newSchemeViewL(l i18n.Lang, s *scoring.Scheme, current bool) schemeView {
	sv := schemeView{ID: s.ID, Title: present.Name(l, s.Title, s.TitleEN), LegalBasis: s.LegalBasis, Effective: present.Date(l, s.EffectiveFrom),
		Current: current, File: s.File, TiePrecision: s.TiePrecision, BandsSource: s.BandsSource}
	for _, g := range s.Groups {
		mg := methodGroup{Code: g.Code, Name: present.Name(l, g.NameVI, g.NameEN), Max: g.Max}
		var parts []string
		for _, m := range s.GroupMetrics(g.Code) {
			mm := methodMetric{
				Code: m.Code, Name: present.Name(l, m.NameVI, m.NameEN), Max: m.Max,
				Rule: present.Rule(l, m), NoData: present.NoData(l, m.NoData), Rounding: present.Rounding(l, m.Rounding),
				Aggregation: present.Aggregation(l, m.Aggregation), Level: present.Level(l, m.Level),
				ProvinceLevel: m.Level == scoring.LevelProvince,
				Confidence:    present.Confidence(l, m.Confidence), Reconstructed: m.Reconstructed, Source: m.Source,
			}
			if m.ConfidenceNoData != "" {
				mm.ConfidenceNoData = present.Confidence(l, m.ConfidenceNoData)
			}
			if m.Reconstructed {
				mg.Reconstructed = true
			}
			if m.Scored() {
				parts = append(parts, present.Max(l, m.Max))
			}
			mg.Metrics = append(mg.Metrics, mm)
		}
		mg.Split = strings.Join(parts, " + ")
		sv.Groups = append(sv.Groups, mg)
	}
	for i, b := range s.Bands {
		r := l.T("method.bands.from", present.Max(l, b.Min))
		if i > 0 {
			r = l.T("method.bands.between", present.Max(l, b.Min), present.Max(l, s.Bands[i-1].Min))
		}
		if i == len(s.Bands)-1 && i > 0 {
			r = l.T("method.bands.below", present.Max(l, s.Bands[i-1].Min))
		}
		sv.Bands = append(sv.Bands, methodBand{Band: newBandView(l, s, &s.Bands[i]), Range: r})
	}
	return sv
}
