package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo/dataset"
	"scorecard/scoring"
)

// whatIfDemoDataset reads the embedded demo files (units.csv, counts.csv)
// as data/demo/demo_test.go does: Bắc Kạn with 18 agencies, 8 districts
// and 44 communes, 2023-05 to 2024-04. Read once: it is never modified.
var whatIfDemoDataset = sync.OnceValues(dataset.Load)

func demoDS(t testing.TB) *scoring.Dataset {
	t.Helper()
	ds, err := whatIfDemoDataset()
	if err != nil {
		t.Fatalf("read demo: %v", err)
	}
	return ds
}

// send makes a request with a body and returns the status, headers and
// body.
func send(t testing.TB, app *fiber.App, method, path, ctype string, body []byte, hdr ...string) (int, func(string) string, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := app.Test(req, 20000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get, b
}

// postWhatIf posts a what-if request body (any JSON-encodable value).
func postWhatIf(t testing.TB, app *fiber.App, code string, body any) (int, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	status, _, out := send(t, app, "POST", "/api/v1/units/"+code+"/whatif", "application/json", b)
	return status, out
}

// wiOverride is one override of a request body, as a client writes it.
type wiOverride struct {
	Metric string `json:"metric"`
	Num    any    `json:"numerator,omitempty"`
	Den    any    `json:"denominator,omitempty"`
	Ratio  any    `json:"ratio,omitempty"`
}

type wiBody struct {
	Period    string       `json:"period,omitempty"`
	Overrides []wiOverride `json:"overrides"`
}

// wiAnswer is the part of a what-if answer the tests read.
type wiAnswer struct {
	Total   scoring.Cents `json:"-"`
	TotalF  json.Number   `json:"total"`
	Band    *string       `json:"band"`
	Rank    *int          `json:"rank"`
	RankOf  int           `json:"rank_of"`
	DeltaF  json.Number   `json:"delta"`
	Changed []string      `json:"changed"`
	Groups  []struct {
		Code    string      `json:"code"`
		Score   json.Number `json:"score"`
		Metrics []struct {
			Code   string      `json:"code"`
			Points json.Number `json:"points"`
			Num    *int64      `json:"numerator"`
			Den    *int64      `json:"denominator"`
			Source string      `json:"source"`
		} `json:"metrics"`
	} `json:"groups"`
	Base struct {
		Total json.Number `json:"total"`
		Rank  *int        `json:"rank"`
	} `json:"base"`
}

// wiError is a 400 answer.
type wiError struct {
	Error   string `json:"error"`
	ErrorEN string `json:"error_en"`
	Fields  []struct {
		Metric    string `json:"metric"`
		Field     string `json:"field"`
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageEN string `json:"message_en"`
	} `json:"fields"`
}

func cents(t testing.TB, n json.Number) scoring.Cents {
	t.Helper()
	c, err := scoring.ParseCents(n.String())
	if err != nil {
		t.Fatalf("number %q: %v", n, err)
	}
	return c
}

// firstFor finds a unit of a kind whose report satisfies ok.
func unitsOfKind(ps *scoring.PeriodScores, kind scoring.UnitKind) []*scoring.UnitScore {
	var out []*scoring.UnitScore
	for _, r := range ps.Ranking(kind, "", nil) {
		out = append(out, r.UnitScore)
	}
	return out
}

// inputID is the what-if input of a metric's field on a page.
func inputTag(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<input")
	end := strings.Index(body[i:], ">")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end+1]
}
