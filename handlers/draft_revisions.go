package handlers

import (
	"errors"
	"net/url"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// The revisions of a published period. Publishing freezes the
// scores as revision 1; each correction adds one, with its written reason.
// The figures of every revision stay viewable by anyone: a page that says
// "đã điều chỉnh ngày …" links here.

func revisionURL(p scoring.Period, n int) string {
	return site.RevisionsURL(p) + "/" + strconv.Itoa(n)
}

// revisionsPage lists the revisions of one period.
type revisionsPage struct {
	site.Layout
	Period      string // label in the page's language
	Code        string
	PublishedOn string
	Current     int
	Rows        []revisionRow
	PageURL     string // the period's figures as they are now
}

type revisionRow struct {
	N       int
	KindKey string // i18n key
	On      string
	Reason  string
	By      string // shown to staff only: the public sees the office's decision
	URL     string // "" while the snapshot is being computed
	Current bool
}

// publishedPeriodParam reads :period and its publication; a draft (or a
// period without data) is not found, for everyone: revisions exist only
// once published.
func (h *handler) publishedPeriodParam(c *fiber.Ctx) (scoring.Period, models.Publication, error) {
	raw, _ := url.PathUnescape(c.Params("period"))
	p, err := scoring.ParsePeriod(raw)
	if err != nil {
		return scoring.Period{}, models.Publication{}, site.BadRequest("err.period.invalid")
	}
	pub, err := h.st.Publication(c.UserContext(), p.String())
	if errors.Is(err, store.ErrNotFound) {
		return scoring.Period{}, models.Publication{}, site.NotFound("err.revisions.unpublished")
	}
	if err != nil {
		return scoring.Period{}, models.Publication{}, site.Internal(err)
	}
	return p, pub, nil
}

// revisions is GET /revisions/{period}.
func (h *handler) revisions(c *fiber.Ctx) error {
	p, pub, err := h.publishedPeriodParam(c)
	if err != nil {
		return err
	}
	revs, err := h.st.Revisions(c.UserContext(), p.String())
	if err != nil {
		return site.Internal(err)
	}
	l := site.Lang(c)
	staff := auth.UserFrom(c).IsStaff()
	v := &revisionsPage{Period: present.Period(l, p), Code: p.String(), PublishedOn: present.Date(l, pub.PublishedAt),
		Current: pub.Revision, PageURL: "/rankings?period=" + url.QueryEscape(p.String())}
	v.Layout = h.simpleLayout(c, l.T("rev.title", v.Period), "rankings")
	for _, r := range revs {
		row := revisionRow{N: r.Revision, KindKey: "rev.kind." + r.Kind, On: present.Date(l, r.CreatedAt), Reason: r.Reason,
			Current: r.Revision == pub.Revision}
		if staff {
			row.By = r.Actor
		}
		if !r.Pending() {
			row.URL = revisionURL(p, r.Revision)
		}
		v.Rows = append(v.Rows, row)
	}
	// Newest first: the current figures lead.
	sort.SliceStable(v.Rows, func(i, j int) bool { return v.Rows[i].N > v.Rows[j].N })
	return h.Render(c, fiber.StatusOK, "revisions", v)
}

// revisionPage is the frozen figures of one revision.
type revisionPage struct {
	site.Layout
	Period   string
	Code     string
	N        int
	KindKey  string
	On       string
	Reason   string
	Current  bool
	ListURL  string
	Computed string
	Tables   []revisionTable
}

type revisionTable struct {
	Title  string
	Groups []revisionGroup
	Rows   []revisionUnit
	// OfficialCol: a unit of the table has the national rank the portal
	// published, which gets a column of its own as in the rankings.
	OfficialCol bool
	// Only is true when a row marks a group published without counts,
	// for the footnote that explains the mark (official-only-footnote).
	Only []bool
}

// revisionGroup is the heading of a group's column: its code, and its
// name and maximum in the page's language where the scheme is known.
type revisionGroup struct {
	Code, Title string
}

type revisionUnit struct {
	Rank     string
	Name     string
	Code     string
	Total    scoring.Cents
	MaxTotal scoring.Cents
	Band     string
	HasData  bool
	// Groups are the group scores in the table's group order; Only marks
	// those the portal published without counts, as the rankings do.
	// Groups are the unit's group scores in the table's columns, nil for a
	// group its snapshot does not hold (shown "—", not 0,00).
	Groups []*scoring.Cents
	Only   []bool
	// Official is the national rank the portal published, nil when none
	// was imported.
	Official *site.OfficialRank
}

// revision is GET /revisions/{period}/{n}.
func (h *handler) revision(c *fiber.Ctx) error {
	p, pub, err := h.publishedPeriodParam(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("rev"))
	if err != nil || n < 1 {
		return site.NotFound("err.revision.notfound")
	}
	r, err := h.st.Revision(c.UserContext(), p.String(), n)
	if errors.Is(err, store.ErrNotFound) {
		return site.NotFound("err.revision.notfound")
	}
	if err != nil {
		return site.Internal(err)
	}
	if r.Pending() {
		return site.NotFound("err.revision.pending")
	}
	snap, err := scorecache.ParseSnapshot([]byte(*r.Snapshot))
	if err != nil {
		return site.Internal(err)
	}
	l := site.Lang(c)
	v := &revisionPage{Period: present.Period(l, p), Code: p.String(), N: r.Revision, KindKey: "rev.kind." + r.Kind,
		On: present.Date(l, r.CreatedAt), Reason: r.Reason, Current: r.Revision == pub.Revision, ListURL: site.RevisionsURL(p),
		Computed: present.Date(l, snap.ComputedAt)}
	v.Layout = h.simpleLayout(c, l.T("rev.one.title", r.Revision, v.Period), "rankings")
	eng, err := h.Engine(c)
	if err != nil {
		return err
	}
	v.Tables = revisionTables(l, snap, p, snapshotScheme(eng, snap))
	return h.Render(c, fiber.StatusOK, "revision", v)
}

// snapshotScheme is the scheme a snapshot was scored with, nil when this
// version of the program no longer knows it.
func snapshotScheme(eng *scoring.Engine, s *scorecache.Snapshot) *scoring.Scheme {
	if s.Scheme == "" {
		return nil
	}
	for _, sc := range eng.Schemes().All() {
		if sc.ID == s.Scheme {
			return sc
		}
	}
	return nil
}

// revisionGroups are the group columns of a snapshot's tables: the
// scheme's groups, or, when the scheme is not known any more, the codes
// the snapshot holds, in their order.
func revisionGroups(l i18n.Lang, s *scorecache.Snapshot, scheme *scoring.Scheme) []revisionGroup {
	var out []revisionGroup
	if scheme != nil {
		for _, g := range scheme.Groups {
			out = append(out, revisionGroup{Code: g.Code, Title: l.T("col.group.title", present.Name(l, g.NameVI, g.NameEN), present.Max(l, g.Max))})
		}
		return out
	}
	seen := map[string]bool{}
	for _, u := range s.Units {
		for _, g := range u.Groups {
			if !seen[g.Code] {
				seen[g.Code] = true
				out = append(out, revisionGroup{Code: g.Code})
			}
		}
	}
	return out
}

// revisionTables groups a snapshot's units as the rankings do: provinces
// together, then each province's agencies, districts and communes, by rank;
// p is the snapshot's period, which words the commune level, and scheme
// the scheme it was scored with (nil when unknown), which names the groups.
// What the portal published is marked as on the live pages: the groups it
// published without counts, and the national rank it published.
func revisionTables(l i18n.Lang, s *scorecache.Snapshot, p scoring.Period, scheme *scoring.Scheme) []revisionTable {
	heads := revisionGroups(l, s, scheme)
	names := map[string]string{}
	for _, u := range s.Units {
		if u.Kind == string(scoring.KindProvince) {
			names[u.Code] = u.Name
		}
	}
	type key struct{ province, kind string }
	groups := map[key][]scorecache.SnapshotUnit{}
	var order []key
	for _, u := range s.Units {
		k := key{u.Province, u.Kind}
		if u.Kind == string(scoring.KindProvince) {
			k.province = ""
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], u)
	}
	kindOrder := map[string]int{}
	for i, k := range scoring.UnitKinds {
		kindOrder[string(k)] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].province != order[j].province {
			return names[order[i].province] < names[order[j].province]
		}
		return kindOrder[order[i].kind] < kindOrder[order[j].kind]
	})
	var out []revisionTable
	for _, k := range order {
		units := groups[k]
		sort.SliceStable(units, func(i, j int) bool {
			a, b := units[i].Rank, units[j].Rank
			switch {
			case a != nil && b != nil:
				return *a < *b
			case a != nil || b != nil:
				return a != nil
			}
			return units[i].Name < units[j].Name
		})
		t := revisionTable{Title: unitKindL(l, scoring.UnitKind(k.kind), p), Groups: heads}
		if k.province != "" {
			t.Title += " — " + names[k.province]
		}
		for _, u := range units {
			row := revisionUnit{Name: u.Name, Code: u.Code, Total: scoring.Cents(u.Total), MaxTotal: scoring.Cents(u.MaxTotal), Band: u.Band, HasData: u.HasData, Rank: "—"}
			if u.Rank != nil {
				row.Rank = strconv.Itoa(*u.Rank)
			}
			// The snapshot holds the band's Vietnamese name; its code
			// names it in the page's language where the scheme is known.
			if scheme != nil {
				for _, b := range scheme.Bands {
					if b.Code == u.BandCode && u.BandCode != "" {
						row.Band = present.Name(l, b.NameVI, b.NameEN)
					}
				}
			}
			if u.OfficialRank != nil && u.OfficialRankOf != nil {
				row.Official = &site.OfficialRank{Rank: *u.OfficialRank, RankOf: *u.OfficialRankOf}
				t.OfficialCol = true
			}
			for _, h := range heads {
				var score *scoring.Cents
				only := false
				for _, g := range u.Groups {
					if g.Code == h.Code {
						c := scoring.Cents(g.Score)
						score, only = &c, g.OfficialOnly
					}
				}
				row.Groups = append(row.Groups, score)
				row.Only = append(row.Only, only)
				if only {
					t.Only = []bool{true}
				}
			}
			t.Rows = append(t.Rows, row)
		}
		out = append(out, t)
	}
	return out
}

// unitKindL names a kind of unit of period p in the page's language.
func unitKindL(l i18n.Lang, k scoring.UnitKind, p scoring.Period) string {
	return l.T(present.KindKey("rev.unitkind", k, p))
}

// simpleLayout is the frame of a page without a period selector (the
// revisions, the staff's and the admins' pages).
func (h *handler) simpleLayout(c *fiber.Ctx, title, nav string) site.Layout {
	l := site.Layout{Title: title, Nav: nav}
	if demo, err := h.Scores.Demo(c.UserContext()); err == nil {
		l.Demo = demo
	}
	return l
}
