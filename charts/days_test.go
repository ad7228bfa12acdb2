package charts

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDayByDay(t *testing.T) {
	days := []string{"13/10", "14/10", "15/10"}
	total := Series{Name: "Tổng điểm", Values: []Value{Num(70.5), Missing, Num(71)}}
	rank := Series{Name: "Thứ hạng", Values: []Value{Num(3), Missing, Num(2)}}
	c, err := DayByDay("chart-days", "nhãn", days, total, rank, 100, 8)
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		YAxis []struct {
			Name    string  `json:"name"`
			Min     float64 `json:"min"`
			Max     float64 `json:"max"`
			Inverse bool    `json:"inverse"`
		} `json:"yAxis"`
		Series []struct {
			Name       string `json:"name"`
			YAxisIndex int    `json:"yAxisIndex"`
			Data       []struct {
				Value any `json:"value"`
			} `json:"data"`
		} `json:"series"`
		IntegerSeries []int `json:"integerSeries"`
	}
	if err := json.Unmarshal([]byte(c.Option), &opt); err != nil {
		t.Fatal(err)
	}
	if len(opt.YAxis) != 2 || opt.YAxis[0].Max != 100 || opt.YAxis[0].Inverse || !opt.YAxis[1].Inverse || opt.YAxis[1].Min != 1 || opt.YAxis[1].Max != 8 {
		t.Errorf("axes %+v: want points 0–100 and ranks 1–8 upside down", opt.YAxis)
	}
	if len(opt.Series) != 2 || opt.Series[0].YAxisIndex != 0 || opt.Series[1].YAxisIndex != 1 || opt.Series[1].Name != "Thứ hạng" {
		t.Errorf("series %+v", opt.Series)
	}
	if opt.Series[0].Data[1].Value != "-" || opt.Series[1].Data[2].Value != 2.0 {
		t.Errorf("a missing day is not a gap, or values moved: %+v", opt.Series)
	}
	if len(opt.IntegerSeries) != 1 || opt.IntegerSeries[0] != 1 {
		t.Errorf("the rank is not marked whole: %v", opt.IntegerSeries)
	}
	if c.Script == "" {
		t.Error("no ECharts script")
	}
	if _, err := DayByDay("x", "", days, total, Series{Name: "r", Values: []Value{Num(1)}}, 100, 8); !errors.Is(err, ErrShape) {
		t.Errorf("mismatched series: %v", err)
	}
}
