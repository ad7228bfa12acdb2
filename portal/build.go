package portal

import (
	"sort"

	"scorecard/models"
	"scorecard/store"
)

// Build turns a checked capture into what the store keeps: the province
// and its units, and each unit's figures per group. known are the units
// the portal named before, by department id (store.PortalUnitsByID):
// the transparency and satisfaction lists name units by id only, and bare
// responses of those endpoints can only be read when the units are known.
func (c *Capture) Build(known map[string]models.Unit) (*store.PortalCapture, error) {
	var ps problems
	province := c.ProvinceCode
	if province == "" {
		if u, ok := known[c.ProvinceID]; ok {
			province = u.Code
		}
	}
	if province == "" {
		ps.add("", "", "portal.problem.unknownprovince", quote(c.ProvinceID))
		return nil, ps.err(c.Name)
	}
	if u, ok := known[c.ProvinceID]; ok && u.Code != province {
		ps.add("", "", "portal.problem.idconflict", quote(c.ProvinceID), quote(u.Code), quote(province))
	}

	type unit struct {
		code, name, level string
		file, place       string
	}
	units := map[string]*unit{} // by department id
	byCode := map[string]string{}
	// Units named by code first (trees, digitisation), in endpoint order.
	for _, e := range Endpoints {
		for _, r := range c.Pages[e] {
			for _, n := range r.Units {
				if n.Code == "" {
					continue
				}
				u := units[n.ID]
				switch {
				case u == nil:
					if other, dup := byCode[n.Code]; dup {
						ps.add(r.File, n.Place, "portal.problem.codetwoids", quote(n.Code), quote(other), quote(n.ID))
						continue
					}
					if n.Code == province {
						ps.add(r.File, n.Place, "portal.problem.childisprovince", quote(n.Code))
						continue
					}
					units[n.ID] = &unit{code: n.Code, name: n.Name, level: n.Level, file: r.File, place: n.Place}
					byCode[n.Code] = n.ID
				case u.code != n.Code:
					ps.add(r.File, n.Place, "portal.problem.idtwocodes", quote(n.ID), quote(u.code), quote(n.Code), u.file)
				case u.level != n.Level:
					ps.add(r.File, n.Place, "portal.problem.leveldisagree", quote(n.ID), n.Level, u.level, u.file)
				}
			}
		}
	}
	// Then units named by id only.
	for _, e := range Endpoints {
		for _, r := range c.Pages[e] {
			for _, n := range r.Units {
				if n.Code != "" {
					continue
				}
				if u := units[n.ID]; u != nil {
					if u.level != n.Level {
						ps.add(r.File, n.Place, "portal.problem.leveldisagree", quote(n.ID), n.Level, u.level, u.file)
					}
					continue
				}
				k, ok := known[n.ID]
				if !ok {
					ps.add(r.File, n.Place, "portal.problem.unknownunit", quote(n.ID), quote(n.Name), string(e))
					continue
				}
				if k.Parent() != province {
					ps.add(r.File, n.Place, "portal.problem.otherprovince", quote(n.ID), quote(k.Code), quote(k.Parent()), quote(province))
					continue
				}
				units[n.ID] = &unit{code: k.Code, name: n.Name, level: n.Level, file: r.File, place: n.Place}
			}
		}
	}
	for id, u := range units {
		if k, ok := known[id]; ok && k.Code != u.code {
			ps.add(u.file, u.place, "portal.problem.idconflict", quote(id), quote(k.Code), quote(u.code))
		}
	}
	if !ps.empty() {
		return nil, ps.err(c.Name)
	}

	out := &store.PortalCapture{
		Name:         c.Name,
		Fingerprint:  c.Fingerprint(),
		ProvinceID:   c.ProvinceID,
		ProvinceCode: province,
		Period:       c.Period.String(),
		AsOf:         c.AsOf,
		Complete:     !c.Bare && c.Complete(),
	}
	name := c.ProvinceName
	if name == "" {
		name = known[c.ProvinceID].Name
	}
	out.Units = append(out.Units, store.PortalUnit{Code: province, Name: name, Kind: models.KindProvince, PortalID: c.ProvinceID})
	ids := make([]string, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return units[ids[i]].code < units[ids[j]].code })
	for _, id := range ids {
		u := units[id]
		out.Units = append(out.Units, store.PortalUnit{Code: u.code, Name: u.name, Kind: KindOfLevel(u.level), ParentCode: province, PortalID: id})
	}

	for _, e := range Endpoints {
		pages := c.Pages[e]
		if len(pages) == 0 {
			continue
		}
		g := e.Group()
		out.Groups = append(out.Groups, g)
		out.Figures = append(out.Figures, figures(province, g, pages[0].Root))
		for _, r := range pages {
			for _, n := range r.Units {
				out.Figures = append(out.Figures, figures(units[n.ID].code, g, n))
			}
		}
	}
	for _, f := range c.Files {
		out.Files = append(out.Files, store.PortalFile{Name: f.Name, Endpoint: string(f.Endpoint), Page: f.Page, Data: f.Data})
	}
	return out, nil
}

func figures(unit, group string, n Node) store.PortalFigures {
	f := store.PortalFigures{Unit: unit, Group: group, Score: n.Score, Max: n.Max, Ratio: n.Ratio}
	for _, m := range n.Metrics {
		f.Metrics = append(f.Metrics, store.PortalMetric{Code: m.Code, Num: m.Num, Den: m.Den, Score: m.Score, Max: m.Max, Ratio: m.Ratio,
			Quality: m.Quality, QualityMessage: m.QualityMessage})
	}
	for _, e := range n.Extras {
		f.Extras = append(f.Extras, store.PortalExtra{Name: e.Name, Value: e.Value})
	}
	return f
}
