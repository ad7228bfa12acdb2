package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"scorecard/dossier"
	"scorecard/models"
	"scorecard/scoring"
)

type catalogueKey struct{ unit, period string }

// ImportCatalogue writes a validated procedure catalogue file in one
// transaction. For each unit and month of the file, its rows are the
// unit's complete catalogue as of that month (docs/import-files.md): they replace
// what was stored for that unit and month, a procedure missing from them
// being withdrawn. The catalogue counts of the units whose states changed
// are derived again from the first changed month on (a state stays in
// force until a later one), and the data version moves on.
//
// Every unit must exist and not be a province (a province's counts are
// pooled from its units): ErrConflict and ErrInvalid otherwise.
func (s *Store) ImportCatalogue(ctx context.Context, imp *models.Import, cat *dossier.Catalogue) (DossierResult, error) {
	var res DossierResult
	units := cat.Units()
	if len(units) == 0 {
		return res, fmt.Errorf("store: import catalogue: no rows: %w", ErrInvalid)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		kinds := map[string]string{}
		var found []struct{ Code, Kind string }
		for start := 0; start < len(units); start += upsertBatch {
			part := units[start:min(start+upsertBatch, len(units))]
			var got []struct{ Code, Kind string }
			if err := tx.Raw("SELECT code, kind FROM units WHERE code IN ?", part).Scan(&got).Error; err != nil {
				return fmt.Errorf("load units: %w", err)
			}
			found = append(found, got...)
		}
		for _, u := range found {
			kinds[u.Code] = u.Kind
		}
		for _, u := range units {
			switch kinds[u] {
			case "":
				return fmt.Errorf("unit %q: %w", u, ErrConflict)
			case models.KindProvince:
				return fmt.Errorf("unit %q is a province: %w", u, ErrInvalid)
			}
		}
		old, err := derivationSpan(tx)
		if err != nil {
			return err
		}
		stored, err := storedCatalogue(tx, units)
		if err != nil {
			return err
		}

		// Compare with what is stored: rows new, changed or the same, and
		// the (unit, month) states that change at all.
		job := &rederiveJob{touched: map[string]*monthRange{}, old: old}
		var changed []dossier.State
		var procCodes []string
		seenProc := map[string]bool{}
		for _, u := range units {
			for _, st := range cat.States(u) {
				key := catalogueKey{u, st.Month.String()}
				before := stored[key]
				same := len(before) == len(st.Procedures)
				for _, p := range st.Procedures {
					res.Rows++
					if !seenProc[p.Code] {
						seenProc[p.Code] = true
						procCodes = append(procCodes, p.Code)
					}
					switch b, ok := before[p.Code]; {
					case !ok:
						res.Inserted++
						same = false
					case b != p:
						res.Updated++
						same = false
					default:
						res.Unchanged++
					}
				}
				if same {
					continue
				}
				changed = append(changed, st)
				job.touch(u, monthRange{dossier.MonthIndex(st.Month), openEnd})
			}
		}

		// The log row's guard (publication guard, audit) runs at the end,
		// once the periods whose counts change are known (finishImport).
		imp.Kind = models.ImportCatalogue
		if err := openImport(tx, imp); err != nil {
			return err
		}
		res.ImportID = imp.ID
		if len(changed) == 0 {
			return finishImport(tx, imp, &res) // the same catalogue again: nothing to derive
		}

		sort.Strings(procCodes)
		for start := 0; start < len(procCodes); start += upsertBatch {
			part := procCodes[start:min(start+upsertBatch, len(procCodes))]
			vals := make([]string, len(part))
			args := make([]any, len(part))
			for i, c := range part {
				vals[i], args[i] = "(?)", c
			}
			q := "INSERT INTO procedures (code) VALUES " + joinComma(vals) + " ON CONFLICT (code) DO NOTHING"
			if err := tx.Exec(q, args...).Error; err != nil {
				return fmt.Errorf("add procedures: %w", err)
			}
		}
		type row struct {
			unit, period string
			p            dossier.Procedure
		}
		var rows []row
		for _, st := range changed {
			if err := tx.Exec("DELETE FROM catalogue_states WHERE unit_code = ? AND period = ?", st.Unit, st.Month.String()).Error; err != nil {
				return fmt.Errorf("replace catalogue of %s %s: %w", st.Unit, st.Month, err)
			}
			for _, p := range st.Procedures {
				rows = append(rows, row{st.Unit, st.Month.String(), p})
			}
		}
		err = upsert(tx, "catalogue_states", []string{"unit_code", "period", "procedure_code", "name", "online_level",
			"has_fee", "individual_applicant", "citizen_data_connected", "import_id"},
			"unit_code, period, procedure_code", "name = excluded.name",
			len(rows), func(i int, args []any) []any {
				r := rows[i]
				return append(args, r.unit, r.period, r.p.Code, r.p.Name, r.p.Online.String(),
					r.p.HasFee, r.p.IndividualApplicant, r.p.CitizenDataConnected, imp.ID)
			})
		if err != nil {
			return fmt.Errorf("write catalogue: %w", err)
		}

		start := time.Now()
		if res.Derived, res.Rederived, res.Periods, err = s.rederive(tx, job); err != nil {
			return err
		}
		res.DeriveTime = time.Since(start)
		return finishImport(tx, imp, &res)
	})
	if err != nil {
		imp.ID = 0
		return DossierResult{}, fmt.Errorf("store: import catalogue: %w", dbErr(err))
	}
	return res, nil
}

