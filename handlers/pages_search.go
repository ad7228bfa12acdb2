package handlers

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/present"
	"scorecard/scoring"
)

// The search page: units by name or code across the country and across
// time, accents and case ignored ("thai nguyen" finds Thái Nguyên), old
// units and new ones alike, each with the days it exists and what it
// became.

const (
	// searchMaxRunes bounds what a stranger may type: a unit's name is
	// far shorter.
	searchMaxRunes = 100
	// searchLimit is how many units a page lists; a longer query narrows.
	searchLimit = 50
)

type searchPage struct {
	site.Layout
	Query   string
	Asked   bool
	Results []searchRow
	More    bool // more units match than are listed
}

type searchRow struct {
	Unit     unitRef
	Kind     string
	Province string // the province's name ("" for a province)
	Span     string // the days it exists, in words
	Gone     bool   // it no longer exists
	Became   []lineageLink
}

func (h *handler) search(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	q := c.Query("q")
	if utf8.RuneCountInString(q) > searchMaxRunes || !utf8.ValidString(q) {
		return site.BadRequest("err.search.long", searchMaxRunes)
	}
	// Spaces alone are no query (the box cleared, then "Tìm"), and spaces
	// around one are not part of it: the page echoes what is searched.
	q = strings.TrimSpace(q)
	v := searchPage{Query: q, Asked: q != ""}
	v.Layout = h.newLayout(e, e.lang.T("search.title"), "", "/search", nil)
	// A search is across every period: no period to choose.
	v.Layout.Selector = nil
	found := e.eng.Search(q, searchLimit+1)
	if len(found) > searchLimit {
		found, v.More = found[:searchLimit], true
	}
	now := time.Now()
	for _, u := range found {
		// A unit is named as the country was in its last month (a town
		// merged in 07/2025 was a "thị trấn"), one still existing as today.
		era := scoring.Period{}
		if t := u.Until(); !t.IsZero() {
			era = monthOf(t.AddDate(0, 0, -1))
		}
		r := searchRow{Unit: unitRef{Code: u.Code, Name: u.Name, URL: site.UnitURL(u.Code, scoring.Period{})},
			Kind: present.KindOne(e.lang, u.Kind, era), Span: spanWords(e.lang, u)}
		if u.Kind == scoring.KindProvince {
			r.Unit.URL = site.ProvinceURL(u.Code, scoring.Period{})
		} else if p, ok := e.eng.Unit(e.eng.ProvinceOf(u.Code)); ok {
			r.Province = p.Name
		}
		if t := u.Until(); !t.IsZero() && !t.After(now) {
			r.Gone = true
		}
		for _, ch := range e.eng.Successors(u.Code) {
			if o, ok := e.eng.Unit(ch.To); ok {
				r.Became = append(r.Became, lineageLink{unitRef: unitRef{Code: o.Code, Name: o.Name, URL: site.UnitURL(o.Code, scoring.Period{})},
					Change: e.lang.T("lineage.change." + string(ch.Kind)), Date: present.Date(e.lang, ch.Effective)})
			}
		}
		v.Results = append(v.Results, r)
	}
	return h.Render(c, fiber.StatusOK, "search", &v)
}
