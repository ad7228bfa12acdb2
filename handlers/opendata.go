package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/export"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// Open data: stable URLs for every period with data, so that journalists
// and provincial portals can download and mirror the published tables:
//
//	/open-data                          the index of periods and files
//	/open-data/{period}/scores.csv      every unit's scores (also .xlsx, .json)
//	/open-data/{period}/counts.csv      the counts behind them (import format)
//	/open-data/scheme.json              the scoring scheme
//	/open-data/dictionary               what every column means
//
// Files carry a weak ETag computed from the data they hold (so it changes
// exactly when an import changes them), Cache-Control: public, max-age=300,
// and Last-Modified when the scores service can say when the data last
// changed; a mirror revalidates with If-None-Match and gets
// 304 Not Modified.

// openDataFormat versions the files' layout: changing the columns changes
// it, so mirrors refetch even when the data did not change.
const openDataFormat = "od2"

// openDataFiles are the files of a period, in the index's order.
var openDataFiles = []openDataSpec{
	{Name: "scores.csv", Format: "CSV", ctype: mimeCSV},
	{Name: "scores.xlsx", Format: "XLSX", ctype: mimeXLSX},
	{Name: "scores.json", Format: "JSON", ctype: mimeJSON},
	{Name: "counts.csv", Format: "CSV", ctype: mimeCSV},
}

type openDataSpec struct {
	Name, Format string
	ctype        string
}

func findOpenDataFile(name string) (openDataSpec, bool) {
	for _, f := range openDataFiles {
		if f.Name == name {
			return f, true
		}
	}
	return openDataSpec{}, false
}

// openDataURL is a file's stable address.
func openDataURL(p scoring.Period, file string) string {
	return "/open-data/" + url.PathEscape(p.String()) + "/" + file
}

// weakETag is an ETag from the parts that make a file: weak, because the
// XLSX and JSON bodies may differ in bytes (the source URL, the zip
// container) while meaning the same data.
func weakETag(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		// Length-prefixed, so that ("ab","c") and ("a","bc") differ.
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil))[:32] + `"`
}

// etagMatches applies If-None-Match with the weak comparison of RFC 9110
// (§13.1.2): "*" or any listed tag equal once W/ is dropped.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// dataModified is the time the data last changed, when known.
func (h *handler) dataModified(c *fiber.Ctx) (time.Time, bool, error) {
	t, err := h.Scores.DataModified(c.UserContext())
	if err != nil {
		return time.Time{}, false, fmt.Errorf("handlers: data modified: %w", err)
	}
	return t, !t.IsZero(), nil
}

// openDataHeaders sets the caching headers and answers 304 when the
// client's copy is current. It returns true when the answer is complete.
func (h *handler) openDataHeaders(c *fiber.Ctx, etag string) (bool, error) {
	mod, hasMod, err := h.dataModified(c)
	if err != nil {
		return false, err
	}
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	// Open data is public: any site's script may read it.
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if hasMod {
		c.Set(fiber.HeaderLastModified, mod.UTC().Format(http.TimeFormat))
	}
	notModified := false
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
		notModified = etagMatches(inm, etag)
	} else if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" && hasMod {
		if t, err := http.ParseTime(ims); err == nil && !mod.Truncate(time.Second).After(t) {
			notModified = true
		}
	}
	if notModified {
		c.Response().ResetBody()
		c.Status(fiber.StatusNotModified)
		return true, nil
	}
	return false, nil
}

