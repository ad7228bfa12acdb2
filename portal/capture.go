package portal

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"scorecard/internal/filesniff"
	"scorecard/scoring"
)

// Limits bound what a capture may hold: a stranger's zip must not fill
// the memory or the disk. A real capture of a 160-unit province is about
// 1 MB in six files.
type Limits struct {
	// MaxFileBytes is the largest response file.
	MaxFileBytes int64
	// MaxCaptureBytes is the most a capture may hold, all files together,
	// uncompressed (and the largest zip file).
	MaxCaptureBytes int64
	// MaxFiles is the most files a capture (or a zip) may hold.
	MaxFiles int
}

// DefaultLimits leave room for a province of several thousand units.
var DefaultLimits = Limits{MaxFileBytes: 32 << 20, MaxCaptureBytes: 256 << 20, MaxFiles: 2000}

// File is one file of a capture: its name inside the capture and bytes.
type File struct {
	Name string
	Data []byte
}

// SHA256 is the file's hash in hex.
func (f File) SHA256() string {
	s := sha256.Sum256(f.Data)
	return hex.EncodeToString(s[:])
}

// Capture is a capture read and checked: one province, one period, one
// moment, and the pages of its responses.
type Capture struct {
	// Name is the folder or zip (or the first file of bare responses).
	Name       string
	ProvinceID string
	// ProvinceCode and ProvinceName are "" until a response or the
	// manifest gives them.
	ProvinceCode, ProvinceName string
	Period                     scoring.Period
	AsOf                       time.Time
	// Bare marks responses imported without a manifest (--period,
	// --as-of): some endpoints only, and units named by id must already
	// be known.
	Bare bool
	// Pages holds each endpoint's responses, page 1 first.
	Pages map[Endpoint][]*Response
	// Files are the raw files, byte for byte, manifest included.
	Files []CaptureFile
}

// CaptureFile is a raw file of a capture with what it answered.
type CaptureFile struct {
	File
	Endpoint Endpoint // "" for the manifest
	Page     int
}

// Complete reports whether every endpoint is there.
func (c *Capture) Complete() bool {
	for _, e := range Endpoints {
		if len(c.Pages[e]) == 0 {
			return false
		}
	}
	return true
}

// Reader reads portal responses and captures.
type Reader struct {
	Schemes *scoring.Schemes
	Limits  Limits
}

// NewReader returns a reader checking metric codes against schemes.
func NewReader(schemes *scoring.Schemes) *Reader {
	return &Reader{Schemes: schemes, Limits: DefaultLimits}
}

func (rd *Reader) limits() Limits {
	l := rd.Limits
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxCaptureBytes <= 0 {
		l.MaxCaptureBytes = DefaultLimits.MaxCaptureBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	return l
}

// IsCapture reports whether path is a capture: a folder or a zip whose
// root (or, in a zip, single top folder) holds a manifest.
func IsCapture(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		m, err := os.Stat(filepath.Join(path, ManifestName))
		return err == nil && m.Mode().IsRegular()
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer func() { _ = zr.Close() }()
	names := make([]string, 0, len(zr.File))
	for i, f := range zr.File {
		if i > DefaultLimits.MaxFiles {
			break
		}
		names = append(names, f.Name)
	}
	_, ok := manifestIn(names)
	return ok
}

// manifestIn finds the manifest among zip entry names: at the root, or
// under one top folder (a zipped capture folder). prefix is that folder
// with its slash, "" at the root.
func manifestIn(names []string) (prefix string, ok bool) {
	for _, n := range names {
		if n == ManifestName {
			return "", true
		}
	}
	for _, n := range names {
		dir, base := path.Split(n)
		if base == ManifestName && strings.Count(dir, "/") == 1 {
			return dir, true
		}
	}
	return "", false
}

// ReadCapture reads the capture at path, a folder or a zip. A refusal is
// a *ProblemsError naming the file and the place; other errors are
// failures to read.
func (rd *Reader) ReadCapture(path string) (*Capture, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	name := filepath.Base(path)
	var ps problems
	var files []File
	if fi.IsDir() {
		files, err = rd.readDir(path, &ps)
	} else {
		files, err = rd.readZip(path, fi.Size(), &ps)
	}
	if err != nil {
		return nil, err
	}
	if !ps.empty() {
		return nil, ps.err(name)
	}
	return rd.Assemble(name, files, nil, scoring.Period{}, time.Time{})
}

// readDir reads the JSON files of a capture folder (and its subfolders),
// bounded by the limits.
func (rd *Reader) readDir(root string, ps *problems) ([]File, error) {
	lim := rd.limits()
	var files []File
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") && p != root {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // a link could point anywhere
		}
		if len(files) >= lim.MaxFiles {
			ps.add("", "", "portal.problem.toomanyfiles", lim.MaxFiles)
			return errStop
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() > lim.MaxFileBytes {
			ps.add(rel, "", "portal.problem.toolarge", mb(fi.Size()), mb(lim.MaxFileBytes))
			return nil
		}
		if total += fi.Size(); total > lim.MaxCaptureBytes {
			ps.add("", "", "portal.problem.capturetoolarge", mb(lim.MaxCaptureBytes))
			return errStop
		}
		b, err := readLimited(p, lim.MaxFileBytes)
		if err != nil {
			return err
		}
		files = append(files, File{Name: rel, Data: b})
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("portal: read %s: %w", root, err)
	}
	return files, nil
}

