package handlers

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// section returns the part of a page from the element with the id to the
// end of its <section> (or <div> for callouts).
func section(body, id, end string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// For the demo's 04/2024, a department head of a
// "Tốt" agency sees exactly which three changes lift it into the next
// band, with the counts to add, and can try them in the what-if panel.
func TestUnitPageShowsTheThreeChangesToTheNextBand(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	var us *scoring.UnitScore
	var rec *scoring.Recovery
	for _, r := range ps.Ranking(scoring.KindAgency, "BK", nil) {
		if r.Band == nil || r.Band.Code != "tot" {
			continue
		}
		got := scoring.PointsAtStake(r.UnitScore).ToNextBand(ps)
		if got != nil && got.BandUp() && len(got.Applied) == 3 {
			us, rec = r.UnitScore, got
			break
		}
	}
	if us == nil {
		t.Fatal("demo: no Tốt agency needs exactly three changes to reach the next band in 04/2024")
	}
	path := "/units/" + us.Unit.Code + "?period=2024-04"
	status, hdr, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("GET %s = %d", path, status)
	}
	checkHTMLPage(t, path, hdr, body, true)
	callout := html.UnescapeString(section(body, "len-loai", "</div>"))
	if callout == "" {
		t.Fatalf("%s: no next-band block", path)
	}
	for _, want := range []string{
		"Để lên loại Xuất sắc",
		"Chỉ cần <strong>3 thay đổi</strong>",
		"lên loại <span class=\"badge band-1\">Xuất sắc</span>",
		"từ " + present.Score(i18n.VI, us.Total) + " lên <strong>" + present.Score(i18n.VI, rec.Score.Total) + "</strong>",
		fmt.Sprintf("thứ hạng từ %d/%d lên <strong>%d/%d</strong>", rec.BaseRank, rec.BaseRankOf, rec.Rank, rec.RankOf),
	} {
		if !strings.Contains(callout, want) {
			t.Errorf("next-band block lacks %q:\n%s", want, callout)
		}
	}
	// The three changes, in order, each with its count.
	last := -1
	for _, st := range rec.Applied {
		noun := present.Noun(i18n.VI, st.Metric, st.Need)
		want := fmt.Sprintf("<strong>%s</strong>: thêm <strong>%s</strong> %s (từ %s lên %s trên %s; tỷ lệ %s%% → %s%%), được thêm <strong>%s điểm</strong>",
			st.Metric.NameVI, present.Int(i18n.VI, st.Need), noun, present.Int(i18n.VI, st.Counts.Num),
			present.Int(i18n.VI, st.Counts.Num+st.Need), present.Int(i18n.VI, st.Counts.Den), present.Score(i18n.VI, st.Ratio), present.Score(i18n.VI, st.NewRatio), present.Score(i18n.VI, st.Lost))
		i := strings.Index(callout, want)
		if i < 0 {
			t.Errorf("change missing: %s", want)
		}
		if i < last {
			t.Errorf("change %s out of order", st.Metric.Code)
		}
		last = i
	}
	if strings.Count(callout, "<li>") != 3 {
		t.Errorf("%d changes listed, want 3", strings.Count(callout, "<li>"))
	}

	// "Thử tính với các thay đổi này" opens the what-if page with the three
	// numerators typed in: it shows the next band.
	i := strings.Index(callout, `<a href="`)
	if i < 0 {
		t.Fatal("no what-if link")
	}
	link := callout[i+len(`<a href="`):]
	link = link[:strings.Index(link, `"`)]
	u, err := url.Parse(link)
	if err != nil || u.Path != "/units/"+us.Unit.Code+"/whatif" {
		t.Fatalf("what-if link %q", link)
	}
	for _, st := range rec.Applied {
		if got := u.Query().Get("n." + st.Metric.Code); got != fmt.Sprint(st.Counts.Num+st.Need) {
			t.Errorf("what-if link sets %s to %q", st.Metric.Code, got)
		}
	}
	status, _, wi := get(t, app, u.RequestURI())
	if status != 200 {
		t.Fatalf("GET %s = %d", u.RequestURI(), status)
	}
	for _, want := range []string{`data-wi="band"><span class="badge band-1">Xuất sắc</span>`, `data-wi="total">` + present.Score(i18n.VI, rec.Score.Total) + "<", `data-wi="changed">3<`} {
		if !strings.Contains(wi, want) {
			t.Errorf("what-if page with the three changes lacks %q", want)
		}
	}
}

