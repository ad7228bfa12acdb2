package store

import (
	"strings"

	"gorm.io/gorm"
)

// upsert writes n rows into table in batches of INSERT … ON CONFLICT (key)
// DO UPDATE SET updates, a statement SQLite and PostgreSQL both accept. It
// builds the SQL itself rather than going through GORM's Create: with
// 20 000 rows, GORM's reflection and its RETURNING of ids we do not need
// cost more than the writing. row appends the values of row i, in the
// order of cols, to args.
func upsert(tx *gorm.DB, table string, cols []string, key, updates string, n int, row func(i int, args []any) []any) error {
	placeholders := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	tail := " ON CONFLICT (" + key + ") DO UPDATE SET " + updates
	args := make([]any, 0, upsertBatch*len(cols))
	var sql strings.Builder
	for start := 0; start < n; start += upsertBatch {
		end := min(start+upsertBatch, n)
		sql.Reset()
		sql.WriteString(head)
		args = args[:0]
		for i := start; i < end; i++ {
			if i > start {
				sql.WriteString(", ")
			}
			sql.WriteString(placeholders)
			args = row(i, args)
		}
		sql.WriteString(tail)
		if err := tx.Exec(sql.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// nullable passes a nil pointer as SQL NULL and a value as itself.
func nullable(v *int64) any {
	if v == nil {
		return nil
	}
	return *v
}
