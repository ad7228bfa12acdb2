package portaltest

import (
	"fmt"

	"scorecard/portal"
	"scorecard/scoring"
)

// listMetrics are the metrics each list endpoint publishes, in its order.
var listMetrics = map[portal.Endpoint][]string{
	portal.Transparency: {"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "DOSSIER_SYNC"},
	portal.Satisfaction: {"PETITION_CLASSIFICATION_TTHC", "DOSSIER_RECEIVING_SATISFACTION", "PETITION_PROCESSING_ON_TIME",
		"PETITION_HANDLING_SATISFACTION", "PETITION_CLASSIFICATION_STAFF"},
	portal.Digitized: {"ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "REUSED_DIGITIZED_DATA",
		"SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "CITIZEN_DATA_CONNECTED_DOSSIER", "CITIZEN_DATA_CONNECTED_FORMALITY",
		"ELECTRONIC_CERTIFIED_COPY"},
}

type member struct {
	i    int // index in Units, -1 for the province
	unit Unit
	c    counts
	s    scores
}

// members are the province and its units present in the answers.
func (pr *Province) members(p scoring.Period, day int) []member {
	pc := pr.provinceCounts(p, day)
	out := []member{{i: -1, unit: Unit{ID: pr.ID, Code: pr.Code, Name: pr.Name}, c: pc, s: pr.score(p, scoring.KindProvince, pr.Code, pc)}}
	for i, u := range pr.Units {
		if pr.Missing[u.Code] {
			continue
		}
		if n, ok := pr.Renamed[u.Code]; ok {
			u.Name = n
		}
		kind := scoring.KindCommune
		if u.Level == portal.LevelProvince {
			kind = scoring.KindAgency
		}
		c := pr.unitCounts(i, p, day)
		out = append(out, member{i: i, unit: u, c: c, s: pr.score(p, kind, u.Code, c)})
	}
	return out
}

// Body is page (1-based) of endpoint e's answer for period p on day (0
// the period's first), the lists cut in pages of pageSize (the trees
// answer whole, as the portal does). A page past the last is empty.
func (pr *Province) Body(e portal.Endpoint, p scoring.Period, day, page, pageSize int) []byte {
	ms := pr.members(p, day)
	var data object
	if e.Tree() {
		data = pr.tree(e, p, day, ms)
	} else {
		data = pr.list(e, ms, page, pageSize)
	}
	b, err := marshal(object{{"code", "OK"}, {"data", data}, {"message", "OK"}})
	if err != nil {
		panic(err) // only our own values: cannot fail
	}
	return b
}

func level(m member) (dtype, level, agency string) {
	switch {
	case m.i < 0:
		return "PROVINCE", "PROVINCE", "level_1"
	case m.unit.Level == portal.LevelProvince:
		return "PROVINCIAL_DEPARTMENT", "PROVINCE", "level_2"
	}
	return "COMMUNE_PEOPLE_COMMITTEE", "COMMUNE", "level_2"
}

func (pr *Province) list(e portal.Endpoint, ms []member, page, pageSize int) object {
	g := e.Group()
	node := func(stt int, m member) object {
		gs := m.s.group[g]
		var metrics []object
		for _, code := range listMetrics[e] {
			c := m.c[code]
			sc := m.s.metric[code]
			var n, d any
			if c.Valid {
				n, d = c.Num, c.Den
			}
			var score *scoring.Cents
			if sc.Scored && (c.Valid && c.Den > 0 || sc.NoData && sc.Points > 0) {
				score = cents(sc.Points)
			}
			mo := object{{"code", code}, {"name", sc.Metric.NameVI}, {"numerator", n}, {"denominator", d},
				{"ratio", num(ratio(c))}, {"score", num(score)}, {"maxScore", num(cents(sc.Metric.Max))}}
			if code == "DOSSIER_SYNC" {
				mo = append(mo, field{"dataQualityStatus", "TEMP_NATIONAL_REPORT_DENOMINATOR"},
					field{"dataQualityMessage", "Mẫu số BCQG/GRIS đang dùng số tạm, cần thay bằng dữ liệu crawl hệ thống cũ."})
			}
			metrics = append(metrics, mo)
		}
		dtype, lvl, agency := level(m)
		o := object{{"stt", stt}, {"departmentId", m.unit.ID}, {"departmentName", m.unit.Name}}
		if e == portal.Digitized {
			o = append(o, field{"departmentCode", m.unit.Code})
		}
		o = append(o, object{{"departmentType", dtype}, {"departmentLevel", lvl}, {"agencyLevel", agency},
			{"totalScore", num(cents(gs.Score))}, {"totalMaxScore", num(cents(gs.Group.Max))},
			{"ratio", num(groupRatio(gs.Score, gs.Group.Max))}, {"scoreDelta", nil}, {"metrics", metrics}}...)
		if e == portal.Satisfaction {
			pet := m.c["PETITION_PROCESSING_ON_TIME"].Den
			o = append(o, object{{"totalPetitions", pet}, {"classifiedPetitions", pet},
				{"totalDossiers", m.c["DOSSIER_RECEIVING_SATISFACTION"].Den}, {"averageScore", nil}}...)
		}
		return o
	}
	units := ms[1:]
	if pageSize <= 0 {
		pageSize = e.PageSize()
	}
	pages := (len(units) + pageSize - 1) / pageSize
	from, to := min((page-1)*pageSize, len(units)), min(page*pageSize, len(units))
	evaluation := []object{}
	for i, m := range units[from:to] {
		evaluation = append(evaluation, node(from+i+1, m))
	}
	overview := node(1, ms[0])
	data := object{{"overview", overview}}
	if e == portal.Transparency {
		data = append(data, field{"monthlyChart", []any{}})
	}
	return append(data, object{{"evaluation", evaluation},
		{"pagination", object{{"total", len(units)}, {"currentPage", page}, {"pageSize", pageSize}, {"totalPages", pages}}},
		{"source", fmt.Sprintf("portaltest %s", e)}}...)
}

// tree fields: our metric → numerator fields, denominator field.
var treeFields = map[string][2][]string{
	"ON_TIME_PROCESSING":        {{"totalOnTime"}, {"totalReceived"}},
	"PAYMENT_FORMALITY_ENABLED": {{"totalFeeDossierFormality"}, {"totalFeeFormality"}},
	"PAYMENT_FORMALITY_USED":    {{"totalDossierOnlineFormalityPaymentSuccess"}, {"totalFeeDossierFormalityDistinct"}},
	"ONLINE_PAYMENT_DOSSIERS":   {{"totalDossierOnlinePaymentSuccess"}, {"totalDossierFinancialObligation"}},
}

func (pr *Province) tree(e portal.Endpoint, p scoring.Period, day int, ms []member) object {
	g := e.Group()
	node := func(m member) object {
		gs := m.s.group[g]
		root := m.i < 0
		o := object{{"departmentId", m.unit.ID}, {"departmentName", m.unit.Name}, {"departmentCode", m.unit.Code}}
		if !root {
			_, lvl, _ := level(m)
			o = append(o, field{"level", lvl})
		}
		score := gs.Score
		switch e {
		case portal.Progress:
			c := m.c["ON_TIME_PROCESSING"]
			o = append(o, object{{"totalReceived", c.Den}, {"totalOnTime", c.Num}}...)
			if root {
				o = append(o, field{"totalCompleted", c.Den * 9 / 10})
			} else {
				o = append(o, field{"totalOverdue", c.Den - c.Num})
			}
			o = append(o, object{{"avgProcessingDays", 3.5}, {"ratio", num(ratio(c))}}...)
		case portal.Online:
			if !root {
				score = childDVCTT(m.i, day)
				break
			}
			prov, use, sub := m.c["ONLINE_SERVICE_PROVISION"], m.c["ONLINE_SERVICE_USAGE"], m.c["ONLINE_SUBMISSION"]
			o = append(o, object{{"totalScore", num(cents(score))}, {"totalMaxScore", num(cents(gs.Group.Max))},
				{"ratio", num(groupRatio(score, gs.Group.Max))},
				{"authorityCount", prov.Den}, {"partialCount", prov.Num / 2}, {"fullCount", prov.Num - prov.Num/2},
				{"onlineDossierCount", use.Num}, {"onlineServiceTotal", use.Den},
				{"channelOnlineSum", sub.Num}, {"channelDirectSum", sub.Den - sub.Num}, {"channelPostalSum", 0}, {"channelTotalSum", sub.Den},
				{"onlineOnTimeSum", sub.Num * 9 / 10}, {"onlineOverdueSum", sub.Num - sub.Num*9/10}}...)
			return o
		case portal.Payment:
			o = append(o, field{"totalMaxScore", num(cents(gs.Group.Max))})
			if !root {
				o = append(o, field{"ratio", num(groupRatio(score, gs.Group.Max))})
			}
			o = append(o, field{"totalScore", num(cents(score))})
			for _, code := range []string{"ONLINE_PAYMENT_DOSSIERS", "PAYMENT_FORMALITY_USED", "PAYMENT_FORMALITY_ENABLED"} {
				c := m.c[code]
				f := treeFields[code]
				o = append(o, field{f[0][0], c.Num}, field{f[1][0], c.Den})
			}
			if root {
				o = append(o, field{"ratio", num(groupRatio(score, gs.Group.Max))})
			} else {
				o = append(o, field{"scoreDelta", nil})
			}
			return o
		}
		if root {
			return append(o, object{{"totalScore", num(cents(score))}, {"totalMaxScore", num(cents(gs.Group.Max))}}...)
		}
		if e == portal.Online {
			return append(o, object{{"totalScore", num(cents(score))}, {"totalMaxScore", num(cents(gs.Group.Max))},
				{"ratio", num(groupRatio(score, gs.Group.Max))}, {"scoreDelta", nil}}...)
		}
		return append(o, object{{"score", num(cents(score))}, {"maxScore", num(cents(gs.Group.Max))}, {"scoreDelta", nil}}...)
	}
	children := []object{}
	for _, m := range ms[1:] {
		children = append(children, node(m))
	}
	data := object{{"parent", node(ms[0])}, {"children", children}}
	switch e {
	case portal.Progress:
		var chart []object
		for m := 1; m <= 12; m++ {
			chart = append(chart, object{{"month", fmt.Sprintf("%02d", m)}, {"onTimePct", 0}, {"overduePct", 0}})
		}
		data = append(data, field{"monthlyChart", chart})
	case portal.Online:
		var chart []object
		for m := 1; m <= 12; m++ {
			chart = append(chart, object{{"label", fmt.Sprintf("%02d", m)}, {"onlineDossierPct", 0}})
		}
		data = append(data, field{"monthlyChart", chart})
	}
	return data
}
