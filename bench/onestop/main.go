// Command onestop writes a dossier file shaped as a provincial one-stop
// centre exports it, for bench/dossiers.sh: a few units with very many
// dossiers each, dossier codes numbered in the order the rows come
// (D00000000, D00000001, …) and received times drawn at random over the
// months and the days before them, so that the file's order says nothing
// of a dossier's unit or time. It is written on purpose without the demo
// generator (dossier.Generate), whose codes start with the office and the
// day: the import must be fast on files it has not been shaped for.
//
// Next to OUT.csv it writes OUT.units.csv (a province and its units) and
// OUT.catalogue.csv (the units' procedures); import them in that order.
//
//	go run ./bench/onestop -rows 1000000 -out /tmp/onestop.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "onestop:", err)
		os.Exit(1)
	}
}

type options struct {
	rows, units, procedures, months, leadDays int
	end                                       string
	seed                                      uint64
	out                                       string
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("onestop", flag.ContinueOnError)
	fs.IntVar(&o.rows, "rows", 1_000_000, "dossiers")
	fs.IntVar(&o.units, "units", 4, "units (the centre's counters)")
	fs.IntVar(&o.procedures, "procedures", 36, "procedures, shared out among the units")
	fs.IntVar(&o.months, "months", 3, "months the dossiers are received in")
	fs.IntVar(&o.leadDays, "lead-days", 20, "days before the first month that dossiers are received in too")
	fs.StringVar(&o.end, "end", "2024-04", "last month")
	fs.Uint64Var(&o.seed, "seed", 7, "seed: the same options write the same files")
	fs.StringVar(&o.out, "out", "/tmp/onestop.csv", "dossier file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.rows < 0 || o.units < 1 || o.procedures < o.units || o.months < 1 || o.leadDays < 0 || !strings.HasSuffix(o.out, ".csv") {
		return fmt.Errorf("bad options %+v", o)
	}
	start := time.Now()
	if err := write(o); err != nil {
		return err
	}
	fi, err := os.Stat(o.out)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d dossiers of %d units, %.1f MB, %.1f s\n", o.out, o.rows, o.units, float64(fi.Size())/1e6, time.Since(start).Seconds())
	return nil
}

// vn is the offices' time zone, fixed at +07:00.
var vn = time.FixedZone("+07", 7*3600)

type procedure struct {
	code, unit    string
	online, fee   bool
	result, indiv bool
	days          int
}

func write(o options) error {
	endMonth, err := time.ParseInLocation("2006-01", o.end, vn)
	if err != nil {
		return fmt.Errorf("-end %q: %w", o.end, err)
	}
	first := endMonth.AddDate(0, 1-o.months, 0)
	from := first.AddDate(0, 0, -o.leadDays)
	until := endMonth.AddDate(0, 1, 0) // the data is taken at the end of the last month
	rng := rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15))
	base := strings.TrimSuffix(o.out, ".csv")

	units := make([]string, o.units)
	var ub strings.Builder
	ub.WriteString("code,name,kind,parent_code\nTT,Tỉnh Thử nghiệm,province,\n")
	for i := range units {
		units[i] = fmt.Sprintf("TT.Q%02d", i+1)
		fmt.Fprintf(&ub, "%s,Quầy %d – Trung tâm Phục vụ hành chính công,agency,TT\n", units[i], i+1)
	}
	if err := os.WriteFile(base+".units.csv", []byte(ub.String()), 0o644); err != nil {
		return err
	}

	// The catalogue as of the month of the first dossier, in force after.
	procs := make([]procedure, o.procedures)
	var cb strings.Builder
	cb.WriteString("period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n")
	for i := range procs {
		p := procedure{code: fmt.Sprintf("2.%06d", 100+i), unit: units[i%o.units], online: rng.IntN(3) > 0,
			fee: rng.IntN(2) == 0, result: rng.IntN(4) > 0, indiv: rng.IntN(3) > 0, days: 1 + rng.IntN(15)}
		procs[i] = p
		level := "none"
		if p.online {
			level = "full"
		}
		fmt.Fprintf(&cb, "%s,%s,Thủ tục thử nghiệm số %d,%s,%s,%s,%s,%s\n", from.Format("2006-01"), p.code, i+1, p.unit,
			level, b(p.fee), b(p.indiv), b(p.indiv && rng.IntN(2) == 0))
	}
	if err := os.WriteFile(base+".catalogue.csv", []byte(cb.String()), 0o644); err != nil {
		return err
	}

	f, err := os.Create(o.out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,channel,fee_required,paid_online,e_result," +
		"digitized,reused_data,personal_store,citizen_data,synced,supplement_requests,rating\n")
	span := until.Unix() - from.Unix()
	var line []byte
	for n := 0; n < o.rows; n++ {
		p := &procs[rng.IntN(len(procs))]
		recv := from.Unix() + rng.Int64N(span)
		due := recv + int64(p.days)*86400
		fin := int64(-1)
		if x := rng.Float64(); x < 0.9 {
			fin = recv + int64(float64(due-recv)*rng.Float64())
		} else if x < 0.97 {
			fin = due + rng.Int64N(10*86400)
		}
		if fin >= until.Unix() {
			fin = -1 // still open when the data was taken
		}
		channel := "direct"
		if p.online && rng.IntN(2) == 0 {
			channel = "online"
		}
		paid := p.fee && channel == "online" && rng.IntN(3) > 0
		eres := ""
		if p.result {
			eres = b(rng.IntN(5) > 0)
		}
		rating := ""
		switch rng.IntN(20) {
		case 0:
			rating = "dissatisfied"
		case 1, 2, 3, 4, 5:
			rating = "satisfied"
		}
		line = line[:0]
		line = append(line, 'D')
		line = append(line, fmt.Sprintf("%08d", n)...)
		line = append(line, ',')
		line = append(line, p.unit...)
		line = append(line, ',')
		line = append(line, p.code...)
		line = append(line, ',')
		line = time.Unix(recv, 0).In(vn).AppendFormat(line, time.RFC3339)
		line = append(line, ',')
		line = time.Unix(due, 0).In(vn).AppendFormat(line, time.RFC3339)
		line = append(line, ',')
		if fin >= 0 {
			line = time.Unix(fin, 0).In(vn).AppendFormat(line, time.RFC3339)
		}
		for _, c := range []string{channel, b(p.fee), b(paid), eres, b(rng.IntN(4) > 0), b(rng.IntN(10) == 0), b(rng.IntN(8) == 0),
			b(p.indiv && rng.IntN(2) == 0), b(rng.IntN(10) > 0), strconv.Itoa(max(0, rng.IntN(12)-9)), rating} {
			line = append(line, ',')
			line = append(line, c...)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			_ = f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func b(v bool) string {
	if v {
		return "1"
	}
	return "0"
}
