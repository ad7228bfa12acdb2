package export

import (
	"sort"
	"strings"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// Builders of the standard tables from the engine's results. Column keys
// follow the JSON API (docs/api.md): rank, unit_code, unit_name, total,
// band, the group codes, total_change, rank_change; counts follow the
// "Metric counts" import format, so a counts.csv can be imported again.

// SchemeLabel names a scheme version for the information sheet:
// "qd766 — Quyết định số 766/QĐ-TTg … (hiệu lực từ 01/07/2022)".
func SchemeLabel(s *scoring.Scheme) string {
	if s == nil {
		return ""
	}
	out := s.ID
	if s.LegalBasis != "" {
		out += " — " + s.LegalBasis
	}
	if !s.EffectiveFrom.IsZero() {
		out = vi("export.scheme.effective", out, s.EffectiveFrom.Format("02/01/2006"))
	}
	return out
}

// FileName is a download's ASCII file name: "rankings-agency-2024-04.xlsx".
func FileName(stem string, p scoring.Period, ext string) string {
	name := stem
	if !p.IsZero() {
		name += "-" + p.String()
	}
	return name + "." + ext
}

func kindSheet(k scoring.UnitKind) string {
	if k.Valid() {
		return i18n.VI.T("file.sheet.ranking." + string(k))
	}
	return i18n.VI.T("file.sheet.ranking")
}

// groupColumns are one Score column per group of the scheme, keyed by the
// group code as in the API's "groups" object.
func groupColumns(s *scoring.Scheme) []Column {
	var out []Column
	for _, g := range s.Groups {
		out = append(out, Column{Key: g.Code, Title: g.NameVI + " (" + present.Max(i18n.VI, g.Max) + ")", Kind: Score})
	}
	return out
}

// note explains a row that is not a plain score: no data, provisional, or
// metrics without counts.
func note(us *scoring.UnitScore) any {
	switch {
	case !us.HasData:
		return vi("export.note.no_data")
	case us.Provisional:
		return vi("export.note.provisional", us.MonthsCovered, len(us.Period.Months()))
	case us.Missing > 0:
		return i18n.VI.TN(us.Missing, "export.note.missing", us.Missing)
	}
	return nil
}

// scoreCells are the total, maximum, band and groups of a unit with data;
// empty cells for a unit without data, whose "total" would only be the sum
// of no-data rules.
func scoreCells(us *scoring.UnitScore, s *scoring.Scheme) []any {
	out := make([]any, 3+len(s.Groups))
	if !us.HasData {
		return out
	}
	out[0], out[1], out[2] = us.Total, us.MaxTotal, BandOf(us.Scheme, us.Band)
	for i, g := range s.Groups {
		if gs := us.Group(g.Code); gs != nil {
			out[3+i] = gs.Score
		}
	}
	return out
}

func rankCell(r scoring.Ranked) any {
	if r.Rank == 0 {
		return nil
	}
	return r.Rank
}

// rankOfCell is how many units the rank is among, empty when unranked.
func rankOfCell(r scoring.Ranked) any {
	if r.Rank == 0 {
		return nil
	}
	return r.RankOf
}

// The columns several tables share, with the API's keys.
var (
	colPeriod   = Column{Key: "period", Title: vi("export.col.period"), Kind: Text}
	colUnitCode = Column{Key: "unit_code", Title: vi("export.col.unit_code"), Kind: Text}
	colUnitName = Column{Key: "unit_name", Title: vi("export.col.unit_name"), Kind: Text}
	colKind     = Column{Key: "kind", Title: vi("export.col.kind"), Kind: Text}
	colRank     = Column{Key: "rank", Title: vi("export.col.rank"), Kind: Int}
	colRankOf   = Column{Key: "rank_of", Title: vi("export.col.rank_of"), Kind: Int}
	// changeColumns end every table of ranked units; changeCells fills them.
	changeColumns = []Column{
		{Key: "total_change", Title: vi("export.col.total_change"), Kind: Score},
		{Key: "rank_change", Title: vi("export.col.rank_change"), Kind: Int},
		{Key: "note", Title: vi("export.col.note"), Kind: Text},
	}
)

// NationalRank is a unit's rank as the national portal published it for
// the period, among every province of the country ("7/34"), stored as it
// came; "rank" and "rank_of" stay the rank among the units the database
// holds, which for provinces may be one or two.
type NationalRank struct{ Rank, RankOf int }

// The national rank's columns, with the API's keys.
var (
	colOfficialRank   = Column{Key: "official_rank", Title: vi("export.col.official_rank"), Kind: Int}
	colOfficialRankOf = Column{Key: "official_rank_of", Title: vi("export.col.official_rank_of"), Kind: Int}
)

// WithNationalRanks adds the national rank's two columns to t (a table
// with a unit_code column): the published rank of each row's unit, empty
// where none is known. They go after the columns the table had before
// them and before the portal's marks (officialColumns), which came later:
// a program reading the columns it knew by position reads them as before.
func WithNationalRanks(t Table, ranks map[string]NationalRank) Table {
	code, at := -1, len(t.Columns)
	for i, c := range t.Columns {
		if c.Key == colUnitCode.Key {
			code = i
		}
		if c.Key == officialColumns[0].Key && at == len(t.Columns) {
			at = i
		}
	}
	if code < 0 {
		return t
	}
	cols := make([]Column, 0, len(t.Columns)+2)
	cols = append(append(append(cols, t.Columns[:at]...), colOfficialRank, colOfficialRankOf), t.Columns[at:]...)
	t.Columns = cols
	rows := make([][]any, len(t.Rows))
	for i, r := range t.Rows {
		var rank, of any
		if c, ok := r[code].(string); ok {
			if n, ok := ranks[c]; ok {
				rank, of = n.Rank, n.RankOf
			}
		}
		row := make([]any, 0, len(r)+2)
		rows[i] = append(append(append(row, r[:at]...), rank, of), r[at:]...)
	}
	t.Rows = rows
	return t
}

// officialColumns are the portal's marks on a unit's scores, with the
// API's names, last in every table of units, so that a reader of the file
// tells the portal's published figures from our computation: official (the
// API's unit "official": some figures of the unit are the portal's),
// official_groups (the groups whose score is the portal's published one),
// official_only_groups (those the portal published without any counts
// behind them, "theo Cổng DVCQG, không có số liệu chi tiết") and a note in
// words for the reader of the workbook. officialCells fills them.
var officialColumns = []Column{
	{Key: "official", Title: vi("export.col.official"), Kind: Bool},
	{Key: "official_groups", Title: vi("export.col.official_groups"), Kind: GroupsKind},
	{Key: "official_only_groups", Title: vi("export.col.official_only_groups"), Kind: GroupsKind},
	{Key: "official_note", Title: vi("export.col.official_note"), Kind: Text},
}

// officialCells are a unit's marks of the portal's figures, group by group
// in the order of s (the table's scheme).
func officialCells(us *scoring.UnitScore, s *scoring.Scheme) []any {
	official := make(GroupFlags, len(s.Groups))
	only := make(GroupFlags, len(s.Groups))
	var names []string
	for i, g := range s.Groups {
		official[i] = GroupFlag{Code: g.Code, Name: g.NameVI}
		only[i] = GroupFlag{Code: g.Code, Name: g.NameVI}
		if gs := us.Group(g.Code); gs != nil {
			official[i].On, only[i].On = gs.Official, gs.OfficialOnly
			if gs.OfficialOnly {
				names = append(names, g.NameVI)
			}
		}
	}
	var words any
	if len(names) > 0 {
		words = vi("official.only.groups", strings.Join(names, ", "))
	}
	return []any{us.Official, official, only, words}
}

// WithOfficialNotes adds to the workbook's notes the words the pages use
// for the portal's figures when a table has some: that the scores shown
// are the portal's, and what the official_only_groups column means. A
// file passed on says it, not only the page it came from.
func WithOfficialNotes(wb Workbook) Workbook {
	official, title := false, ""
	var names []string
	seen := map[string]bool{}
	for _, t := range wb.Tables {
		for i, c := range t.Columns {
			for _, r := range t.Rows {
				switch v := r[i].(type) {
				case bool:
					official = official || (v && c.Key == officialColumns[0].Key)
				case GroupFlags:
					if c.Key != officialColumns[2].Key {
						continue
					}
					for _, f := range v {
						if f.On && !seen[f.Code] {
							seen[f.Code], title = true, c.Title
							names = append(names, f.Name)
						}
					}
				}
			}
		}
	}
	if official {
		wb.Meta.Notes = append(append([]string{}, wb.Meta.Notes...), vi("official.shown"))
	}
	if title != "" {
		wb.Meta.Notes = append(wb.Meta.Notes, vi("export.info.official_only", title, strings.Join(names, ", ")))
	}
	return wb
}

// scoreColumns are the total, maximum, band and one column per group:
// what scoreCells fills.
func scoreColumns(s *scoring.Scheme) []Column {
	return append([]Column{
		{Key: "total", Title: vi("export.col.total"), Kind: Score},
		{Key: "max_total", Title: vi("export.col.max"), Kind: Score},
		{Key: "band", Title: vi("export.col.band"), Kind: BandKind},
	}, groupColumns(s)...)
}

// changeCells are a ranked unit's change of total and rank and its note.
func changeCells(r scoring.Ranked) []any {
	return []any{r.TotalChange, r.RankChange, note(r.UnitScore)}
}

// RankingTable is the ranking of one kind (rows from PeriodScores.Ranking,
// s the period's scheme): rank, code, name, total, maximum, band, each
// group, change of total and of rank (positive = up), and a note; with a
// horizontal bar chart of the ranked units' totals.
func RankingTable(kind scoring.UnitKind, rows []scoring.Ranked, s *scoring.Scheme) Table {
	cols := append([]Column{colRank, colUnitCode, colUnitName}, scoreColumns(s)...)
	cols = append(append(cols, changeColumns...), officialColumns...)
	t := Table{Name: kindSheet(kind), Key: "rankings-" + string(kind), Columns: cols}
	ranked := 0
	for _, r := range rows {
		if r.Rank > 0 {
			ranked++
		}
		row := []any{rankCell(r), r.Unit.Code, r.Unit.Name}
		row = append(row, scoreCells(r.UnitScore, s)...)
		row = append(row, changeCells(r)...)
		row = append(row, officialCells(r.UnitScore, s)...)
		t.Rows = append(t.Rows, row)
	}
	if ranked > 0 {
		lo, hi := 0.0, 100.0
		t.Chart = &Chart{Title: vi("export.chart.total", present.Kind(i18n.VI, kind, rows[0].Period)), Category: 2, Values: []int{3}, Rows: ranked,
			Horizontal: true, Min: &lo, Max: &hi}
	}
	return t
}

// sourceVI words a metric's source for readers of the workbook.
func sourceVI(m scoring.MetricScore) string {
	switch m.Source {
	case scoring.SourceOwn:
		return vi("export.source.own")
	case scoring.SourceDerived:
		switch m.Derived {
		case scoring.DerivedDossier:
			return vi("export.source.dossiers")
		case scoring.DerivedMonths:
			return vi("export.source.months", m.Months, m.MonthsOf)
		case scoring.DerivedPool:
			return vi("export.source.units")
		}
		return vi("export.source.derived")
	case scoring.SourceProvince:
		return vi("export.source.province")
	}
	return vi("export.source.none")
}

func countsCells(c scoring.Counts) (any, any) {
	if !c.Valid {
		return nil, nil
	}
	return c.Num, c.Den
}

// UnitMetricsTable is every metric of one unit in one period, in scheme
// order: numerator, denominator, ratio, points, maximum, points lost, the
// source of the counts (the API's code and a Vietnamese wording) and
// whether the points are the portal's.
func UnitMetricsTable(us *scoring.UnitScore) Table {
	t := Table{Name: vi("export.sheet.metrics"), Key: "metrics", Columns: []Column{
		colPeriod,
		colUnitCode,
		{Key: "group", Title: vi("export.col.group"), Kind: Text},
		{Key: "metric", Title: vi("export.col.metric"), Kind: Text},
		{Key: "metric_name", Title: vi("export.col.metric_name"), Kind: Text},
		{Key: "numerator", Title: vi("export.col.numerator"), Kind: Int},
		{Key: "denominator", Title: vi("export.col.denominator"), Kind: Int},
		{Key: "ratio", Title: vi("export.col.ratio"), Kind: Percent},
		{Key: "points", Title: vi("export.col.points"), Kind: Score},
		{Key: "max", Title: vi("export.col.max"), Kind: Score},
		{Key: "lost", Title: vi("export.col.lost"), Kind: Score},
		{Key: "source", Title: vi("export.col.source"), Kind: Text},
		{Key: "source_note", Title: vi("export.col.source_note"), Kind: Text},
		// Whether the points are the portal's published ones, as the
		// API's metrics say: last, after the columns the table had.
		{Key: "official", Title: vi("export.col.official_points"), Kind: Bool},
	}}
	for _, g := range us.Groups {
		for _, m := range g.Metrics {
			n, d := countsCells(m.Counts)
			var ratio, points, mx, lost any
			if m.HasRatio {
				ratio = m.Ratio
			}
			if m.Scored {
				points, mx, lost = m.Points, m.Max, m.Lost()
			}
			t.Rows = append(t.Rows, []any{us.Period.String(), us.Unit.Code, g.Group.Code, m.Metric.Code, m.Metric.NameVI,
				n, d, ratio, points, mx, lost, string(m.Source), sourceVI(m), m.Official})
		}
	}
	return t
}

// UnitGroupsTable is the groups of one unit: score, maximum and the score
// as a share of the maximum; with a column chart of the scores.
func UnitGroupsTable(us *scoring.UnitScore) Table {
	t := Table{Name: vi("export.sheet.groups"), Key: "groups", Columns: []Column{
		colPeriod,
		colUnitCode,
		{Key: "group", Title: vi("export.col.group_code"), Kind: Text},
		{Key: "group_name", Title: vi("export.col.group_name"), Kind: Text},
		{Key: "score", Title: vi("export.col.points"), Kind: Score},
		{Key: "max", Title: vi("export.col.max"), Kind: Score},
		{Key: "ratio", Title: vi("export.col.ratio_achieved"), Kind: Percent},
		// The portal's marks of the group, as the API's groups have them:
		// last, after the columns the table had before them.
		{Key: "official", Title: vi("export.col.official_points"), Kind: Bool},
		{Key: "official_only", Title: vi("export.col.official_only"), Kind: Bool},
		{Key: "official_note", Title: vi("export.col.official_note"), Kind: Text},
	}}
	for _, g := range us.Groups {
		var ratio, words any
		if r, ok := scoring.Ratio(int64(g.Score), int64(g.Max)); ok {
			ratio = r
		}
		if g.OfficialOnly {
			words = vi("official.only")
		}
		t.Rows = append(t.Rows, []any{us.Period.String(), us.Unit.Code, g.Group.Code, g.Group.NameVI, g.Score, g.Max, ratio,
			g.Official, g.OfficialOnly, words})
	}
	if len(t.Rows) > 0 {
		t.Chart = &Chart{Title: vi("export.chart.groups", us.Unit.Name), Category: 3, Values: []int{4, 5}}
	}
	return t
}

// UnitSummaryTable is one row: the unit, its total, band and rank.
func UnitSummaryTable(r scoring.Ranked) Table {
	s := r.Scheme
	cols := append([]Column{colPeriod, colUnitCode, colUnitName, colKind}, scoreColumns(s)...)
	cols = append(cols, colRank, colRankOf)
	cols = append(append(cols, changeColumns...), officialColumns...)
	row := []any{r.Period.String(), r.Unit.Code, r.Unit.Name, present.Kind(i18n.VI, r.Unit.Kind, r.Period)}
	row = append(row, scoreCells(r.UnitScore, s)...)
	row = append(row, rankCell(r), rankOfCell(r))
	row = append(row, changeCells(r)...)
	row = append(row, officialCells(r.UnitScore, s)...)
	return Table{Name: vi("export.sheet.summary"), Key: "summary", Columns: cols, Rows: [][]any{row}}
}

// ScoresTable is the open data's scores.csv: every unit of the province
// (every unit when province is ""), kind by kind, in ranking order, with
// its kind and parent so the file stands alone.
func ScoresTable(cur, prev *scoring.PeriodScores, province string) Table {
	s := cur.Scheme
	cols := []Column{colPeriod, colUnitCode, colUnitName, colKind,
		{Key: "parent_code", Title: vi("export.col.parent_code"), Kind: Text}, colRank, colRankOf}
	cols = append(cols, scoreColumns(s)...)
	cols = append(append(cols, changeColumns...), officialColumns...)
	t := Table{Name: vi("export.sheet.scores"), Key: "scores", Columns: cols}
	for _, k := range scoring.UnitKinds {
		// Provinces are ranked against provinces: with a province filter
		// the province itself is still listed, ranked among all provinces.
		prov := province
		if k == scoring.KindProvince {
			prov = ""
		}
		for _, r := range cur.Ranking(k, prov, prev) {
			if k == scoring.KindProvince && province != "" && r.Unit.Code != province {
				continue
			}
			row := []any{cur.Period.String(), r.Unit.Code, r.Unit.Name, string(r.Unit.Kind), r.Unit.ParentCode, rankCell(r), rankOfCell(r)}
			row = append(row, scoreCells(r.UnitScore, s)...)
			row = append(row, changeCells(r)...)
			row = append(row, officialCells(r.UnitScore, s)...)
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// CountsTable is the counts the period's scores used, in the "Metric
// counts" import format (period,unit_code,metric,numerator,denominator), so
// the file can be imported again. It lists the counts supplied for each
// unit itself (source "own", including rows with empty counts); with
// derived, also the counts the engine derived for the unit (from dossiers,
// months, or a province's pool). Values inherited from the province are
// never listed: the province's own row carries them. Re-importing a derived
// row makes it supplied counts with the same value, hence the same scores.
// Rows are ordered by kind (province first), unit code, then scheme order.
func CountsTable(ps *scoring.PeriodScores, province string, derived bool) Table {
	t := Table{Name: vi("export.sheet.counts"), Key: "counts", Columns: []Column{
		colPeriod,
		colUnitCode,
		{Key: "metric", Title: vi("export.col.metric"), Kind: Text},
		{Key: "numerator", Title: vi("export.col.numerator"), Kind: Int},
		{Key: "denominator", Title: vi("export.col.denominator"), Kind: Int},
	}}
	kindIdx := map[scoring.UnitKind]int{}
	for i, k := range scoring.UnitKinds {
		kindIdx[k] = i
	}
	var units []*scoring.UnitScore
	for _, us := range ps.Units {
		if province == "" || us.Province == province {
			units = append(units, us)
		}
	}
	sort.Slice(units, func(i, j int) bool {
		a, b := units[i].Unit, units[j].Unit
		if a.Kind != b.Kind {
			return kindIdx[a.Kind] < kindIdx[b.Kind]
		}
		return a.Code < b.Code
	})
	p := ps.Period.String()
	for _, us := range units {
		for _, g := range us.Groups {
			for _, m := range g.Metrics {
				if m.Source != scoring.SourceOwn && !(derived && m.Source == scoring.SourceDerived) {
					continue
				}
				// A unit outside its days in the period (a commune merged
				// in the middle of the year) keeps the counts supplied for
				// it, so that the file imports again, but nothing derived:
				// the period is its successors'.
				if !us.Exists && m.Source != scoring.SourceOwn {
					continue
				}
				n, d := countsCells(m.Counts)
				t.Rows = append(t.Rows, []any{p, us.Unit.Code, m.Metric.Code, n, d})
			}
		}
	}
	return t
}

// withDefaults fills a workbook's period and scheme from the scores.
func withDefaults(meta Meta, ps *scoring.PeriodScores) Meta {
	if meta.Period.IsZero() {
		meta.Period = ps.Period
	}
	if meta.Scheme == "" {
		meta.Scheme = SchemeLabel(ps.Scheme)
	}
	return meta
}

// RankingWorkbook is the workbook of the rankings page: one kind, one
// period (prev, the previous period of the same kind, may be nil).
func RankingWorkbook(cur, prev *scoring.PeriodScores, kind scoring.UnitKind, province string, meta Meta) Workbook {
	meta = withDefaults(meta, cur)
	if meta.Title == "" {
		meta.Title = kindSheet(kind) + " — " + present.Period(i18n.VI, cur.Period)
	}
	return WithOfficialNotes(Workbook{Meta: meta, Tables: []Table{RankingTable(kind, cur.Ranking(kind, province, prev), cur.Scheme)}})
}

// OverviewWorkbook is the workbook of a province's overview: the
// province's groups and metrics, then the ranking of every kind that has
// units in the province.
func OverviewWorkbook(cur, prev *scoring.PeriodScores, province string, meta Meta) Workbook {
	meta = withDefaults(meta, cur)
	wb := Workbook{Meta: meta}
	if us := cur.Unit(province); us != nil {
		if wb.Meta.Title == "" {
			wb.Meta.Title = vi("export.title.overview", us.Unit.Name, present.Period(i18n.VI, cur.Period))
		}
		wb.Tables = append(wb.Tables, UnitGroupsTable(us), UnitMetricsTable(us))
	}
	for _, k := range scoring.UnitKinds[1:] {
		if rows := cur.Ranking(k, province, prev); len(rows) > 0 {
			wb.Tables = append(wb.Tables, RankingTable(k, rows, cur.Scheme))
		}
	}
	return WithOfficialNotes(wb)
}

// UnitWorkbook is the workbook of a unit's page: its summary (with rank,
// from the unit's row of PeriodScores.Ranking), groups and metrics.
func UnitWorkbook(r scoring.Ranked, meta Meta) Workbook {
	if meta.Period.IsZero() {
		meta.Period = r.Period
	}
	if meta.Scheme == "" {
		meta.Scheme = SchemeLabel(r.Scheme)
	}
	if meta.Title == "" {
		meta.Title = r.Unit.Name + " — " + present.Period(i18n.VI, r.Period)
	}
	return WithOfficialNotes(Workbook{Meta: meta, Tables: []Table{UnitSummaryTable(r), UnitGroupsTable(r.UnitScore), UnitMetricsTable(r.UnitScore)}})
}

// OpenDataWorkbook is the open data of one period: scores and counts
// (with derived counts, the complete picture a journalist needs).
func OpenDataWorkbook(cur, prev *scoring.PeriodScores, province string, meta Meta) Workbook {
	return OpenDataWorkbookOf(cur, ScoresTable(cur, prev, province), province, meta)
}

// OpenDataWorkbookOf is OpenDataWorkbook over a scores table already built
// (with the national ranks, WithNationalRanks).
func OpenDataWorkbookOf(cur *scoring.PeriodScores, scores Table, province string, meta Meta) Workbook {
	meta = withDefaults(meta, cur)
	if meta.Title == "" {
		meta.Title = vi("export.title.open_data", present.Period(i18n.VI, cur.Period))
	}
	return WithOfficialNotes(Workbook{Meta: meta, Tables: []Table{scores, CountsTable(cur, province, true)}})
}

// vi is a download's word: the files are Vietnamese, as the offices that
// read them, and their words live in the catalogue as every other.
func vi(key string, args ...any) string { return i18n.VI.T(key, args...) }
