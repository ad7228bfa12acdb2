package handlers

import (
	"strings"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// aboutView is the overview's paragraph for citizens: what the index
// measures, who scores it, what the bands mean, and why the province's band
// can be below most of its agencies'.
type aboutView struct {
	Groups string // the scheme's groups, "a, b, c"
	Bands  string // the scheme's bands with their limits
	// Now compares the province's band with its agencies' most frequent
	// one in the period; empty when there is nothing to compare.
	Now string
}

func newAboutView(l i18n.Lang, s *scoring.Scheme, us *scoring.UnitScore, agencies []scoring.Ranked) *aboutView {
	if s == nil {
		return nil
	}
	v := &aboutView{}
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, present.Lower(l, present.Name(l, g.NameVI, g.NameEN)))
	}
	// Semicolons: a group name may hold a comma ("công khai, minh bạch").
	v.Groups = strings.Join(groups, "; ")
	var bands []string
	for i, b := range s.Bands {
		name := present.Name(l, b.NameVI, b.NameEN)
		if i == len(s.Bands)-1 && i > 0 && b.Min == 0 {
			bands = append(bands, l.T("about.band.below", name, present.Max(l, s.Bands[i-1].Min)))
			continue
		}
		bands = append(bands, l.T("about.band.min", name, present.Max(l, b.Min)))
	}
	v.Bands = strings.Join(bands, ", ")
	if us == nil || !us.HasData || us.Band == nil {
		return v
	}
	// The agencies' most frequent band, first in the scheme's order on a tie.
	count := map[string]int{}
	ranked := 0
	for _, r := range agencies {
		if r.Rank == 0 || r.Band == nil {
			continue
		}
		ranked++
		count[r.Band.Code]++
	}
	var top *scoring.Band
	for i := range s.Bands {
		if top == nil || count[s.Bands[i].Code] > count[top.Code] {
			top = &s.Bands[i]
		}
	}
	if ranked == 0 || top == nil || count[top.Code] == 0 {
		return v
	}
	v.Now = l.T("about.now", present.Name(l, us.Band.NameVI, us.Band.NameEN), count[top.Code], ranked, present.Name(l, top.NameVI, top.NameEN))
	return v
}
