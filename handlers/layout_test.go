package handlers

import (
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"scorecard/charts"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The overview explains itself to a citizen in one paragraph: what is
// measured (the scheme's groups), who scores it, the bands with the
// scheme's limits, why the province's band can be below most agencies'
// (with this period's figures), and a link to the methodology.
func TestOverviewParagraphForCitizens(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	prov := ps.Unit("BK")
	if prov == nil || prov.Band == nil {
		t.Fatal("demo: no province score in 04/2024")
	}
	count := map[string]int{}
	ranked := 0
	for _, r := range ps.Ranking(scoring.KindAgency, "BK", nil) {
		if r.Rank > 0 && r.Band != nil {
			ranked++
			count[r.Band.Code]++
		}
	}
	top := ps.Scheme.Bands[0]
	for _, b := range ps.Scheme.Bands {
		if count[b.Code] > count[top.Code] {
			top = b
		}
	}
	for _, lang := range []i18n.Lang{i18n.VI, i18n.EN} {
		status, _, body := get(t, app, "/?period=2024-04&lang="+string(lang))
		if status != 200 {
			t.Fatalf("%s: %d", lang, status)
		}
		sec := regexp.MustCompile(`(?s)<section class="panel about".*?</section>`).FindString(body)
		if sec == "" {
			t.Fatalf("%s: no paragraph for citizens", lang)
		}
		text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(sec, ""))
		want := []string{
			lang.T("about.who"), lang.T("about.province"),
			lang.T("about.now", present.Name(lang, prov.Band.NameVI, prov.Band.NameEN), count[top.Code], ranked, present.Name(lang, top.NameVI, top.NameEN)),
		}
		for i, b := range ps.Scheme.Bands {
			name := present.Name(lang, b.NameVI, b.NameEN)
			if i == len(ps.Scheme.Bands)-1 {
				want = append(want, lang.T("about.band.below", name, present.Max(lang, ps.Scheme.Bands[i-1].Min)))
			} else {
				want = append(want, lang.T("about.band.min", name, present.Max(lang, b.Min)))
			}
		}
		for _, g := range ps.Scheme.Groups {
			want = append(want, present.Lower(lang, present.Name(lang, g.NameVI, g.NameEN)))
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the paragraph lacks %q:\n%s", lang, w, text)
			}
		}
		if !strings.Contains(sec, `href="/methodology"`) {
			t.Errorf("%s: the paragraph does not link to the methodology", lang)
		}
	}
}

// The rank history's axis ends at the last rank there is, not beyond.
func TestRankAxisEndsAtLastRank(t *testing.T) {
	for _, n := range []int{18, 13, 7, 2} {
		ch, err := charts.Trend("chart-rank", "x", []string{"a"}, []charts.Series{{Name: "r", Values: []charts.Value{charts.Num(1)}}}, nil, float64(n))
		if err != nil {
			t.Fatal(err)
		}
		if ch, err = rankAxis(ch, n); err != nil {
			t.Fatal(err)
		}
		var opt struct {
			YAxis []struct {
				Min, Max float64
				Inverse  bool
			} `json:"yAxis"`
		}
		if err := json.Unmarshal([]byte(ch.Option), &opt); err != nil {
			t.Fatal(err)
		}
		if len(opt.YAxis) != 1 || opt.YAxis[0].Min != 1 || opt.YAxis[0].Max != float64(n) || !opt.YAxis[0].Inverse {
			t.Errorf("%d units: rank axis %+v, want 1 at the top to %d", n, opt.YAxis, n)
		}
	}
}