// The points-at-stake section lists the engine's stakes: actionable ones
// in the engine's order (points per added count), inherited province-level
// metrics as the province's responsibility, and metrics without data with
// their explanation.
func TestUnitPagePointsAtStake(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	for _, code := range []string{"BK.TTT", "BK.SCT", "BK.SGDDT"} {
		rep := scoring.PointsAtStake(ps.Unit(code))
		_, _, body := get(t, app, "/units/"+code+"?period=2024-04")
		sec := html.UnescapeString(section(body, "h-stake", "</section>"))
		if !strings.Contains(sec, "Đơn vị bị trừ tổng cộng <strong>"+present.Score(i18n.VI, rep.Lost)+" điểm</strong>") {
			t.Errorf("%s: total lost %s not shown", code, present.Score(i18n.VI, rep.Lost))
		}
		last := -1
		for _, st := range rep.Actionable {
			i := strings.Index(sec, `<span class="code">`+st.Metric.Code+`</span>`)
			if i < 0 || i < last {
				t.Errorf("%s: actionable %s missing or out of order", code, st.Metric.Code)
			}
			last = i
			if !strings.Contains(sec, present.StakeMessage(i18n.VI, ps.Period, st)) {
				t.Errorf("%s: sentence missing: %s", code, present.StakeMessage(i18n.VI, ps.Period, st))
			}
		}
		if len(rep.Province) > 0 {
			j := strings.Index(sec, "Chỉ số cấp tỉnh — trách nhiệm của tỉnh")
			if j < 0 {
				t.Errorf("%s: no province section", code)
			}
			for _, st := range rep.Province {
				if k := strings.Index(sec, present.StakeMessage(i18n.VI, ps.Period, st)); k < j {
					t.Errorf("%s: province metric %s not under the province heading", code, st.Metric.Code)
				}
			}
		}
		for _, st := range rep.NoData {
			if !strings.Contains(sec, "Chỉ số chưa có số liệu hoặc không phát sinh") || !strings.Contains(sec, present.StakeMessage(i18n.VI, ps.Period, st)) {
				t.Errorf("%s: no-data metric %s not explained", code, st.Metric.Code)
			}
		}
	}
	// Thanh tra tỉnh cannot reach the next band with its own counts: the
	// page says how far it stays.
	rep := scoring.PointsAtStake(ps.Unit("BK.TTT"))
	rec := rep.ToNextBand(ps)
	if rec == nil || rec.BandUp() || len(rep.NoData) == 0 {
		t.Fatalf("demo: Thanh tra tỉnh was expected to fall short of the next band with no-data metrics")
	}
	_, _, body := get(t, app, "/units/BK.TTT?period=2024-04")
	callout := html.UnescapeString(section(body, "len-loai", "</div>"))
	if !strings.Contains(callout, "đơn vị đạt "+present.Score(i18n.VI, rec.Score.Total)+" điểm, vẫn còn thiếu <strong>"+present.Score(i18n.VI, 9000-rec.Score.Total)+" điểm</strong>") {
		t.Errorf("shortfall not shown:\n%s", callout)
	}
	// A unit in the top band is told so, and has no next-band block.
	_, _, body = get(t, app, "/units/BK.SGDDT?period=2024-04")
	if !strings.Contains(body, "Đơn vị đang ở mức xếp loại cao nhất") || strings.Contains(body, `id="len-loai"`) {
		t.Error("top-band unit: wrong next-band text")
	}
}
