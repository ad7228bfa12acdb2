package site

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"scorecard/report"
	"scorecard/scoring"
)

// OfficialRank is a unit's rank as the national portal published it for a
// period ("7/34": among every province of the country), stored as it came.
// It is not the rank among the units this database holds, which may be one
// or two provinces: pages, the API and exports carry both, each named.
type OfficialRank struct {
	Rank, RankOf int
}

// OfficialRanks are the published ranks of period p by unit code; a unit
// the portal's imported results do not rank is absent.
func (s *Site) OfficialRanks(c *fiber.Ctx, p scoring.Period) (map[string]OfficialRank, error) {
	all, err := s.Scores.OfficialResults(c.UserContext())
	if err != nil {
		return nil, Internal(fmt.Errorf("site: official results: %w", err))
	}
	out := map[string]OfficialRank{}
	for code, r := range report.RanksOf(all, p) {
		out[code] = OfficialRank{Rank: r.Rank, RankOf: r.RankOf}
	}
	return out, nil
}
