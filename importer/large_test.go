package importer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"scorecard/internal/storetest"
)

// TestLargeImport: a counts file of 20 000 rows (a busy province's
// quarter) goes through validation and one transaction.
func TestLargeImport(t *testing.T) { storetest.Run(t, testLargeImport) }

func testLargeImport(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	var u strings.Builder
	u.WriteString(unitsHeader + "P,Tỉnh,province,\n")
	for i := 0; i < 199; i++ {
		fmt.Fprintf(&u, "P.%03d,Sở số %d,agency,P\n", i, i)
	}
	f.load(t, "units.csv", u.String())
	// Every metric of the scheme for 200 units, month after month.
	metrics := f.im.schemes.Latest().Metrics
	var c strings.Builder
	c.WriteString(countsHeader)
	rows := 0
	for m := 1; rows < 20000; m++ {
		for i := -1; i < 199 && rows < 20000; i++ {
			code := "P"
			if i >= 0 {
				code = fmt.Sprintf("P.%03d", i)
			}
			for _, mt := range metrics {
				if rows == 20000 {
					break
				}
				fmt.Fprintf(&c, "%04d-%02d,%s,%s,%d,%d\n", 2020+(m-1)/12, (m-1)%12+1, code, mt.Code, rows%50, 50)
				rows++
			}
		}
	}
	start := time.Now()
	rep := f.load(t, "counts.csv", c.String())
	elapsed := time.Since(start)
	t.Logf("imported %d rows (%d KB) in %v", rep.Rows, c.Len()>>10, elapsed)
	if rep.Rows != 20000 || rep.Inserted != 20000 {
		t.Fatalf("%+v", rep)
	}
}
