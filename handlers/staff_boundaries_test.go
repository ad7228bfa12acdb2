package handlers

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/internal/storetest"
)

// A boundaries file is imported on the staff's page like the others: a
// valid one passes the preview, one naming an agency is refused with the
// importer's message.
func TestStaffImportBoundaries(t *testing.T) { storetest.Run(t, testStaffImportBoundaries) }

func testStaffImportBoundaries(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")
	poly := `{"type":"Polygon","coordinates":[[[105.8,22.1],[105.9,22.1],[105.9,22.2],[105.8,22.1]]]}`
	ok := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"BK.BABE"},"geometry":` + poly + `}]}`
	if r := office.upload("/staff/import", "ranh-gioi.geojson", ok); r.status != fiber.StatusOK || !confirmAction.MatchString(r.body) {
		t.Errorf("a valid boundaries file does not pass the preview: %d %s", r.status, r.body)
	}
	bad := strings.Replace(ok, "BK.BABE", "BK.STC", 1)
	if r := office.upload("/staff/import", "ranh-gioi.geojson", bad); !strings.Contains(r.body, "cơ quan không có địa giới") {
		t.Errorf("a boundary of an agency is not refused with the importer's message: %d %s", r.status, r.body)
	}
}
