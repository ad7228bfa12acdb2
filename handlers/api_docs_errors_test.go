package handlers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docs/api.md lists every error status the public API answers, in both
// its Vietnamese section and its English summary: a client written from
// the docs is not surprised by one.
func TestAPIDocsNameEveryErrorStatus(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "api.md"))
	if err != nil {
		t.Fatal(err)
	}
	vi := regexp.MustCompile(`(?s)## Lỗi\n(.*?)\n## `).FindSubmatch(doc)
	en := regexp.MustCompile(`(?s)Errors are(.*?)Open data`).FindSubmatch(doc)
	if vi == nil || en == nil {
		t.Fatal("docs/api.md has no errors section (## Lỗi) or no English summary of them (Errors are … Open data)")
	}
	app, _ := newPageApp(t, pageSource{ds: demoDS(t)})
	big := `{"overrides":[` + strings.Repeat(`{"metric":"ONLINE_SUBMISSION","numerator":1},`, 2000) + `{}]}`
	for _, c := range []struct{ method, path, ctype, body string }{
		{"GET", "/api/v1/rankings?period=2024-13", "", ""},
		{"GET", "/api/v1/units/NOPE", "", ""},
		{"GET", "/api/v1/khong-co", "", ""},
		{"DELETE", "/api/v1/rankings", "", ""},
		{"PUT", "/api/v1/units/BK.SCT/whatif", "application/json", "{}"},
		{"POST", "/api/v1/units/BK.SCT/whatif", "application/json", big},
		{"POST", "/api/v1/units/BK.SCT/whatif", "text/plain", "{}"},
	} {
		status, _, b := send(t, app, c.method, c.path, c.ctype, []byte(c.body))
		var e struct {
			Error   string `json:"error"`
			ErrorEN string `json:"error_en"`
		}
		if status < 400 || json.Unmarshal(b, &e) != nil || e.Error == "" || e.ErrorEN == "" {
			t.Errorf("%s %s: %d %.200s, want an error in both languages", c.method, c.path, status, b)
			continue
		}
		code := strconv.Itoa(status)
		if !regexp.MustCompile(`\b`+code+`\b`).Match(vi[1]) || !regexp.MustCompile(`\b`+code+`\b`).Match(en[1]) {
			t.Errorf("%s %s answers %d, which docs/api.md does not list among the errors (Vietnamese and English)", c.method, c.path, status)
		}
	}
}
