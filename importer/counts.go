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

// maxCount bounds numerators and denominators: far above any count of
// dossiers or procedures, far below where sums over a year could overflow.
const maxCount = 1_000_000_000_000

type countKey struct{ period, unit, metric string }

var (
	shortMonthRe = regexp.MustCompile(`^[0-9]{4}-[0-9]$`)
	digitsRe     = regexp.MustCompile(`^[0-9]+$`)
	negativeRe   = regexp.MustCompile(`^-\s*[0-9]`)
	numberishRe  = regexp.MustCompile(`^[0-9][0-9., \x{00A0}']*$`)
)

// countsCheck validates a metric counts file row by row.
type countsCheck struct {
	im *Importer
	ps *tabular.Problems
	// db holds the units with their days, as the engine sees them.
	db     map[string]scoring.Unit
	folded map[string]string // lower-case code → code, built on first miss
	seen   map[countKey]int
	out    []store.CountRow
	in     interner
}

func (im *Importer) newCountsCheck(ctx context.Context, ps *tabular.Problems) (*countsCheck, error) {
	db, _, err := im.unitsOverTime(ctx)
	if err != nil {
		return nil, err
	}
	return &countsCheck{im: im, ps: ps, db: db, seen: map[countKey]int{}, in: interner{}}, nil
}

func (c *countsCheck) row(r fields) {
	ok := true
	bad := func(col, key string, args ...any) { c.ps.Add(r.n, col, key, args...); ok = false }

	period := r.get("period")
	p, err := scoring.ParsePeriod(period)
	if period == "" {
		bad("period", "file.period.empty")
	} else if err != nil {
		switch up := strings.ToUpper(period); {
		case shortMonthRe.MatchString(period):
			bad("period", "file.counts.period.month", tabular.Quote(period))
		case up != period && validPeriod(up):
			bad("period", "file.counts.period.case", tabular.Quote(period), up)
		default:
			bad("period", "file.counts.period.bad", tabular.Quote(period))
		}
	} else {
		period = p.String()
	}

	unit := r.get("unit_code")
	if why, valid := tabular.CodeProblem(unit); unit == "" {
		bad("unit_code", "file.unit_code.empty")
	} else if !valid {
		bad("unit_code", "file.unit_code.bad", tabular.Quote(unit), why)
	} else if u, found := c.db[unit]; found {
		// Counts only for a period the unit exists on some day of.
		if err == nil {
			if why := outside(u, p); why.Key != "" {
				bad("unit_code", why.Key, why.Args...)
			}
		}
	} else {
		if c.folded == nil {
			c.folded = make(map[string]string, len(c.db))
			for code := range c.db {
				c.folded[strings.ToLower(code)] = code
			}
		}
		if code, ok := c.folded[strings.ToLower(unit)]; ok {
			bad("unit_code", "file.unit.unknown.case", tabular.Quote(unit), tabular.Quote(code))
		} else {
			bad("unit_code", "file.unit.unknown", tabular.Quote(unit))
		}
	}

	metric := r.get("metric")
	if why, valid := tabular.CodeProblem(metric); metric == "" {
		bad("metric", "file.metric.empty")
	} else if !valid {
		bad("metric", "file.metric.bad", tabular.Quote(metric), why)
	} else if !c.im.schemes.KnownMetric(metric) {
		if code := c.im.metricFold(metric); code != "" {
			bad("metric", "file.metric.unknown.case", tabular.Quote(metric), code)
		} else {
			bad("metric", "file.metric.unknown", tabular.Quote(metric))
		}
	}

	num, numOK := parseCount(r, "numerator", bad)
	den, denOK := parseCount(r, "denominator", bad)
	switch {
	case !numOK || !denOK:
	case num == nil && den != nil:
		bad("numerator", "file.counts.numerator.empty")
	case num != nil && den == nil:
		bad("denominator", "file.counts.denominator.empty")
	case num != nil && *num > *den:
		bad("numerator", "file.counts.above", tabular.Int(*num), tabular.Int(*den))
	}

	if !ok {
		return
	}
	k := countKey{c.in.of(period), c.in.of(unit), c.in.of(metric)}
	if first, dup := c.seen[k]; dup {
		c.ps.Add(r.n, "", "file.counts.twice", first, period, unit, metric)
		return
	}
	c.seen[k] = r.n
	c.out = append(c.out, store.CountRow{Period: k.period, UnitCode: k.unit, Metric: k.metric, Numerator: num, Denominator: den})
}

func (c *countsCheck) finish() {}

func (c *countsCheck) store(ctx context.Context, imp *models.Import) (store.Result, error) {
	return c.im.st.ImportCounts(ctx, imp, c.out)
}

func validPeriod(s string) bool {
	_, err := scoring.ParsePeriod(s)
	return err == nil
}

// parseCount reads a count cell: empty (nil) or a non-negative integer
// written with digits only. A thousands separator is refused rather than
// guessed: "1.234" is 1234 to a Vietnamese reader and 1.234 to an English
// one, and guessing wrong would change a score silently.
func parseCount(r fields, col string, bad func(col, key string, args ...any)) (*int64, bool) {
	s := r.get(col)
	name := tabular.M("file.col." + col)
	switch {
	case s == "":
		return nil, true
	case digitsRe.MatchString(s):
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v > maxCount {
			bad(col, "file.count.large", name, tabular.Quote(s))
			return nil, false
		}
		return &v, true
	case negativeRe.MatchString(s):
		bad(col, "file.count.negative", name, tabular.Quote(s))
	case numberishRe.MatchString(s):
		bad(col, "file.count.format", name, tabular.Quote(s))
	default:
		bad(col, "file.count.nan", name, tabular.Quote(s))
	}
	return nil, false
}

// metricFold finds a known metric code equal to s but for case.
func (im *Importer) metricFold(s string) string {
	for _, sc := range im.schemes.All() {
		for _, m := range sc.Metrics {
			if strings.EqualFold(m.Code, s) {
				return m.Code
			}
		}
	}
	return ""
}
