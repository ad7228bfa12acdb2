package portal

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"scorecard/scoring"
)

// Endpoint is one of the six JSON endpoints of the portal's page "Đánh giá
// chất lượng phục vụ", named by the last part of its path.
type Endpoint string

// The six endpoints, under /api/v1/reporting/evaluation/.
const (
	Transparency Endpoint = "transparency"                  // CKMB
	Satisfaction Endpoint = "handling-satisfaction"         // MDHL
	Digitized    Endpoint = "dossier-digitized"             // MDSH
	Progress     Endpoint = "dvc-progress-tree"             // TDGQ
	Online       Endpoint = "provide-online-tree"           // DVCTT
	Payment      Endpoint = "formality-online-payment-tree" // TTTT
)

// Endpoints lists the six in the order a capture reads them: the trees
// first, then the digitisation list, because they name each unit by code
// as well as by id, and the transparency and satisfaction lists name units
// by id only. Fetching follows the same order.
var Endpoints = []Endpoint{Progress, Online, Payment, Digitized, Transparency, Satisfaction}

// endpointInfo is what differs between the endpoints.
type endpointInfo struct {
	group    string // the scheme's group code
	pageSize int    // what the portal's own page asks for
	tree     bool   // parent + children rather than overview + evaluation
	// dates: the request names the period by fromDate/toDate rather than
	// timeType (the satisfaction endpoint).
	dates bool
}

var endpointInfos = map[Endpoint]endpointInfo{
	Transparency: {group: "CKMB", pageSize: 200},
	Satisfaction: {group: "MDHL", pageSize: 200, dates: true},
	Digitized:    {group: "MDSH", pageSize: 200},
	Progress:     {group: "TDGQ", pageSize: 100, tree: true},
	Online:       {group: "DVCTT", pageSize: 200, tree: true},
	Payment:      {group: "TTTT", pageSize: 100, tree: true},
}

// Valid reports whether e is one of the six.
func (e Endpoint) Valid() bool { _, ok := endpointInfos[e]; return ok }

// Group is the code of the scheme's group the endpoint publishes.
func (e Endpoint) Group() string { return endpointInfos[e].group }

// PageSize is the page size the portal's own page asks for.
func (e Endpoint) PageSize() int { return endpointInfos[e].pageSize }

// Tree reports whether the endpoint answers with parent and children.
func (e Endpoint) Tree() bool { return endpointInfos[e].tree }

// Path is the endpoint's path on the portal.
func (e Endpoint) Path() string { return "/api/v1/reporting/evaluation/" + string(e) }

// EndpointOfGroup is the endpoint publishing a group, "" if none does.
func EndpointOfGroup(group string) Endpoint {
	for e, info := range endpointInfos {
		if info.group == group {
			return e
		}
	}
	return ""
}

// Request is the JSON body of one request (portal.md, "Requests"). Field
// order and names are the portal's; the formality filters are never sent
// by this program (a capture is of whole units) but are read, to refuse a
// capture of one procedure.
type Request struct {
	TimeType         string `json:"timeType,omitempty"`
	Year             int    `json:"year,omitempty"`
	Quarter          int    `json:"quarter,omitempty"`
	Month            int    `json:"month,omitempty"`
	FromDate         string `json:"fromDate,omitempty"`
	ToDate           string `json:"toDate,omitempty"`
	RootDepartmentID string `json:"rootDepartmentId"`
	CurrentPage      int    `json:"currentPage"`
	PageSize         int    `json:"pageSize"`
	// FormalityID filters by one procedure; the digitisation endpoint
	// spells it formalityID.
	FormalityID     string `json:"formalityId,omitempty"`
	FormalityIDMDSH string `json:"formalityID,omitempty"`
}

// Supported reports whether the portal publishes period p: months,
// quarters and years (it has no half-years).
func Supported(p scoring.Period) bool {
	return p.Kind == scoring.Month || p.Kind == scoring.Quarter || p.Kind == scoring.Year
}

// NewRequest is the body asking endpoint e for page of period p of the
// province whose department id is root.
func NewRequest(e Endpoint, p scoring.Period, root string, page int) Request {
	r := Request{RootDepartmentID: root, CurrentPage: page, PageSize: e.PageSize()}
	if endpointInfos[e].dates {
		r.FromDate = p.Start().Format(time.DateOnly)
		r.ToDate = p.End().AddDate(0, 0, -1).Format(time.DateOnly)
		return r
	}
	r.Year = p.Year
	switch p.Kind {
	case scoring.Month:
		r.TimeType, r.Month = "month", p.N
	case scoring.Quarter:
		r.TimeType, r.Quarter = "quarter", p.N
	default:
		r.TimeType = "year"
	}
	return r
}

