package portaltest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"scorecard/portal"
	"scorecard/scoring"
)

// Files are the responses of a whole capture of p on day, every page of
// pageSize (0: the portal's page sizes), named as fetch names them.
func (pr *Province) Files(p scoring.Period, day, pageSize int) []portal.File {
	var out []portal.File
	for _, e := range portal.Endpoints {
		size := pageSize
		if size <= 0 {
			size = e.PageSize()
		}
		pages := 1
		if !e.Tree() {
			pages = max(1, (len(pr.members(p, day))-1+size-1)/size)
		}
		for page := 1; page <= pages; page++ {
			out = append(out, portal.File{Name: portal.FileName(e, page), Data: pr.Body(e, p, day, page, size)})
		}
	}
	return out
}

// Manifest describes files as a capture of p made at asOf.
func (pr *Province) Manifest(p scoring.Period, asOf time.Time, files []portal.File) portal.Manifest {
	complete := true
	m := portal.Manifest{Format: portal.ManifestFormat, Version: 1, ProvinceID: pr.ID, ProvinceCode: pr.Code, ProvinceName: pr.Name,
		CapturedAt: asOf.In(scoring.Location).Format(time.RFC3339), Complete: &complete}
	m.SetPeriod(p)
	for _, f := range files {
		e, page, ok := portal.ParseFileName(f.Name)
		if !ok {
			continue
		}
		req := portal.NewRequest(e, p, pr.ID, page)
		s := sha256.Sum256(f.Data)
		m.Responses = append(m.Responses, portal.ManifestResponse{File: f.Name, Endpoint: e, Page: page, Request: &req,
			Status: 201, Bytes: int64(len(f.Data)), SHA256: hex.EncodeToString(s[:])})
	}
	return m
}

// WriteCapture writes a whole capture of p on day, made at asOf, into a
// new folder under dir, and returns the folder.
func (pr *Province) WriteCapture(dir string, p scoring.Period, day int, asOf time.Time, pageSize int) (string, error) {
	files := pr.Files(p, day, pageSize)
	m := pr.Manifest(p, asOf, files)
	out := filepath.Join(dir, fmt.Sprintf("%s-%s-%s", pr.Code, p, asOf.In(scoring.Location).Format("20060102T150405")))
	return out, WriteFolder(out, m, files)
}

// WriteFolder writes a manifest and files into a new folder.
func WriteFolder(dir string, m portal.Manifest, files []portal.File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data, 0o644); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, portal.ManifestName), append(b, '\n'), 0o644)
}
