package handlers

import (
	"html/template"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/scoring"
)

// Page language (issue 6). Vietnamese is the default; ?lang=en switches to
// English and stores the choice in the "lang" cookie, so the links of the
// pages need not carry it: a visitor who chose English keeps it on every
// page until they choose again. ?lang= always wins over the cookie, which is
// what the language toggle and a shared link rely on. Embedded charts
// (another site's iframe, where the cookie is not sent) take ?lang= only.
// The JSON API is not translated (formats.md): both texts are in it.

const (
	langCookie = "lang"
	langLocal  = "scorecard.lang"
)

// langOf is the request's page language: ?lang=, else the cookie, else
// Vietnamese. An unknown value falls back without an error: a page must
// not fail over a language code.
func langOf(c *fiber.Ctx) i18n.Lang {
	if l, ok := c.Locals(langLocal).(i18n.Lang); ok {
		return l
	}
	l := i18n.Default
	if q := c.Query("lang"); q != "" {
		if p, ok := i18n.Parse(q); ok {
			l = p
		}
	} else if ck := c.Cookies(langCookie); ck != "" {
		if p, ok := i18n.Parse(ck); ok {
			l = p
		}
	}
	c.Locals(langLocal, l)
	return l
}

// rememberLang stores an explicit ?lang= choice in the cookie (a year,
// whole site, not readable by scripts, sent on top-level navigation only).
func rememberLang(c *fiber.Ctx, l i18n.Lang) {
	q := c.Query("lang")
	if q == "" {
		return
	}
	if p, ok := i18n.Parse(q); !ok || p != l {
		return
	}
	if c.Cookies(langCookie) == string(l) {
		return
	}
	c.Cookie(&fiber.Cookie{
		Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// langSwitchURL is the current page in language to: the same path and
// query with lang=to.
func langSwitchURL(c *fiber.Ctx, to i18n.Lang) string {
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		q = url.Values{}
	}
	q.Set("lang", string(to))
	return c.Path() + "?" + q.Encode()
}

// otherLang is the language the toggle offers.
func otherLang(l i18n.Lang) i18n.Lang {
	if l == i18n.EN {
		return i18n.VI
	}
	return i18n.EN
}

// fillLayoutLang sets the language fields of the page's layout (its
// "Layout" field), whatever the view type: every page gets <html lang> and
// the toggle without each handler having to pass them. A view passed by
// value is copied so that its layout can be set.
func fillLayoutLang(data any, c *fiber.Ctx, l i18n.Lang) any {
	v := reflect.ValueOf(data)
	var s reflect.Value
	switch {
	case v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct:
		s = v.Elem()
	case v.Kind() == reflect.Struct:
		cp := reflect.New(v.Type())
		cp.Elem().Set(v)
		data, s = cp.Interface(), cp.Elem()
	default:
		return data
	}
	f := s.FieldByName("Layout")
	if !f.IsValid() || !f.CanSet() || f.Type() != reflect.TypeOf(layout{}) {
		return data
	}
	lay := f.Addr().Interface().(*layout)
	lay.Lang = l
	other := otherLang(l)
	lay.LangOther = other
	lay.LangSwitch = langSwitchURL(c, other)
	if lay.Product == "" || lay.Product == productName {
		lay.Product = l.T("product.name")
	}
	return data
}

// Language-aware formatting: the vi-VN forms of format.go ("75,35",
// "1.234.567", "27/04/2024") or the English ones ("75.35", "1,234,567",
// "27 Apr 2024").

// centsL is a score with two decimals.
func centsL(l i18n.Lang, c scoring.Cents) string {
	if l == i18n.EN {
		return centsEN(c)
	}
	return c.VI()
}

// centsEN is "1,234.50".
func centsEN(c scoring.Cents) string {
	s := c.VI() // "1.234,50": swap the separators
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return ','
		case ',':
			return '.'
		}
		return r
	}, s)
}

// pctL is a ratio with a percent sign.
func pctL(l i18n.Lang, c scoring.Cents) string { return centsL(l, c) + "%" }

// shortL drops trailing zero decimals: 18, 6,5 / 6.5.
func shortL(l i18n.Lang, c scoring.Cents) string {
	if l != i18n.EN {
		return shortVI(c)
	}
	s := centsEN(c)
	s = strings.TrimSuffix(s, ".00")
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(s, "0")
	}
	return s
}

