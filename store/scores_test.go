package store

import (
	"slices"
)

// fullMigrations is the whole list, whatever a test leaves in migrations.
var fullMigrations = migrations

// withScoreTables is an older schema (list) with the score tables added:
// today's writes move the score epoch, so a test that writes into an older
// schema with today's code needs them.
func withScoreTables(list []migration) []migration {
	at := slices.IndexFunc(fullMigrations, func(m migration) bool { return m.id == "202612210101_period_scores" })
	return append(slices.Clone(list), fullMigrations[at])
}
