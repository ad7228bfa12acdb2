package portal_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"scorecard/data"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/store"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(t.TempDir(), "t.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func importer(t testing.TB, st *store.Store) *portal.Importer {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return portal.NewImporter(st, s)
}

func mustImport(t testing.TB, im *portal.Importer, path string) *portal.Report {
	t.Helper()
	rep, err := im.ImportCapture(context.Background(), path, models.SourceCLI)
	if err != nil {
		var pe *portal.ProblemsError
		if errors.As(err, &pe) {
			for _, l := range pe.Lines(i18n.EN) {
				t.Log(l)
			}
		}
		t.Fatal(err)
	}
	return rep
}

func TestImportCapture(t *testing.T) {
	st := openStore(t)
	im := importer(t, st)
	rep := mustImport(t, im, fixture)
	t.Log(rep.Text(i18n.VI))
	t.Log(rep.Text(i18n.EN))
	rep2 := mustImport(t, im, fixture)
	if !rep2.Already {
		t.Errorf("second import: %+v", rep2)
	}
}