func joinComma(parts []string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 2
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, p...)
	}
	return string(b)
}

// storedCatalogue reads the stored states of the units, by unit and month,
// procedures by code.
func storedCatalogue(tx *gorm.DB, units []string) (map[catalogueKey]map[string]dossier.Procedure, error) {
	out := map[catalogueKey]map[string]dossier.Procedure{}
	for start := 0; start < len(units); start += upsertBatch {
		part := units[start:min(start+upsertBatch, len(units))]
		rows, err := tx.Raw(`SELECT unit_code, period, procedure_code, name, online_level, has_fee, individual_applicant, citizen_data_connected
			FROM catalogue_states WHERE unit_code IN ?`, part).Rows()
		if err != nil {
			return nil, fmt.Errorf("load catalogue: %w", err)
		}
		for rows.Next() {
			var k catalogueKey
			var p dossier.Procedure
			var level string
			if err := rows.Scan(&k.unit, &k.period, &p.Code, &p.Name, &level, &p.HasFee, &p.IndividualApplicant, &p.CitizenDataConnected); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("load catalogue: %w", err)
			}
			p.Online = onlineLevel(level)
			m := out[k]
			if m == nil {
				m = map[string]dossier.Procedure{}
				out[k] = m
			}
			m[p.Code] = p
		}
		if err := closeRows(rows); err != nil {
			return nil, fmt.Errorf("load catalogue: %w", err)
		}
	}
	return out, nil
}

func onlineLevel(s string) dossier.OnlineLevel {
	switch s {
	case "partial":
		return dossier.OnlinePartial
	case "full":
		return dossier.OnlineFull
	}
	return dossier.OnlineNone
}

// ProcedureCodes returns every procedure code of any stored catalogue, for
// checking dossier files: a dossier's procedure must be known to the
// catalogue of some unit, some month. (Not necessarily its own unit's at
// its month: catalogues lag behind the one-stop system, and a dossier
// outside its unit's catalogue still counts in the dossier metrics; it
// cannot count in the catalogue ones, which count the catalogue's
// procedures.)
func (s *Store) ProcedureCodes(ctx context.Context) (map[string]bool, error) {
	var codes []string
	if err := s.r.WithContext(ctx).Raw("SELECT code FROM procedures").Scan(&codes).Error; err != nil {
		return nil, fmt.Errorf("store: procedure codes: %w", dbErr(err))
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// procedureNames returns the names of the procedures: as in the unit's
// catalogue state in force at the end of p, or else as in the latest state
// of any unit that has them.
func procedureNames(tx *gorm.DB, unit string, p scoring.Period, codes []string) (map[string]string, error) {
	ms := p.Months()
	last := ms[len(ms)-1].String()
	out := map[string]string{}
	for start := 0; start < len(codes); start += upsertBatch {
		part := codes[start:min(start+upsertBatch, len(codes))]
		// Later rows win: the unit's own states after everyone else's,
		// the latest last.
		rows, err := tx.Raw(`SELECT procedure_code, name FROM catalogue_states WHERE procedure_code IN ?
			ORDER BY (unit_code = ? AND period <= ?), period`, part, unit, last).Rows()
		if err != nil {
			return nil, fmt.Errorf("procedure names: %w", err)
		}
		for rows.Next() {
			var code, name string
			if err := rows.Scan(&code, &name); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("procedure names: %w", err)
			}
			out[code] = name
		}
		if err := closeRows(rows); err != nil {
			return nil, fmt.Errorf("procedure names: %w", err)
		}
	}
	return out, nil
}
