package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// maxNameRunes bounds a unit name; the longest real ones are about 150.
const maxNameRunes = 500

// unitKinds are the unit kinds a units file may name.
var unitKinds = map[string]bool{
	models.KindProvince: true, models.KindAgency: true, models.KindDistrict: true, models.KindCommune: true,
}

// parentAllowed: agencies and districts hang under a province; a commune
// under a district or directly under the province (docs/import-files.md). A parent
// therefore always ranks strictly above its child, which alone rules out
// cycles; the explicit cycle check below names them when kinds are wrong.
func parentAllowed(child, parent string) bool {
	switch child {
	case models.KindAgency, models.KindDistrict:
		return parent == models.KindProvince
	case models.KindCommune:
		return parent == models.KindDistrict || parent == models.KindProvince
	}
	return false
}

// kindMsg names a unit kind in a message: "sở, ban, ngành (agency)", "an
// agency".
func kindMsg(kind string) tabular.Msg { return tabular.M("file.units.kind." + kind) }

// parentsMsg names the kinds a unit of kind child may hang under.
func parentsMsg(child string) tabular.Msg {
	if child == models.KindCommune {
		return tabular.M("file.units.parents.commune")
	}
	return tabular.M("file.units.parents.other")
}

type fileUnit struct {
	store.UnitRow
	n      int
	kindOK bool
	// from and to are the row's days (a dated file), zero where open;
	// datesOK is false when a date cell is wrong (reported).
	from, to time.Time
	datesOK  bool
}

// unitsCheck validates a units file against itself and the database: each
// row as it is read, then the hierarchy once the file is read.
type unitsCheck struct {
	im    *Importer
	ps    *tabular.Problems
	db    map[string]models.Unit
	file  map[string]*fileUnit
	order []*fileUnit
	// dated: the file has the valid_from and valid_to columns.
	dated   bool
	changes []store.UnitChangeRow
	// ctx is the import's, for the counts finish reads; err a database
	// failure while reading them, returned by store.
	ctx context.Context
	err error
}

