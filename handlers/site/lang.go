package site

import (
	"fmt"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// Page language. Vietnamese is the default; ?lang=en switches to
// English and stores the choice in the "lang" cookie, so the links of the
// pages need not carry it: a visitor who chose English keeps it on every
// page until they choose again. ?lang= always wins over the cookie, which is
// what the language toggle and a shared link rely on. Embedded charts
// (another site's iframe, where the cookie is not sent) take ?lang= only.
// The JSON API is not translated (docs/api.md): both texts are in it.

const (
	langCookie = "lang"
	langLocal  = "scorecard.lang"
)

// Lang is the request's page language: ?lang=, else the cookie, else
// Vietnamese. An unknown value falls back without an error: a page must
// not fail over a language code.
func Lang(c *fiber.Ctx) i18n.Lang {
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

// LangCookiePending reports whether a page answering this request stores
// the visitor's language choice in the cookie (rememberLang): the answer
// is then the visitor's own, not one to share.
func LangCookiePending(c *fiber.Ctx) bool {
	q := c.Query("lang")
	if q == "" {
		return false
	}
	p, ok := i18n.Parse(q)
	return ok && c.Cookies(langCookie) != string(p)
}

// rememberLang stores an explicit ?lang= choice in the cookie (a year,
// whole site, not readable by scripts, sent on top-level navigation only).
func rememberLang(c *fiber.Ctx, l i18n.Lang) {
	if !LangCookiePending(c) || Lang(c) != l {
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

// langFuncs are the template functions bound to one language: each page
// template is parsed once per language, so {{t "key"}} and the number
// formats need no language argument, even inside partials whose dot is a
// row or a badge.
func langFuncs(l i18n.Lang) template.FuncMap {
	return template.FuncMap{
		// t is a message; its arguments are formatted into it (and escaped
		// by the template like any text).
		"t": func(key string, args ...any) string { return l.T(key, args...) },
		// tn is t for a message about n things: key.one when n is 1 and the
		// language has that form ("1 unit", not "1 units"); a one form
		// without verbs ("the only unit") takes no argument.
		"tn": func(n any, key string, args ...any) string {
			if fmt.Sprint(n) == "1" {
				return l.TN(1, key, args...)
			}
			return l.T(key, args...)
		},
		// count is n things in words, "3 units" ("1 unit"; "3 đơn vị"),
		// for a message that counts two kinds of thing (i18n.Lang.Count).
		"count": func(n int, noun string) string { return l.Count(n, noun, present.Int(l, int64(n))) },
		"lang":  func() string { return string(l) },
		"isEN":  func() bool { return l == i18n.EN },
		// in is a message in another language than the page's (the
		// language toggle names the other language in itself).
		"in": func(other i18n.Lang, key string) string { return other.T(key) },
		// The kinds of number (package present).
		"cents": func(c scoring.Cents) string { return present.Score(l, c) },
		"pct":   func(c scoring.Cents) string { return present.Percent(l, c) },
		"short": func(c scoring.Cents) string { return present.Max(l, c) },
		"int":   func(n int64) string { return present.Int(l, n) },
		"lower": func(s string) string { return present.Lower(l, s) },
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
		"tvi":     func(key string, args ...any) string { return i18n.VI.T(key, args...) },
		"centsvi": func(c scoring.Cents) string { return present.Score(i18n.VI, c) },
		"pctvi":   func(c scoring.Cents) string { return present.Percent(i18n.VI, c) },
		"shortvi": func(c scoring.Cents) string { return present.Max(i18n.VI, c) },
		"intvi":   func(n int64) string { return present.Int(i18n.VI, n) },
		"lowervi": present.LowerFirst,
	}
}
