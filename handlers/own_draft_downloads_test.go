package handlers

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A unit account sees its own unit's draft on the unit page, but the
// downloads serve published figures only: the page offers no download
// link that would answer 404, while a published period keeps its links
// and they work.
func TestOwnDraftOffersNoBrokenDownloads(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	unit := f.client()
	unit.login("sogtvt")
	r := unit.get("/units/BK.SGTVT?period=2024-05")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, "6.173") {
		t.Fatalf("own draft: %d, draft figures shown %v", r.status, strings.Contains(r.body, "6.173"))
	}
	if strings.Contains(r.body, "/export/units/BK.SGTVT?period=2024-05") {
		t.Errorf("the own draft's page links a download of it")
	}
	if d := unit.get("/export/units/BK.SGTVT?period=2024-05&format=csv"); d.status == fiber.StatusOK {
		t.Errorf("the draft is downloadable after all (%d): the page could offer it", d.status)
	}
	r = unit.get("/units/BK.SGTVT?period=2024-04")
	const link = "/export/units/BK.SGTVT?period=2024-04&amp;format=csv"
	if !strings.Contains(r.body, link) {
		t.Fatalf("a published period's page lacks its download link")
	}
	if d := unit.get(strings.ReplaceAll(link, "&amp;", "&")); d.status != fiber.StatusOK {
		t.Errorf("a published period's download: %d", d.status)
	}
}