// openDataPeriod parses the period of an open data URL and checks that it
// was published (has data).
func (h *handler) openDataPeriod(c *fiber.Ctx) (scoring.Period, *scoring.Engine, error) {
	raw, _ := url.PathUnescape(c.Params("period"))
	p, err := scoring.ParsePeriod(raw)
	if err != nil {
		return scoring.Period{}, nil, site.BadRequest("err.opendata.period")
	}
	eng, err := h.Engine(c)
	if err != nil {
		return scoring.Period{}, nil, err
	}
	// Open data is what was published, whoever asks (staff
	// included: these files are meant to be passed on).
	periods, err := site.PublishedPeriods(c, eng)
	if err != nil {
		return scoring.Period{}, nil, err
	}
	for _, q := range periods {
		if q == p {
			return p, eng, nil
		}
	}
	// Figures imported but not published are said to be so, to staff too
	// (who see the draft's pages, but no open data of it).
	for _, q := range eng.Periods() {
		if q == p {
			return scoring.Period{}, nil, site.NotFound("err.opendata.unpublished", lowerPeriodWords(p))
		}
	}
	return scoring.Period{}, nil, site.NotFound("err.opendata.nodata", periodWords(p))
}

// openDataFile is /open-data/{period}/{file}.
func (h *handler) openDataFile(c *fiber.Ctx) error {
	f, ok := findOpenDataFile(c.Params("file"))
	if !ok {
		return site.NotFound("err.opendata.file")
	}
	p, eng, err := h.openDataPeriod(c)
	if err != nil {
		return err
	}
	cur, err := h.PeriodScores(c, p)
	if err != nil {
		return err
	}
	var prev *scoring.PeriodScores
	periods, err := site.PublishedPeriods(c, eng)
	if err != nil {
		return err
	}
	for _, q := range periods {
		if q == p.Prev() {
			if prev, err = h.PeriodScores(c, q); err != nil {
				return err
			}
		}
	}
	ranks, err := h.nationalRanks(c, p)
	if err != nil {
		return err
	}
	scores := export.WithNationalRanks(export.ScoresTable(cur, prev, ""), ranks)
	counts := export.CountsTable(cur, "", true)
	var scoresCSV, countsCSV bytes.Buffer
	if err := export.WriteCSV(&scoresCSV, scores); err != nil {
		return fmt.Errorf("handlers: open data %s scores: %w", p, err)
	}
	if err := export.WriteCSV(&countsCSV, counts); err != nil {
		return fmt.Errorf("handlers: open data %s counts: %w", p, err)
	}
	// The two tables are the data every file of the period is made of.
	etag := weakETag([]byte(openDataFormat), []byte(f.Name), []byte(p.String()),
		[]byte(export.SchemeLabel(cur.Scheme)), scoresCSV.Bytes(), countsCSV.Bytes())
	if done, err := h.openDataHeaders(c, etag); done || err != nil {
		return err
	}

	meta := export.Meta{Period: p, Scheme: export.SchemeLabel(cur.Scheme), Source: h.openDataSource(openDataURL(p, f.Name))}
	if mod, ok, err := h.dataModified(c); err != nil {
		return err
	} else if ok {
		// The data's own time, not the request's: the same file every time.
		meta.ExportedAt = mod
	}
	demo, err := h.Scores.Demo(c.UserContext())
	if err != nil {
		return fmt.Errorf("handlers: demo flag: %w", err)
	}
	if demo {
		meta.Notes = append(meta.Notes, i18n.VI.T("file.note.demo"))
	}
	var body []byte
	switch f.Name {
	case "scores.csv":
		body = scoresCSV.Bytes()
	case "counts.csv":
		body = countsCSV.Bytes()
	case "scores.json":
		var buf bytes.Buffer
		meta.Title = i18n.VI.T("file.title.opendata", present.Period(i18n.VI, p))
		if err := export.WriteJSON(&buf, export.WithOfficialNotes(export.Workbook{Meta: meta, Tables: []export.Table{scores}})); err != nil {
			return fmt.Errorf("handlers: open data %s json: %w", p, err)
		}
		body = buf.Bytes()
	case "scores.xlsx":
		var buf bytes.Buffer
		if err := export.OpenDataWorkbookOf(cur, scores, "", meta).WriteXLSX(&buf); err != nil {
			return fmt.Errorf("handlers: open data %s xlsx: %w", p, err)
		}
		body = buf.Bytes()
	}
	c.Set(fiber.HeaderContentType, f.ctype)
	name := strings.TrimSuffix(f.Name, "."+strings.ToLower(f.Format)) + "-" + p.String() + "." + strings.ToLower(f.Format)
	disp := "attachment"
	if f.Format == "JSON" {
		// Read in the browser or by a script; saved under the same name.
		disp = "inline"
	}
	c.Set(fiber.HeaderContentDisposition, disp+`; filename="`+name+`"`)
	return c.Status(fiber.StatusOK).Send(body)
}

