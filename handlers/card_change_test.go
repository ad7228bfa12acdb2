package handlers

import (
	"regexp"
	"strings"
	"testing"

	"scorecard/scoring"
)

// hiddenFromReaders matches an element hidden from screen readers, with its
// text (no element of the same name nested in it).
var hiddenFromReaders = regexp.MustCompile(`<(span|p)[^>]*aria-hidden="true"[^>]*>[^<]*</(?:span|p)>`)

// anyTag matches a tag, attributes (a title) and all: what is left is text.
var anyTag = regexp.MustCompile(`<[^>]*>`)

// The "since the previous period" card says the change once to a screen
// reader: the arrow and number are hidden and spoken as a sentence, so the
// same sentence written under them for the eye is not read a second time.
func TestCardChangeSpokenOnce(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	for _, path := range []string{"/?period=2026-10", "/units/TN.SYT?period=2026-10"} {
		_, _, body := get(t, app, path)
		i := strings.Index(body, `<p class="card-label">So với kỳ trước</p>`)
		if i < 0 {
			t.Fatalf("%s: no change card", path)
		}
		card := body[i:]
		card = card[:strings.Index(card, "</div>")]
		spoken := anyTag.ReplaceAllString(hiddenFromReaders.ReplaceAllString(card, ""), " ")
		if n := strings.Count(spoken, "điểm so với kỳ trước"); n != 1 {
			t.Errorf("%s: a screen reader hears the change %d times in %s", path, n, card)
		}
	}
}

// A unit without figures in the period has a previous period all the same:
// its change card says it has no data, not that there is nothing before.
func TestCardChangeWithoutData(t *testing.T) {
	t.Parallel()
	src := demoDS(t)
	ds := *src
	ds.Own, ds.Dossier = map[scoring.Key]scoring.Counts{}, map[scoring.Key]scoring.Counts{}
	for k, v := range src.Own {
		if k.Unit != "TN.SNV" || k.Period != "2026-10" {
			ds.Own[k] = v
		}
	}
	for k, v := range src.Dossier {
		if k.Unit != "TN.SNV" || k.Period != "2026-10" {
			ds.Dossier[k] = v
		}
	}
	app, _ := newPageApp(t, pageSource{ds: &ds, demo: true})
	_, _, body := get(t, app, "/units/TN.SNV?period=2026-10")
	if !strings.Contains(body, "chưa xếp hạng") {
		t.Fatal("TN.SNV still has data in 10/2026: the test needs a unit without")
	}
	i := strings.Index(body, `<p class="card-label">So với kỳ trước</p>`)
	if i < 0 {
		t.Fatal("no change card")
	}
	card := body[i:]
	card = card[:strings.Index(card, "</div>")]
	if strings.Contains(card, "chưa có kỳ trước") || !strings.Contains(card, "chưa có dữ liệu") {
		t.Errorf("change card of a unit without data in 10/2026 (with 09/2026 before it): %s", card)
	}
}
