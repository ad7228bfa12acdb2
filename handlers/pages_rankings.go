package handlers

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// rankingsPage is the full ranking of one kind of unit, every group a
// column, sortable on the server so it works without JavaScript.
type rankingsPage struct {
	site.Layout
	Period    periodView
	Kind      scoring.UnitKind
	KindLabel string
	KindLower string // the kind inside a sentence, in the page language
	Province  *unitRef
	// District and Search narrow a commune ranking; Districts are the
	// districts of the period to choose from.
	District, Search string
	Districts        []site.Option
	Columns          []column
	Rows             []rankRow
	NoData           []rankRow
	Groups           []groupHead
	SortLabel        string
	// AsOf and DayMovers: a running period followed day by day from the
	// portal, for one province (portal_days.go); nil otherwise.
	AsOf      *asOfView
	DayMovers *dayMoversView
	// Map is the communes' map (pages_map.go); nil for other kinds or
	// without boundaries.
	Map *mapView
	// KindGone says why the kind asked for is not shown: it does not exist
	// in the period.
	KindGone string
	// Ranked and Unranked count the units with and without data of the
	// whole ranking (every page), in the page's number format.
	Ranked, Unranked string
	// Provinces narrow a ranking of the whole country to one province
	// (nil with one province); National says the ranking is the
	// country's, each row naming its province.
	Provinces []site.Option
	National  bool
	// Pager links the pages of a long ranking (nil when it fits one);
	// PageGone says the page asked for is beyond the last.
	Pager    *rankPager
	PageGone string
	// HeldHint says, in a ranking of provinces, that its ranks are among
	// the provinces the database holds, not the country's; OfficialCol
	// adds the national rank the portal published where it is known.
	HeldHint    string
	OfficialCol bool
}

// groupHead names a group column.
type groupHead struct {
	Code, Name string // Name in the page's language
	Max        scoring.Cents
}

// column is one sortable header cell.
type column struct {
	Key      string
	Label    string
	Title    string // full name when Label is an abbreviation
	URL      string // link that sorts by this column
	AriaSort string // ascending, descending or "" when not sorted by it
	Numeric  bool
	Sticky   bool
	// Plain columns are not sortable (the band follows the total).
	Plain bool
}

// sortKey is a parsed ?sort=: a column key and a direction ("-" prefix for
// descending).
type sortKey struct {
	key  string
	desc bool
}

func (s sortKey) String() string {
	if s.desc {
		return "-" + s.key
	}
	return s.key
}

// naturalDesc says which columns sort from the largest first when clicked:
// scores and rank rises, not ranks or names.
func naturalDesc(key string) bool { return key != "rank" && key != "name" }

func (h *handler) rankings(c *fiber.Ctx) error {
	v, err := h.rankingsView(c)
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "rankings", v)
}

