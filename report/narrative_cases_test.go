package report_test

import (
	"strconv"
	"testing"

	"scorecard/report"
	"scorecard/scoring"
)

// namedFacts is one set of facts to word, with a name for failures.
type namedFacts struct {
	name string
	f    report.Facts
}

// narrativeCases are facts that take every branch of the narrative: the
// demo's real periods (with and without data, months and longer periods,
// with the portal's ranks and named responsible units), and copies of
// April changed where the demo has no such case (no change, a fall, a
// provisional period, a long list of names, a unit kind the catalogue does
// not know…).
func narrativeCases(t *testing.T) []namedFacts {
	t.Helper()
	e := demoEngine(t)
	var out []namedFacts
	build := func(ps string, opt report.Options) report.Facts {
		f, err := report.FromEngine(e, scoring.MustPeriod(ps), opt)
		if err != nil {
			t.Fatal(err)
		}
		return *f
	}
	for _, ps := range []string{"2022-01", "2023-05", "2023-06", "2024-01", "2024-03", "2024-04", "2024-06",
		"2024-Q1", "2024-Q2", "2023-H2", "2024-H1", "2023", "2024"} {
		out = append(out, namedFacts{ps, build(ps, report.Options{})})
	}
	official := func(rank, rankOf, prevRank int, total scoring.Cents) []report.OfficialResult {
		return []report.OfficialResult{
			{Period: scoring.MustPeriod("2024-04"), UnitCode: "BK", Total: total, Rank: rank, RankOf: rankOf},
			{Period: scoring.MustPeriod("2024-03"), UnitCode: "BK", Total: 7417, Rank: prevRank, RankOf: 63},
		}
	}
	resp := map[string][]string{"PUBLISH_ON_TIME": {"BK.SNV", "BK.STP"}, "PUBLIC_UPDATE_ON_TIME": {"BK.SNV"}}
	for i, o := range [][]report.OfficialResult{
		official(30, 63, 32, 7535), official(30, 63, 28, 7535), official(30, 63, 30, 7000),
		official(30, 0, 0, 7535), official(1, 63, 0, 9000),
	} {
		out = append(out, namedFacts{"official " + strconv.Itoa(i), build("2024-04", report.Options{Official: o, Responsible: resp})})
	}
	out = append(out, namedFacts{"top 1, 1 recommendation", build("2024-04", report.Options{Top: 1, Recommendations: 1})},
		namedFacts{"top 10, 10 recommendations", build("2024-04", report.Options{Top: 10, Recommendations: 10})})

	april := func(name string, change func(f *report.Facts)) {
		f := build("2024-04", report.Options{Official: official(30, 63, 32, 7535), Responsible: resp})
		change(&f)
		out = append(out, namedFacts{name, f})
	}
	zero, down := scoring.Cents(0), scoring.Cents(-135)
	april("no change", func(f *report.Facts) {
		f.Change = &zero
		for i := range f.Groups {
			f.Groups[i].Change = &zero
		}
	})
	april("fall, other band", func(f *report.Facts) {
		f.Change = &down
		f.PrevBand = &report.BandRef{Code: "TOT", Name: "Tốt", Level: 2}
		for i := range f.Groups {
			f.Groups[i].Change = &down
		}
	})
	april("no band, provisional", func(f *report.Facts) {
		f.Band, f.Provisional, f.MonthsCovered, f.MonthsOf = nil, true, 2, 3
		f.Groups[0].Change = nil
	})
	april("city, nothing to name", func(f *report.Facts) {
		f.Province.Name = "Thành phố Hà Nội"
		for i := range f.Publication {
			f.Publication[i].Responsible = nil
		}
		f.Publication[1].HasRatio = false
		for i := range f.OnTimeFull {
			f.OnTimeFull[i].Units = nil
		}
		f.NoOnline = nil
		f.Payment.Worst = nil
		f.Digitisation.Worst, f.Digitisation.Of = nil, 0
		for i := range f.Satisfaction.FullAt {
			f.Satisfaction.FullAt[i].N = 0
		}
		f.Satisfaction.Metrics = nil
	})
	april("ministry, long lists, unknown kind", func(f *report.Facts) {
		f.Province.Name = "Bộ Tài chính"
		var many []report.UnitRef
		for i := 0; i < 15; i++ {
			many = append(many, report.UnitRef{Code: strconv.Itoa(i), Name: "Xã " + strconv.Itoa(i)})
		}
		f.OnTimeFull = append(f.OnTimeFull, report.KindUnits{Kind: "hamlet", Units: many, Of: 20})
		f.NoOnline = append(f.NoOnline, report.KindUnits{Kind: scoring.KindCommune, Units: many[:13], Of: 20})
		f.Bands = append(f.Bands, report.LevelBands{Kind: "hamlet", Units: 4, Unranked: 4})
		f.Bands = append(f.Bands, report.LevelBands{Kind: scoring.KindCommune, Units: 0})
		f.Satisfaction.FullAt = append(f.Satisfaction.FullAt, report.KindCount{Kind: "hamlet", N: 1, Of: 2})
		f.OnTime.HasRatio = false
		f.Online.HasRatio = false
		f.Payment.Metrics[0].HasRatio = false
	})
	april("no metrics of its own", func(f *report.Facts) {
		f.OnTime, f.Online, f.Satisfaction, f.Payment, f.Digitisation = nil, nil, nil, nil, nil
		f.Publication, f.Groups, f.National = nil, nil, nil
	})
	april("standings and recommendations", func(f *report.Facts) {
		up, dn, same := 2, -3, 0
		for i := range f.Standings {
			ls := &f.Standings[i]
			switch i {
			case 0:
				ls.Worst, ls.Down = nil, nil
			case 1:
				ls.Best, ls.Up = nil, nil
			}
			for j := range ls.Up {
				ls.Up[j].RankChange = []*int{&up, nil, &same}[j%3]
			}
			for j := range ls.Down {
				ls.Down[j].RankChange = []*int{&dn, nil, &same}[j%3]
			}
		}
		f.Standings = append(f.Standings, report.LevelStandings{Kind: "hamlet", Best: f.Standings[0].Best[:1]})
		for i := range f.Recommendations {
			r := &f.Recommendations[i]
			switch i % 3 {
			case 0:
				r.ProvinceLevel, r.PerUnit = true, 125
				r.Responsible = []report.UnitRef{{Name: "Sở Nội vụ"}, {Name: "Sở Văn hóa, Thể thao và Du lịch"}}
			case 1:
				r.ProvinceLevel, r.PerUnit, r.Responsible = true, 50, nil
				r.Group = ""
			case 2:
				r.ProvinceLevel, r.Worst = false, nil
			}
		}
	})
	return out
}
