package portal

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"scorecard/scoring"
)

// Response is one page of one endpoint's answer, read and checked.
type Response struct {
	File     string
	Endpoint Endpoint
	// Paged: the answer carried a pagination object (the three lists do;
	// the trees seen so far answer with every unit at once).
	Paged                             bool
	Page, TotalPages, Total, PageSize int
	// Root is the province (overview or parent); Units the agencies and
	// communes of this page (evaluation or children).
	Root  Node
	Units []Node
}

// Node is one unit in a response.
type Node struct {
	// Place is the node's JSON path, for messages.
	Place string
	ID    string // departmentId
	Code  string // departmentCode; "" where the endpoint names units by id only
	Name  string
	// Level is PROVINCE (a provincial agency), COMMUNE or DISTRICT; "" for
	// the root.
	Level string
	// Score, Max and Ratio are the group's published score (nil where not
	// published).
	Score, Max, Ratio *scoring.Cents
	Metrics           []Metric
	Extras            []Extra
}

// Metric is one metric of a unit: its counts, as our metric code, and
// what the portal published for it. Num and Den are both nil for "no
// counts" (the portal's null, which is not 0).
type Metric struct {
	Place             string
	Code              string
	Num, Den          *int64
	Score, Max, Ratio *scoring.Cents
	// Quality and QualityMessage are the portal's data-quality flag
	// (dataQualityStatus, dataQualityMessage), "" when none.
	Quality, QualityMessage string
}

// Extra is another figure worth keeping (portal.md): totalCompleted,
// avgProcessingDays, scoreDelta…, in hundredths (a count of 12 is 1200).
type Extra struct {
	Name  string
	Value scoring.Cents
}

// Levels of units on the portal and the kinds they become.
const (
	LevelProvince = "PROVINCE" // a provincial agency (sở, ban, ngành)
	LevelCommune  = "COMMUNE"
	LevelDistrict = "DISTRICT" // before July 2025
)

// KindOfLevel is the unit kind of a child's level, "" if unknown.
func KindOfLevel(level string) string {
	switch level {
	case LevelProvince:
		return string(scoring.KindAgency)
	case LevelCommune:
		return string(scoring.KindCommune)
	case LevelDistrict:
		return string(scoring.KindDistrict)
	}
	return ""
}

var (
	envelopeKeys   = set("code", "data", "message")
	listDataKeys   = set("overview", "monthlyChart", "evaluation", "pagination", "source")
	treeDataKeys   = set("parent", "children", "monthlyChart", "pagination")
	paginationKeys = set("total", "currentPage", "pageSize", "totalPages")
	listNodeKeys   = set("stt", "departmentId", "departmentName", "departmentCode", "departmentType", "departmentLevel",
		"agencyLevel", "totalScore", "totalMaxScore", "ratio", "scoreDelta", "metrics", "averageScore",
		"totalPetitions", "classifiedPetitions", "totalDossiers")
	listExtras     = []string{"scoreDelta", "averageScore", "totalPetitions", "classifiedPetitions", "totalDossiers"}
	metricKeys     = set("code", "name", "numerator", "denominator", "ratio", "score", "maxScore", "dataQualityStatus", "dataQualityMessage")
	treeCommonKeys = []string{"stt", "departmentId", "departmentName", "departmentCode", "departmentType", "departmentLevel",
		"level", "agencyLevel", "ratio", "score", "maxScore", "totalScore", "totalMaxScore", "scoreDelta"}
)

// treeMetric maps fields of a tree node to one of our metrics (portal.md,
// "Fields → our metric counts"): the numerator is the sum of num.
type treeMetric struct {
	code string
	num  []string
	den  string
}

// treeFamily is what one tree endpoint's nodes carry.
type treeFamily struct {
	metrics []treeMetric
	extras  []string
}

var treeFamilies = map[Endpoint]treeFamily{
	Progress: {
		metrics: []treeMetric{{"ON_TIME_PROCESSING", []string{"totalOnTime"}, "totalReceived"}},
		extras:  []string{"totalCompleted", "totalOverdue", "avgProcessingDays"},
	},
	Online: {
		metrics: []treeMetric{
			{"ONLINE_SERVICE_PROVISION", []string{"partialCount", "fullCount"}, "authorityCount"},
			{"ONLINE_SERVICE_USAGE", []string{"onlineDossierCount"}, "onlineServiceTotal"},
			{"ONLINE_SUBMISSION", []string{"channelOnlineSum"}, "channelTotalSum"},
		},
		extras: []string{"channelDirectSum", "channelPostalSum", "onlineOnTimeSum", "onlineOverdueSum"},
	},
	Payment: {
		metrics: []treeMetric{
			{"PAYMENT_FORMALITY_ENABLED", []string{"totalFeeDossierFormality"}, "totalFeeFormality"},
			{"PAYMENT_FORMALITY_USED", []string{"totalDossierOnlineFormalityPaymentSuccess"}, "totalFeeDossierFormalityDistinct"},
			{"ONLINE_PAYMENT_DOSSIERS", []string{"totalDossierOnlinePaymentSuccess"}, "totalDossierFinancialObligation"},
		},
	},
}

