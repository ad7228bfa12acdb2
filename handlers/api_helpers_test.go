package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/scorecache"
	"scorecard/scoring"
)

// memSource serves a Dataset built in the test through the real scores
// service, the way the store does in production.
type memSource struct {
	ds  *scoring.Dataset
	err error // returned by every call, to exercise the 500 path
}

func (s memSource) DataVersion(context.Context) (int64, error) { return 1, s.err }

func (s memSource) Dataset(context.Context) (*scoring.Dataset, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.ds, nil
}

func (s memSource) HasDemo(context.Context) (bool, error) { return false, s.err }

// newTestApp builds the real application over src; the log goes to buf.
func newTestApp(t *testing.T, src scorecache.Source, buf *bytes.Buffer) *fiber.App {
	t.Helper()
	if buf == nil {
		buf = &bytes.Buffer{}
	}
	log := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := New(Deps{Scores: scorecache.New(src, pageSchemes(t)), Log: log})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	return app
}

type response struct {
	status int
	header func(string) string
	body   []byte
}

func doRequest(t *testing.T, app *fiber.App, method, url string) response {
	t.Helper()
	req := httptest.NewRequest(method, url, nil)
	resp, err := app.Test(req, 10_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return response{status: resp.StatusCode, header: resp.Header.Get, body: b}
}

// decode reads the body into v, failing the test on invalid JSON.
func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("invalid JSON (%v): %s", err, body)
	}
}

// requireKeys checks that a JSON object has every documented field, null
// or not (json.Unmarshal into a struct cannot tell a missing key from null).
func requireKeys(t *testing.T, what string, raw json.RawMessage, keys ...string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s is not an object: %v: %s", what, err, raw)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: field %q missing in %s", what, k, raw)
		}
	}
}

// Test shapes: numbers as json.Number so that tests compare the exact text
// the API wrote ("34.00", not 34).
type tRankRow struct {
	Rank          *int                    `json:"rank"`
	UnitCode      string                  `json:"unit_code"`
	UnitName      string                  `json:"unit_name"`
	Total         *json.Number            `json:"total"`
	MaxTotal      json.Number             `json:"max_total"`
	Band          *string                 `json:"band"`
	Groups        map[string]*json.Number `json:"groups"`
	TotalChange   *json.Number            `json:"total_change"`
	RankChange    *int                    `json:"rank_change"`
	HasData       bool                    `json:"has_data"`
	Missing       int                     `json:"missing"`
	Provisional   bool                    `json:"provisional"`
	RankOf        int                     `json:"rank_of"`
	Period        string                  `json:"period"`
	MonthsCovered int                     `json:"months_covered"`
}

type tUnit struct {
	Unit struct {
		Code       string  `json:"code"`
		Name       string  `json:"name"`
		Kind       string  `json:"kind"`
		ParentCode *string `json:"parent_code"`
	} `json:"unit"`
	Period      string       `json:"period"`
	PeriodKind  string       `json:"period_kind"`
	Total       *json.Number `json:"total"`
	MaxTotal    json.Number  `json:"max_total"`
	Band        *string      `json:"band"`
	Rank        *int         `json:"rank"`
	RankOf      int          `json:"rank_of"`
	TotalChange *json.Number `json:"total_change"`
	RankChange  *int         `json:"rank_change"`
	HasData     bool         `json:"has_data"`
	Missing     int          `json:"missing"`
	Provisional bool         `json:"provisional"`
	Scheme      string       `json:"scheme"`
	Groups      []struct {
		Code    string       `json:"code"`
		Name    string       `json:"name"`
		Score   *json.Number `json:"score"`
		Max     json.Number  `json:"max"`
		Metrics []tMetric    `json:"metrics"`
	} `json:"groups"`
}

type tMetric struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Numerator   *int64       `json:"numerator"`
	Denominator *int64       `json:"denominator"`
	Ratio       *json.Number `json:"ratio"`
	Points      json.Number  `json:"points"`
	Max         json.Number  `json:"max"`
	Rule        string       `json:"rule"`
	Source      string       `json:"source"`
	Threshold   *json.Number `json:"threshold"`
	NoData      bool         `json:"no_data"`
	Derived     *string      `json:"derived"`
	Months      *int         `json:"months"`
	MonthsOf    *int         `json:"months_of"`
}

func (u *tUnit) metric(t *testing.T, code string) tMetric {
	t.Helper()
	for _, g := range u.Groups {
		for _, m := range g.Metrics {
			if m.Code == code {
				return m
			}
		}
	}
	t.Fatalf("metric %s not in the answer", code)
	return tMetric{}
}

func (u *tUnit) group(code string) string {
	for _, g := range u.Groups {
		if g.Code == code {
			return numStr(g.Score)
		}
	}
	return "<missing>"
}

func numStr(n *json.Number) string {
	if n == nil {
		return "null"
	}
	return n.String()
}

func intStr(n *int) string {
	if n == nil {
		return "null"
	}
	b, _ := json.Marshal(*n)
	return string(b)
}

// leaks lists texts that must never reach a user: Go error prefixes, SQL,
// stack traces.
var leaks = []string{"scoring:", "scorecache:", "handlers:", "goroutine", "panic", "SELECT", "sqlite", ".go:"}

func assertNoLeak(t *testing.T, body []byte) {
	t.Helper()
	for _, l := range leaks {
		if bytes.Contains(bytes.ToLower(body), bytes.ToLower([]byte(l))) {
			t.Errorf("body leaks %q: %s", l, body)
		}
	}
}