// nationalRanks are the national ranks the portal published for p, for
// the files: beside each province's rank among the provinces held.
func (h *handler) nationalRanks(c *fiber.Ctx, p scoring.Period) (map[string]export.NationalRank, error) {
	official, err := h.OfficialRanks(c, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]export.NationalRank, len(official))
	for code, o := range official {
		out[code] = export.NationalRank{Rank: o.Rank, RankOf: o.RankOf}
	}
	return out, nil
}

// openDataSource is the provenance written into the files.
func (h *handler) openDataSource(path string) string {
	source := i18n.VI.T("product.name")
	if h.opts.OfficeName != "" {
		source = h.opts.OfficeName + " — " + source
	}
	return source + " — " + h.sourceURL(path)
}

// sourceURL is the address of a page of the dashboard as downloads name
// it: under the configured public URL (Options.PublicURL), else the path
// alone. Never the request's Host: a client chooses it, and these files
// are cached by proxies and browsers (open data for five minutes) and
// passed on, so a forged Host would send their readers elsewhere.
func (h *handler) sourceURL(path string) string {
	if h.opts.PublicURL != "" {
		return h.opts.PublicURL + path
	}
	return h.opts.BasePath + path
}

// openDataScheme is /open-data/scheme.json: the scheme as the API shows it
// (/api/v1/scheme), with the open data's caching headers.
func (h *handler) openDataScheme(c *fiber.Ctx) error {
	if err := h.api.Scheme(c); err != nil {
		return err
	}
	body := append([]byte(nil), c.Response().Body()...)
	if done, err := h.openDataHeaders(c, weakETag([]byte(openDataFormat), []byte("scheme.json"), body)); done || err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mimeJSON)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="scheme.json"`)
	return c.Status(fiber.StatusOK).Send(body)
}

// openDataPage is the index of open data.
type openDataPage struct {
	site.Layout
	Groups  []openDataGroup
	Example string // a file URL for the examples
	Scheme  string
}

type openDataGroup struct {
	Label   string
	Periods []openDataRow
}

type openDataRow struct {
	Code, Label string
	Files       []openDataLink
}

type openDataLink struct {
	Name, Label, URL string
}

// openDataIndex is /open-data.
func (h *handler) openDataIndex(c *fiber.Ctx) error {
	eng, err := h.Engine(c)
	if err != nil {
		return err
	}
	demo, err := h.Scores.Demo(c.UserContext())
	if err != nil {
		return fmt.Errorf("handlers: demo flag: %w", err)
	}
	l := site.Lang(c)
	v := openDataPage{Scheme: "/open-data/scheme.json",
		Layout: site.Layout{Title: l.T("nav.opendata"), Nav: "opendata", Demo: demo}}
	periods, err := site.PublishedPeriods(c, eng) // published periods only
	if err != nil {
		return err
	}
	for _, k := range scoring.PeriodKinds {
		g := openDataGroup{Label: l.T("periodkind." + string(k))}
		for _, p := range periods {
			if p.Kind != k {
				continue
			}
			row := openDataRow{Code: p.String(), Label: present.Period(l, p)}
			for _, f := range openDataFiles {
				row.Files = append(row.Files, openDataLink{Name: f.Name, Label: l.T("opendata.file." + f.Name), URL: openDataURL(p, f.Name)})
			}
			g.Periods = append(g.Periods, row)
		}
		if len(g.Periods) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	if len(periods) > 0 {
		v.Example = openDataURL(scorecache.DefaultPeriod(periods, time.Now()), "scores.csv")
	}
	return h.Render(c, fiber.StatusOK, "opendata", &v)
}