// keys lists every field of the family's nodes.
func (f treeFamily) keys() []string {
	var out []string
	for _, m := range f.metrics {
		out = append(out, m.num...)
		out = append(out, m.den)
	}
	return append(out, f.extras...)
}

// parser reads responses against the schemes (which metric codes exist,
// and in which group).
type parser struct {
	schemes *scoring.Schemes
}

// groupOf is the group of a metric code in the newest scheme that has it.
func (p parser) groupOf(code string) (string, bool) {
	all := p.schemes.All()
	for i := len(all) - 1; i >= 0; i-- {
		if m := all[i].Metric(code); m != nil {
			return m.Group, true
		}
	}
	return "", false
}

// groupMax is a group's maximum in the newest scheme, 0 if unknown.
func (p parser) groupMax(group string) scoring.Cents {
	if g := p.schemes.Latest().Group(group); g != nil {
		return g.Max
	}
	return 0
}

// parse reads one response file. It returns nil when the file is refused;
// the reasons are in ps.
func (p parser) parse(file string, b []byte, ps *problems) *Response {
	before := ps.total()
	v, ok := decodeJSON(file, b, ps)
	if !ok {
		return nil
	}
	env, ok := asObj(v, file, "", ps)
	if !ok {
		return nil
	}
	if env.unknown(envelopeKeys) {
		return nil
	}
	code := env.str("code", false)
	if code != "OK" {
		msg := env.str("message", false)
		if !env.has("code") {
			ps.add(file, "", "portal.problem.noenvelope")
		} else {
			ps.add(file, "code", "portal.problem.code", quote(code), quote(msg))
		}
		return nil
	}
	data, ok := env.object("data", true)
	if !ok {
		return nil
	}
	r := &Response{File: file}
	switch {
	case data.has("parent") || data.has("children"):
		p.parseTree(r, data)
	case data.has("overview") || data.has("evaluation"):
		p.parseList(r, data)
	default:
		ps.add(file, "data", "portal.problem.unrecognised")
	}
	if ps.total() > before {
		return nil
	}
	return r
}

// parsePagination reads the pagination object when there is one.
func (p parser) parsePagination(r *Response, data obj) {
	pg, ok := data.object("pagination", false)
	if !ok {
		return
	}
	if pg.unknown(paginationKeys) {
		return
	}
	cur, ok1 := pg.integer("currentPage")
	pages, ok2 := pg.integer("totalPages")
	total, ok3 := pg.integer("total")
	size, _ := pg.integer("pageSize")
	if !ok1 || !ok2 || !ok3 {
		for _, k := range []string{"currentPage", "totalPages", "total"} {
			if !pg.present(k) {
				pg.bad(k, "portal.problem.missing")
			}
		}
		return
	}
	if cur < 1 || pages < 0 || total < 0 || cur > max(pages, 1) || pages > maxPages {
		data.bad("pagination", "portal.problem.pagination", cur, pages, total)
		return
	}
	r.Paged = true
	r.Page, r.TotalPages, r.Total, r.PageSize = int(cur), int(pages), int(total), int(size)
}

// maxPages bounds the pages of one endpoint: a province has a few hundred
// units, 200 to a page.
const maxPages = 100

// node reads the fields every node has: id, code, name, level, group score.
func (p parser) node(o obj, root bool) Node {
	n := Node{Place: o.path}
	n.ID = o.str("departmentId", true)
	if n.ID != "" {
		if why := idProblem(n.ID); why != "" {
			o.bad("departmentId", "portal.problem.badid", quote(n.ID))
			n.ID = ""
		}
	}
	n.Code = strings.TrimSpace(o.str("departmentCode", false))
	if n.Code != "" {
		if why := idProblem(n.Code); why != "" {
			o.bad("departmentCode", "portal.problem.badcode", quote(n.Code))
			n.Code = ""
		}
	}
	n.Name = strings.TrimSpace(o.str("departmentName", true))
	if utf8.RuneCountInString(n.Name) > maxNameRunes {
		o.bad("departmentName", "portal.problem.longname", maxNameRunes)
	}
	if !root {
		n.Level = o.str("level", false)
		if n.Level == "" {
			n.Level = o.str("departmentLevel", false)
		}
		switch {
		case n.Level == "":
			o.bad("level", "portal.problem.missing")
		case KindOfLevel(n.Level) == "":
			o.bad("level", "portal.problem.level", quote(n.Level))
		}
	}
	return n
}

