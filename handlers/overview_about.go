package handlers

import (
	"fmt"
	"math"
	"strings"

	"scorecard/charts"

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
	v.Now = l.TN(count[top.Code], "about.now", present.Name(l, us.Band.NameVI, us.Band.NameEN), count[top.Code], ranked, present.Name(l, top.NameVI, top.NameEN))
	return v
}

// agenciesChart draws the agencies' totals, highest first, coloured and
// named by band, with their average as a line.
func agenciesChart(l i18n.Lang, s *scoring.Scheme, province string, ranked []scoring.Ranked) (*charts.Chart, error) {
	var bars []charts.RankBar
	var sum float64
	for _, r := range ranked {
		if r.Rank == 0 {
			continue
		}
		b := charts.RankBar{Name: r.Unit.Name, Total: r.Total.Float(), Band: "—", BandIndex: -1}
		if r.Band != nil {
			b.Band = present.Name(l, r.Band.NameVI, r.Band.NameEN)
			for i := range s.Bands {
				if s.Bands[i].Code == r.Band.Code {
					b.BandIndex = i
				}
			}
		}
		sum += b.Total
		bars = append(bars, b)
	}
	if len(bars) < 2 {
		return nil, nil
	}
	avg := math.Round(sum/float64(len(bars))*100) / 100
	label := l.TN(len(bars), "chart.agencies.desc", len(bars), province, present.Score(l, scoring.Cents(math.Round(avg*100))))
	ch, err := charts.RankBars("chart-agencies", label, l.T("col.total"), bars, avg, l.T("chart.agencies.avg"))
	if err != nil {
		return nil, fmt.Errorf("handlers: agencies chart: %w", err)
	}
	return &ch, nil
}