var errStop = errors.New("stop")

// mb is n bytes in megabytes, rounded up: a file of 1 byte over the
// limit is not "32 MB".
func mb(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

// readLimited reads a file, never more than limit bytes (it may grow
// while read).
func readLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s grew past %d bytes while read", p, limit)
	}
	return b, nil
}

// readZip reads the JSON entries of a zipped capture. The sizes an archive
// declares are not trusted: each entry is read through a limit, so a zip
// bomb stops at the limit whatever its headers say.
func (rd *Reader) readZip(p string, size int64, ps *problems) ([]File, error) {
	lim := rd.limits()
	name := filepath.Base(p)
	if size > lim.MaxCaptureBytes {
		ps.add(name, "", "portal.problem.toolarge", mb(size), mb(lim.MaxCaptureBytes))
		return nil, nil
	}
	head, err := readHead(p)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if filesniff.Sniff(head, name) != filesniff.XLSX { // a zip archive, whatever its name
		ps.add(name, "", "portal.problem.notcapture")
		return nil, nil
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		ps.add(name, "", "portal.problem.badzip", err.Error())
		return nil, nil
	}
	defer func() { _ = zr.Close() }()
	if len(zr.File) > lim.MaxFiles {
		ps.add(name, "", "portal.problem.toomanyfiles", lim.MaxFiles)
		return nil, nil
	}
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	prefix, _ := manifestIn(names)
	var files []File
	var total int64
	for _, f := range zr.File {
		n := strings.TrimPrefix(f.Name, prefix)
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(n), ".json") || strings.HasPrefix(path.Base(n), ".") ||
			strings.HasPrefix(n, "__MACOSX/") {
			continue
		}
		if f.UncompressedSize64 > uint64(lim.MaxFileBytes) {
			ps.add(n, "", "portal.problem.toolarge", mb(int64(min(f.UncompressedSize64, 1<<62))), mb(lim.MaxFileBytes))
			continue
		}
		rc, err := f.Open()
		if err != nil {
			ps.add(n, "", "portal.problem.badzip", err.Error())
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, lim.MaxFileBytes+1))
		_ = rc.Close()
		if err != nil {
			ps.add(n, "", "portal.problem.badzip", err.Error())
			continue
		}
		if int64(len(b)) > lim.MaxFileBytes {
			ps.add(n, "", "portal.problem.bomb", mb(lim.MaxFileBytes))
			return nil, nil
		}
		if total += int64(len(b)); total > lim.MaxCaptureBytes {
			ps.add(name, "", "portal.problem.capturetoolarge", mb(lim.MaxCaptureBytes))
			return nil, nil
		}
		files = append(files, File{Name: n, Data: b})
	}
	return files, nil
}

func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// ReadResponses reads bare response files (no manifest): period and asOf
// say what they are.
func (rd *Reader) ReadResponses(paths []string, period scoring.Period, asOf time.Time) (*Capture, error) {
	if len(paths) == 0 {
		return nil, errors.New("portal: no response file")
	}
	lim := rd.limits()
	var ps problems
	var files []File
	seen := map[string]bool{}
	var total int64
	for _, p := range paths {
		name := filepath.Base(p)
		if seen[name] {
			name = filepath.ToSlash(p)
		}
		seen[name] = true
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		if fi.IsDir() {
			ps.add(name, "", "portal.problem.folderasresponse")
			continue
		}
		if fi.Size() > lim.MaxFileBytes {
			ps.add(name, "", "portal.problem.toolarge", mb(fi.Size()), mb(lim.MaxFileBytes))
			continue
		}
		if total += fi.Size(); total > lim.MaxCaptureBytes {
			ps.add("", "", "portal.problem.capturetoolarge", mb(lim.MaxCaptureBytes))
			break
		}
		b, err := readLimited(p, lim.MaxFileBytes)
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		files = append(files, File{Name: name, Data: b})
	}
	if !ps.empty() {
		return nil, ps.err(filepath.Base(paths[0]))
	}
	return rd.Assemble(filepath.Base(paths[0]), files, nil, period, asOf)
}

