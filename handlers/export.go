package handlers

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/export"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// Downloads of the dashboard's views: /export/overview, /export/rankings
// and /export/units/{code}, each with ?period= and ?format=xlsx (the
// default: one workbook, one sheet per table, a first sheet recording what
// was exported), csv (one table: ?table=, the view's main table by
// default) or json (the workbook as JSON).

// Content types of the downloads.
const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
	mimeJSON = "application/json; charset=utf-8"
)

// download is a workbook ready to be sent in one of the formats.
type download struct {
	wb export.Workbook
	// stem is the ASCII file name stem ("rankings-agency"); the period and
	// the extension are added by export.FileName.
	stem string
	// main is the key of the table a CSV holds when ?table= is absent.
	main string
}

// unsafeName matches what may not appear in an ASCII file name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// asciiStem makes a unit code usable in a file name.
func asciiStem(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(s, "-"), "-.")
	if s == "" {
		return "x"
	}
	return s
}

// displayName is the Vietnamese file name offered through filename*:
// the title, without the characters file systems refuse.
func displayName(title, ext string) string {
	r := strings.NewReplacer("/", "-", "\\", "-", ":", "-", "*", "-", "?", "", "\"", "", "<", "", ">", "", "|", "-", "—", "-")
	name := strings.Join(strings.Fields(r.Replace(title)), " ")
	name = strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return -1
		}
		return c
	}, name)
	if name == "" {
		return ""
	}
	return name + "." + ext
}

// rfc5987 percent-encodes a value for filename*=UTF-8”… (RFC 5987
// attr-char are left as they are).
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// contentDisposition offers the file as an attachment: an ASCII name for
// old clients and the Vietnamese name (RFC 6266 filename*) for the others.
func contentDisposition(ascii, utf8Name string) string {
	v := `attachment; filename="` + ascii + `"`
	if utf8Name != "" {
		v += "; filename*=UTF-8''" + rfc5987(utf8Name)
	}
	return v
}

// sendFile answers a download.
func sendFile(c *fiber.Ctx, body []byte, ctype, ascii, utf8Name string) error {
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(ascii, utf8Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(fiber.StatusOK).Send(body)
}

// tableKeys lists a workbook's table keys for an error message.
func tableKeys(wb export.Workbook) string {
	keys := make([]string, len(wb.Tables))
	for i, t := range wb.Tables {
		keys[i] = t.Key
	}
	return strings.Join(keys, ", ")
}

// send writes the download in the format asked for.
func (d download) send(c *fiber.Ctx) error {
	p := d.wb.Meta.Period
	var buf bytes.Buffer
	// Exports carry the export time and follow imports: never reused.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	switch format := c.Query("format", "xlsx"); format {
	case "xlsx":
		if err := d.wb.WriteXLSX(&buf); err != nil {
			return fmt.Errorf("handlers: export %s: %w", d.stem, err)
		}
		return sendFile(c, buf.Bytes(), mimeXLSX, export.FileName(d.stem, p, "xlsx"), displayName(d.wb.Meta.Title, "xlsx"))
	case "json":
		if err := export.WriteJSON(&buf, d.wb); err != nil {
			return fmt.Errorf("handlers: export %s: %w", d.stem, err)
		}
		return sendFile(c, buf.Bytes(), mimeJSON, export.FileName(d.stem, p, "json"), displayName(d.wb.Meta.Title, "json"))
	case "csv":
		key := c.Query("table", d.main)
		for _, t := range d.wb.Tables {
			if t.Key != key {
				continue
			}
			if err := export.WriteCSV(&buf, t); err != nil {
				return fmt.Errorf("handlers: export %s %s: %w", d.stem, key, err)
			}
			stem := d.stem
			if key != d.main {
				stem += "-" + key
			}
			// The table's name tells which of the workbook's tables this
			// is, unless the title already leads with it (a ranking's only
			// table is the ranking).
			name := d.wb.Meta.Title
			if !strings.HasPrefix(name, t.Name) {
				name += " - " + t.Name
			}
			return sendFile(c, buf.Bytes(), mimeCSV, export.FileName(stem, p, "csv"), displayName(name, "csv"))
		}
		return site.BadRequest("err.export.table", site.Echo(key), tableKeys(d.wb))
	default:
		return site.BadRequest("err.export.format", site.Echo(format))
	}
}

// exportEnv reads the request's period and checks it has data: an export
// of a period without data would be empty tables.
func (h *handler) exportEnv(c *fiber.Ctx) (*env, error) {
	e, err := h.loadEnv(c)
	if err != nil {
		return nil, err
	}
	if e.period.IsZero() || !e.hasPeriod(e.period) {
		switch {
		case e.period.IsZero():
			return nil, site.NotFound("err.export.nodata")
		case e.unpublished(e.period):
			return nil, site.NotFound("err.export.unpublished", lowerPeriodWords(e.period))
		}
		return nil, site.NotFound("err.export.nodata.period", periodWords(e.period))
	}
	return e, nil
}

