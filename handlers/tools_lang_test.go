package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The department head's tools in English: the points at stake, the next-band
// notice, the what-if panel and page, the neighbours and streaks, with the
// English number formats, the scheme's English names and the engine's
// English messages, and no Vietnamese left but unit names.

// vietnameseOutside lists the lines of a page's visible text that still
// carry Vietnamese once the unit names are set aside.
func vietnameseOutside(body string, names []string) []string {
	text := visibleText(body)
	for _, n := range names {
		text = strings.ReplaceAll(text, n, " ")
	}
	var left []string
	for _, line := range strings.Split(text, "\n") {
		if viLetters.MatchString(line) {
			left = append(left, strings.TrimSpace(line))
		}
	}
	return left
}

func unitNames(ps *scoring.PeriodScores) []string {
	var names []string
	for _, us := range ps.Units {
		names = append(names, us.Unit.Name)
	}
	// Longest first: a name containing another is removed whole.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

func TestUnitToolsInEnglish(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	names := unitNames(ps)
	en := i18n.EN

	// A "Tốt" agency that three changes lift into the next band.
	var us *scoring.UnitScore
	var rec *scoring.Recovery
	for _, r := range ps.Ranking(scoring.KindAgency, "BK", nil) {
		if r.Band == nil || r.Band.Code != "tot" {
			continue
		}
		if got := scoring.PointsAtStake(r.UnitScore).ToNextBand(ps); got != nil && got.BandUp() && len(got.Applied) == 3 {
			us, rec = r.UnitScore, got
			break
		}
	}
	if us == nil {
		t.Fatal("demo: no Tốt agency needs exactly three changes to reach the next band in 04/2024")
	}
	path := "/units/" + us.Unit.Code + "?period=2024-04&lang=en"
	status, _, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("GET %s = %d", path, status)
	}
	if strings.Contains(body, "data-i18n-pending") {
		t.Error("the unit page still has parts marked as not translated")
	}
	if left := vietnameseOutside(body, names); len(left) > 0 {
		t.Errorf("%s still has Vietnamese:\n    %s", path, strings.Join(left, "\n    "))
	}
	text := html.UnescapeString(body)
	next := scoring.PointsAtStake(us).ToNextBand(ps)
	want := []string{
		`<h2 id="h-stake">Points that can be won back</h2>`,
		"In all, the unit lost <strong>" + present.Score(i18n.EN, scoring.PointsAtStake(us).Lost) + " points</strong>",
		"<h3>To be rated Excellent</h3>",
		`Only the <strong>3 changes</strong> below would lift the unit to <span class="badge band-1">Excellent</span>: total score from ` +
			present.Score(i18n.EN, us.Total) + " to <strong>" + present.Score(i18n.EN, rec.Score.Total) + "</strong> (up " + present.Score(i18n.EN, rec.Gain) + " points)",
		fmt.Sprintf("rank from %d/%d to <strong>%d/%d</strong> among the units of its kind today.", rec.BaseRank, rec.BaseRankOf, rec.Rank, rec.RankOf),
		// The notice under the cards.
		"Only <strong>3 changes</strong> to the figures would lift the unit to <strong>Excellent</strong> (" + present.Score(i18n.EN, rec.Score.Total) + " points).",
		`<a href="#len-loai">See the 3 changes to make</a>`,
		"Try these changes</a>",
		// The way to the what-if page.
		"Try other figures (what-if calculator)</a>",
	}
	for _, st := range next.Applied {
		nounVI, nounEN := present.Noun(i18n.VI, st.Metric, 2), present.Noun(i18n.EN, st.Metric, st.Need)
		if nounVI == nounEN {
			t.Fatalf("%s: no English noun", st.Metric.Code)
		}
		want = append(want, fmt.Sprintf("<strong>%s</strong>: add <strong>%s</strong> %s (from %s to %s of %s; ratio %s → %s), gaining <strong>%s points</strong>.",
			st.Metric.NameEN, present.Int(en, st.Need), nounEN, present.Int(en, st.Counts.Num), present.Int(en, st.Counts.Num+st.Need), present.Int(en, st.Counts.Den),
			present.Percent(en, st.Ratio), present.Percent(en, st.NewRatio), present.Score(i18n.EN, st.Lost)))
	}
	for _, st := range scoring.PointsAtStake(us).Actionable {
		want = append(want, present.StakeMessage(en, us.Period, st))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: missing %q", path, w)
		}
	}

	// The what-if page in English, and its script's messages.
	path = "/units/" + us.Unit.Code + "/whatif?period=2024-04&lang=en"
	if status, _, body = get(t, app, path); status != 200 {
		t.Fatalf("GET %s = %d", path, status)
	}
	if left := vietnameseOutside(body, names); len(left) > 0 {
		t.Errorf("%s still has Vietnamese:\n    %s", path, strings.Join(left, "\n    "))
	}
	text = html.UnescapeString(body)
	for _, w := range []string{
		`<h2 id="h-whatif">What-if calculator</h2>`,
		"now " + present.Score(i18n.EN, us.Total),
		`data-label="Group score now"`,
		`<button type="submit" class="button">Recalculate</button>`,
	} {
		if !strings.Contains(text, w) {
			t.Errorf("%s: missing %q", path, w)
		}
	}
	m := regexp.MustCompile(`data-msgs="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("what-if form: no data-msgs")
	}
	var msgs map[string]string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &msgs); err != nil {
		t.Fatalf("data-msgs: %v", err)
	}
	for _, k := range whatIfScriptKeys {
		if msg, _ := i18n.Message(i18n.EN, k); msgs[k] != msg || msg == "" {
			t.Errorf("data-msgs[%s] = %q, want the English %q", k, msgs[k], msg)
		}
	}
	m = regexp.MustCompile(`data-band-names="([^"]*)"`).FindStringSubmatch(body)
	var bands []string
	if m == nil || json.Unmarshal([]byte(html.UnescapeString(m[1])), &bands) != nil || len(bands) != len(ps.Scheme.Bands) || bands[0] != ps.Scheme.Bands[0].NameEN {
		t.Errorf("data-band-names = %v, want the scheme's English names", bands)
	}

	// A unit that cannot reach the next band with its own counts.
	rep := scoring.PointsAtStake(ps.Unit("BK.TTT"))
	short := rep.ToNextBand(ps)
	_, _, body = get(t, app, "/units/BK.TTT?period=2024-04&lang=en")
	text = html.UnescapeString(body)
	for _, w := range []string{
		"the unit would reach " + present.Score(i18n.EN, short.Score.Total) + " points, still <strong>" + present.Score(i18n.EN, 9000-short.Score.Total) + " points</strong> short of Excellent.",
		"<h3>Metrics without figures or with nothing in the period</h3>",
		"Try all these changes</a>",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("BK.TTT: missing %q", w)
		}
	}
	for _, st := range append(rep.NoData, rep.Province...) {
		if !strings.Contains(text, present.StakeMessage(i18n.EN, scoring.MustPeriod("2024-04"), st)) {
			t.Errorf("BK.TTT: %s's English message missing", st.Metric.Code)
		}
	}
	if left := vietnameseOutside(body, names); len(left) > 0 {
		t.Errorf("BK.TTT in English still has Vietnamese:\n    %s", strings.Join(left, "\n    "))
	}

	// Neighbours and streaks.
	var series []*scoring.PeriodScores
	for _, p := range []string{"2023-05", "2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"} {
		series = append(series, mustScores(t, svc, p))
	}
	for _, code := range []string{"BK.SGDDT", "BK.BQLKCN"} {
		pe, err := scoring.ComparePeers(ps, code)
		if err != nil {
			t.Fatal(err)
		}
		_, _, body := get(t, app, "/units/"+code+"?period=2024-04&lang=en")
		cmp := html.UnescapeString(section(body, "h-compare", "</section>"))
		if pe.Above != nil {
			w := fmt.Sprintf("Just above: <a href=\"/units/%s?period=2024-04\">%s</a> (rank %d), ahead of this unit by <strong>%s points</strong>.", pe.Above.Unit.Unit.Code, pe.Above.Unit.Unit.Name, pe.Above.Rank, present.Score(i18n.EN, pe.Above.Gap))
			if !strings.Contains(cmp, w) {
				t.Errorf("%s: missing %q", code, w)
			}
		} else if !strings.Contains(cmp, "No unit of the same kind scored higher.") {
			t.Errorf("%s: top unit not said so in English", code)
		}
		st := scoring.Streaks(series, code)
		months := fmt.Sprintf("%d months", st.SameBand)
		if st.SameBand == 1 {
			months = "1 month"
		}
		if !strings.Contains(cmp, "<strong>"+months+"</strong> in a row (up to this period).") {
			t.Errorf("%s: band streak %q missing", code, months)
		}
		if pe.Metrics[0].Metric.NameEN == "" || !strings.Contains(cmp, pe.Metrics[0].Metric.NameEN+`<span class="code">`) {
			t.Errorf("%s: peer metrics not named in English", code)
		}
		if left := vietnameseOutside(body, names); len(left) > 0 {
			t.Errorf("%s in English still has Vietnamese:\n    %s", code, strings.Join(left, "\n    "))
		}
	}

	// In the top band: said so, with the English band name.
	_, _, body = get(t, app, "/units/BK.SGDDT?period=2024-04&lang=en")
	if !strings.Contains(html.UnescapeString(body), "The unit already has the highest rating (Excellent).") {
		t.Error("top-band unit: English notice missing")
	}
}