// A long ranking embedded in an iframe of fixed height draws both ends
// (the top and the bottom embedEnds) and says so with a link to the full
// ranking; its table keeps every unit.
func TestEmbedLongRankingDrawsBothEnds(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	var ranked []scoring.Ranked
	for _, r := range ps.Ranking(scoring.KindCommune, "", nil) {
		if r.Rank > 0 {
			ranked = append(ranked, r)
		}
	}
	n := len(ranked)
	if n <= 2*embedEnds {
		t.Fatalf("demo: %d communes ranked in 04/2024, want more than %d", n, 2*embedEnds)
	}
	status, _, body := get(t, app, "/embed/ranking?kind=commune&period=2024-04")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	m := regexp.MustCompile(`id="chart-ranking" data-option="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart")
	}
	var opt struct {
		YAxis []struct {
			Data []string `json:"data"`
		} `json:"yAxis"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &opt); err != nil || len(opt.YAxis) == 0 {
		t.Fatalf("option: %v", err)
	}
	var want []string
	for i, r := range ranked {
		if i < embedEnds || i >= n-embedEnds {
			want = append(want, r.Unit.Name)
		}
	}
	if strings.Join(opt.YAxis[0].Data, "|") != strings.Join(want, "|") {
		t.Errorf("chart draws %v, want the top and bottom %d: %v", opt.YAxis[0].Data, embedEnds, want)
	}
	if !strings.Contains(html.UnescapeString(body), i18n.VI.T("embed.ranking.ends", embedEnds, embedEnds, n)) {
		t.Error("the embed does not say the chart draws both ends only")
	}
	if rows := strings.Count(between(t, body, "<tbody>", "</tbody>"), "<tr>"); rows != n {
		t.Errorf("table has %d rows, want every one of the %d communes", rows, n)
	}
}