func (im *Importer) newUnitsCheck(ctx context.Context, ps *tabular.Problems, dated bool) (*unitsCheck, error) {
	db, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	changes, err := im.st.UnitChanges(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	return &unitsCheck{im: im, ps: ps, db: db, file: map[string]*fileUnit{}, dated: dated, changes: changes, ctx: ctx}, nil
}

func (c *unitsCheck) row(r fields) {
	ps := c.ps
	code, name, kind, parent := r.get("code"), r.get("name"), r.get("kind"), r.get("parent_code")
	codeOK := false
	switch why, ok := tabular.CodeProblem(code); {
	case code == "":
		ps.Add(r.n, "code", "file.unit_code.empty")
	case !ok:
		ps.Add(r.n, "code", "file.unit_code.bad", tabular.Quote(code), why)
	case c.file[code] != nil:
		ps.Add(r.n, "code", "file.units.code.twice", tabular.Quote(code), c.file[code].n)
	default:
		codeOK = true
	}
	switch why, ok := tabular.NameProblem(name, maxNameRunes); {
	case name == "":
		ps.Add(r.n, "name", "file.units.name.empty")
	case !ok:
		ps.Add(r.n, "name", "file.units.name.bad", why)
	}
	kindOK := unitKinds[kind]
	switch {
	case kindOK:
	case kind == "":
		ps.Add(r.n, "kind", "file.units.kind.empty")
	case unitKinds[strings.ToLower(kind)]:
		ps.Add(r.n, "kind", "file.units.kind.case", tabular.Quote(kind), strings.ToLower(kind))
	default:
		ps.Add(r.n, "kind", "file.units.kind.bad", tabular.Quote(kind))
	}
	if why, ok := tabular.CodeProblem(parent); parent != "" && !ok {
		ps.Add(r.n, "parent_code", "file.parent_code.bad", tabular.Quote(parent), why)
		kindOK = false // no relation checks on a parent we cannot read
	}
	from, to, datesOK := c.dates(r, kind)
	if codeOK {
		u := &fileUnit{UnitRow: store.UnitRow{Code: code, Name: name, Kind: kind, ParentCode: parent}, n: r.n, kindOK: kindOK,
			from: from, to: to, datesOK: datesOK}
		if c.dated {
			u.Dates, u.ValidFrom, u.ValidTo = true, r.get("valid_from"), r.get("valid_to")
		}
		c.file[code] = u
		c.order = append(c.order, u)
	}
}

// dates reads a row's valid_from and valid_to (in a dated file): ISO days,
// empty for an open side, the start before the end, and no district from
// 01/07/2025 on (districts ended then).
func (c *unitsCheck) dates(r fields, kind string) (from, to time.Time, ok bool) {
	if !c.dated {
		return time.Time{}, time.Time{}, true
	}
	ok = true
	read := func(col string) time.Time {
		s := r.get(col)
		if s == "" {
			return time.Time{}
		}
		d, valid := parseDay(s)
		if !valid {
			c.ps.Add(r.n, col, "file.units.date.bad", tabular.Quote(s))
			ok = false
		}
		return d
	}
	from, to = read("valid_from"), read("valid_to")
	if !ok {
		return from, to, false
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		c.ps.Add(r.n, "valid_to", "file.units.dates.order", tabular.Date(from), tabular.Date(to))
		return from, to, false
	}
	if kind == models.KindDistrict {
		if !from.IsZero() && !from.Before(scoring.DistrictsAbolished) {
			c.ps.Add(r.n, "valid_from", "file.units.district.from", tabular.Date(from))
			ok = false
		}
		if to.After(scoring.DistrictsAbolished) {
			c.ps.Add(r.n, "valid_to", "file.units.district.to", tabular.Date(to))
			ok = false
		}
	}
	return from, to, ok
}

// finish checks the hierarchy as it will be after the import: the file's
// rows over the database's.
func (c *unitsCheck) finish() {
	ps, file, db := c.ps, c.file, c.db
	kindOf := func(code string) (kind string, found bool) {
		if u, ok := file[code]; ok {
			if !u.kindOK {
				return "", true
			}
			return u.Kind, true
		}
		if u, ok := db[code]; ok {
			return u.Kind, true
		}
		return "", false
	}
	parentOf := func(code string) string {
		if u, ok := file[code]; ok {
			return u.ParentCode
		}
		return db[code].Parent()
	}
	for _, u := range c.order {
		if !u.kindOK {
			continue
		}
		switch {
		case u.Kind == models.KindProvince && u.ParentCode != "":
			ps.Add(u.n, "parent_code", "file.units.parent.province")
		case u.Kind == models.KindProvince:
		case u.ParentCode == "":
			ps.Add(u.n, "parent_code", "file.units.parent.empty", kindMsg(u.Kind), parentsMsg(u.Kind))
		case u.ParentCode == u.Code:
			ps.Add(u.n, "parent_code", "file.units.parent.self")
		default:
			pk, found := kindOf(u.ParentCode)
			switch {
			case !found:
				ps.Add(u.n, "parent_code", "file.units.parent.unknown", tabular.Quote(u.ParentCode))
			case pk == "": // its own row is already reported
			case !parentAllowed(u.Kind, pk):
				ps.Add(u.n, "parent_code", "file.units.parent.kind", kindMsg(u.Kind), parentsMsg(u.Kind), tabular.Quote(u.ParentCode), kindMsg(pk))
			}
		}
	}
	checkKindChanges(db, file, c.order, ps)
	checkCycles(c.order, parentOf, ps)
	c.checkDates(kindOf, parentOf)
}

// checkDates: a unit's parent exists over all the unit's days, and the
// changes already imported still fit the units' days, as they will be after
// the import (the file's rows over the database's; each unit ended by its
// first change, as the engine ends it). A file without the date columns
// keeps the units' dates, but may add a unit under a parent that ended.
func (c *unitsCheck) checkDates(kindOf func(string) (string, bool), parentOf func(string) string) {
	end := firstChanges(c.changes)
	// unitOf is a unit's days after the import; ok is false for a unit
	// whose row has a problem already reported, or that is unknown.
	unitOf := func(code string) (scoring.Unit, bool) {
		var u scoring.Unit
		if f, inFile := c.file[code]; inFile && c.dated {
			if !f.datesOK {
				return u, false
			}
			u = scoring.Unit{Code: code, Kind: scoring.UnitKind(f.Kind), ValidFrom: f.from, ValidTo: f.to}
		} else if m, inDB := c.db[code]; inDB {
			var err error
			if u, err = ownSpan(m); err != nil {
				return u, false
			}
			if f, inFile := c.file[code]; inFile {
				u.Kind = scoring.UnitKind(f.Kind)
			}
		} else if f, inFile := c.file[code]; inFile {
			u = scoring.Unit{Code: code, Kind: scoring.UnitKind(f.Kind)}
		} else {
			return u, false
		}
		if e, ok := end[code]; ok {
			endBy(&u, e)
		}
		return u, true
	}
	// A child's days as the engine sees them (a district ends on
	// 01/07/2025), within its parent's as written: an old file's commune
	// under a district without dates stays valid.
	childSpan := func(code string) (span, bool) {
		u, ok := unitOf(code)
		return spanOf(u), ok
	}
	spanOfCode := func(code string) (span, bool) {
		u, ok := unitOf(code)
		return span{u.ValidFrom, u.ValidTo}, ok
	}
	for _, u := range c.order {
		if !u.kindOK || u.ParentCode == "" || u.ParentCode == u.Code {
			continue
		}
		if k, found := kindOf(u.ParentCode); !found || k == "" {
			continue
		}
		own, ok1 := childSpan(u.Code)
		parent, ok2 := spanOfCode(u.ParentCode)
		if ok1 && ok2 && !parent.covers(own) {
			c.ps.Add(u.n, "parent_code", "file.units.parent.dates", tabular.Quote(u.ParentCode), parent.msg(), own.msg())
		}
	}
	if !c.dated {
		return
	}
	// The database's units under a unit of the file, which the file leaves
	// alone.
	children := map[string][]string{}
	for code, m := range c.db {
		if _, inFile := c.file[code]; !inFile && m.ParentCode != nil {
			if _, parentInFile := c.file[*m.ParentCode]; parentInFile {
				children[*m.ParentCode] = append(children[*m.ParentCode], code)
			}
		}
	}
	for _, u := range c.order {
		kids := children[u.Code]
		parent, ok := spanOfCode(u.Code)
		if len(kids) == 0 || !ok {
			continue
		}
		sort.Strings(kids)
		var bad []string
		var first span
		for _, k := range kids {
			if s, ok := childSpan(k); ok && !parent.covers(s) {
				if bad == nil {
					first = s
				}
				bad = append(bad, k)
			}
		}
		if len(bad) > 0 {
			c.ps.Add(u.n, "valid_from", "file.units.children.dates", tabular.Quote(u.Code), parent.msg(), tabular.Int(len(bad)),
				tabular.Quote(bad[0]), first.msg())
		}
	}
	c.checkData(unitOf, end)
	// The changes already imported that name a unit of the file.
	for _, ch := range c.changes {
		day, ok := parseDay(ch.Effective)
		if !ok {
			continue
		}
		for _, code := range []string{ch.Code, ch.Successor} {
			f, inFile := c.file[code]
			if !inFile || !f.datesOK {
				continue
			}
			from, ok1 := childSpan(ch.Code)
			to, ok2 := childSpan(ch.Successor)
			if ok1 && ok2 && (!from.on(day.AddDate(0, 0, -1)) || !to.on(day)) {
				c.ps.Add(f.n, "valid_from", "file.units.change.dates", tabular.Quote(code), tabular.Quote(ch.Code),
					tabular.Quote(ch.Successor), tabular.Date(day))
				break
			}
		}
	}
}

// checkData: new dates may not leave out a period the database already
// holds counts or published results of for the unit (they would be a
// unit's figures in a period it does not exist in, which no file may
// bring in either). unitOf is the unit's days after the import.
func (c *unitsCheck) checkData(unitOf func(string) (scoring.Unit, bool), end map[string]time.Time) {
	var codes []string
	for _, f := range c.order {
		if _, inDB := c.db[f.Code]; inDB && f.datesOK {
			codes = append(codes, f.Code)
		}
	}
	if len(codes) == 0 {
		return
	}
	held, err := c.im.st.PeriodsWithData(c.ctx, codes)
	if err != nil {
		c.err = fmt.Errorf("importer: %w", err)
		return
	}
	for _, f := range c.order {
		u, ok := unitOf(f.Code)
		if !ok || len(held[f.Code]) == 0 {
			continue
		}
		if bad := periodsOutside(u, held[f.Code]); len(bad) > 0 {
			c.ps.Add(f.n, "valid_from", "file.units.dates.data", tabular.Quote(f.Code), spanOf(u).msg(), tabular.Int(len(bad)), bad[0])
		}
	}
	c.checkDossiers(codes, unitOf, end)
}

// checkDossiers: new dates that shorten a unit's days may not leave out
// its dossier records either, received or decided after the new end (or
// received before the new start): their counts would fall in days the
// unit does not exist on. end is each unit's first change, which ends it
// before and after the import alike.
func (c *unitsCheck) checkDossiers(codes []string, unitOf func(string) (scoring.Unit, bool), end map[string]time.Time) {
	spans := map[string]store.DaySpan{}
	for _, code := range codes {
		u, ok := unitOf(code)
		if !ok {
			continue
		}
		old, err := ownSpan(c.db[code])
		if err != nil {
			continue
		}
		if e, ok := end[code]; ok {
			endBy(&old, e)
		}
		now, was := spanOf(u), spanOf(old)
		// Only days taken away can leave records out.
		if !now.covers(was) {
			spans[code] = store.DaySpan{From: now.from, To: now.to}
		}
	}
	if len(spans) == 0 {
		return
	}
	out, err := c.im.st.DossiersOutside(c.ctx, spans)
	if err != nil {
		c.err = fmt.Errorf("importer: %w", err)
		return
	}
	for _, f := range c.order {
		o, ok := out[f.Code]
		if !ok {
			continue
		}
		sp := spans[f.Code]
		days := span{sp.From, sp.To}.msg()
		if o.After > 0 {
			c.ps.Add(f.n, "valid_to", "file.units.dates.dossiers.to", tabular.Quote(f.Code), tabular.Date(sp.To), tabular.Int(o.After), days)
		}
		if o.Before > 0 {
			c.ps.Add(f.n, "valid_from", "file.units.dates.dossiers.from", tabular.Quote(f.Code), tabular.Date(sp.From), tabular.Int(o.Before), days)
		}
	}
}

func (c *unitsCheck) store(ctx context.Context, imp *models.Import) (store.Result, error) {
	if c.err != nil {
		return store.Result{}, c.err
	}
	out := make([]store.UnitRow, len(c.order))
	for i, u := range c.order {
		out[i] = u.UnitRow
	}
	return c.im.st.ImportUnits(ctx, imp, out)
}

// checkKindChanges: a file may change the kind of a unit already in the
// database, but not so that the unit's children that the file leaves alone
// end up under a parent of the wrong kind.
func checkKindChanges(db map[string]models.Unit, file map[string]*fileUnit, order []*fileUnit, ps *tabular.Problems) {
	children := map[string][]string{}
	changed := false
	for _, u := range order {
		if old, ok := db[u.Code]; ok && u.kindOK && old.Kind != u.Kind {
			changed = true
		}
	}
	if !changed {
		return
	}
	for code, u := range db {
		if _, inFile := file[code]; !inFile && u.ParentCode != nil {
			children[*u.ParentCode] = append(children[*u.ParentCode], code)
		}
	}
	for _, u := range order {
		old, ok := db[u.Code]
		if !ok || !u.kindOK || old.Kind == u.Kind {
			continue
		}
		var bad []string
		for _, c := range children[u.Code] {
			if !parentAllowed(db[c].Kind, u.Kind) {
				bad = append(bad, c)
			}
		}
		if len(bad) == 0 {
			continue
		}
		sort.Strings(bad)
		ps.Add(u.n, "kind", "file.units.kind.change", tabular.Quote(u.Code), kindMsg(old.Kind), kindMsg(u.Kind),
			tabular.Int(len(bad)), tabular.Quote(bad[0]), kindMsg(db[bad[0]].Kind))
	}
}

// checkCycles reports units that would be their own ancestors, once per
// cycle, at the row of its first member in the file.
func checkCycles(order []*fileUnit, parentOf func(string) string, ps *tabular.Problems) {
	reported := map[string]bool{}
	for _, u := range order {
		if reported[u.Code] {
			continue
		}
		path := []string{u.Code}
		on := map[string]bool{u.Code: true}
		for p := parentOf(u.Code); p != "" && len(path) <= len(order)+1; p = parentOf(p) {
			if p == u.Code {
				if len(path) == 1 { // "its own parent", reported above
					break
				}
				for _, c := range path {
					reported[c] = true
				}
				ps.Add(u.n, "parent_code", "file.units.cycle", strings.Join(append(path, u.Code), " → "))
				break
			}
			if on[p] { // a cycle further up, reported from its own rows
				break
			}
			on[p] = true
			path = append(path, p)
		}
	}
}
