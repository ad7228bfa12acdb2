package portal_test

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"scorecard/portal"
)

// zipOf zips a capture folder (under one top folder, as a file manager
// does) and returns the zip's path.
func zipOf(t testing.TB, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(filepath.Base(dir) + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// variant copies the fixture capture into a new folder, letting edit change
// each file (name without folder, bytes) and the manifest; the manifest's
// hashes and sizes follow the edited files. edit returns nil to leave a
// file out.
func variant(t testing.TB, edit func(name string, b []byte) []byte, editManifest func(m *portal.Manifest)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "capture")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := portal.ReadManifest(fixture)
	if err != nil {
		t.Fatal(err)
	}
	var kept []portal.ManifestResponse
	for _, r := range m.Responses {
		b, err := os.ReadFile(filepath.Join(fixture, r.File))
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(r.File, b)
		}
		if b == nil {
			continue
		}
		f := portal.File{Name: r.File, Data: b}
		r.SHA256, r.Bytes = f.SHA256(), int64(len(b))
		kept = append(kept, r)
		if err := os.WriteFile(filepath.Join(dir, r.File), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m.Responses = kept
	if editManifest != nil {
		editManifest(m)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, portal.ManifestName), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
