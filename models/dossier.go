package models

import "time"

// The codes stored in the dossiers table (store/migrations.go). They are
// the values of the dossier package's Channel, Rating and Flags, which the
// store writes as they are; a store test checks that they agree.
const (
	DossierChannelDirect = 0
	DossierChannelOnline = 1
	DossierChannelPostal = 2

	DossierRatingNone         = 0 // not rated
	DossierRatingSatisfied    = 1
	DossierRatingDissatisfied = 2
)

// Bits of dossiers.flags, one per 0/1 column of a dossier file. EResultGiven
// says the e_result cell was not empty; EResult is its value when given.
const (
	DossierFlagFeeRequired = 1 << iota
	DossierFlagPaidOnline
	DossierFlagEResultGiven
	DossierFlagEResult
	DossierFlagDigitized
	DossierFlagReusedData
	DossierFlagPersonalStore
	DossierFlagCitizenData
	DossierFlagSynced
)

// DossierIssue is a dossier that cost a unit points in a period: handled
// late (ON_TIME_PROCESSING), or late or rated dissatisfied
// (DOSSIER_RECEIVING_SATISFACTION).
type DossierIssue struct {
	Code          string
	ProcedureCode string
	ProcedureName string // "" when no catalogue names the procedure
	ReceivedAt    time.Time
	DueAt         time.Time
	FinishedAt    *time.Time // nil while the dossier is open
	Supplements   int        // supplement requests; more than 1 makes it late
	Late          bool       // not on time by the period's end
	Dissatisfied  bool       // rated dissatisfied
}

// ProcedureIssues is one procedure's share of a unit's late or
// unsatisfied dossiers in a period.
type ProcedureIssues struct {
	ProcedureCode string
	ProcedureName string
	Handled       int64 // the procedure's dossiers handled in the period
	Issues        int64 // of which late (or not satisfied)
}

// DossierDrillDown is what the dossiers say about one metric of one unit in
// one period: how many were handled, which procedures had the late or
// unsatisfied ones (most first) and, when asked for, one page of them.
type DossierDrillDown struct {
	Handled     int64
	Issues      int64
	ByProcedure []ProcedureIssues
	// List is one page of the late or unsatisfied dossiers, oldest
	// received first, starting at Offset of Issues.
	List   []DossierIssue
	Offset int
}