func (h *handler) rankingsView(c *fiber.Ctx) (*rankingsPage, error) {
	e, err := h.loadEnv(c)
	if err != nil {
		return nil, err
	}
	kinds := unitKindsIn(e.eng, e.period)
	kind := scoring.KindAgency
	var gone string
	if q := c.Query("kind"); q != "" {
		kind = scoring.UnitKind(q)
		if !kind.Valid() {
			return nil, site.BadRequest("err.kind.choose")
		}
		if len(kinds) > 0 && !containsKind(kinds, kind) {
			// A kind that does not exist in the period (districts after
			// 01/07/2025), kept in the form when the period changed:
			// the ranking of a kind that does, with a word why.
			key := "rankings.kind.gone"
			if kind == scoring.KindDistrict {
				key += ".district"
			}
			gone = e.lang.T(key, present.Kind(e.lang, kind, e.period), present.Period(e.lang, e.period))
			kind = ""
		}
	}
	if len(kinds) > 0 && !containsKind(kinds, kind) {
		kind = kinds[0]
		if containsKind(kinds, scoring.KindAgency) {
			kind = scoring.KindAgency
		}
	}
	var prov *unitRef
	province := c.Query("province")
	if province != "" {
		u, ok := e.eng.Unit(province)
		if !ok || u.Kind != scoring.KindProvince {
			return nil, site.BadRequest("err.province.invalid")
		}
		r := unitRef{Code: u.Code, Name: u.Name, URL: site.ProvinceURL(u.Code, e.period)}
		prov = &r
	}
	page, err := parseRankPage(c.Query("page"))
	if err != nil {
		return nil, err
	}
	// A commune ranking narrows to a district's communes (for the periods
	// districts existed in) and to names containing a search, accents
	// and case ignored.
	district, search := "", ""
	if kind == scoring.KindCommune {
		if district = c.Query("district"); district != "" {
			u, ok := e.eng.Unit(district)
			if !ok || u.Kind != scoring.KindDistrict {
				return nil, site.BadRequest("err.district.invalid")
			}
			// A district left chosen in the form when another province
			// was picked: the province's ranking, not an empty one.
			if province != "" && e.eng.ProvinceOf(district) != province {
				district = ""
			}
		}
		if search = strings.TrimSpace(c.Query("q")); len([]rune(search)) > searchMaxRunes {
			return nil, site.BadRequest("err.search.long", searchMaxRunes)
		}
	}
	scheme := h.Scores.Schemes().For(e.period)
	if e.period.IsZero() {
		scheme = h.Scores.Schemes().Latest()
	}
	sk, err := parseSort(c.Query("sort"), scheme)
	if err != nil {
		return nil, err
	}

	keep := []site.Hidden{}
	if province != "" {
		keep = append(keep, site.Hidden{Name: "province", Value: province})
	}
	if c.Query("sort") != "" {
		keep = append(keep, site.Hidden{Name: "sort", Value: sk.String()})
	}
	if district != "" {
		keep = append(keep, site.Hidden{Name: "district", Value: district})
	}
	if search != "" {
		keep = append(keep, site.Hidden{Name: "q", Value: search})
	}
	v := &rankingsPage{Kind: kind, KindLabel: present.Kind(e.lang, kind, e.period), KindLower: present.KindLower(e.lang, kind, e.period), Province: prov, KindGone: gone}
	v.Layout = h.newLayout(e, e.lang.T("ranking.title", present.KindLower(e.lang, kind, e.period)), "rankings", "/rankings", keep)
	for _, k := range kinds {
		v.Layout.Selector.Kinds = append(v.Layout.Selector.Kinds, site.Option{Value: string(k), Label: present.Kind(e.lang, k, e.period), Selected: k == kind})
	}
	for _, g := range scheme.Groups {
		v.Groups = append(v.Groups, groupHead{Code: g.Code, Name: present.Name(e.lang, g.NameVI, g.NameEN), Max: g.Max})
	}
	// query is the ranking's own query: kind, period and filters, the
	// sort and the page added by each link.
	query := func() url.Values {
		q := url.Values{}
		q.Set("kind", string(kind))
		if e.explicit {
			q.Set("period", e.period.String())
		}
		if province != "" {
			q.Set("province", province)
		}
		if district != "" {
			q.Set("district", district)
		}
		if search != "" {
			q.Set("q", search)
		}
		return q
	}
	// Sorting starts again from the first page.
	v.Columns = rankingColumnsL(e.lang, scheme, sk, func(s sortKey) string {
		q := query()
		q.Set("sort", s.String())
		return "/rankings?" + q.Encode()
	})
	pageLink := func(n int) string {
		q := query()
		if c.Query("sort") != "" {
			q.Set("sort", sk.String())
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return "/rankings?" + q.Encode()
	}
	if e.period.IsZero() {
		return v, nil
	}
	ps, prev, err := h.rankingScores(c, e, e.period)
	if err != nil {
		return nil, err
	}
	v.Period = newPeriodView(e.period, e, nil)
	link := site.UnitURL
	if kind == scoring.KindProvince {
		link = site.ProvinceURL
	}
	v.District, v.Search = district, search
	if kind != scoring.KindProvince {
		v.Provinces = provinceOptions(e.eng, e.period, province)
	}
	v.National = province == "" && v.Provinces != nil
	// The districts to choose from are one province's: the whole
	// country's would be some 700.
	if kind == scoring.KindCommune && !v.National {
		for _, u := range e.eng.Units() {
			if u.Kind == scoring.KindDistrict && u.ExistsIn(e.period) && (province == "" || u.ParentCode == province) {
				v.Districts = append(v.Districts, site.Option{Value: u.Code, Label: u.Name, Selected: u.Code == district})
			}
		}
	}
	provinceName := map[string]string{}
	for _, o := range v.Provinces {
		provinceName[o.Value] = o.Label
	}
	var official map[string]site.OfficialRank
	if kind == scoring.KindProvince {
		if official, err = h.OfficialRanks(c, e.period); err != nil {
			return nil, err
		}
	}
	fold := scoring.Fold(search)
	// The rows of the page shown only are made (a national ranking is
	// some 3 400 communes, a page 100 of them): the others are sorted,
	// counted and cut as they are.
	var ranked, unranked []scoring.Ranked
	for _, r := range ps.Ranking(kind, province, prev) {
		if (district != "" && r.Unit.ParentCode != district) || (fold != "" && !strings.Contains(scoring.Fold(r.Unit.Name), fold)) {
			continue
		}
		if _, ok := official[r.Unit.Code]; ok {
			v.OfficialCol = true
		}
		if r.Rank == 0 {
			unranked = append(unranked, r)
			continue
		}
		if r.Provisional {
			v.Period.Provisional, v.Period.Covered = true, r.MonthsCovered
		}
		ranked = append(ranked, r)
	}
	sortRanked(ranked, sk, scheme, ps.Scheme)
	if kind == scoring.KindProvince {
		v.heldRanks(e.lang, e.period, len(ranked)+len(unranked))
	}
	v.Ranked, v.Unranked = present.Int(e.lang, int64(len(ranked))), ""
	if len(unranked) > 0 {
		v.Unranked = present.Int(e.lang, int64(len(unranked)))
	}
	ranked, unranked, v.Pager, v.PageGone = pageRows(e.lang, ranked, unranked, page, pageLink)
	rows := func(list []scoring.Ranked) []rankRow {
		var out []rankRow
		for _, r := range list {
			row := newRankRow(e.lang, r, ps.Scheme, e.period, link)
			if v.National {
				row.Province = provinceName[r.Province]
			}
			if o, ok := official[r.Unit.Code]; ok {
				row.Official = &o
			}
			out = append(out, row)
		}
		return out
	}
	v.Rows, v.NoData = rows(ranked), rows(unranked)
	if v.Pager != nil {
		q := query()
		if c.Query("sort") != "" {
			q.Set("sort", sk.String())
		}
		for _, k := range []string{"kind", "period", "province", "district", "q", "sort"} {
			if val := q.Get(k); val != "" {
				v.Pager.Keep = append(v.Pager.Keep, site.Hidden{Name: k, Value: val})
			}
		}
		if e.lang != i18n.Default {
			v.Pager.Keep = append(v.Pager.Keep, site.Hidden{Name: "lang", Value: string(e.lang)})
		}
	}
	if err := h.rankingDays(c, e, v, province); err != nil {
		return nil, err
	}
	if kind == scoring.KindCommune {
		mp := province
		if ps := e.eng.ProvincesIn(e.period); mp == "" && len(ps) == 1 {
			mp = ps[0].Code
		}
		if mp != "" {
			if v.Map, err = h.unitMap(c, e, mp, ps); err != nil {
				return nil, err
			}
			if v.Map != nil && v.Layout.ECharts == "" {
				v.Layout.ECharts = v.Map.Chart.Script
			}
		}
	}
	return v, nil
}

// unitKinds lists the kinds present in the data, in display order.
func unitKinds(eng *scoring.Engine) []scoring.UnitKind {
	return unitKindsIn(eng, scoring.Period{})
}

// unitKindsIn lists the kinds of the units existing in period p (every
// unit when p is zero), in display order: no districts after 01/07/2025.
func unitKindsIn(eng *scoring.Engine, p scoring.Period) []scoring.UnitKind {
	seen := map[scoring.UnitKind]bool{}
	provinces := 0
	for _, u := range eng.Units() {
		if !p.IsZero() && !u.ExistsIn(p) {
			continue
		}
		seen[u.Kind] = true
		if u.Kind == scoring.KindProvince {
			provinces++
		}
	}
	var out []scoring.UnitKind
	for _, k := range scoring.UnitKinds {
		// One province ranked against itself says nothing.
		if k == scoring.KindProvince && provinces < 2 {
			continue
		}
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

func containsKind(list []scoring.UnitKind, k scoring.UnitKind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

// parseSort validates ?sort=: rank, name, total, change or a group code,
// optionally prefixed with "-" for descending.
func parseSort(q string, s *scoring.Scheme) (sortKey, error) {
	if q == "" {
		return sortKey{key: "rank"}, nil
	}
	sk := sortKey{key: strings.TrimPrefix(q, "-"), desc: strings.HasPrefix(q, "-")}
	switch sk.key {
	case "rank", "name", "total", "change":
		return sk, nil
	}
	if s.Group(sk.key) != nil {
		return sk, nil
	}
	return sortKey{}, site.BadRequest("err.sort")
}

// rankingColumnsL are the sortable header cells of the rankings, in
// language l; link is the URL that sorts by a key.
func rankingColumnsL(l i18n.Lang, s *scoring.Scheme, cur sortKey, link func(sortKey) string) []column {
	// Rank, name, total and band come first: on a phone they are what
	// fits the screen, and the group columns scroll beside them.
	cols := []column{
		{Key: "rank", Label: l.T("col.rank"), Numeric: true},
		{Key: "name", Label: l.T("col.unit"), Sticky: true},
		{Key: "total", Label: l.T("col.total"), Numeric: true},
		{Key: "band", Label: l.T("col.band"), Plain: true},
		{Key: "change", Label: l.T("col.change"), Title: l.T("col.rankchange.title"), Numeric: true},
	}
	for _, g := range s.Groups {
		cols = append(cols, column{Key: g.Code, Label: g.Code, Title: l.T("col.group.title", present.Name(l, g.NameVI, g.NameEN), present.Max(l, g.Max)), Numeric: true})
	}
	for i := range cols {
		if cols[i].Plain {
			continue
		}
		next := sortKey{key: cols[i].Key, desc: naturalDesc(cols[i].Key)}
		if cols[i].Key == cur.key {
			cols[i].AriaSort = "ascending"
			if cur.desc {
				cols[i].AriaSort = "descending"
			}
			next.desc = !cur.desc
		}
		cols[i].URL = link(next)
	}
	return cols
}

// vietnamese orders names as Vietnamese readers expect (Đ after D, tones
// after the base letter), not by UTF-8 bytes.
var vietnamese = language.Vietnamese

// sortRanked sorts a ranking's ranked rows by sk as their table shows them:
// the group of sk is found in s, its score in each row's groups as shown
// (shown: the scheme of the scores ranked; 0 for a group a row lacks).
func sortRanked(rows []scoring.Ranked, sk sortKey, s, shown *scoring.Scheme) {
	col := collate.New(vietnamese)
	gi := -1
	for i, g := range s.Groups {
		if g.Code == sk.key {
			gi = i
		}
	}
	group := func(r scoring.Ranked) scoring.Cents {
		if gs := r.Group(shown.Groups[gi].Code); gs != nil {
			return gs.Score
		}
		return 0
	}
	delta := func(r scoring.Ranked) int {
		if r.RankChange != nil {
			return *r.RankChange
		}
		return 0
	}
	cmp := func(a, b scoring.Ranked) int {
		switch sk.key {
		case "name":
			return col.CompareString(a.Unit.Name, b.Unit.Name)
		case "total":
			return compareCents(a.Total, b.Total)
		case "change":
			return delta(a) - delta(b)
		case "rank":
			return a.Rank - b.Rank
		}
		if gi >= 0 && gi < len(shown.Groups) {
			return compareCents(group(a), group(b))
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool {
		c := cmp(rows[i], rows[j])
		if sk.desc {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
		// Ties keep the ranking order (rank, then name).
		return rows[i].Rank < rows[j].Rank
	})
}

func compareCents(a, b scoring.Cents) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// heldRanks labels a ranking of provinces for what it is: a rank among
// the one or two provinces an office's database holds, which a reader
// would otherwise take for the national rank the portal publishes
// ("xếp thứ 17/63"); that rank gets a column of its own where known.
func (p *rankingsPage) heldRanks(l i18n.Lang, period scoring.Period, n int) {
	if len(p.Columns) == 0 {
		return
	}
	p.Columns[0].Label, p.Columns[0].Title = l.T("rankings.province.held"), l.T("rankings.province.held.title")
	p.HeldHint = l.T("rankings.province.hint", present.Int(l, int64(n)), nationalField(period))
	if p.OfficialCol {
		p.HeldHint += " " + l.T("rankings.province.hint.official")
		cols := append([]column{}, p.Columns[:2]...)
		cols = append(cols, column{Key: "official", Label: l.T("rankings.province.official"), Numeric: true, Plain: true})
		p.Columns = append(cols, p.Columns[2:]...)
	}
}

// ColSpan is the number of columns of the table.
func (p *rankingsPage) ColSpan() int { return len(p.Columns) }

// rankingDays adds the running period's notice and every unit's change
// since the day and the week before, when the ranking is one province's.
func (h *handler) rankingDays(c *fiber.Ctx, e *env, v *rankingsPage, province string) error {
	if v.Kind == scoring.KindProvince || len(v.Rows) == 0 {
		return nil
	}
	if province == "" {
		ps := e.eng.ProvincesIn(e.period)
		if len(ps) != 1 {
			return nil
		}
		province = ps[0].Code
	}
	run, err := h.running(c, e.period, province)
	if err != nil {
		return err
	}
	v.AsOf = newAsOf(e.lang, run)
	v.DayMovers, err = h.dayMovers(c, e, run, v.Kind)
	return err
}