// groupScore reads a node's group score: score/maxScore or
// totalScore/totalMaxScore (the trees' children use either).
func (p parser) groupScore(o obj, n *Node) {
	score, maxScore := o.score("totalScore"), o.score("totalMaxScore")
	if s2, m2 := o.score("score"), o.score("maxScore"); s2 != nil || m2 != nil {
		if (score != nil && s2 != nil && *score != *s2) || (maxScore != nil && m2 != nil && *maxScore != *m2) {
			o.bad("score", "portal.problem.twoscores")
		}
		if s2 != nil {
			score = s2
		}
		if m2 != nil {
			maxScore = m2
		}
	}
	n.Score, n.Max, n.Ratio = score, maxScore, o.hundredths("ratio")
}

func (p parser) extras(o obj, n *Node, names []string) {
	for _, k := range names {
		if v := o.hundredths(k); v != nil {
			n.Extras = append(n.Extras, Extra{Name: k, Value: *v})
		}
	}
}

// parseTree reads a tree endpoint: parent (the province) and children.
func (p parser) parseTree(r *Response, data obj) {
	if data.unknown(treeDataKeys) {
		return
	}
	parent, ok := data.object("parent", true)
	if !ok {
		return
	}
	var children []obj
	if arr, ok := data.array("children", true); ok {
		for i, v := range arr {
			if c, ok := asObj(v, data.file, fmt.Sprintf("%s[%d]", data.at("children"), i), data.ps); ok {
				children = append(children, c)
			}
		}
	}
	nodes := append([]obj{parent}, children...)
	r.Endpoint = p.treeEndpoint(data, nodes)
	if r.Endpoint == "" {
		return
	}
	fam := treeFamilies[r.Endpoint]
	known := set(append(append([]string(nil), treeCommonKeys...), fam.keys()...)...)
	p.parsePagination(r, data)
	for i, o := range nodes {
		if o.unknown(known) {
			continue
		}
		n := p.node(o, i == 0)
		p.groupScore(o, &n)
		for _, tm := range fam.metrics {
			if m, ok := p.treeMetric(o, tm); ok {
				n.Metrics = append(n.Metrics, m)
			}
		}
		p.extras(o, &n, append(fam.extras, "scoreDelta"))
		if i == 0 {
			r.Root = n
		} else {
			r.Units = append(r.Units, n)
		}
	}
}

// treeEndpoint tells the three trees apart by the count fields their nodes
// carry, or, when no node carries any (a tree of group scores only), by
// the group maximum.
func (p parser) treeEndpoint(data obj, nodes []obj) Endpoint {
	found := map[Endpoint]bool{}
	for _, o := range nodes {
		for e, fam := range treeFamilies {
			for _, k := range fam.keys() {
				if o.has(k) {
					found[e] = true
				}
			}
		}
	}
	switch len(found) {
	case 1:
		for e := range found {
			return e
		}
	case 0:
		for _, o := range nodes {
			m := o.score("totalMaxScore")
			if m == nil {
				m = o.score("maxScore")
			}
			if m == nil {
				continue
			}
			for _, e := range []Endpoint{Progress, Online, Payment} {
				if *m == p.groupMax(e.Group()) {
					return e
				}
			}
		}
		data.ps.add(data.file, "data", "portal.problem.unrecognised")
		return ""
	}
	var names []string
	for _, e := range []Endpoint{Progress, Online, Payment} {
		if found[e] {
			names = append(names, string(e))
		}
	}
	data.ps.add(data.file, "data", "portal.problem.mixed", strings.Join(names, ", "))
	return ""
}

// treeMetric reads the counts of one metric from a tree node. ok is false
// when the node does not carry the metric's fields at all (a child unit of
// the online-services tree: its group score is official only).
func (p parser) treeMetric(o obj, tm treeMetric) (Metric, bool) {
	fields := append(append([]string(nil), tm.num...), tm.den)
	var given, null, absent []string
	for _, k := range fields {
		switch {
		case !o.has(k):
			absent = append(absent, k)
		case !o.present(k):
			null = append(null, k)
		default:
			given = append(given, k)
		}
	}
	m := Metric{Place: o.path, Code: tm.code}
	switch {
	case len(given) == 0 && len(null) == 0:
		return m, false
	case len(given) == 0 && len(absent) == 0: // every field null: no counts
		return m, true
	case len(given) < len(fields):
		o.bad(strings.Join(append(null, absent...), ", "), "portal.problem.partialcounts", tm.code)
		return m, false
	}
	var num int64
	for _, k := range tm.num {
		c := o.count(k)
		if c == nil {
			return m, false
		}
		num += *c
	}
	den := o.count(tm.den)
	if den == nil {
		return m, false
	}
	if num > *den {
		o.bad(strings.Join(tm.num, " + "), "portal.problem.numgtden", tm.code, num, tm.den, *den)
		return m, false
	}
	m.Num, m.Den = &num, den
	return m, true
}

