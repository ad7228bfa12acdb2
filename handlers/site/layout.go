package site

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/scoring"
)

// Layout is what the shared page frame needs: header, navigation, period
// selector, demo banner and footer. Every page's view embeds it; the page
// sets what is its own (title, navigation, selector…), Render the rest (the
// language, the account bar, the period notice).
type Layout struct {
	Title     string // this page's own title (before the product name)
	Nav       string // active navigation item: overview, rankings, methodology
	NavPeriod string // ?period= carried by the navigation links, "" for the default
	Demo      bool
	Selector  *Selector // nil on pages without periods
	// ECharts is the library URL when the page has charts ("" otherwise).
	ECharts string

	// Set by Render.
	OfficeName string
	// Lang is the page language, LangOther the other one and LangSwitch
	// this page in it (the header's toggle).
	Lang       i18n.Lang
	LangOther  i18n.Lang
	LangSwitch string
	// Account is the account bar (nil without accounts), Notice the notice
	// of a draft or corrected period (nil for none).
	Account *AccountBar
	Notice  *PeriodNotice
}

// EmptyBox is what the "no data" box of a page says: Drafts is the number
// of periods imported but not published; Operator, whether the visitor is
// one who runs the program (staff signed in, or anyone on an installation
// without accounts), who is shown the command that imports figures.
type EmptyBox struct {
	Drafts   int
	Operator bool
}

// Empty is the "no data" box of the page, with drafts periods not
// published. It is read after Render has set Account.
func (l Layout) Empty(drafts int) EmptyBox {
	return EmptyBox{Drafts: drafts, Operator: l.Account == nil || l.Account.Staff}
}

// Page is a view the frame can be filled in: a struct embedding Layout,
// passed by pointer.
type Page interface{ frame() *Layout }

func (l *Layout) frame() *Layout { return l }

// NavURL is a navigation link carrying the period being looked at.
func (l Layout) NavURL(p string) string {
	if l.NavPeriod == "" {
		return p
	}
	return p + "?period=" + url.QueryEscape(l.NavPeriod)
}

// Selector is the GET form that changes the period (and, on the rankings
// page, the kind of unit). It works without JavaScript.
type Selector struct {
	Action  string
	Periods []OptGroup
	Kinds   []Option // rankings page only
	Hidden  []Hidden // other parameters kept across the change
}

// OptGroup is a group of a selector's options.
type OptGroup struct {
	Label   string
	Options []Option
}

// Option is one choice of a selector.
type Option struct {
	Value, Label string
	Selected     bool
}

// Hidden is a parameter a form carries unchanged.
type Hidden struct{ Name, Value string }

// fillFrame sets what every page's frame shows whatever the page: the
// language and its toggle, the office, the account bar and the notice of
// a draft or corrected period.
func (s *Site) fillFrame(c *fiber.Ctx, lay *Layout, l i18n.Lang) {
	lay.OfficeName = s.OfficeName
	lay.Lang = l
	lay.LangOther = otherLang(l)
	lay.LangSwitch = langSwitchURL(c, lay.LangOther)
	lay.Account = s.accountBar(c)
	n, err := noticeFor(c)
	if err != nil {
		s.Log.Error("period notice", "path", c.Path(), "err", err)
	}
	lay.Notice = n
}

// Account bar. Every page of the frame shows who is signed in, a way out,
// and the staff's entrance; anonymous visitors get a discreet sign-in link.

// AccountBar is the account bar of the frame.
type AccountBar struct {
	SignedIn  bool
	Username  string
	RoleKey   string // i18n key of the role
	Staff     bool
	Admin     bool
	UnitURL   string // a unit account's own unit page
	DraftURL  string // and its newest draft month there, if any
	CSRFField string
	CSRFToken string
	LoginURL  string
}

// accountBar builds the account bar; nil when there are no accounts.
func (s *Site) accountBar(c *fiber.Ctx) *AccountBar {
	if s.Auth == nil {
		return nil
	}
	u := auth.UserFrom(c)
	if u == nil {
		if strings.EqualFold(strings.TrimSuffix(s.LocalPath(c), "/"), "/login") {
			return nil // the sign-in form is the page itself
		}
		next := c.OriginalURL()
		if c.Method() != fiber.MethodGet {
			next = ""
		}
		login := "/login"
		if next != "" && next != s.URL("/") {
			login += "?next=" + url.QueryEscape(next)
		}
		return &AccountBar{LoginURL: login}
	}
	// A signed-in page names the account and carries its CSRF token: no
	// cache may keep it.
	c.Set(fiber.HeaderCacheControl, "no-store")
	v := &AccountBar{SignedIn: true, Username: u.Username, RoleKey: "auth.role." + string(u.Role),
		Staff: u.IsStaff(), Admin: u.IsAdmin(), CSRFField: auth.CSRFField}
	if u.UnitCode != "" {
		v.UnitURL = UnitURL(u.UnitCode, scoring.Period{})
		if p, ok := s.newestDraft(c); ok {
			v.DraftURL = UnitURL(u.UnitCode, p)
		}
	}
	tok, err := s.Auth.CSRFToken(c)
	if err != nil {
		s.Log.Error("csrf token for the account bar", "err", err)
	}
	v.CSRFToken = tok
	return v
}

// newestDraft is the newest month not published yet (a unit account's
// link to its own draft figures).
func (s *Site) newestDraft(c *fiber.Ctx) (scoring.Period, bool) {
	v := viewerOf(c)
	if v == nil {
		return scoring.Period{}, false
	}
	eng, err := s.Scores.Engine(c.UserContext())
	if err != nil {
		s.Log.Error("newest draft", "err", err)
		return scoring.Period{}, false
	}
	for _, p := range eng.Periods() {
		if p.Kind != scoring.Month {
			continue
		}
		_, published, err := v.Publication(c.UserContext(), p)
		if err != nil {
			s.Log.Error("newest draft", "err", err)
			return scoring.Period{}, false
		}
		if !published {
			return p, true
		}
	}
	return scoring.Period{}, false
}
