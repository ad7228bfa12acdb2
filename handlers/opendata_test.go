package handlers

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"scorecard/export"
	"scorecard/i18n"
	"scorecard/scorecache"
	"scorecard/scoring"
)

func TestOpenDataIndex(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture()})
	status, hdr, body := get(t, app, "/open-data")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkHTMLPage(t, "/open-data", hdr, withoutCode(body), false)
	eng, _ := svc.Engine(t.Context())
	if len(eng.Periods()) < 10 {
		t.Fatalf("fixture has %d periods", len(eng.Periods()))
	}
	// Every period with data, every file, at its stable address.
	for _, p := range eng.Periods() {
		for _, f := range []string{"scores.csv", "scores.xlsx", "scores.json", "counts.csv"} {
			if !strings.Contains(body, `href="/open-data/`+p.String()+`/`+f+`"`) {
				t.Errorf("no link to %s of %s", f, p)
			}
		}
	}
	for _, want := range []string{`href="/open-data/dictionary"`, `href="/open-data/scheme.json"`, `aria-current="page">Dữ liệu mở</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
}

func TestOpenDataFiles(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture()})
	cur := mustScores(t, svc, "2024-04")
	types := map[string]string{"scores.csv": "text/csv; charset=utf-8", "counts.csv": "text/csv; charset=utf-8",
		"scores.xlsx": mimeXLSX, "scores.json": "application/json; charset=utf-8"}
	etags := map[string]string{}
	for file, ctype := range types {
		path := "/open-data/2024-04/" + file
		status, hdr, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		if hdr("Content-Type") != ctype || hdr("Cache-Control") != "public, max-age=300" || hdr("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: headers %q %q %q", path, hdr("Content-Type"), hdr("Cache-Control"), hdr("Access-Control-Allow-Origin"))
		}
		etag := hdr("ETag")
		if !strings.HasPrefix(etag, `W/"`) || len(etag) < 20 {
			t.Errorf("%s: ETag %q", path, etag)
		}
		if hdr("Last-Modified") != "" {
			t.Errorf("%s: Last-Modified %q without a known import time", path, hdr("Last-Modified"))
		}
		etags[file] = etag
		// Revalidation: the same tag gives 304 and no body; another, 200.
		status, hdr304, body304 := get(t, app, path, "If-None-Match", etag)
		if status != 304 || body304 != "" || hdr304("ETag") != etag {
			t.Errorf("%s with If-None-Match: %d (%d bytes)", path, status, len(body304))
		}
		if status, _, _ := get(t, app, path, "If-None-Match", `W/"other", `+strings.TrimPrefix(etag, "W/")); status != 304 {
			t.Errorf("%s: a strong form of the tag in a list: %d, want 304", path, status)
		}
		if status, _, _ := get(t, app, path, "If-None-Match", `"other"`); status != 200 {
			t.Errorf("%s: another tag: %d, want 200", path, status)
		}
		// Stable: the same data gives the same tag.
		if _, again, _ := get(t, app, path); again("ETag") != etag {
			t.Errorf("%s: ETag changed between two requests", path)
		}

		switch file {
		case "scores.csv":
			header, rows := parseCSV(t, path, body)
			if len(rows) != len(cur.Units) {
				t.Errorf("scores.csv: %d rows, want every unit (%d)", len(rows), len(cur.Units))
			}
			cCode, cTotal := colIndex(t, header, "unit_code"), colIndex(t, header, "total")
			for _, r := range rows {
				us := cur.Unit(r[cCode])
				if us == nil {
					t.Errorf("unknown unit %q", r[cCode])
					continue
				}
				if us.HasData && r[cTotal] != us.Total.String() {
					t.Errorf("%s total %q, want %q", us.Unit.Code, r[cTotal], us.Total.String())
				}
			}
			if !strings.Contains(hdr("Content-Disposition"), `filename="scores-2024-04.csv"`) {
				t.Errorf("Content-Disposition %q", hdr("Content-Disposition"))
			}
		case "counts.csv":
			header, rows := parseCSV(t, path, body)
			if strings.Join(header, ",") != "period,unit_code,metric,numerator,denominator" {
				t.Errorf("counts.csv header %q, want the import format", header)
			}
			seen := map[[2]string]string{}
			for _, r := range rows {
				seen[[2]string{r[1], r[2]}] = r[3] + "/" + r[4]
			}
			for k, c := range pageFixture().Own {
				if k.Period == "2024-04" {
					if got := seen[[2]string{k.Unit, k.Metric}]; got != itoa64(c.Num)+"/"+itoa64(c.Den) {
						t.Errorf("counts.csv %s %s = %q, want %d/%d", k.Unit, k.Metric, got, c.Num, c.Den)
					}
				}
			}
		case "scores.json":
			var doc struct {
				Period string `json:"period"`
				Scheme string `json:"scheme"`
				Tables []struct {
					Key     string `json:"key"`
					Columns []struct {
						Key string `json:"key"`
					} `json:"columns"`
					Rows []map[string]any `json:"rows"`
				} `json:"tables"`
			}
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("scores.json: %v", err)
			}
			if doc.Period != "2024-04" || len(doc.Tables) != 1 || doc.Tables[0].Key != "scores" || len(doc.Tables[0].Rows) != len(cur.Units) {
				t.Errorf("scores.json shape: period %q, %d tables", doc.Period, len(doc.Tables))
			}
			// The dictionary promises the scheme the scores were computed
			// with, as the other files of the period carry it.
			if want := export.SchemeLabel(cur.Scheme); want == "" || doc.Scheme != want {
				t.Errorf("scores.json scheme %q, want %q", doc.Scheme, want)
			}
			for _, r := range doc.Tables[0].Rows {
				if r["unit_code"] == "BK.XSS" && r["unit_name"] != pageXSS {
					t.Errorf("name %v", r["unit_name"])
				}
			}
		case "scores.xlsx":
			f := openWorkbook(t, path, body)
			if got := strings.Join(f.GetSheetList(), "|"); got != export.InfoSheet+"|Điểm|Số liệu" {
				t.Errorf("sheets %s", got)
			}
		}
	}
	if etags["scores.csv"] == etags["counts.csv"] {
		t.Error("two files share an ETag")
	}

	// The tag follows the data: another import, another tag.
	ds := pageFixture()
	ds.Own[scoring.Key{Period: "2024-04", Unit: "BK.STC", Metric: "ON_TIME_PROCESSING"}] = scoring.C(1, 2)
	app2, _ := newPageApp(t, pageSource{ds: ds})
	if _, hdr, _ := get(t, app2, "/open-data/2024-04/scores.csv"); hdr("ETag") == etags["scores.csv"] {
		t.Error("ETag unchanged after the data changed")
	}

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/open-data/2024-04/scores.pdf", 404, "scores.csv, scores.xlsx, scores.json và counts.csv"},
		{"/open-data/2024-04/../../etc", 404, ""},
		{"/open-data/2024-13/scores.csv", 400, "Kỳ không hợp lệ"},
		{"/open-data/abc/scores.csv", 400, "Kỳ không hợp lệ"},
		{"/open-data/2022-01/scores.csv", 404, "chưa có dữ liệu công bố"},
	} {
		status, _, body := get(t, app, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q", tc.path, status, tc.status, tc.want)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// codeSpan is an example in machine format (<code>75.35</code>), which
// the vi-VN number check of checkHTMLPage must not read as page text.
var codeSpan = regexp.MustCompile(`(?s)<code>.*?</code>`)

func withoutCode(body string) string { return codeSpan.ReplaceAllString(body, "<code></code>") }

// With a service that knows when the data changed, files carry
// Last-Modified and answer If-Modified-Since.
func TestOpenDataLastModified(t *testing.T) {
	at := time.Date(2024, 5, 5, 9, 30, 0, 0, time.UTC)
	svc := modifiedScores{Service: scorecache.New(pageSource{ds: pageFixture()}, pageSchemes(t)), at: at}
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	path := "/open-data/2024-04/scores.json"
	_, hdr, body := get(t, app, path)
	if hdr("Last-Modified") != "Sun, 05 May 2024 09:30:00 GMT" {
		t.Errorf("Last-Modified %q", hdr("Last-Modified"))
	}
	if !strings.Contains(body, `"exported_at":"2024-05-05T16:30:00+07:00"`) {
		t.Errorf("scores.json does not date the data: %.300s", body)
	}
	if status, _, _ := get(t, app, path, "If-Modified-Since", at.Format(http.TimeFormat)); status != 304 {
		t.Errorf("If-Modified-Since the same time: %d, want 304", status)
	}
	if status, _, _ := get(t, app, path, "If-Modified-Since", at.Add(-time.Hour).Format(http.TimeFormat)); status != 200 {
		t.Errorf("If-Modified-Since an hour earlier: %d, want 200", status)
	}
	// If-None-Match wins over If-Modified-Since.
	if status, _, _ := get(t, app, path, "If-None-Match", `"other"`, "If-Modified-Since", at.Format(http.TimeFormat)); status != 200 {
		t.Errorf("a stale ETag with a current date: %d, want 200", status)
	}
}

func TestOpenDataScheme(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	status, hdr, body := get(t, app, "/open-data/scheme.json")
	var doc struct {
		ID      string `json:"id"`
		Groups  []any  `json:"groups"`
		Metrics []any  `json:"metrics"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc.ID == "" || len(doc.Groups) != 6 || len(doc.Metrics) < 20 {
		t.Fatalf("scheme.json: %d %+v", status, doc)
	}
	_, _, api := get(t, app, "/api/v1/scheme")
	if api != body {
		t.Error("scheme.json differs from /api/v1/scheme")
	}
	if hdr("Cache-Control") != "public, max-age=300" || !strings.HasPrefix(hdr("ETag"), `W/"`) {
		t.Errorf("headers %q %q", hdr("Cache-Control"), hdr("ETag"))
	}
	if status, _, b := get(t, app, "/open-data/scheme.json", "If-None-Match", hdr("ETag")); status != 304 || b != "" {
		t.Errorf("revalidation: %d (%d bytes)", status, len(b))
	}
}

// Every column of every file is described, in Vietnamese and English.
func TestDictionaryCoversEveryColumn(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture()})
	ps := mustScores(t, svc, "2024-04")
	files := dictionaryFiles(i18n.VI, ps)
	tables := map[string]export.Table{"scores.csv": export.WithNationalRanks(export.ScoresTable(ps, nil, ""), nil), "counts.csv": export.CountsTable(ps, "", true)}
	status, hdr, body := get(t, app, "/open-data/dictionary")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkHTMLPage(t, "/open-data/dictionary", hdr, withoutCode(body), false)
	for _, f := range files {
		if !strings.Contains(body, `id="f-`+f.ID+`"`) {
			t.Errorf("file %s missing from the page", f.Name)
		}
		for _, c := range f.Columns {
			if c.Meaning == "" || c.Name == "" || c.Type == "" {
				t.Errorf("%s: column %q is not fully described: %+v", f.Name, c.Key, c)
			}
		}
		tab, ok := tables[f.Name]
		if !ok {
			continue
		}
		if len(f.Columns) != len(tab.Columns) {
			t.Errorf("%s: %d columns described, the file has %d", f.Name, len(f.Columns), len(tab.Columns))
		}
		for i, c := range f.Columns {
			if !c.Known {
				t.Errorf("%s: column %q has no description in columnDict", f.Name, c.Key)
			}
			if !strings.Contains(body, "<code>"+tab.Columns[i].Key+"</code>") {
				t.Errorf("%s: column %q not on the page", f.Name, tab.Columns[i].Key)
			}
		}
	}
	for _, want := range []string{"Score of group: ", "Xuất sắc (từ 90 điểm)", "Rank"} {
		if !strings.Contains(body, want) {
			t.Errorf("dictionary lacks %q", want)
		}
	}
}
