package i18n

import (
	"regexp"
	"strings"
	"testing"
)

// countedNoun is an English count followed by a plural noun ("%d units",
// "%s more problems", "%[2]s rows"), or a noun written "unit(s)".
var countedNoun = regexp.MustCompile(`%(\[\d+\])?[ds] (more |other |new |published |smaller |derived |dossier |existing child )?` +
	`(units|rows|periods|months|metrics|problems|warnings|changes|places|days|agencies|communes|provinces|dossiers|captures|records|errors|` +
	`quarters|years|differences|requests|files|pages|counts|minutes|groups|characters|bytes|tables)\b|\w\(s\)`)

// neverOne are the English messages whose counted noun cannot be one
// thing, with the reason; any other counted noun needs a one form.
var neverOne = map[string]string{
	"admin.users.password.hint":   "the minimum length of a password (at least 8)",
	"auth.password.long":          "the maximum length of a password",
	"auth.password.short":         "the minimum length of a password",
	"cli.user.pw.prompt":          "the minimum length of a password",
	"err.search.long":             "the maximum length of a search",
	"file.import.reason":          "the bounds of a correction's reason",
	"staff.import.err.reason":     "the bounds of a correction's reason",
	"staff.import.reason.hint":    "the minimum length of a correction's reason",
	"file.cell.long":              "the longest cell read",
	"file.code.long":              "the longest code read",
	"file.name.long":              "the longest name read",
	"file.xlsx.cell_long":         "the longest cell read",
	"file.xlsx.rows":              "the most rows of a sheet read",
	"file.xlsx.text_long":         "the longest text read",
	"portal.problem.longname":     "the longest unit name read",
	"portal.problem.toomanyfiles": "the most files of a capture read",
	"auth.login.ratelimit":        "the sign-in lockout, 15 minutes",
	"caption.groups":              "the scheme's groups (6)",
	"chart.groups.desc":           "the scheme's groups (6)",
	"unit.metrics.caption":        "the scheme's metrics (21)",
	"national.field":              "the country's provinces (34 or 63)",
	"rankings.province.hint":      "the country's provinces (34 or 63)",
	"period.covered":              "the months of a quarter, half-year or year (3, 6, 12)",
	"period.provisional.title":    "the months of a quarter, half-year or year (3, 6, 12)",
	"derived.months.of":           "the months of a quarter, half-year or year (3, 6, 12)",
	"export.note.provisional":     "the months of a quarter, half-year or year (3, 6, 12)",
	"export.source.months":        "the months of a quarter, half-year or year (3, 6, 12)",
	"ranking.caption.top":         "a top list is shown only for more units than it holds",
	"ranking.more":                "offered only for more units than the top list holds",
	"chart.lineage.desc":          "a lineage links two or more units over many months",
	"chart.lineage.ranks":         "a lineage links two or more units over many months",
	"staff.import.progress.rate":  "a rate (rows per second), not a count",
	"cli.progress.rows":           "shown every few thousand rows",
	"cli.gen.done":                "the generator writes thousands of dossiers over several months",
	"cli.gencountry.done":         "the country: 34 provinces, thousands of units and rows",
	"cli.demo.removed":            "the demo data: dozens of units, many periods",
	"db.migrate.done":             "a database has dozens of tables and rows",
	"portal.problem.pagination":   "quotes the invalid figures of a portal answer",
	"portal.report.done":          "a capture holds a province's units and groups (dozens)",
}

// Every English message that counts a noun has its one form ("1 unit",
// not "1 units"), unless the count cannot be one; and no message writes
// "unit(s)".
func TestEnglishCountsHaveOneForm(t *testing.T) {
	for _, k := range Keys(EN) {
		if strings.HasSuffix(k, ".one") || strings.HasPrefix(k, "weekdoc.") || strings.HasPrefix(k, "reportdoc.") {
			// The report documents are drawn up in Vietnamese only.
			continue
		}
		m, _ := Message(EN, k)
		if strings.Contains(m, "(s)") {
			t.Errorf("%s writes a noun as “(s)”: %q", k, m)
		}
		if !countedNoun.MatchString(m) {
			if _, listed := neverOne[k]; listed {
				t.Errorf("%s is listed as never counting one thing but counts no noun: %q", k, m)
			}
			continue
		}
		_, one := Message(EN, k+".one")
		_, never := neverOne[k]
		switch {
		case one && never:
			t.Errorf("%s has a one form but is listed as never counting one thing", k)
		case !one && !never:
			t.Errorf("%s counts a noun without its one form %s.one: %q", k, k, m)
		}
	}
}

// One thing is counted in the singular in English, two in the plural; the
// Vietnamese message is the same for both.
func TestTNAndCount(t *testing.T) {
	for _, c := range []struct {
		l    Lang
		n    int
		got  string
		want string
	}{
		{EN, 1, EN.TN(1, "search.found", 1), "1 unit found"},
		{EN, 2, EN.TN(2, "search.found", 2), "2 units found"},
		{VI, 1, VI.TN(1, "search.found", 1), VI.T("search.found", 1)},
		{EN, 1, EN.Count(1, "periods", "1"), "1 period"},
		{EN, 3, EN.Count(3, "periods", "3"), "3 periods"},
		{VI, 1, VI.Count(1, "units", "1"), "1 đơn vị"},
		{EN, 1, EN.T("staff.import.changes.lead", EN.Count(1, "units", "1"), EN.Count(1, "periods", "1")),
			"The file changes the total of 1 unit in 1 period (against the figures held now, drafts included): the total now → after the import."},
	} {
		if c.got != c.want {
			t.Errorf("%s, %d: %q, want %q", c.l, c.n, c.got, c.want)
		}
	}
}