// exportMeta is the information sheet's record of the export.
func (h *handler) exportMeta(e *env, page string, filters []export.Filter) export.Meta {
	source := i18n.VI.T("product.name")
	if h.opts.OfficeName != "" {
		source = h.opts.OfficeName + " — " + source
	}
	m := export.Meta{Period: e.period, Filters: filters, ExportedAt: time.Now(),
		Source: source + " — " + h.sourceURL(page)}
	if e.demo {
		m.Notes = append(m.Notes, i18n.VI.T("file.note.demo"))
	}
	return m
}

// exportProvince resolves ?province= for the overview: a province code, or
// the only province of the data.
func exportProvince(c *fiber.Ctx, e *env) (scoring.Unit, error) {
	prov, choose, err := reportProvince(c, e)
	if err != nil {
		return scoring.Unit{}, err
	}
	if choose != nil {
		return scoring.Unit{}, site.BadRequest("err.province.choose")
	}
	if prov.Code == "" {
		return scoring.Unit{}, site.NotFound("err.province.none")
	}
	return prov, nil
}

// exportOverview is /export/overview?province=&period=&format=&table=: the
// province's groups and metrics, and the ranking of every level.
func (h *handler) exportOverview(c *fiber.Ctx) error {
	e, err := h.exportEnv(c)
	if err != nil {
		return err
	}
	prov, err := exportProvince(c, e)
	if err != nil {
		return err
	}
	cur, prev, err := h.pageScores(c, e, e.period)
	if err != nil {
		return err
	}
	meta := h.exportMeta(e, site.ProvinceURL(prov.Code, e.period), []export.Filter{{Name: i18n.VI.T("file.filter.province"), Value: prov.Name}})
	return download{wb: export.OverviewWorkbook(cur, prev, prov.Code, meta), stem: "overview-" + asciiStem(prov.Code), main: "groups"}.send(c)
}

// exportRankings is /export/rankings?kind=&period=&province=&format=: the
// ranking of one kind, as on the rankings page (in ranking order).
func (h *handler) exportRankings(c *fiber.Ctx) error {
	e, err := h.exportEnv(c)
	if err != nil {
		return err
	}
	kind, err := queryKind(c, e.eng)
	if err != nil {
		return err
	}
	filters := []export.Filter{{Name: i18n.VI.T("file.filter.kind"), Value: present.Kind(i18n.VI, kind, e.period)}}
	province := c.Query("province")
	if province != "" {
		u, ok := e.eng.Unit(province)
		if !ok || u.Kind != scoring.KindProvince {
			return site.BadRequest("err.province.invalid")
		}
		filters = append(filters, export.Filter{Name: i18n.VI.T("file.filter.province"), Value: u.Name})
	}
	cur, prev, err := h.pageScores(c, e, e.period)
	if err != nil {
		return err
	}
	q := url.Values{"kind": {string(kind)}, "period": {e.period.String()}}
	if province != "" {
		q.Set("province", province)
	}
	meta := h.exportMeta(e, "/rankings?"+q.Encode(), filters)
	stem := "rankings-" + string(kind)
	if province != "" {
		stem += "-" + asciiStem(province)
	}
	wb := export.RankingWorkbook(cur, prev, kind, province, meta)
	if kind == scoring.KindProvince {
		// A province's rank here is among the provinces held; the
		// national rank the portal published goes beside it.
		ranks, err := h.nationalRanks(c, e.period)
		if err != nil {
			return err
		}
		for i := range wb.Tables {
			wb.Tables[i] = export.WithNationalRanks(wb.Tables[i], ranks)
		}
	}
	return download{wb: wb, stem: stem, main: "rankings-" + string(kind)}.send(c)
}

// exportUnit is /export/units/{code}?period=&format=&table=: a unit's
// summary (with its rank among the units of its kind in its province),
// groups and metrics.
func (h *handler) exportUnit(c *fiber.Ctx) error {
	e, err := h.exportEnv(c)
	if err != nil {
		return err
	}
	code := site.UnitCode(c)
	u, ok := e.eng.Unit(code)
	if !ok {
		return site.NotFound("err.unit.notfound")
	}
	cur, prev, err := h.pageScores(c, e, e.period)
	if err != nil {
		return err
	}
	row := cur.RankOf(u.Code, prev)
	if row == nil {
		return fmt.Errorf("handlers: unit %s missing from the ranking of %s", u.Code, e.period)
	}
	meta := h.exportMeta(e, site.UnitURL(u.Code, e.period), []export.Filter{{Name: i18n.VI.T("file.filter.unit"), Value: u.Name + " (" + u.Code + ")"}})
	return download{wb: export.UnitWorkbook(*row, meta), stem: "unit-" + asciiStem(u.Code), main: "metrics"}.send(c)
}