// Assemble checks a capture's files and puts its pages in order. With a
// manifest among the files (or given), the manifest says the province,
// period and moment; without one, the files are bare responses and period
// and asOf must be given.
func (rd *Reader) Assemble(name string, files []File, m *Manifest, period scoring.Period, asOf time.Time) (*Capture, error) {
	var ps problems
	c := &Capture{Name: name, Pages: map[Endpoint][]*Response{}}
	var responses []File
	for _, f := range files {
		if path.Base(f.Name) == ManifestName && m == nil {
			mm, ok := parseManifest(f.Data, &ps)
			if !ok {
				return nil, ps.err(name)
			}
			m = mm
			c.Files = append(c.Files, CaptureFile{File: f})
			continue
		}
		responses = append(responses, f)
	}
	if m == nil {
		if period.IsZero() || asOf.IsZero() {
			ps.add("", "", "portal.problem.nomanifest", ManifestName)
			return nil, ps.err(name)
		}
		c.Bare = true
	} else {
		if m.Complete != nil && !*m.Complete {
			ps.add(ManifestName, "complete", "portal.problem.incomplete")
			for _, e := range m.Errors {
				ps.add(ManifestName, "errors", "portal.problem.failedrequest", string(e.Endpoint), e.Page, e.Error)
			}
			return nil, ps.err(name)
		}
		mp, err := m.period()
		if err != nil {
			ps.add(ManifestName, "timeType", "portal.problem.manifest.period", err.Error())
			return nil, ps.err(name)
		}
		period, asOf = mp, m.capturedAt()
		c.ProvinceID, c.ProvinceCode, c.ProvinceName = strings.TrimSpace(m.ProvinceID), strings.TrimSpace(m.ProvinceCode), strings.TrimSpace(m.ProvinceName)
	}
	if !period.IsZero() && !Supported(period) {
		ps.add("", "", "portal.problem.period", period.String())
		return nil, ps.err(name)
	}
	if len(responses) == 0 {
		ps.add("", "", "portal.problem.noresponses")
		return nil, ps.err(name)
	}
	sort.Slice(responses, func(i, j int) bool { return responses[i].Name < responses[j].Name })

	entries := map[string]*ManifestResponse{}
	if m != nil {
		for i := range m.Responses {
			r := &m.Responses[i]
			entries[r.File] = r
		}
		for _, r := range m.Responses {
			if !hasFile(responses, r.File) {
				ps.add(ManifestName, "responses", "portal.problem.manifest.nofile", quote(r.File))
			}
		}
	}
	p := parser{schemes: rd.Schemes}
	for _, f := range responses {
		if m != nil && len(m.Responses) > 0 && entries[f.Name] == nil {
			ps.add(f.Name, "", "portal.problem.manifest.unlisted")
			continue
		}
		r := p.parse(f.Name, f.Data, &ps)
		if r == nil {
			continue
		}
		if e := entries[f.Name]; e != nil {
			rd.checkEntry(c, e, f, r, &period, &ps)
		}
		if r.Page == 0 {
			r.Page = 1
		}
		c.Pages[r.Endpoint] = append(c.Pages[r.Endpoint], r)
		c.Files = append(c.Files, CaptureFile{File: f, Endpoint: r.Endpoint, Page: r.Page})
	}
	if !ps.empty() {
		return nil, ps.err(name)
	}
	if period.IsZero() {
		ps.add(ManifestName, "", "portal.problem.manifest.noperiod")
		return nil, ps.err(name)
	}
	c.Period, c.AsOf = period, asOf.UTC()
	checkPages(c, &ps)
	checkProvince(c, &ps)
	if !c.Bare {
		for _, e := range Endpoints {
			if len(c.Pages[e]) == 0 {
				ps.add("", "", "portal.problem.missingendpoint", string(e))
			}
		}
	}
	if !ps.empty() {
		return nil, ps.err(name)
	}
	return c, nil
}

