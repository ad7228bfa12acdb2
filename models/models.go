// Package models holds the GORM structs of the database: the units that are
// scored, the import log and the imported metric counts. Only small methods
// live here; every query is in store/.
//
// The tables themselves are created by the versioned migrations in
// store/migrations.go (plain SQL, append-only), not from these structs: the
// tags below only name columns, so a change here never silently rewrites the
// schema. Adding a field means adding a migration.
package models

import (
	"strings"
	"time"
)

// Unit kinds (docs/import-files.md); the same strings as scoring.UnitKind.
const (
	KindProvince = "province"
	KindAgency   = "agency"
	KindDistrict = "district"
	KindCommune  = "commune"
)

// Import kinds: which file format an import read.
const (
	ImportUnits     = "units"
	ImportCounts    = "counts"
	ImportCatalogue = "catalogue"
	ImportDossiers  = "dossiers"
	// ImportOfficial: the results the national portal published
	// (period,unit_code,total,rank,rank_of), for the report's rank.
	ImportOfficial = "official"
	// ImportUnitChanges: how units became others
	// (code,successor_code,change,effective_from).
	ImportUnitChanges = "unit_changes"
	// ImportPortal: a capture of the national portal's published index
	// (its six responses, or some of them), with counts, units and the
	// portal's own scores.
	ImportPortal = "portal"
	// ImportBoundaries: the units' boundaries, a GeoJSON file keyed by
	// unit code, for the map.
	ImportBoundaries = "boundaries"
)

// Import sources: who started the import.
const (
	SourceCLI  = "cli"
	SourceWeb  = "web"
	SourceDemo = "demo"
)

// Unit is a scored body: a province, an agency, a district or a commune.
// Code is the key other tables and files refer to; it is unique and
// case-sensitive (SQLite's default BINARY collation and PostgreSQL's default
// collation both compare it byte for byte).
type Unit struct {
	ID         uint `gorm:"primaryKey"`
	Code       string
	Name       string
	Kind       string
	ParentCode *string // nil for a province
	// ImportID is the import that last wrote the unit.
	ImportID *uint
	// Demo marks units loaded by the demo data set, so that they can be
	// removed in one go once the office loads its own data.
	Demo bool
	// PortalID is the unit's department id on the national portal, for
	// units a portal capture named; LastSeenAt the newest capture that
	// named it; InactiveFrom, when set, the first complete capture of its
	// province that no longer did (units are never deleted).
	PortalID     *string
	LastSeenAt   *time.Time
	InactiveFrom *time.Time
	// ValidFrom and ValidTo are the days the unit exists, [from, to), as
	// ISO dates ("2025-07-01"); nil leaves that side open. A unit that
	// merged into another also ends on the change's date (unit_changes).
	ValidFrom *string
	ValidTo   *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Parent returns the parent code, "" for a unit without one.
func (u Unit) Parent() string {
	if u.ParentCode == nil {
		return ""
	}
	return *u.ParentCode
}

// Import is one line of the import log: a file read whole, in one
// transaction.
type Import struct {
	ID       uint `gorm:"primaryKey"`
	Kind     string
	FileName string
	SHA256   string `gorm:"column:sha256"`
	// Rows is the number of data rows written (header excluded). The column
	// is row_count because ROWS is an SQL keyword.
	Rows     int `gorm:"column:row_count"`
	Inserted int
	Updated  int
	Source   string // cli, web or demo
	// Demo marks imports of the demo data set: their counts go when the demo
	// is removed.
	Demo bool
	// Periods lists the canonical periods the import touched, comma-separated
	// and oldest first ("2024-04,2024-Q2"); empty for a units file.
	Periods   string
	CreatedAt time.Time
}

// PeriodList splits Periods.
func (i Import) PeriodList() []string {
	if i.Periods == "" {
		return nil
	}
	return strings.Split(i.Periods, ",")
}

// JoinPeriods is the inverse of PeriodList.
func JoinPeriods(periods []string) string { return strings.Join(periods, ",") }

// MetricCount is the numerator and denominator of one metric of one unit in
// one period, as imported; (Period, UnitCode, Metric) is unique. Both nil
// means "no counts": the row was imported with empty cells and the metric's
// no-data rule applies.
type MetricCount struct {
	ID          uint `gorm:"primaryKey"`
	Period      string
	UnitCode    string
	Metric      string
	Numerator   *int64
	Denominator *int64
	ImportID    uint
	UpdatedAt   time.Time
}

// HasCounts reports whether the row carries numbers.
func (c MetricCount) HasCounts() bool { return c.Numerator != nil && c.Denominator != nil }
