package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/data/demo"
)

// TestGenDossiersAndImport: gen-dossiers writes the dossiers and their
// catalogue, the same seed the same bytes; the usage text documents it;
// the demo units, the catalogue and the dossiers then import.
func TestGenDossiersAndImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "d.csv")
	r := runCLI(t, ctx, nil, "gen-dossiers", "--rows", "3000", "--months", "3", "--seed", "2", out)
	if r.code != 0 || !strings.Contains(r.stdout, "d.catalogue.csv") {
		t.Fatalf("gen-dossiers: %+v", r)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(first, []byte{'\n'}); n != 3001 {
		t.Fatalf("%d lines, want a header and 3000 rows", n)
	}
	if r := runCLI(t, ctx, nil, "gen-dossiers", "--rows", "3000", "--months", "3", "--seed", "2", out); r.code != 0 {
		t.Fatal(r)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, first) {
		t.Error("the same seed wrote other bytes")
	}
	for _, bad := range [][]string{{"gen-dossiers"}, {"gen-dossiers", "--end", "2024-Q1", out}, {"gen-dossiers", "--months", "0", out}} {
		if r := runCLI(t, ctx, nil, bad...); r.code != 2 {
			t.Errorf("%v: %+v", bad, r)
		}
	}
	if r := runCLI(t, ctx, nil, "--help"); !strings.Contains(r.stdout, "scorecard gen-dossiers [--rows N] [--months M] [--seed S]") {
		t.Error("gen-dossiers is not in the usage text")
	}

	units := writeFile(t, dir, "units.csv", string(demo.Files()[0].Data))
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "x.db")}
	r = runCLI(t, ctx, env, "import", units, filepath.Join(dir, "d.catalogue.csv"), out)
	if r.code != 0 || !strings.Contains(r.stdout, "d.csv: đã nhập 3.000 dòng hồ sơ (3.000 mới") || strings.Contains(r.stderr, "\r") {
		t.Fatalf("import: %+v", r)
	}
}
