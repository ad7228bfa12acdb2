package portal

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"scorecard/scoring"
)

// ManifestName is the manifest's file name at the root of a capture.
const ManifestName = "manifest.json"

// ManifestFormat names the manifest's format (its "format" field).
const ManifestFormat = "scorecard-portal-capture"

// Manifest says what a capture holds: which province, which period, when,
// and which file answers which request. docs/portal-captures.md documents
// it for offices and other tools; fetch writes one with every capture.
type Manifest struct {
	Format  string `json:"format,omitempty"`
	Version int    `json:"version,omitempty"`
	// ProvinceID is the province's department id on the portal (the
	// requests' rootDepartmentId); ProvinceCode its code (H44), optional
	// when a response gives it.
	ProvinceID   string `json:"provinceId"`
	ProvinceCode string `json:"provinceCode,omitempty"`
	ProvinceName string `json:"provinceName,omitempty"`
	// The period, as the portal's requests name it. The satisfaction
	// endpoint is asked for the same period by fromDate and toDate.
	TimeType string `json:"timeType,omitempty"`
	Year     int    `json:"year,omitempty"`
	Quarter  int    `json:"quarter,omitempty"`
	Month    int    `json:"month,omitempty"`
	// CapturedAt is when the capture was made (RFC 3339): the figures of
	// a running period are as of this moment.
	CapturedAt string `json:"capturedAt"`
	BaseURL    string `json:"baseUrl,omitempty"`
	UserAgent  string `json:"userAgent,omitempty"`
	// Complete is false for a capture where a request failed: it is kept
	// for diagnosis and never imported.
	Complete  *bool              `json:"complete,omitempty"`
	Responses []ManifestResponse `json:"responses,omitempty"`
	Errors    []ManifestError    `json:"errors,omitempty"`
}

// ManifestResponse is one file of the capture: one page of one endpoint.
type ManifestResponse struct {
	File       string   `json:"file"`
	Endpoint   Endpoint `json:"endpoint,omitempty"`
	Page       int      `json:"page,omitempty"`
	Request    *Request `json:"request,omitempty"`
	Status     int      `json:"status,omitempty"`
	Bytes      int64    `json:"bytes,omitempty"`
	SHA256     string   `json:"sha256,omitempty"`
	ReceivedAt string   `json:"receivedAt,omitempty"`
}

// ManifestError is a request that failed for good (after its retries).
type ManifestError struct {
	Endpoint Endpoint `json:"endpoint"`
	Page     int      `json:"page,omitempty"`
	Attempts int      `json:"attempts,omitempty"`
	Error    string   `json:"error"`
}

// parseManifest reads a manifest strictly: an unknown field is a mistake
// (a misspelt "capturedAt" would otherwise go unnoticed).
func parseManifest(b []byte, ps *problems) (*Manifest, bool) {
	before := ps.total()
	if _, ok := decodeJSON(ManifestName, b, ps); !ok {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		msg := err.Error()
		if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			ps.add(ManifestName, "", "portal.problem.manifest.unknown", f)
		} else {
			ps.add(ManifestName, "", "portal.problem.manifest.shape", strings.TrimPrefix(msg, "json: "))
		}
		return nil, false
	}
	if m.Format != "" && m.Format != ManifestFormat {
		ps.add(ManifestName, "format", "portal.problem.manifest.format", quote(m.Format), ManifestFormat)
	}
	if m.Version > 1 {
		ps.add(ManifestName, "version", "portal.problem.manifest.version", m.Version)
	}
	if strings.TrimSpace(m.ProvinceID) == "" {
		ps.add(ManifestName, "provinceId", "portal.problem.missing")
	}
	if m.CapturedAt == "" {
		ps.add(ManifestName, "capturedAt", "portal.problem.missing")
	} else if _, err := time.Parse(time.RFC3339, m.CapturedAt); err != nil {
		ps.add(ManifestName, "capturedAt", "portal.problem.manifest.time", quote(m.CapturedAt))
	}
	return &m, ps.total() == before
}

// period is the manifest's own period, zero when it names none.
func (m *Manifest) period() (scoring.Period, error) {
	if m.TimeType == "" && m.Year == 0 {
		return scoring.Period{}, nil
	}
	return PeriodOf(m.TimeType, m.Year, m.Quarter, m.Month)
}

// capturedAt is CapturedAt parsed (checked by parseManifest).
func (m *Manifest) capturedAt() time.Time {
	t, _ := time.Parse(time.RFC3339, m.CapturedAt)
	return t
}

// SetPeriod fills the manifest's timeType, year, quarter and month.
func (m *Manifest) SetPeriod(p scoring.Period) {
	r := NewRequest(Progress, p, "", 1)
	m.TimeType, m.Year, m.Quarter, m.Month = r.TimeType, r.Year, r.Quarter, r.Month
}