func hasFile(files []File, name string) bool {
	for _, f := range files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// checkEntry compares a response with what the manifest says was asked:
// the endpoint, the page, the province, the period, no procedure filter,
// and the file's hash.
func (rd *Reader) checkEntry(c *Capture, e *ManifestResponse, f File, r *Response, period *scoring.Period, ps *problems) {
	if e.SHA256 != "" && !strings.EqualFold(e.SHA256, f.SHA256()) {
		ps.add(f.Name, "", "portal.problem.hash")
	}
	if e.Endpoint != "" && e.Endpoint != r.Endpoint {
		ps.add(f.Name, "", "portal.problem.endpoint", string(e.Endpoint), string(r.Endpoint))
	}
	if e.Page != 0 && r.Paged && e.Page != r.Page {
		ps.add(f.Name, "pagination.currentPage", "portal.problem.page", e.Page, r.Page)
	}
	if r.Page == 0 && e.Page > 0 {
		r.Page = e.Page
	}
	req := e.Request
	if req == nil {
		return
	}
	if req.FormalityID != "" || req.FormalityIDMDSH != "" {
		ps.add(f.Name, "", "portal.problem.formality")
	}
	if req.RootDepartmentID != "" && req.RootDepartmentID != c.ProvinceID {
		ps.add(f.Name, "", "portal.problem.tworequestprovinces", quote(req.RootDepartmentID), quote(c.ProvinceID))
	}
	rp, err := req.Period()
	if err != nil {
		ps.add(f.Name, "", "portal.problem.manifest.period", err.Error())
		return
	}
	switch {
	case period.IsZero():
		*period = rp
	case rp != *period:
		ps.add(f.Name, "", "portal.problem.twoperiods", rp.String(), period.String())
	}
}

// checkPages requires, for each endpoint, pages 1 … N each once, agreeing
// on N and on the number of units, and no unit on two pages.
func checkPages(c *Capture, ps *problems) {
	for _, e := range Endpoints {
		pages := c.Pages[e]
		if len(pages) == 0 {
			continue
		}
		sort.SliceStable(pages, func(i, j int) bool { return pages[i].Page < pages[j].Page })
		first := pages[0]
		want := 1
		if first.Paged {
			want = max(first.TotalPages, 1)
		}
		got := map[int]string{}
		for _, r := range pages {
			if prev, dup := got[r.Page]; dup {
				ps.add(r.File, "", "portal.problem.duppage", string(e), r.Page, prev)
				continue
			}
			got[r.Page] = r.File
			if r.Paged != first.Paged || r.TotalPages != first.TotalPages || r.Total != first.Total {
				ps.add(r.File, "pagination", "portal.problem.pagesdisagree", string(e), first.File)
			}
		}
		for n := 1; n <= want; n++ {
			if _, ok := got[n]; !ok {
				ps.add("", "", "portal.problem.missingpage", string(e), n, want)
			}
		}
		if len(got) > want {
			ps.add(pages[len(pages)-1].File, "", "portal.problem.extrapage", string(e), want)
		}
		seen := map[string]string{}
		units := 0
		for _, r := range pages {
			for _, u := range r.Units {
				if prev, dup := seen[u.ID]; dup {
					ps.add(r.File, u.Place, "portal.problem.dupunit", quote(u.ID), prev)
					continue
				}
				seen[u.ID] = r.File
				units++
			}
		}
		if first.Paged && first.Total > 0 && units != first.Total && ps.empty() {
			ps.add("", "", "portal.problem.unitcount", string(e), units, first.Total)
		}
		c.Pages[e] = pages
	}
}

// checkProvince requires every response to be of the same province (its
// root department), agreeing with the manifest, and takes the province's
// code and name from the responses that give them.
func checkProvince(c *Capture, ps *problems) {
	for _, e := range Endpoints {
		for _, r := range c.Pages[e] {
			root := r.Root
			if c.ProvinceID == "" {
				c.ProvinceID = root.ID
			}
			if root.ID != c.ProvinceID {
				ps.add(r.File, root.Place+".departmentId", "portal.problem.twoprovinces", quote(root.ID), quote(c.ProvinceID))
				continue
			}
			if root.Code != "" {
				switch {
				case c.ProvinceCode == "":
					c.ProvinceCode = root.Code
				case c.ProvinceCode != root.Code:
					ps.add(r.File, root.Place+".departmentCode", "portal.problem.provincecode", quote(root.Code), quote(c.ProvinceCode))
				}
			}
			if c.ProvinceName == "" {
				c.ProvinceName = root.Name
			}
		}
	}
	if c.ProvinceCode != "" {
		if why := idProblem(c.ProvinceCode); why != "" {
			ps.add(ManifestName, "provinceCode", "portal.problem.badcode", quote(c.ProvinceCode))
		}
	}
}

// Fingerprint identifies a capture's content: its province, period,
// moment and the hashes of its response files. The same capture imported
// twice has the same fingerprint.
func (c *Capture) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", c.ProvinceID, c.Period, c.AsOf.UTC().Format(time.RFC3339Nano))
	var sums []string
	for _, f := range c.Files {
		if f.Endpoint != "" {
			sums = append(sums, f.SHA256())
		}
	}
	sort.Strings(sums)
	for _, s := range sums {
		fmt.Fprintln(h, s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ReadManifest reads the manifest of a capture folder, for tools that list
// captures; nil without one.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := readLimited(filepath.Join(dir, ManifestName), 1<<20)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	var ps problems
	m, ok := parseManifest(b, &ps)
	if !ok {
		return nil, ps.err(dir)
	}
	return m, nil
}
