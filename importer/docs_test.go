package importer

import (
	"os"
	"strings"
	"testing"

	"scorecard/data"
)

// The users' documentation of the files (docs/import-files.md) names every
// column of every kind of file the importer reads, and gives each kind's
// header as a file would have it; docs/metrics.md explains every metric
// code of the shipped schemes. A column or a metric added without its
// documentation fails here.
func TestDocsNameEveryColumnAndMetric(t *testing.T) {
	files, err := os.ReadFile("../docs/import-files.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(files)
	for _, k := range fileKinds {
		var required []string
		for _, c := range k.Columns {
			if !c.Optional {
				required = append(required, c.Name)
			}
			if !strings.Contains(doc, "| `"+c.Name+"` |") {
				t.Errorf("docs/import-files.md has no row for the column %s of the %s file", c.Name, k.Name)
			}
		}
		header := strings.Join(required, ",")
		if !strings.Contains(doc, "\n    "+header+"\n") {
			t.Errorf("docs/import-files.md has no example of the %s file starting with its header %s", k.Name, header)
		}
	}

	metrics, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	schemes, err := data.SchemeList()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range schemes {
		for _, g := range s.Groups {
			if !strings.Contains(string(metrics), "### "+g.Code+" — ") {
				t.Errorf("docs/metrics.md has no section for the group %s of %s", g.Code, s.ID)
			}
		}
		for _, m := range s.Metrics {
			n++
			// The row gives the code, then its Vietnamese name (its meaning).
			if !strings.Contains(string(metrics), "| `"+m.Code+"` | "+m.NameVI+" ") {
				t.Errorf("docs/metrics.md does not explain the metric %s of %s (%s)", m.Code, s.ID, m.NameVI)
			}
		}
	}
	if n == 0 {
		t.Fatal("no metric in the shipped schemes")
	}
}