// A unit without any figure of its own does not show the points the
// no-data rules give as if earned: each such group score and metric says
// "không có số liệu — điểm theo quy tắc".
func TestUnitWithoutDataSaysRuleGivenPoints(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture(), demo: true})
	eng, err := svc.Engine(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	p := eng.Periods()[0]
	ps, err := svc.Period(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	us := ps.Unit("BK.SYT")
	if us == nil || us.HasData {
		t.Fatal("fixture: BK.SYT was expected without data")
	}
	given := 0
	for _, g := range us.Groups {
		// Inherited province-level figures are figures, not the rule's.
		rule := g.Score > 0
		for _, m := range g.Metrics {
			if m.Scored && !m.NoData {
				rule = false
			}
		}
		if rule {
			given++
		}
	}
	if given == 0 {
		t.Fatal("fixture: no rule-given points for BK.SYT")
	}
	_, _, body := get(t, app, "/units/BK.SYT")
	groups := between(t, body, `id="h-groups"`, "</table>")
	if got := strings.Count(groups, i18n.VI.T("unit.rulegiven")); got != given {
		t.Errorf("%d group scores say they are the rule's, want %d", got, given)
	}
	if !strings.Contains(between(t, body, `id="h-metrics"`, "</table>"), "Không có số liệu — điểm theo quy tắc") {
		t.Error("the metrics table does not say the points are the rule's")
	}
	// A unit with figures says nothing of the kind.
	_, _, body = get(t, app, "/units/BK.SGTVT")
	if strings.Contains(body, i18n.VI.T("unit.rulegiven")) {
		t.Error("a unit with data marks group scores as the rule's")
	}
}

// A district's page lists and links its communes, each with its rank among
// all the province's communes.
func TestDistrictPageListsItsCommunes(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	var district *scoring.UnitScore
	for _, us := range ps.Units {
		if us.Unit.Kind == scoring.KindDistrict && us.HasData {
			district = us
			break
		}
	}
	if district == nil {
		t.Fatal("demo: no district with data in 04/2024")
	}
	var mine []scoring.Ranked
	for _, r := range ps.Ranking(scoring.KindCommune, district.Unit.ParentCode, nil) {
		if r.Unit.ParentCode == district.Unit.Code && r.Rank > 0 {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		t.Fatalf("demo: district %s has no ranked commune", district.Unit.Code)
	}
	_, _, body := get(t, app, "/units/"+district.Unit.Code+"?period=2024-04")
	sec := between(t, body, `id="cac-xa"`, "</section>")
	for _, r := range mine {
		row := regexp.MustCompile(`(?s)<tr>\s*<td class="num">(\d+)</td>.{0,400}?` + regexp.QuoteMeta(html.EscapeString(r.Unit.Name)) + `</a>`).FindStringSubmatch(sec)
		if row == nil {
			t.Errorf("commune %s is not listed and linked", r.Unit.Name)
			continue
		}
		if row[1] != strconv.Itoa(r.Rank) {
			t.Errorf("commune %s: rank %s, want %d among the province's communes", r.Unit.Name, row[1], r.Rank)
		}
	}
	if got := strings.Count(between(t, sec, "<tbody>", "</tbody>"), "<tr>"); got != len(mine) {
		t.Errorf("%d rows, want the district's %d communes", got, len(mine))
	}
}

// The commune ranking narrows to a district's communes (in a period with
// districts) and to names matching a search typed without accents; each
// keeps its rank among all communes; a bad district or an overlong search
// is refused with a message.
func TestCommuneRankingFilters(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	ps := mustScores(t, svc, "2024-04")
	var district string
	var mine []scoring.Ranked
	for _, r := range ps.Ranking(scoring.KindCommune, "", nil) {
		if r.Rank == 0 {
			continue
		}
		if district == "" {
			district = r.Unit.ParentCode
		}
		if r.Unit.ParentCode == district {
			mine = append(mine, r)
		}
	}
	if len(mine) < 2 || len(mine) == len(ps.Ranking(scoring.KindCommune, "", nil)) {
		t.Fatalf("demo: district %s has %d communes", district, len(mine))
	}
	status, _, body := get(t, app, "/rankings?kind=commune&period=2024-04&district="+district)
	if status != 200 {
		t.Fatalf("district filter: %d", status)
	}
	got := regexp.MustCompile(`<th scope="row" class="sticky"><a href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(between(t, body, "<tbody>", "</tbody>"), -1)
	if len(got) != len(mine) {
		t.Errorf("district %s: %d rows, want its %d communes", district, len(got), len(mine))
	}
	for i, r := range mine {
		if i < len(got) && html.UnescapeString(got[i][1]) != r.Unit.Name {
			t.Errorf("row %d = %s, want %s", i, got[i][1], r.Unit.Name)
		}
	}
	if !strings.Contains(body, `<option value="`+district+`" selected>`) {
		t.Error("the district is not shown as chosen")
	}
	// A search typed without accents finds the commune.
	name := mine[0].Unit.Name
	status, _, body = get(t, app, "/rankings?kind=commune&period=2024-04&q="+url.QueryEscape(scoring.Fold(name)))
	got = regexp.MustCompile(`<th scope="row" class="sticky"><a href="[^"]*">([^<]*)</a>`).FindAllStringSubmatch(between(t, body, "<tbody>", "</tbody>"), -1)
	if status != 200 || len(got) == 0 || html.UnescapeString(got[0][1]) != name {
		t.Errorf("search %q: %d, rows %v", scoring.Fold(name), status, got)
	}
	if !strings.Contains(body, `<td class="num">`+strconv.Itoa(mine[0].Rank)+`</td>`) {
		t.Errorf("search: %s lost its rank %d among all communes", name, mine[0].Rank)
	}
	for bad, msg := range map[string]string{"district=BK": i18n.VI.T("err.district.invalid"), "q=" + strings.Repeat("a", searchMaxRunes+1): i18n.VI.T("err.search.long", searchMaxRunes)} {
		if status, _, body := get(t, app, "/rankings?kind=commune&period=2024-04&"+bad); status != 400 || !strings.Contains(html.UnescapeString(body), msg) {
			t.Errorf("%.30s: %d, want 400 saying %q", bad, status, msg)
		}
	}
}
