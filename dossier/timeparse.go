package dossier

// Hand-written time arithmetic. A million dossiers carry three timestamps
// each; time.Parse and time.Time.Month on each would cost more than all the
// rest of a row. Vietnam has had no daylight saving since 1975, so
// Asia/Ho_Chi_Minh is the fixed offset UTC+7 (as scoring.Location) and
// calendar arithmetic on Unix seconds is exact.

const (
	vnOffset  = 7 * 3600
	secPerDay = 86400

	// Years a timestamp may have. A typo such as 2204 for 2024 is refused
	// rather than stretching every series over two centuries.
	minYear = 2000
	maxYear = 2099
)

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// monthOf is the month of Unix time t in Vietnam, as a month index: months
// since January 1970 (January 1970 is 0). Quarters, half-years and years
// are then index / 3, / 6, / 12, since index 0 starts all of them.
func monthOf(t int64) int32 {
	days := floorDiv(t+vnOffset, secPerDay)
	if days >= 0 && days < monthDays[len(monthDays)-1] {
		// A table lookup near the estimate: three of them per dossier
		// add up over a million dossiers.
		a := int(days * 400 / 12175)
		for monthDays[a] > days {
			a--
		}
		for monthDays[a+1] <= days {
			a++
		}
		return int32(a)
	}
	y, m, _ := civilFromDays(days)
	return int32((y-1970)*12 + m - 1)
}

// monthDays[a] is the day number (since 1970-01-01) of month a's first day,
// for the months of 1970 to maxYear and one more.
var monthDays = func() []int64 {
	out := make([]int64, 0, (maxYear-1970+1)*12+1)
	for y := 1970; y <= maxYear+1; y++ {
		for m := 1; m <= 12; m++ {
			out = append(out, daysFromCivil(y, m, 1))
			if y == maxYear+1 {
				return out
			}
		}
	}
	return out
}()

// monthStart is the first instant of month index a in Vietnam.
func monthStart(a int32) int64 {
	y := int(floorDiv(int64(a), 12)) + 1970
	m := int(a) - (y-1970)*12 + 1
	return daysFromCivil(y, m, 1)*secPerDay - vnOffset
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// timeErr says what is wrong with a timestamp, for the message.
type timeErr uint8

const (
	timeOK       timeErr = iota
	timeFormat           // not YYYY-MM-DDThh:mm[:ss][offset]
	timeDateOnly         // a date without a time of day
	timeDate             // no such day (2024-02-30, month 13)
	timeClock            // no such time of day (25:00, 10:61)
	timeOffset           // offset not ±hh:mm within ±14:00
	timeYear             // year outside minYear–maxYear
)

func digit2(b []byte, i int) (int, bool) {
	c0, c1 := b[i]-'0', b[i+1]-'0'
	if c0 > 9 || c1 > 9 {
		return 0, false
	}
	return int(c0)*10 + int(c1), true
}

// parseTime reads an ISO 8601 timestamp as Unix seconds:
//
//	YYYY-MM-DDThh:mm[:ss[.fraction]][Z | ±hh:mm | ±hhmm | ±hh]
//
// A space may stand for the T (spreadsheets and databases write it so).
// Without an offset the time is Vietnam time. A fraction of a second is
// dropped: deadlines are set in minutes, and truncating both sides of a
// comparison cannot turn a late dossier into an early one by more than the
// fraction.
func parseTime(b []byte) (int64, timeErr) {
	if len(b) < 10 || b[4] != '-' || b[7] != '-' {
		return 0, timeFormat
	}
	y1, ok1 := digit2(b, 0)
	y2, ok2 := digit2(b, 2)
	mo, ok3 := digit2(b, 5)
	d, ok4 := digit2(b, 8)
	if !(ok1 && ok2 && ok3 && ok4) {
		return 0, timeFormat
	}
	y := y1*100 + y2
	if len(b) == 10 {
		return 0, timeDateOnly
	}
	if len(b) < 16 || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' {
		return 0, timeFormat
	}
	hh, ok1 := digit2(b, 11)
	mm, ok2 := digit2(b, 14)
	if !ok1 || !ok2 {
		return 0, timeFormat
	}
	ss := 0
	i := 16
	if i < len(b) && b[i] == ':' {
		if len(b) < 19 {
			return 0, timeFormat
		}
		var ok bool
		if ss, ok = digit2(b, 17); !ok {
			return 0, timeFormat
		}
		i = 19
		if i < len(b) && (b[i] == '.' || b[i] == ',') {
			i++
			start := i
			for i < len(b) && b[i]-'0' <= 9 {
				i++
			}
			if i == start {
				return 0, timeFormat
			}
		}
	}
	off := int64(vnOffset)
	if i < len(b) {
		switch c := b[i]; {
		case c == 'Z' && i+1 == len(b):
			off = 0
		case c == '+' || c == '-':
			rest := b[i+1:]
			var oh, om int
			var ok bool
			switch {
			case len(rest) == 2:
				oh, ok = digit2(rest, 0)
			case len(rest) == 4:
				oh, ok = digit2(rest, 0)
				if ok {
					om, ok = digit2(rest, 2)
				}
			case len(rest) == 5 && rest[2] == ':':
				oh, ok = digit2(rest, 0)
				if ok {
					om, ok = digit2(rest, 3)
				}
			}
			if !ok {
				return 0, timeFormat
			}
			if oh > 14 || om > 59 {
				return 0, timeOffset
			}
			off = int64(oh*3600 + om*60)
			if c == '-' {
				off = -off
			}
		default:
			return 0, timeFormat
		}
	}
	if y < minYear || y > maxYear {
		return 0, timeYear
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, timeDate
	}
	if hh > 23 || mm > 59 || ss > 59 {
		return 0, timeClock
	}
	return daysFromCivil(y, mo, d)*secPerDay + int64(hh*3600+mm*60+ss) - off, timeOK
}

// AppendTime appends Unix time t as ISO 8601 in Vietnam time
// (2024-04-03T09:15:00+07:00), as FormatTime writes it, without
// allocating: for writers of large dossier files.
func AppendTime(dst []byte, t int64) []byte { return appendTime(dst, t) }

// appendTime writes Unix time t as ISO 8601 in Vietnam time:
// 2024-04-03T09:15:00+07:00.
func appendTime(dst []byte, t int64) []byte {
	local := t + vnOffset
	days := floorDiv(local, secPerDay)
	sec := int(local - days*secPerDay)
	y, m, d := civilFromDays(days)
	dst = append4(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	dst = append2(dst, d)
	dst = append(dst, 'T')
	dst = append2(dst, sec/3600)
	dst = append(dst, ':')
	dst = append2(dst, sec/60%60)
	dst = append(dst, ':')
	dst = append2(dst, sec%60)
	return append(dst, "+07:00"...)
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// FormatTime is appendTime as a string, for messages and exports.
func FormatTime(t int64) string {
	if t == Open {
		return ""
	}
	return string(appendTime(nil, t))
}
