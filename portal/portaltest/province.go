// Package portaltest invents provinces whose answers have the exact shape
// of the national portal's six endpoints (portal.md), for tests and
// benchmarks of any size, and serves them, or the project's fixture
// captures, from a local replay server (server.go) that can be slow, fail
// or cut answers short. Nothing here reaches the internet.
//
// An invented province's figures are a pure function of the period and
// the day within it: the same arguments give the same bytes, and the
// flows (dossiers, petitions) grow day by day like a running period's.
// The scores it publishes are the engine's own (scoring.ScoreInputs), so
// an import reproduces them; the online-services group of a child unit
// is published as a score only, as the portal does.
package portaltest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"scorecard/portal"
	"scorecard/scoring"
)

// Unit is a unit of an invented province.
type Unit struct {
	ID, Code, Name string
	Level          string // portal.LevelProvince or portal.LevelCommune
	// volume is its dossiers per day.
	volume int64
}

// Province is an invented province.
type Province struct {
	ID, Code, Name string
	Units          []Unit
	schemes        *scoring.Schemes
	// Missing leaves units out of every answer (a unit gone from the
	// portal), by code.
	Missing map[string]bool
	// Renamed gives units new names, by code.
	Renamed map[string]string
}

// ID is a stable UUIDv7-shaped department id for a code.
func ID(code string) string {
	s := sha256.Sum256([]byte("portaltest:" + code))
	h := hex.EncodeToString(s[:16])
	return "019d" + h[4:8] + "-" + h[8:12] + "-7" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// NewProvince invents a province with the code (H90) and the given
// numbers of provincial agencies and communes.
func NewProvince(code string, agencies, communes int, schemes *scoring.Schemes) *Province {
	p := &Province{ID: ID(code), Code: code, Name: "UBND tỉnh Thử Nghiệm " + code, schemes: schemes,
		Missing: map[string]bool{}, Renamed: map[string]string{}}
	for i := 0; i < agencies; i++ {
		c := fmt.Sprintf("%s.%02d", code, i+1)
		p.Units = append(p.Units, Unit{ID: ID(c), Code: c, Name: fmt.Sprintf("Sở số %d - Tỉnh Thử Nghiệm", i+1),
			Level: portal.LevelProvince, volume: 3 + int64(i*53%97)})
	}
	for i := 0; i < communes; i++ {
		c := fmt.Sprintf("%s.%d", code, 100+i)
		kind := "xã"
		if i%5 == 0 {
			kind = "Phường"
		}
		p.Units = append(p.Units, Unit{ID: ID(c), Code: c, Name: fmt.Sprintf("UBND %s Thử Nghiệm %d", kind, i+1),
			Level: portal.LevelCommune, volume: 8 + int64(i*37%151)})
	}
	return p
}

// counts are one unit's figures in a period as of a day.
type counts map[string]scoring.Counts

// days is how many days of p have passed on day (0-based), at most the
// period's length.
func days(p scoring.Period, day int) int64 {
	n := int64(p.End().Sub(p.Start()).Hours()/24 + 0.5)
	return min(int64(day)+1, n)
}

// unitCounts are the counts of unit i (its index in Units) in p on day.
func (pr *Province) unitCounts(i int, p scoring.Period, day int) counts {
	u := pr.Units[i]
	e := days(p, day)
	rec := u.volume*e + int64(i%3)
	pct := func(n int64, of int64) int64 { return n * of / 100 }
	onTime := pct(rec, 80+int64((i*7+day/7)%20))
	petitions := e/10 + int64(i%3)
	month := int64(p.Start().Month())
	c := counts{
		// Province-level metrics: the province's figures at every unit.
		"PUBLISH_ON_TIME":       scoring.C(40+month%5, 47),
		"PUBLIC_UPDATE_ON_TIME": scoring.C(43, 47),
		"PUBLIC_CONTENT_FULL":   scoring.C(45+e/30%3, 47),
		"DOSSIER_SYNC":          scoring.C(rec, rec),
		"ON_TIME_PROCESSING":    scoring.C(onTime, rec),

		"ORIGINAL_RESULT_AVAILABLE":          scoring.C(pct(rec, 85), rec),
		"SO_HOA_GIAY_TO_GIAI_QUYET":          scoring.C(pct(rec, 55+int64(i%30)), rec),
		"REUSED_DIGITIZED_DATA":              scoring.C(pct(rec, 70+int64(i%25)), rec),
		"SYNCED_WITH_DVCQG_PERSONAL_STORAGE": scoring.C(0, rec),
		"CITIZEN_DATA_CONNECTED_DOSSIER":     scoring.C(pct(rec, 30+int64(i%60)), rec),
		"CITIZEN_DATA_CONNECTED_FORMALITY":   scoring.C(10+int64(i%20), 50+int64(i%30)),
		"ELECTRONIC_CERTIFIED_COPY":          {},

		"DOSSIER_RECEIVING_SATISFACTION": scoring.C(pct(rec, 85+int64(i%15)), rec),
		"PETITION_PROCESSING_ON_TIME":    scoring.C(petitions-petitions/7, petitions),
		"PETITION_HANDLING_SATISFACTION": scoring.C(petitions/2, petitions),
		"PETITION_CLASSIFICATION_TTHC":   scoring.C(petitions/3, petitions),
		"PETITION_CLASSIFICATION_STAFF":  scoring.C(petitions/5, petitions),

		"PAYMENT_FORMALITY_ENABLED": scoring.C(int64(i%9), 30+int64(i%12)),
		"PAYMENT_FORMALITY_USED":    scoring.C(int64(i%14), 30+int64(i%12)),
		"ONLINE_PAYMENT_DOSSIERS":   scoring.C(pct(pct(rec, 60), 70+int64(i%30)), pct(rec, 60)),
	}
	return c
}

// provinceCounts pools the units' counts; the province's own metrics
// (publishing) and its catalogue states are its own.
func (pr *Province) provinceCounts(p scoring.Period, day int) counts {
	total := counts{}
	for i := range pr.Units {
		for k, v := range pr.unitCounts(i, p, day) {
			t := total[k]
			if v.Valid {
				t = scoring.C(t.Num+v.Num, t.Den+v.Den)
			}
			total[k] = t
		}
	}
	first := pr.unitCounts(0, p, day)
	for _, k := range []string{"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL"} {
		total[k] = first[k]
	}
	e := days(p, day)
	total["ONLINE_SERVICE_PROVISION"] = scoring.C(52, 56)
	total["ONLINE_SERVICE_USAGE"] = scoring.C(400+e, 1968)
	rec := total["ON_TIME_PROCESSING"].Den
	total["ONLINE_SUBMISSION"] = scoring.C(rec*9/10, rec)
	total["ELECTRONIC_CERTIFIED_COPY"] = scoring.Counts{}
	return total
}

// scores are the engine's points of one unit, by metric and group.
type scores struct {
	metric map[string]scoring.MetricScore
	group  map[string]scoring.GroupScore
}

func (pr *Province) score(p scoring.Period, kind scoring.UnitKind, code string, c counts) scores {
	in := map[string]scoring.Input{}
	for k, v := range c {
		in[k] = scoring.Input{Counts: v}
	}
	us := scoring.ScoreInputs(pr.schemes.For(p), scoring.Unit{Code: code, Kind: kind}, p, in)
	s := scores{metric: map[string]scoring.MetricScore{}, group: map[string]scoring.GroupScore{}}
	for _, g := range us.Groups {
		s.group[g.Group.Code] = g
		for _, m := range g.Metrics {
			s.metric[m.Metric.Code] = m
		}
	}
	return s
}

// childDVCTT is the online-services group score the portal publishes for
// a child unit, without counts.
func childDVCTT(i, day int) scoring.Cents { return scoring.Cents(600 + (i*17+day)%90) }

// field is one member of a JSON object, kept in the portal's order.
type field struct {
	k string
	v any
}

type object []field

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal writes without escaping <, > and & (the portal does not).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// num writes hundredths the way the portal's JavaScript does: 7.96, 6,
// 25.1; nil is null.
func num(c *scoring.Cents) json.RawMessage {
	if c == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(strconv.FormatFloat(float64(*c)/100, 'f', -1, 64))
}

func cents(c scoring.Cents) *scoring.Cents { return &c }

func ratio(c scoring.Counts) *scoring.Cents {
	if !c.Valid {
		return nil
	}
	r, ok := scoring.Ratio(c.Num, c.Den)
	if !ok {
		return nil
	}
	return &r
}

func groupRatio(score, max scoring.Cents) *scoring.Cents {
	if max == 0 {
		return nil
	}
	r := scoring.Cents(math.Floor(float64(score)*10000/float64(max) + 0.5))
	return &r
}

// Score is the total the engine gives a unit (of the kind) from its counts
// in p on day, as the answers publish it (the province: its pooled counts).
func (pr *Province) Score(p scoring.Period, kind scoring.UnitKind, code string, day int) scoring.Cents {
	c := pr.provinceCounts(p, day)
	for i, u := range pr.Units {
		if u.Code == code {
			c = pr.unitCounts(i, p, day)
		}
	}
	in := map[string]scoring.Input{}
	for k, v := range c {
		in[k] = scoring.Input{Counts: v}
	}
	return scoring.ScoreInputs(pr.schemes.For(p), scoring.Unit{Code: code, Kind: kind}, p, in).Total
}