// parseList reads a list endpoint: overview (the province) and evaluation.
func (p parser) parseList(r *Response, data obj) {
	if data.unknown(listDataKeys) {
		return
	}
	overview, ok := data.object("overview", true)
	if !ok {
		return
	}
	nodes := []obj{overview}
	if arr, ok := data.array("evaluation", true); ok {
		for i, v := range arr {
			if c, ok := asObj(v, data.file, fmt.Sprintf("%s[%d]", data.at("evaluation"), i), data.ps); ok {
				nodes = append(nodes, c)
			}
		}
	}
	p.parsePagination(r, data)
	groups := map[string]bool{}
	mdhl := false
	for i, o := range nodes {
		if o.unknown(listNodeKeys) {
			continue
		}
		n := p.node(o, i == 0)
		p.groupScore(o, &n)
		p.extras(o, &n, listExtras)
		for _, k := range []string{"totalPetitions", "classifiedPetitions", "totalDossiers"} {
			mdhl = mdhl || o.has(k)
		}
		if arr, ok := o.array("metrics", true); ok {
			seen := map[string]bool{}
			for j, v := range arr {
				mo, ok := asObj(v, o.file, fmt.Sprintf("%s[%d]", o.at("metrics"), j), o.ps)
				if !ok {
					continue
				}
				m, ok := p.listMetric(mo)
				if !ok {
					continue
				}
				if seen[m.Code] {
					mo.bad("code", "portal.problem.dupmetric", quote(m.Code))
					continue
				}
				seen[m.Code] = true
				g, _ := p.groupOf(m.Code)
				groups[g] = true
				n.Metrics = append(n.Metrics, m)
			}
		}
		if i == 0 {
			r.Root = n
		} else {
			r.Units = append(r.Units, n)
		}
	}
	var listGroups []string
	for g := range groups {
		listGroups = append(listGroups, g)
	}
	switch {
	case len(groups) == 1:
		e := EndpointOfGroup(listGroups[0])
		if e == "" || e.Tree() {
			data.ps.add(data.file, "data", "portal.problem.unrecognised")
			return
		}
		r.Endpoint = e
	case len(groups) > 1:
		data.ps.add(data.file, "data", "portal.problem.mixedgroups", strings.Join(sortedKeys(groups), ", "))
	case mdhl:
		r.Endpoint = Satisfaction
	default:
		// No metric anywhere: only the group maximum can tell.
		if r.Root.Max != nil && *r.Root.Max == p.groupMax(Digitized.Group()) {
			r.Endpoint = Digitized
			return
		}
		data.ps.add(data.file, "data", "portal.problem.unrecognised")
	}
}

// listMetric reads one metric of a list endpoint.
func (p parser) listMetric(o obj) (Metric, bool) {
	if o.unknown(metricKeys) {
		return Metric{}, false
	}
	m := Metric{Place: o.path, Code: o.str("code", true)}
	if m.Code == "" {
		return m, false
	}
	if _, ok := p.groupOf(m.Code); !ok {
		o.bad("code", "portal.problem.unknownmetric", quote(m.Code))
		return m, false
	}
	num, den := o.count("numerator"), o.count("denominator")
	switch {
	case (num == nil) != (den == nil):
		if o.present("numerator") == o.present("denominator") {
			return m, false // a bad number, reported already
		}
		o.bad("numerator", "portal.problem.halfcounts", m.Code)
		return m, false
	case num != nil && *num > *den:
		o.bad("numerator", "portal.problem.numgtden", m.Code, *num, "denominator", *den)
		return m, false
	}
	m.Num, m.Den = num, den
	m.Score, m.Max, m.Ratio = o.score("score"), o.score("maxScore"), o.hundredths("ratio")
	m.Quality = strings.TrimSpace(o.str("dataQualityStatus", false))
	m.QualityMessage = strings.TrimSpace(o.str("dataQualityMessage", false))
	if len(m.Quality) > 64 || utf8.RuneCountInString(m.QualityMessage) > 1000 {
		o.bad("dataQualityStatus", "portal.problem.longquality")
		return m, false
	}
	return m, true
}

// maxNameRunes bounds a unit name; the longest real ones are about 150.
const maxNameRunes = 500

// idProblem says why s cannot be a department id or code ("" when it can):
// they key units, travel into web addresses and file names, and must not
// hide a control character or a space.
func idProblem(s string) string {
	if len(s) > 64 || !utf8.ValidString(s) {
		return "long"
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '/' || r == '\\' || r == '\uFEFF' || r == '\u200B' {
			return "char"
		}
	}
	return ""
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
