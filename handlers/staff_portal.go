package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// Captures of the national portal on the web import: a capture's .zip (the
// six endpoints' answers and its manifest) or a bare answer of one
// endpoint, with the period and the moment typed into the form, go through
// the same reader and importer as `scorecard import` (package portal). The
// preview reads and checks the capture against the units the database
// knows and writes nothing; the confirmation imports it.

// PortalImporter checks and imports captures (*portal.Importer).
type PortalImporter interface {
	Check(ctx context.Context, c *portal.Capture) (*store.PortalCapture, error)
	Import(ctx context.Context, c *portal.Capture, source string) (*portal.Report, error)
}

var _ PortalImporter = (*portal.Importer)(nil)

// portalUpload is what an uploaded file is to the portal's reader: a
// capture, or a bare answer with the period and moment it was given.
type portalUpload struct {
	capture bool
	period  scoring.Period
	asOf    time.Time
}

// portalPreview is what the preview says of a capture.
type portalPreview struct {
	ProvinceCode, ProvinceName string
	Period                     scoring.Period
	AsOf                       time.Time
	Complete                   bool
	Units, Figures             int
}

// sniffPortal tells whether the staged file is a portal capture (a zip
// holding a manifest) or a bare answer (a JSON object); nil otherwise.
func sniffPortal(path string) (*portalUpload, bool) {
	if portal.IsCapture(path) {
		return &portalUpload{capture: true}, true
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	b := bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\uFEFF")), " \t\r\n")
	if len(b) > 0 && b[0] == '{' {
		return &portalUpload{}, true
	}
	return nil, false
}

// bareRefusal refuses a bare answer uploaded without a valid period or
// moment, before anything is read.
func bareRefusal(name, period, asOf string) *importer.ProblemsError {
	var ps tabular.Problems
	if _, err := parseBarePeriod(period); err != nil {
		ps.AddIn(name, "", "staff.import.portal.period", period)
	}
	if _, err := parseAsOfField(asOf); err != nil {
		ps.AddIn(name, "", "staff.import.portal.asof", asOf)
	}
	if ps.Empty() {
		return nil
	}
	return ps.Err(name)
}

func parseBarePeriod(s string) (scoring.Period, error) {
	s = strings.TrimSpace(s)
	p, err := scoring.ParsePeriod(s)
	if err != nil || p.String() != s || !portal.Supported(p) {
		return scoring.Period{}, fmt.Errorf("handlers: %q is not a period the portal publishes", s)
	}
	return p, nil
}

// parseAsOfField reads the moment of a bare answer: an HTML
// datetime-local value (2026-09-26T06:00), taken as Vietnam's time, or
// RFC 3339 with its offset.
func parseAsOfField(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, scoring.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("handlers: %q is not a moment such as 2026-09-26T06:00", s)
}

// readPortal reads the staged file as the portal's reader reads a file of
// the name it was uploaded under (the messages name it): through a link
// (or copy) of that name in a folder of its own.
func (h *handler) readPortal(s *staged) (*portal.Capture, error) {
	dir, err := os.MkdirTemp(filepath.Dir(s.path), "portal-")
	if err != nil {
		return nil, fmt.Errorf("handlers: portal folder: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	name := s.name
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		name = "capture"
	}
	p := filepath.Join(dir, name)
	if err := os.Link(s.path, p); err != nil {
		if err := copyFile(s.path, p); err != nil {
			return nil, fmt.Errorf("handlers: portal file: %w", err)
		}
	}
	rd := portal.NewReader(h.Scores.Schemes())
	if s.portal.capture {
		return rd.ReadCapture(p)
	}
	return rd.ReadResponses([]string{p}, s.portal.period, s.portal.asOf)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// previewPortal reads and checks a staged capture; nothing is written.
func (h *handler) previewPortal(ctx context.Context, s *staged) (*importPreview, error) {
	if h.portalImp == nil {
		return nil, errors.New("handlers: no portal importer")
	}
	c, err := h.readPortal(s)
	var pe *importer.ProblemsError
	if errors.As(err, &pe) {
		return &importPreview{Problems: pe}, nil
	}
	if err != nil {
		return nil, err
	}
	pc, err := h.portalImp.Check(ctx, c)
	if errors.As(err, &pe) {
		return &importPreview{Problems: pe}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("handlers: portal preview: %w", err)
	}
	pp := &portalPreview{ProvinceCode: pc.ProvinceCode, Period: c.Period, AsOf: c.AsOf, Complete: pc.Complete,
		Units: len(pc.Units), Figures: len(pc.Figures)}
	if len(pc.Units) > 0 {
		pp.ProvinceName = pc.Units[0].Name
	}
	return &importPreview{Portal: pp}, nil
}

// runPortalImport imports a staged capture, as the command line does.
func (h *handler) runPortalImport(ctx context.Context, s *staged) (*importer.Report, *portal.Report, error) {
	if h.portalImp == nil {
		return nil, nil, errors.New("handlers: no portal importer")
	}
	c, err := h.readPortal(s)
	if err != nil {
		return nil, nil, err
	}
	rep, err := h.portalImp.Import(ctx, c, models.SourceWeb)
	if err != nil {
		return nil, nil, err
	}
	return &importer.Report{ImportID: rep.ImportID, FileName: s.name, Kind: models.ImportPortal, Rows: rep.Figures,
		Inserted: rep.Inserted, Updated: rep.Updated, Unchanged: rep.Unchanged, Periods: rep.Periods}, rep, nil
}

// portalLine says what a capture holds, in language l: "UBND tỉnh Sông
// Lam (H90), tháng 08/2026, số liệu tính đến 06:00 ngày 26/09/2026: 7 đơn
// vị".
func portalLine(l i18n.Lang, p *portalPreview) string {
	line := l.TN(p.Units, "staff.import.portal.line", p.ProvinceName, p.ProvinceCode, present.Period(l, p.Period),
		asOfText(l, p.AsOf), present.Int(l, int64(p.Units)))
	if !p.Complete {
		line += " " + l.T("staff.import.portal.partial")
	}
	return line
}
