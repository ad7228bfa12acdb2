package store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// pgEnv names a PostgreSQL server URL for the PostgreSQL variant of the
// store tests (e.g. postgres://postgres@127.0.0.1:5432/postgres); without
// it they are skipped. Each test gets a database of its own, dropped after.
const pgEnv = "SCORECARD_TEST_POSTGRES"

var pgSeq atomic.Int64

func openPostgres(t testing.TB) *Store {
	t.Helper()
	dsn := os.Getenv(pgEnv)
	if dsn == "" {
		t.Skip(pgEnv + " not set")
	}
	admin, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("connect %s: %v", pgEnv, err)
	}
	name := fmt.Sprintf("scorecard_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, pgSeq.Add(1))
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	s, err := Open(context.Background(), Config{Driver: DriverPostgres, DSN: u.String()})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := admin.Exec("DROP DATABASE " + name).Error; err != nil {
			t.Errorf("drop: %v", err)
		}
		if db, err := admin.DB(); err == nil {
			_ = db.Close()
		}
	})
	return s
}

// TestPostgres runs the portable store tests on PostgreSQL.
func TestPostgres(t *testing.T) {
	if os.Getenv(pgEnv) == "" {
		t.Skip(pgEnv + " not set")
	}
	for name, test := range map[string]func(*testing.T, opener){
		"ImportUnitsUpsert":                 testImportUnitsUpsert,
		"UnitHistory":                       testUnitHistory,
		"UnitByCodeIsCaseSensitive":         testUnitByCodeIsCaseSensitive,
		"ImportUnitsRollsBackOnError":       testImportUnitsRollsBackOnError,
		"DatasetRoundTrip":                  testDatasetRoundTrip,
		"ImportCountsIdempotent":            testImportCountsIdempotent,
		"ImportCountsRollsBackOnError":      testImportCountsRollsBackOnError,
		"ImportCountsRefusesBadRows":        testImportCountsRefusesBadRows,
		"RemoveDemo":                        testRemoveDemo,
		"DemoImportDoesNotClaimOfficeUnits": testDemoImportDoesNotClaimOfficeUnits,
		"ReadsDuringWrite":                  testReadsDuringWrite,
		"DatasetLarge":                      testDatasetLarge,
	} {
		t.Run(name, func(t *testing.T) { test(t, openPostgres) })
	}
	t.Run("MigrationsRecordedOnce", func(t *testing.T) {
		s := openPostgres(t)
		if err := s.migrate(context.Background()); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		var ids []string
		if err := s.r.Table(migrationsTable).Order("id").Pluck("id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		if len(ids) != len(migrations) || !strings.HasPrefix(ids[0], "2026") {
			t.Errorf("migrations %v", ids)
		}
	})
}
