package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The unit page compares the unit with its peers as ComparePeers does:
// average, median and best per group and for the total; the units just
// above and below with the gap; its streaks; its rank over 12 months.
func TestUnitPagePeersAndRankHistory(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	var series []*scoring.PeriodScores
	for _, m := range []string{"2023-05", "2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"} {
		series = append(series, mustScores(t, svc, m))
	}
	for _, code := range []string{"BK.TTT", "BK.SGDDT", "BK.BQLKCN"} {
		pe, err := scoring.ComparePeers(ps, code)
		if err != nil {
			t.Fatal(err)
		}
		path := "/units/" + code + "?period=2024-04"
		status, hdr, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("GET %s = %d", path, status)
		}
		checkHTMLPage(t, path, hdr, body, true)
		cmp := html.UnescapeString(section(body, "h-compare", "</section>"))
		for i, g := range pe.Groups {
			want := fmt.Sprintf(`<th scope="row" class="sticky">%s</th><td class="num">%s</td><td class="num strong">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>`,
				g.Group.NameVI, present.Max(i18n.VI, ps.Unit(code).Groups[i].Max), present.Score(i18n.VI, g.Unit), present.Score(i18n.VI, g.Average), present.Score(i18n.VI, g.Median), present.Score(i18n.VI, g.Best))
			if !strings.Contains(cmp, want) {
				t.Errorf("%s: group row %s missing:\n%s", code, g.Group.Code, want)
			}
		}
		if !strings.Contains(cmp, fmt.Sprintf(`<td class="num strong">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>`,
			present.Score(i18n.VI, pe.Total.Unit), present.Score(i18n.VI, pe.Total.Average), present.Score(i18n.VI, pe.Total.Median), present.Score(i18n.VI, pe.Total.Best))) {
			t.Errorf("%s: total row missing", code)
		}
		if pe.Above != nil {
			want := fmt.Sprintf("Liền trên: <a href=\"/units/%s?period=2024-04\">%s</a> (hạng %d), hơn đơn vị này <strong>%s điểm</strong>", pe.Above.Unit.Unit.Code, pe.Above.Unit.Unit.Name, pe.Above.Rank, present.Score(i18n.VI, pe.Above.Gap))
			if !strings.Contains(cmp, want) {
				t.Errorf("%s: unit above missing: %s", code, want)
			}
		} else if !strings.Contains(cmp, "Không có đơn vị cùng loại nào có điểm cao hơn.") {
			t.Errorf("%s: top unit not said so", code)
		}
		if pe.Below != nil {
			want := fmt.Sprintf("Liền dưới: <a href=\"/units/%s?period=2024-04\">%s</a> (hạng %d), kém đơn vị này <strong>%s điểm</strong>", pe.Below.Unit.Unit.Code, pe.Below.Unit.Unit.Name, pe.Below.Rank, present.Score(i18n.VI, pe.Below.Gap))
			if !strings.Contains(cmp, want) {
				t.Errorf("%s: unit below missing: %s", code, want)
			}
		}
		st := scoring.Streaks(series, code)
		if !strings.Contains(cmp, fmt.Sprintf("<strong>%d tháng</strong> liên tiếp (tính đến kỳ này)", st.SameBand)) {
			t.Errorf("%s: band streak %d missing", code, st.SameBand)
		}
		switch {
		case st.Improving > 0:
			if !strings.Contains(cmp, fmt.Sprintf("Tăng điểm <strong>%d tháng</strong> liên tiếp", st.Improving)) {
				t.Errorf("%s: improving streak %d missing", code, st.Improving)
			}
		case st.Declining > 0:
			if !strings.Contains(cmp, fmt.Sprintf("Giảm điểm <strong>%d tháng</strong> liên tiếp", st.Declining)) {
				t.Errorf("%s: declining streak %d missing", code, st.Declining)
			}
		}

		// Rank history: one row per month, the engine's ranks, and a chart
		// with rank 1 at the top.
		ranks := html.UnescapeString(section(body, "h-ranks", "</section>"))
		hist := scoring.RankHistory(series, code)
		if len(hist) != 12 {
			t.Fatalf("%s: %d points of history", code, len(hist))
		}
		for _, pt := range hist {
			want := fmt.Sprintf(`<th scope="row" class="sticky">%s</th><td class="num strong">%d<span class="muted">/%d</span></td>`, present.Period(i18n.VI, pt.Period), pt.Rank, pt.RankOf)
			if !strings.Contains(ranks, want) {
				t.Errorf("%s: rank history row missing: %s", code, want)
			}
		}
		m := dataOption.FindStringSubmatch(section(body, "h-ranks", "</section>"))
		if m == nil {
			t.Fatalf("%s: no rank chart", code)
		}
		var opt struct {
			Integers bool `json:"integers"`
			YAxis    []struct {
				Inverse bool `json:"inverse"`
				Min     int  `json:"min"`
			} `json:"yAxis"`
			Series []struct {
				Data []any `json:"data"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &opt); err != nil {
			t.Fatal(err)
		}
		if !opt.Integers || len(opt.YAxis) != 1 || !opt.YAxis[0].Inverse || opt.YAxis[0].Min != 1 || len(opt.Series) != 1 {
			t.Errorf("%s: rank chart option %+v", code, opt)
		}
		for i, v := range opt.Series[0].Data {
			if m, ok := v.(map[string]any); ok { // go-echarts writes {"value": n}
				v = m["value"]
			}
			if f, ok := v.(float64); !ok || int(f) != hist[i].Rank {
				t.Errorf("%s: chart point %d = %v, rank %d", code, i, v, hist[i].Rank)
			}
		}
	}
}

// rankHistoryRowOf is the rank history's row of a period, from its heading to the
// end of the row.
func rankHistoryRowOf(t *testing.T, body string, p scoring.Period) string {
	t.Helper()
	ranks := html.UnescapeString(section(body, "h-ranks", "</section>"))
	i := strings.Index(ranks, fmt.Sprintf(`<th scope="row" class="sticky">%s</th>`, present.Period(i18n.VI, p)))
	if i < 0 {
		t.Fatalf("no rank history row for %s", p)
	}
	row := ranks[i:]
	return row[:strings.Index(row, "</tr>")]
}

// The oldest row of the rank history compares with the month before it
// when that month has figures, though it lies outside the 12 months shown;
// only the first month of the data has no previous period.
func TestRankHistoryOldestRowComparesWithTheMonthBefore(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	before, oldest := mustScores(t, svc, "2023-05"), mustScores(t, svc, "2023-06")
	moved := false
	for _, code := range []string{"BK.TTT", "BK.SGDDT", "BK.BQLKCN"} {
		was, is := before.Point(code), oldest.Point(code)
		if was.Rank == 0 || is.Rank == 0 {
			t.Fatalf("%s: not ranked in 05/2023 and 06/2023: the test needs a unit that was", code)
		}
		d := was.Rank - is.Rank
		moved = moved || d != 0
		want := present.RankChange(i18n.VI, &d)
		_, _, body := get(t, app, "/units/"+code+"?period=2024-05")
		row := rankHistoryRowOf(t, body, oldest.Period)
		// The direction is in the arrow and the words, not in the colour.
		if !strings.Contains(row, want.Arrow+" "+want.Text) || !strings.Contains(row, want.Label) || strings.Contains(row, "chưa có kỳ trước") {
			t.Errorf("%s: 06/2023 row (rank %d, %d in 05/2023) does not say %q: %s", code, is.Rank, was.Rank, want.Label, row)
		}

		// 05/2023 is the demo's first month: nothing before it.
		_, _, body = get(t, app, "/units/"+code+"?period=2024-04")
		if row := rankHistoryRowOf(t, body, before.Period); !strings.Contains(row, "chưa có kỳ trước để so sánh") {
			t.Errorf("%s: 05/2023 row, the first month with data, compares with something: %s", code, row)
		}
	}
	if !moved {
		t.Error("no unit moved between 05/2023 and 06/2023: the test needs one that did")
	}
}

// The overview lists the most improved and most declined units since the
// previous period and the units that changed band, as FindMovers finds
// them, with ▲/▼ and numbers.
func TestOverviewMovers(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	cur, prev := mustScores(t, svc, "2024-04"), mustScores(t, svc, "2024-03")
	mv := scoring.FindMovers(cur, prev, "", "BK", moversLimit)
	if len(mv.Improved) == 0 || len(mv.Declined) == 0 || len(mv.BandChanged) == 0 {
		t.Fatalf("demo: movers %d/%d/%d, the test needs some of each", len(mv.Improved), len(mv.Declined), len(mv.BandChanged))
	}
	status, hdr, body := get(t, app, "/?period=2024-04")
	if status != 200 {
		t.Fatal(status)
	}
	checkHTMLPage(t, "/", hdr, body, true)
	sec := html.UnescapeString(section(body, "h-movers", "</section>"))
	if !strings.Contains(sec, "Biến động so với tháng 03/2024") {
		t.Error("no movers heading")
	}
	check := func(table string, list []scoring.Move, arrow string) {
		part := section(sec, "cap-"+table, "</table>")
		last := -1
		for _, m := range list {
			c := m.Change
			if c < 0 {
				c = -c
			}
			row := fmt.Sprintf(`<a href="/units/%s?period=2024-04">%s</a>`, m.Unit.Unit.Code, m.Unit.Unit.Name)
			i := strings.Index(part, row)
			if i < 0 || i < last {
				t.Errorf("%s: %s missing or out of order", table, m.Unit.Unit.Code)
				continue
			}
			last = i
			tr := part[i:]
			tr = tr[:strings.Index(tr, "</tr>")]
			for _, want := range []string{present.Score(i18n.VI, m.PrevTotal), present.Score(i18n.VI, m.Total), arrow + " " + present.Score(i18n.VI, c), fmt.Sprintf("%d → %d", m.PrevRank, m.Rank)} {
				if !strings.Contains(tr, want) {
					t.Errorf("%s: row of %s lacks %q", table, m.Unit.Unit.Code, want)
				}
			}
		}
		if got := strings.Count(part, "<tr>") - 1; got != len(list) {
			t.Errorf("%s: %d rows, want %d", table, got, len(list))
		}
	}
	check("movers-up", mv.Improved, "▲")
	check("movers-down", mv.Declined, "▼")
	band := section(sec, "cap-movers-band", "</table>")
	for _, m := range mv.BandChanged {
		word := "xuống loại "
		if m.BandUp() {
			word = "lên loại "
		}
		if !strings.Contains(band, m.Unit.Unit.Name) || !strings.Contains(band, word+m.Band.NameVI) {
			t.Errorf("band change of %s (%s%s) missing", m.Unit.Unit.Code, word, m.Band.NameVI)
		}
	}
	// The hint names the kinds ranked in the period: districts in 2024…
	if !strings.Contains(sec, "(sở, ban, ngành; huyện, thị xã, thành phố; xã, phường, thị trấn)") {
		t.Errorf("movers hint of 04/2024 does not name the period's kinds: %.300q", sec[strings.Index(sec, `class="hint"`):])
	}
	// …none after 01/07/2025, when they were abolished.
	_, _, body = get(t, app, "/?period=2026-10")
	sec = html.UnescapeString(section(body, "h-movers", "</section>"))
	if !strings.Contains(sec, "(sở, ban, ngành; xã, phường, đặc khu)") || strings.Contains(sec, "huyện") {
		t.Errorf("movers hint of 10/2026 names kinds the period does not have: %.300q", sec[strings.Index(sec, `class="hint"`):])
	}
	// The first month has nothing to compare with: no movers section.
	_, _, body = get(t, app, "/?period=2023-05")
	if strings.Contains(body, `id="h-movers"`) {
		t.Error("movers shown without a previous period")
	}
}

// Every page of the department head's tools renders for every kind of unit and period kind,
// including periods and units without data, never with a 500.
func TestToolsPagesAcrossPeriods(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t)})
	for _, unit := range []string{"BK", "BK.SNV", "BK.BABE", "BK.BABE.CHORA"} {
		for _, p := range []string{"2024-04", "2023-05", "2024-Q1", "2024-H1", "2023", "2030-01"} {
			for _, path := range []string{"/units/" + unit + "?period=" + p, "/units/" + unit + "/whatif?period=" + p} {
				status, hdr, body := get(t, app, path)
				if status != 200 {
					t.Errorf("GET %s = %d", path, status)
					continue
				}
				checkHTMLPage(t, path, hdr, body, false)
			}
		}
	}
	for _, p := range []string{"2024-Q1", "2024-H1", "2023"} {
		path := "/warnings?period=" + p
		status, hdr, body := get(t, app, path)
		if status != 200 {
			t.Errorf("GET %s = %d", path, status)
		}
		checkHTMLPage(t, path, hdr, body, false)
	}
}
