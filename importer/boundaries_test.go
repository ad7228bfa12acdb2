package importer

import (
	"context"
	"strings"
	"testing"

	"scorecard/data/demo"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
)

const square = `{"type":"Polygon","coordinates":[[[105.8,22.1],[105.9,22.1],[105.9,22.2],[105.8,22.2],[105.8,22.1]]]}`

func geoFile(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func feat(code, geometry string) string {
	return `{"type":"Feature","properties":{"code":"` + code + `"},"geometry":` + geometry + `}`
}

// A boundaries file is checked whole: every feature a known territorial
// unit, once, with a valid closed Polygon or MultiPolygon; any problem
// refuses it with a clear message and changes nothing. The demo's
// illustrative boundaries import; importing them again changes nothing.
func TestBoundaries(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testBoundaries)
}

func testBoundaries(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", mergerUnits)
	rep := f.load(t, "ranh-gioi.geojson", geoFile(feat("BK.BABE.CHORA", square), feat("TN.BABE", square)))
	if rep.Kind != models.ImportBoundaries || rep.Inserted != 2 {
		t.Errorf("report %+v", rep)
	}
	got, err := f.st.Boundaries(context.Background())
	if err != nil || len(got) != 2 || !strings.Contains(got["TN.BABE"], `"Polygon"`) {
		t.Fatalf("boundaries %v (%v)", got, err)
	}
	bad := []struct{ file, want string }{
		{`{"type":"Feature"}`, "FeatureCollection"},
		{geoFile(), "không có đối tượng"},
		{geoFile(feat("XX.NONE", square)), `Mã đơn vị "XX.NONE" chưa có trong danh sách đơn vị`},
		{geoFile(feat("BK.STC", square)), "cơ quan không có địa giới"},
		{geoFile(feat("TN.BABE", square), feat("TN.BABE", square)), "đã có ở đối tượng features[0]"},
		{geoFile(feat("TN.BABE", `{"type":"Point","coordinates":[105.8,22.1]}`)), "Polygon hoặc MultiPolygon"},
		{geoFile(feat("TN.BABE", `{"type":"Polygon","coordinates":[[[105.8,22.1],[105.9,22.1],[105.9,22.2],[105.8,22.25]]]}`)), "không khép kín"},
		{geoFile(feat("TN.BABE", `{"type":"Polygon","coordinates":[[[105.8,22.1],[205.9,22.1],[105.9,22.2],[105.8,22.1]]]}`)), "kinh độ, vĩ độ hợp lệ"},
		{geoFile(feat("TN.BABE", `{"type":"Polygon","coordinates":[[[105.8,22.1],[105.8,22.1]]]}`)), "ít hơn 4 điểm"},
		{geoFile(feat("TN.BABE", `null`)), "không có hình học"},
		{`{"type":"FeatureCollection","features":[` + strings.Repeat(" ", MaxBoundaryBytes) + `]}`, "quá lớn: tối đa 16 MB"},
	}
	for _, b := range bad {
		pe := f.refuse(t, "ranh-gioi.geojson", []byte(b.file))
		msg := strings.Join(pe.Lines(i18n.VI), "\n")
		if !strings.Contains(msg, b.want) {
			t.Errorf("%.80s: %s, want %q", b.file, msg, b.want)
		}
	}
	after, _ := f.st.Boundaries(context.Background())
	if len(after) != 2 {
		t.Errorf("a refused file changed the boundaries: %d", len(after))
	}
}

func TestDemoBoundaries(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"units.csv", "units-thai-nguyen.csv"} {
		file, _ := demo.Lookup(name)
		f.load(t, name, string(file.Data))
	}
	geo, err := demo.Boundaries()
	if err != nil {
		t.Fatal(err)
	}
	rep := f.load(t, demo.BoundariesName, string(geo))
	if rep.Inserted != 44+40 {
		t.Errorf("demo boundaries: %+v, want the 44 communes of Bắc Kạn and the 40 of Thái Nguyên", rep)
	}
	if rep := f.load(t, demo.BoundariesName, string(geo)); rep.Unchanged != rep.Rows {
		t.Errorf("importing them again: %+v", rep)
	}
}