// intL is an integer with thousands separators.
func intL(l i18n.Lang, n int64) string {
	s := scoring.FormatIntVI(n)
	if l == i18n.EN {
		return strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// dateL is a date in Vietnam time: 27/04/2024 or 27 Apr 2024.
func dateL(l i18n.Lang, t time.Time) string {
	if l == i18n.EN {
		return t.In(scoring.Location).Format("2 Jan 2006")
	}
	return dateVI(t)
}

// periodLabel is a period's name: "Tháng 04/2024" or "Apr 2024".
func periodLabel(l i18n.Lang, p scoring.Period) string {
	if l == i18n.EN {
		return p.LabelEN()
	}
	return p.Label()
}

// lowerL lowercases the first letter of a label used inside a Vietnamese
// sentence ("báo cáo tháng 04/2024"); English labels ("Apr 2024", "Q2
// 2024") keep their capitals.
func lowerL(l i18n.Lang, s string) string {
	if l == i18n.EN {
		return s
	}
	return lowerFirst(s)
}

// langFuncs are the template functions bound to one language: each page
// template is parsed once per language, so {{t "key"}} and the number
// formats need no language argument, even inside partials whose dot is a
// row or a badge.
func langFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		// t is a message; its arguments are formatted into it (and escaped
		// by the template like any text).
		"t":     func(key string, args ...any) string { return l.T(key, args...) },
		"lang":  func() string { return string(l) },
		"isEN":  func() bool { return l == i18n.EN },
		"pick":  l.Pick,
		"cents": func(c scoring.Cents) string { return centsL(l, c) },
		"pct":   func(c scoring.Cents) string { return pctL(l, c) },
		"short": func(c scoring.Cents) string { return shortL(l, c) },
		"int":   func(n int64) string { return intL(l, n) },
		"lower": func(s string) string { return lowerL(l, s) },
		// embedLang is the query suffix that keeps an embed snippet in the
		// page's language ("" in Vietnamese, the default).
		"embedLang": func() string {
			if l == i18n.Default {
				return ""
			}
			return "&lang=" + string(l)
		},
		// The Vietnamese forms whatever the page language, for the report
		// document (an administrative text in Vietnamese, lang="vi").
		"centsvi": centsVI,
		"pctvi":   pctVI,
		"shortvi": shortVI,
		"intvi":   scoring.FormatIntVI,
		"lowervi": lowerFirst,
	}
}

// kindLabel is the plural name of a unit kind, for headings: "Sở, ban,
// ngành" or "Provincial agencies".
func kindLabel(l i18n.Lang, k scoring.UnitKind) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T("kind." + string(k))
}

// kindLower is kindLabel inside a sentence: "xếp hạng sở, ban, ngành",
// "ranking of provincial agencies".
func kindLower(l i18n.Lang, k scoring.UnitKind) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T("kindlower." + string(k))
}

// kindOne is the singular name of a unit kind.
func kindOne(l i18n.Lang, k scoring.UnitKind) string {
	if !k.Valid() {
		return string(k)
	}
	return l.T("kindone." + string(k))
}

// The scheme's enumerations in the page language.

// sourceL says where a metric's counts came from.
func sourceL(l i18n.Lang, s scoring.Source) string {
	switch s {
	case scoring.SourceOwn, scoring.SourceDerived, scoring.SourceProvince:
		return l.T("source." + string(s))
	}
	return l.T("source.none")
}

// derivationL explains how derived counts were obtained.
func derivationL(l i18n.Lang, m scoring.MetricScore) string {
	switch m.Derived {
	case scoring.DerivedDossier:
		return l.T("derived.dossiers")
	case scoring.DerivedMonths:
		if m.MonthsOf > 0 {
			return l.T("derived.months.of", m.Months, m.MonthsOf)
		}
		return l.T("derived.months")
	case scoring.DerivedPool:
		return l.T("derived.pool")
	}
	return ""
}

// ruleL names a metric's scoring rule.
func ruleL(l i18n.Lang, m *scoring.Metric) string {
	switch m.Rule {
	case scoring.RuleLinear:
		return l.T("rule.linear")
	case scoring.RuleThreshold:
		return l.T("rule.threshold", shortL(l, m.Threshold))
	case scoring.RuleInfo:
		return l.T("rule.info")
	}
	return string(m.Rule)
}

// noDataL names a no-data rule.
func noDataL(l i18n.Lang, n scoring.NoData) string {
	switch n {
	case scoring.NoDataZero, scoring.NoDataFull, scoring.NoDataNone:
		return l.T("nodata." + string(n))
	}
	return string(n)
}

// roundingL names a rounding.
func roundingL(l i18n.Lang, r scoring.Rounding) string {
	switch r {
	case scoring.RoundExact, scoring.RoundPercentFirst:
		return l.T("rounding." + string(r))
	}
	return string(r)
}

// aggregationL names how months add up.
func aggregationL(l i18n.Lang, a scoring.Aggregation) string {
	switch a {
	case scoring.Flow, scoring.Snapshot:
		return l.T("aggregation." + string(a))
	}
	return string(a)
}

// levelL names where a metric is measured.
func levelL(l i18n.Lang, lv scoring.Level) string {
	if lv == scoring.LevelProvince {
		return l.T("level.province")
	}
	return l.T("level.unit")
}

// confidenceL names how sure a rule is.
func confidenceL(l i18n.Lang, c string) string {
	switch c {
	case "legal", "data", "assumed":
		return l.T("confidence." + c)
	}
	return "—"
}