// The what-if page in English: the result, and the input errors next to
// their fields, in English with English numbers.
func TestWhatIfPageInEnglish(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	names := unitNames(ps)
	base := ps.Unit("BK.SCT")
	m := base.Metric("ONLINE_PAYMENT_DOSSIERS")

	q := url.Values{"period": {"2024-04"}, "lang": {"en"}, "n.ONLINE_PAYMENT_DOSSIERS": {fmt.Sprint(m.Counts.Den)}}
	w, err := scoring.WhatIfScore(ps, "BK.SCT", []scoring.Override{scoring.OverrideFromText("ONLINE_PAYMENT_DOSSIERS", fmt.Sprint(m.Counts.Den), "", "")})
	if err != nil {
		t.Fatal(err)
	}
	status, _, body := get(t, app, "/units/BK.SCT/whatif?"+q.Encode())
	if status != 200 {
		t.Fatalf("valid form: %d", status)
	}
	text := html.UnescapeString(body)
	for _, want := range []string{
		"<h1>What-if calculator: Sở Công Thương</h1>",
		`data-wi="total">` + present.Score(i18n.EN, w.Score.Total) + "<",
		"now " + present.Score(i18n.EN, base.Total),
		present.Score(i18n.EN, w.Delta) + " points more than now",
		`<span class="wi-flag" data-wi="flag">✎ changed</span>`,
		"What-if figures and points metric by metric, Apr 2024",
		`<label class="sr-only" for="wi-n-ONLINE_PAYMENT_DOSSIERS">Numerator — ` + m.Metric.NameEN + `</label>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("valid form in English: missing %q", want)
		}
	}
	if w.Rank > 0 && w.BaseRank > w.Rank {
		d := w.BaseRank - w.Rank
		label := fmt.Sprintf("%d places higher than now", d)
		if d == 1 {
			label = "1 place higher than now"
		}
		if !strings.Contains(text, label) {
			t.Errorf("rank change %q missing", label)
		}
	}
	if left := vietnameseOutside(body, names); len(left) > 0 {
		t.Errorf("what-if page in English still has Vietnamese:\n    %s", strings.Join(left, "\n    "))
	}

	bad := url.Values{"period": {"2024-04"}, "lang": {"en"}, "n.ON_TIME_PROCESSING": {"-5"}, "d.DOSSIER_SYNC": {"abc"},
		"n.ONLINE_SUBMISSION": {"999999"}, "n.NO_SUCH_METRIC": {"1"}}
	status, _, body = get(t, app, "/units/BK.SCT/whatif?"+bad.Encode())
	if status != 400 {
		t.Fatalf("invalid form: status %d, want 400", status)
	}
	text = html.UnescapeString(body)
	sub := base.Metric("ONLINE_SUBMISSION")
	for _, want := range []string{
		"<h3>3 + 1 errors in the figures entered</h3>",
		`<a href="#wi-n-ON_TIME_PROCESSING">Numerator — ` + base.Metric("ON_TIME_PROCESSING").Metric.NameEN + `: The numerator must not be negative.</a>`,
		`<span class="field-error" id="wi-d-DOSSIER_SYNC-err">The denominator must be a whole number (0 or more).</span>`,
		fmt.Sprintf(`<span class="field-error" id="wi-n-ONLINE_SUBMISSION-err">The numerator (999,999) cannot be larger than the denominator (%s).</span>`, present.Int(i18n.EN, sub.Counts.Den)),
		`<li>Metric "NO_SUCH_METRIC" is not in scheme qd766.</li>`,
		"The result below is the score for the real figures.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("invalid form in English: missing %q", want)
		}
	}
	if left := vietnameseOutside(body, names); len(left) > 0 {
		t.Errorf("invalid what-if form in English still has Vietnamese:\n    %s", strings.Join(left, "\n    "))
	}
}

// The counted nouns take their singular in English.
func TestToolsCountsInEnglish(t *testing.T) {
	for _, c := range []struct {
		l    i18n.Lang
		k    scoring.PeriodKind
		n    int
		want string
	}{
		{i18n.EN, scoring.Month, 1, "1 month"}, {i18n.EN, scoring.Month, 4, "4 months"},
		{i18n.EN, scoring.Quarter, 2, "2 quarters"}, {i18n.EN, scoring.Half, 1, "1 half-year"},
		{i18n.EN, scoring.Year, 3, "3 years"}, {i18n.VI, scoring.Quarter, 1, "1 quý"}, {i18n.VI, scoring.Month, 5, "5 tháng"},
	} {
		if got := periodCountL(c.l, c.k, c.n); got != c.want {
			t.Errorf("periodCountL(%s, %s, %d) = %q, want %q", c.l, c.k, c.n, got, c.want)
		}
	}
	for d, want := range map[int][2]string{
		2:  {"tăng 2 bậc so với hiện tại", "2 places higher than now"},
		1:  {"tăng 1 bậc so với hiện tại", "1 place higher than now"},
		-1: {"giảm 1 bậc so với hiện tại", "1 place lower than now"},
		0:  {"giữ nguyên thứ hạng", "same rank"},
	} {
		vi, en := whatIfRankChange(i18n.VI, d), whatIfRankChange(i18n.EN, d)
		if vi.Label != want[0] || en.Label != want[1] {
			t.Errorf("whatIfRankChange(%d) = %q / %q, want %q / %q", d, vi.Label, en.Label, want[0], want[1])
		}
	}
	if vi, en := deltaChange(i18n.VI, -125), deltaChange(i18n.EN, -125); vi.Label != "giảm 1,25 điểm so với hiện tại" || en.Label != "1.25 points less than now" {
		t.Errorf("deltaChange(-125) = %q / %q", vi.Label, en.Label)
	}
}
