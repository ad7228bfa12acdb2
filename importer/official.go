package importer

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// maxRankOf bounds rank_of: Vietnam has 63 provinces (34 after the 2025
// merger); a larger number is a typing mistake, not a ranking.
const maxRankOf = 1000

type officialKey struct{ period, unit string }

// totalRe is a total as the portal prints it in machine form: digits,
// then optionally a dot and digits (the number of decimals is checked
// apart, for a clearer message).
var totalRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// officialCheck validates a file of the results the national portal
// published (period,unit_code,total,rank,rank_of). The figures are copied
// from the portal, not computed, so the checks are strict: a canonical
// period, a known province, a total as the portal prints it (0–100, at
// most two decimals, a dot for the decimal point) and 1 ≤ rank ≤ rank_of.
type officialCheck struct {
	im *Importer
	ps *tabular.Problems
	// db holds the units with their days, as the engine sees them.
	db   map[string]scoring.Unit
	seen map[officialKey]int
	out  []store.OfficialResult
}

func (im *Importer) newOfficialCheck(ctx context.Context, ps *tabular.Problems) (*officialCheck, error) {
	db, _, err := im.unitsOverTime(ctx)
	if err != nil {
		return nil, err
	}
	return &officialCheck{im: im, ps: ps, db: db, seen: map[officialKey]int{}}, nil
}

func (c *officialCheck) row(r fields) {
	ok := true
	bad := func(col, key string, args ...any) { c.ps.Add(r.n, col, key, args...); ok = false }

	period := r.get("period")
	p, err := scoring.ParsePeriod(period)
	periodOK := false
	if period == "" {
		bad("period", "file.period.empty")
	} else if err != nil || p.String() != period {
		if shortMonthRe.MatchString(period) {
			bad("period", "file.official.period.month", tabular.Quote(period))
		} else {
			bad("period", "file.official.period.bad", tabular.Quote(period))
		}
	} else {
		periodOK = true
	}

	unit := r.get("unit_code")
	if u, found := c.db[unit]; unit == "" {
		bad("unit_code", "file.unit_code.empty")
	} else if !found {
		bad("unit_code", "file.official.unit.unknown", tabular.Quote(unit))
	} else if u.Kind != scoring.KindProvince {
		bad("unit_code", "file.official.unit.province", tabular.Quote(unit))
	} else if periodOK {
		// A province merged into another has no results after it.
		if why := outside(u, p); why.Key != "" {
			bad("unit_code", why.Key, why.Args...)
		}
	}

	var total scoring.Cents
	switch s := r.get("total"); {
	case s == "":
		bad("total", "file.official.total.empty")
	case negativeRe.MatchString(s):
		bad("total", "file.official.total.negative", tabular.Quote(s))
	case strings.ContainsAny(s, ", \u00A0"):
		bad("total", "file.official.total.comma", tabular.Quote(s))
	case !totalRe.MatchString(s):
		bad("total", "file.official.total.nan", tabular.Quote(s))
	case strings.Contains(s, ".") && len(s)-strings.IndexByte(s, '.')-1 > 2:
		bad("total", "file.official.total.decimals", tabular.Quote(s))
	default:
		cents, err := scoring.ParseCents(s)
		switch {
		case err != nil:
			bad("total", "file.official.total.unreadable", tabular.Quote(s))
		case cents > 100*100:
			bad("total", "file.official.total.range", tabular.Quote(s))
		default:
			total = cents
		}
	}

	rank, rankOK := parseRank(r, "rank", bad)
	rankOf, rankOfOK := parseRank(r, "rank_of", bad)
	if rankOK && rankOfOK && rank > rankOf {
		bad("rank", "file.official.rank.above", rank, rankOf)
	}

	if !ok {
		return
	}
	k := officialKey{period, unit}
	if first, dup := c.seen[k]; dup {
		c.ps.Add(r.n, "", "file.official.twice", first, period, unit)
		return
	}
	c.seen[k] = r.n
	c.out = append(c.out, store.OfficialResult{Period: period, UnitCode: unit, Total: total, Rank: rank, RankOf: rankOf})
}

func (c *officialCheck) finish() {}

func (c *officialCheck) store(ctx context.Context, imp *models.Import) (store.Result, error) {
	return c.im.st.ImportOfficialResults(ctx, imp, c.out)
}

// parseRank reads rank or rank_of: a positive whole number, digits only.
func parseRank(r fields, col string, bad func(col, key string, args ...any)) (int, bool) {
	s := r.get(col)
	if s == "" {
		bad(col, "file.official."+col+".empty")
		return 0, false
	}
	name := tabular.M("file.col." + col)
	if !digitsRe.MatchString(s) {
		bad(col, "file.official.rank.format", name, tabular.Quote(s))
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxRankOf {
		bad(col, "file.official.rank.range", name, tabular.Quote(s), maxRankOf)
		return 0, false
	}
	return n, true
}
