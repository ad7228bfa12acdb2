package portal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// Importer reads captures and bare responses and writes them through the
// store, each in one transaction.
type Importer struct {
	st     *store.Store
	Reader *Reader
}

// NewImporter returns an importer writing to st, checking metric codes
// against schemes.
func NewImporter(st *store.Store, schemes *scoring.Schemes) *Importer {
	return &Importer{st: st, Reader: NewReader(schemes)}
}

// Report says what an import did.
type Report struct {
	Name                       string
	ProvinceCode, ProvinceName string
	Period                     scoring.Period
	AsOf                       time.Time
	Complete                   bool
	Units                      int
	store.PortalResult
}

// Text is a one-line summary in language l.
func (r *Report) Text(l i18n.Lang) string {
	head := tr(l, "portal.report.head", r.Name, r.ProvinceCode, periodLabel(l, r.Period), present.Moment(l, r.AsOf))
	if r.Already {
		return head + tr(l, "portal.report.already", r.ImportID)
	}
	s := head + tr(l, "portal.report.done", r.ImportID, r.Units, r.Figures, r.Inserted, r.Updated, r.Unchanged)
	if !r.Current {
		s += tr(l, "portal.report.history")
	}
	if r.NewUnits > 0 || r.RenamedUnits > 0 {
		s += tr(l, "portal.report.units", r.NewUnits, r.RenamedUnits)
	}
	if r.Inactive > 0 {
		s += tr(l, "portal.report.inactive", r.Inactive)
	}
	return s
}

func periodLabel(l i18n.Lang, p scoring.Period) string {
	if l == i18n.EN {
		return present.Period(i18n.EN, p)
	}
	return present.Period(i18n.VI, p)
}

// ImportCapture imports the capture (folder or zip) at path.
func (im *Importer) ImportCapture(ctx context.Context, path, source string) (*Report, error) {
	c, err := im.Reader.ReadCapture(path)
	if err != nil {
		return nil, err
	}
	return im.Import(ctx, c, source)
}

// ImportResponses imports bare responses of period p as of asOf.
func (im *Importer) ImportResponses(ctx context.Context, paths []string, p scoring.Period, asOf time.Time, source string) (*Report, error) {
	c, err := im.Reader.ReadResponses(paths, p, asOf)
	if err != nil {
		return nil, err
	}
	return im.Import(ctx, c, source)
}

// Import writes a checked capture. A refusal (a unit that cannot be
// resolved, a department id stored for another code, a published period)
// is a *ProblemsError and nothing changed.
func (im *Importer) Import(ctx context.Context, c *Capture, source string) (*Report, error) {
	switch source {
	case models.SourceCLI, models.SourceWeb:
	default:
		return nil, fmt.Errorf("portal: unknown source %q", source)
	}
	pc, err := im.Check(ctx, c)
	if err != nil {
		return nil, err
	}
	imp := &models.Import{FileName: c.Name, SHA256: pc.Fingerprint, Source: source}
	res, err := im.st.ImportPortalCapture(ctx, imp, pc)
	if err != nil {
		return nil, refusal(c.Name, err)
	}
	return &Report{Name: c.Name, ProvinceCode: pc.ProvinceCode, ProvinceName: pc.Units[0].Name, Period: c.Period, AsOf: c.AsOf,
		Complete: pc.Complete, Units: len(pc.Units), PortalResult: res}, nil
}

// Check resolves a read capture against the units the database knows, as
// Import does, and returns what Import would write; it writes nothing (the
// web import's preview). A refusal is a *ProblemsError.
func (im *Importer) Check(ctx context.Context, c *Capture) (*store.PortalCapture, error) {
	known, err := im.st.PortalUnitsByID(ctx)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	return c.Build(known)
}

// refusal turns the store's refusals into problems; other errors are
// failures of the database.
func refusal(name string, err error) error {
	var ps problems
	var conflict *store.PortalIDConflict
	var pub *store.PublishedError
	switch {
	case errors.As(err, &conflict):
		if conflict.StoredPortal != "" {
			ps.add("", "", "portal.problem.codeconflict", quote(conflict.Code), quote(conflict.StoredPortal), quote(conflict.PortalID))
		} else {
			ps.add("", "", "portal.problem.idconflict", quote(conflict.PortalID), quote(conflict.StoredCode), quote(conflict.Code))
		}
		return ps.err(name)
	case errors.As(err, &pub):
		ps.add("", "", "portal.problem.published", present.PublishedRefusal(i18n.VI, pub.Periods), present.PublishedRefusal(i18n.EN, pub.Periods))
		return errors.Join(ps.err(name), pub)
	case errors.Is(err, store.ErrConflict):
		ps.add("", "", "portal.problem.race")
		return ps.err(name)
	}
	return fmt.Errorf("portal: %s: %w", name, err)
}

// FetchResult is one capture fetched: where it was written and, when it
// was complete, what its import did.
type FetchResult struct {
	Period scoring.Period
	Dir    string
	// Errors are the requests that failed for good; the capture was
	// written (for diagnosis) but not imported.
	Errors []ManifestError
	Report *Report
}

// Fetch fetches one capture with cl, writes it under root and, when every
// request succeeded, imports it. An incomplete capture never replaces a
// complete one: it is written apart (".incomplete") and not imported.
func (im *Importer) Fetch(ctx context.Context, cl *Client, root, province string, p scoring.Period, source string) (*FetchResult, error) {
	f, err := cl.Fetch(ctx, province, p)
	if err != nil {
		return nil, err
	}
	dir, err := f.Write(root)
	if err != nil {
		return nil, err
	}
	res := &FetchResult{Period: p, Dir: dir, Errors: f.Manifest.Errors}
	if !f.Complete() {
		return res, nil
	}
	// Read back what was written: the import checks the files as stored.
	res.Report, err = im.ImportCapture(ctx, dir, source)
	if err != nil {
		return res, err
	}
	return res, nil
}