// Period is the period a request asks for: from timeType, year, quarter
// and month, or from an exact month, quarter or year given by fromDate and
// toDate.
func (r Request) Period() (scoring.Period, error) {
	if r.TimeType == "" && (r.FromDate != "" || r.ToDate != "") {
		return PeriodOfDates(r.FromDate, r.ToDate)
	}
	return PeriodOf(r.TimeType, r.Year, r.Quarter, r.Month)
}

// PeriodOf reads the portal's timeType, year, quarter and month.
func PeriodOf(timeType string, year, quarter, month int) (scoring.Period, error) {
	if year < 2000 || year > 2999 {
		return scoring.Period{}, fmt.Errorf("portal: year %d out of range", year)
	}
	switch timeType {
	case "month":
		if month < 1 || month > 12 || quarter != 0 {
			return scoring.Period{}, fmt.Errorf("portal: timeType month needs month 1–12 and no quarter")
		}
		return scoring.Period{Kind: scoring.Month, Year: year, N: month}, nil
	case "quarter":
		if quarter < 1 || quarter > 4 || month != 0 {
			return scoring.Period{}, fmt.Errorf("portal: timeType quarter needs quarter 1–4 and no month")
		}
		return scoring.Period{Kind: scoring.Quarter, Year: year, N: quarter}, nil
	case "year":
		if quarter != 0 || month != 0 {
			return scoring.Period{}, fmt.Errorf("portal: timeType year takes no quarter or month")
		}
		return scoring.Period{Kind: scoring.Year, Year: year}, nil
	}
	return scoring.Period{}, fmt.Errorf("portal: timeType %q is not month, quarter or year", timeType)
}

// PeriodOfDates reads a date range (YYYY-MM-DD, both days included) that
// must be exactly a month, a quarter or a year.
func PeriodOfDates(from, to string) (scoring.Period, error) {
	f, err1 := time.ParseInLocation(time.DateOnly, from, scoring.Location)
	t, err2 := time.ParseInLocation(time.DateOnly, to, scoring.Location)
	if err1 != nil || err2 != nil {
		return scoring.Period{}, fmt.Errorf("portal: dates %q–%q are not YYYY-MM-DD", from, to)
	}
	end := t.AddDate(0, 0, 1)
	for _, p := range []scoring.Period{
		{Kind: scoring.Month, Year: f.Year(), N: int(f.Month())},
		{Kind: scoring.Quarter, Year: f.Year(), N: (int(f.Month())-1)/3 + 1},
		{Kind: scoring.Year, Year: f.Year()},
	} {
		if p.Start().Equal(f) && p.End().Equal(end) {
			return p, nil
		}
	}
	return scoring.Period{}, fmt.Errorf("portal: dates %s–%s are not exactly a month, a quarter or a year", from, to)
}

// Running lists the periods fetch asks for by default at now: the running
// month, quarter and year, and the month before the running one (the last
// closed month), oldest first. Dates are Vietnam's: at 23:30 UTC on the
// last day of a month it is already the next month in Vietnam.
func Running(now time.Time) []scoring.Period {
	t := now.In(scoring.Location)
	month := scoring.Period{Kind: scoring.Month, Year: t.Year(), N: int(t.Month())}
	return []scoring.Period{
		month.Prev(),
		month,
		scoring.Containing(month, scoring.Quarter),
		scoring.Containing(month, scoring.Year),
	}
}

// FileName is the name fetch gives page of endpoint e in a capture
// (transparency-p1.json).
func FileName(e Endpoint, page int) string { return fmt.Sprintf("%s-p%d.json", e, page) }

// ParseFileName reads a name made by FileName.
func ParseFileName(name string) (Endpoint, int, bool) {
	base, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return "", 0, false
	}
	i := strings.LastIndex(base, "-p")
	if i < 0 {
		return "", 0, false
	}
	e := Endpoint(base[:i])
	page, err := strconv.Atoi(base[i+2:])
	if !e.Valid() || err != nil || page < 1 {
		return "", 0, false
	}
	return e, page, true
}
