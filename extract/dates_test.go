package extract

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// dateCase is a text, the article's date, and what its first date (or
// the first date holding want.at) resolves to.
type dateCase struct {
	article, text string
	at            string // the date's text starts with this (default: the first date)
	value, note   string
	written       string // what an action reports as written ("" = not checked)
	rng, eff      bool
}

func checkDates(t *testing.T, cases []dateCase) {
	t.Helper()
	ar, err := builtinActionRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			ds := findDates([]rune(c.text), c.article, ar)
			var d *dateSpan
			for i := range ds {
				if c.at == "" || strings.HasPrefix(ds[i].text, c.at) {
					d = &ds[i]
					break
				}
			}
			if d == nil {
				t.Fatalf("no date found (%d dates)", len(ds))
			}
			if d.value() != c.value || d.note != c.note || d.rng != c.rng || d.effective != c.eff || c.written != "" && d.written() != c.written {
				t.Errorf("%q: value %q note %q range %v effective %v written %q\nwant   %q note %q range %v effective %v written %q",
					d.text, d.value(), d.note, d.rng, d.effective, d.written(), c.value, c.note, c.rng, c.eff, c.written)
			}
		})
	}
}

// TestDatesAbsolute: dates written with their year, in digits or Chinese
// numerals, whole or in part.
func TestDatesAbsolute(t *testing.T) {
	checkDates(t, []dateCase{
		{text: "该规定于2009年5月1日起施行。", value: "2009-05-01", eff: true},
		{text: "处罚决定日期：2022-08-24", value: "2022-08-24"},
		{text: "2022/8/24 发布", value: "2022-08-24"},
		{text: "二〇一五年三月，该技术被列为限制类技术。", value: "2015-03"},
		{text: "二〇二二年八月二十四日起施行", value: "2022-08-24", eff: true},
		{text: "2022年8月24日零时起停止使用", value: "2022-08-24", eff: true},
		{text: "2009年，卫生部发文。", value: "2009", note: noteYearOnly},
		{text: "2021年底前完成整改。", value: "2021", note: notePartOfYear},
		{text: "2021年上半年，该市开展检查。", value: "2021", note: notePartOfYear},
		{text: "2022年8月下旬，该局开展检查。", value: "2022-08", note: notePartOfMonth},
		{text: "2021年2月30日", note: noteNotCalendar},
		{text: "2021年13月5日", note: noteNotCalendar},
		{article: "2008-01-01", text: "2009年5月1日起施行", value: "2009-05-01", note: noteAfterArticle, eff: true},
		{article: "2020-01-01", text: "2009年5月1日", value: "2009-05-01"},
	})
}

// TestDatesRelative: dates written against the article's date (本月26日,
// 今年3月, 去年, 昨天, a day or a month and day without a year) or against
// a date written before them on their line.
func TestDatesRelative(t *testing.T) {
	checkDates(t, []dateCase{
		{article: "2021-07-31T12:55:46Z", text: "本月26日发布", value: "2021-07-26"},
		{article: "2021-07-31", text: "上个月15日发布", value: "2021-06-15"},
		{article: "2021-07-31", text: "今年3月起", value: "2021-03", eff: true},
		{article: "2021-07-31", text: "去年，该市开展检查。", value: "2020", note: noteYearOnly},
		{article: "2022-01-10", text: "去年12月，该局开展检查。", value: "2021-12"},
		{article: "2021-07-31", text: "今年年底前完成。", value: "2021", note: notePartOfYear},
		{article: "2021-07-31", text: "昨天发布", value: "2021-07-30"},
		{article: "2021-03-01", text: "昨日发布", value: "2021-02-28"},
		{article: "2021-07-31", text: "26日，该委发布通知。", value: "2021-07-26", note: noteDayFromArticle},
		{article: "2021-08-03", text: "28日，该委发布通知。", value: "2021-07-28", note: noteDayFromArticle},
		{article: "2021-07-31", text: "该委于26日发布通知。", value: "2021-07-26", note: noteDayFromArticle},
		{article: "2004-11-12", text: "11月2日，卫生部发出通知。", value: "2004-11-02", note: noteYearFromArticle},
		// a past event in the year before the article's
		{article: "2023-01-05", text: "12月28日，该局作出处罚。", value: "2022-12-28", note: noteYearFromArticle},
		// a day something takes effect: the nearest such day
		{article: "2023-01-05", text: "3月1日起施行。", value: "2023-03-01", note: noteYearFromArticle, eff: true},
		{article: "2004-12-01", text: "11月1日起施行", value: "2004-11-01", note: noteYearFromArticle, eff: true},
		{text: "2004年8月，卫生部发出通知，11月1日起施行。", at: "11月", value: "2004-11-01", eff: true},
		{text: "2004年8月，卫生部发出通知。\n11月1日起施行。", at: "11月", value: "2004-11-01", note: noteYearFromText, eff: true},
		{text: "2022年8月3日接到举报，5日作出处罚。", at: "5日", value: "2022-08-05"},
		{text: "2021年12月20日接到举报，1月5日作出处罚。", at: "1月", note: noteYearUnclear},
		{text: "2022年8月24日上午，执法人员到场检查，当天作出处罚。", at: "当天", value: "2022-08-24"},
		{text: "2022年8月24日，执法人员到场检查，次日作出处罚。", at: "次日", value: "2022-08-25"},
		{text: "本月26日发布", note: noteNoArticleDate},
		{text: "今年3月5日法院宣判。2024年3月5日，该案在区法院一审宣判。", value: "2024-03-05", note: noteYearFromSameDay},
		{text: "今年3月5日法院宣判。2023年3月5日立案，2024年3月5日宣判。", note: noteNoArticleDate},
		{text: "11月1日起施行", note: noteNoYear, eff: true},
		{text: "26日，该委发布通知。", note: noteNoMonth},
	})
}

// TestDatesNotDates: what reads like a date and is none.
func TestDatesNotDates(t *testing.T) {
	checkDates(t, []dateCase{
		{article: "2021-07-31", text: "日前，该委发布通知。", note: noteVague},
		{article: "2021-07-31", text: "近日，该局作出处罚。", note: noteVague},
		{text: "此前该诊所已被警告。", note: noteVague},
		// 日前 inside 8月24日前 is the month and day, not a vague date
		{article: "2022-09-01", text: "8月24日前完成整改", value: "2022-08-24", note: noteYearFromArticle},
	})
	ar, err := builtinActionRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"责令停业整顿15日。",
		"自公布之日起30日内完成备案。",
		"罚款于15日内缴清。",
		"第3日复查。",
		"该诊所1-3月共接诊200人。",
		"每日接诊。",
	} {
		t.Run(text, func(t *testing.T) {
			for _, d := range findDates([]rune(text), "2022-09-01", ar) {
				if d.value() != "" && !d.issue {
					t.Errorf("%q read as the date %s", d.text, d.value())
				}
			}
		})
	}
}

// TestDatesRangesAndPeriods: ranges, periods and years alone are kept as
// written, with a reason.
func TestDatesRangesAndPeriods(t *testing.T) {
	checkDates(t, []dateCase{
		{text: "2021年10月10日至2022年7月11日期间", value: "2021-10-10", note: noteRange, rng: true, written: "2021年10月10日至2022年7月11日"},
		{text: "2021年3月至5月，该诊所擅自开展注射。", value: "2021-03", note: noteRange, rng: true, written: "2021年3月至5月"},
		{text: "2021—2023年，该市开展专项整治。", value: "2021", note: noteRange, rng: true, written: "2021—2023年"},
		{text: "2020年以来，该市查处案件。", value: "2020", note: noteRange, rng: true, written: "2020年以来"},
		{text: "2022年8月左右", value: "2022-08", note: noteRange, rng: true, written: "2022年8月左右"},
		{article: "2022-09-01", text: "7月1日至8月31日，该市开展检查。", value: "2022-07-01", note: noteRange, rng: true, written: "7月1日至8月31日"},
	})
}

// TestDatesIssueDay: 自…印发之日起 and 即日起 resolve to the day the text
// says the document was issued — an issuing verb after a date, a key
// before one, a notice's signature line — and 自…施行之日起 to the day
// the text says it takes effect.
func TestDatesIssueDay(t *testing.T) {
	checkDates(t, []dateCase{
		{article: "2023-06-16", text: "该委在本月12日印发通知。通知要求自通知下发之日起停止开展。", at: "自",
			value: "2023-06-12", note: "the issuing date written as 本月12日", eff: true},
		{text: "2021年7月26日，国家卫生健康委员会办公厅印发通知。通知规定，自印发之日起禁止开展。", at: "自",
			value: "2021-07-26", note: "the issuing date written as 2021年7月26日", eff: true},
		{text: "发布日期：2022-03-01\n本通知自发布之日起施行。", at: "自",
			value: "2022-03-01", note: "the issuing or publication date given as 2022-03-01", eff: true},
		{text: "本通知自印发之日起施行。\n某省卫生健康委员会\n2022年3月1日", at: "自",
			value: "2022-03-01", note: "the date on a line of its own after it (the notice's signature): 2022年3月1日", eff: true},
		{text: "本办法自2021年8月1日起施行。2021年7月1日印发的细则自本办法施行之日起废止。", at: "自本",
			value: "2021-08-01", note: "the day it takes effect written as 2021年8月1日", eff: true},
		{text: "该局近日发布通知，即日起停止开展。", at: "即日",
			note: "the document was issued 近日: no date to resolve", eff: true},
		{text: "自本通知印发之日起停止开展。", note: "the day the document was issued is not given in the text", eff: true},
	})
}

// TestDatesOtherEvents: a birth, a founding or a registration is the date
// of another event, never an action's.
func TestDatesOtherEvents(t *testing.T) {
	ar, err := builtinActionRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ text, at string }{
		{"张某（1985年3月12日出生）", "1985"},
		{"对1985年出生的张某处以罚款", "1985"},
		{"对成立于2015年的某诊所罚款", "2015"},
		{"该诊所2015年3月注册", "2015"},
		{"出生日期：1985-03-12", "1985"},
	} {
		t.Run(c.text, func(t *testing.T) {
			for _, d := range findDates([]rune(c.text), "", ar) {
				if strings.HasPrefix(d.text, c.at) && !d.event {
					t.Errorf("%q is not marked the date of another event", d.text)
				}
			}
		})
	}
}

func TestLoadDateRulesErrors(t *testing.T) {
	builtin := func(name string) string {
		data, err := fs.ReadFile(rulesFS, "rules/"+name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	words, acts, dates := builtin("action_words.tsv"), builtin("actions.tsv"), builtin("dates.tsv")
	// the line added after the built-in ones, and the line of 昨天
	n := strings.Count(dates, "\n") + 1
	yesterday := strings.Count(dates[:strings.Index(dates, "昨天")], "\n") + 1
	at := func(format string, args ...any) string {
		return fmt.Sprintf("dates.tsv:%d: ", n) + fmt.Sprintf(format, args...)
	}
	for _, c := range []struct{ name, dates, want string }{
		{"unknown role", dates + "relativ_day\t明日\t1\n", at(`unknown date role "relativ_day"`)},
		{"offset not a number", dates + "relative_day\t明日\tone\n", at(`role "relative_day" needs an integer offset, not "one"`)},
		{"offset where none is taken", dates + "vague\t不久\t1\n", at(`role "vague" takes no offset (write -), not "1"`)},
		{"no words", dates + "vague\t-\t-\n", at(`role "vague" needs words`)},
		{"a word in two roles", dates + "vague\t昨天\t-\n", at(`"昨天" is already a word of relative_day (dates.tsv:%d)`, yesterday)},
		{"short line", dates + "vague\t不久\n", at("2 columns, want at least 3")},
		{"missing role", strings.ReplaceAll(dates, "decision_key\t", "# decision_key\t"), `role "decision_key" is missing`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadActionRules(fstest.MapFS{
				"action_words.tsv": {Data: []byte(words)},
				"actions.tsv":      {Data: []byte(acts)},
				"dates.tsv":        {Data: []byte(c.dates)},
			})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestActionDates: which date of a text is an action's — its verb's date
// among several, a decision's date in a penalty text, the date of the
// heading above a list of actions — and which are none (a birth, the
// start of what is punished, 近日).
func TestActionDates(t *testing.T) {
	type want struct{ date, text, note string }
	for _, c := range []struct {
		name, article, text string
		want                []want // one per action, in order
	}{
		{"a birth date after the action's date", "2022-09-01",
			"2022年8月24日，某区卫生健康局对1985年出生的张某处以罚款。",
			[]want{{date: "2022-08-24", text: "2022年8月24日"}}},
		{"a birth date on the line before a date without year", "2022-09-01",
			"张某，1985年3月出生。8月24日，某区卫生健康局对张某处以罚款。",
			[]want{{date: "2022-08-24", text: "8月24日", note: noteYearFromArticle}}},
		{"a founding date between the action's date and its verb", "2022-09-01",
			"2022年8月24日，某区卫生健康局对成立于2015年的某某诊所作出罚款。",
			[]want{{date: "2022-08-24", text: "2022年8月24日"}}},
		{"the decision's date after the cue", "2022-09-01",
			"某区卫生健康局对某某诊所的罚款决定于2022年8月24日作出。",
			[]want{{date: "2022-08-24", text: "2022年8月24日"}}},
		{"于…作出行政处罚决定", "2022-09-01",
			"2021年3月，某区卫生健康局接到举报，经调查，于2021年5月10日对某某诊所作出行政处罚决定。",
			[]want{{date: "2021-05-10", text: "2021年5月10日"}}},
		{"起 opens what a penalty punishes, not the penalty", "2022-09-01",
			"某某诊所自2020年6月起擅自开展注射美容，某区卫生健康局对其罚款三万元。",
			[]want{{text: "2020年6月", note: "the start of a period, not the day of the penalty"}}},
		{"the day a ban takes effect, after its cue", "2021-07-31",
			"国家卫生健康委员会2021年7月26日发文，禁止自2021年8月1日起开展小腿神经离断瘦腿手术。",
			[]want{{date: "2021-08-01", text: "2021年8月1日"}}},
		{"the day it takes effect over the day it was issued", "",
			"卫生部于2009年4月1日发布规定，自2009年5月1日起各级医疗机构不得开展手术戒毒。",
			[]want{{date: "2009-05-01", text: "2009年5月1日"}}},
		{"日前 is no date", "2023-06-14",
			"日前，广东省卫生健康委员会决定暂停开展神经阻断瘦肩术。",
			[]want{{text: "日前", note: noteVague}}},
		{"本月26日", "2021-07-31",
			"本月26日，国家卫生健康委员会叫停小腿神经离断瘦腿手术。",
			[]want{{date: "2021-07-26", text: "本月26日"}}},
		{"a day alone in a news text", "2021-07-31",
			"26日，国家卫生健康委员会叫停小腿神经离断瘦腿手术。",
			[]want{{date: "2021-07-26", text: "26日", note: noteDayFromArticle}}},
		{"a year alone", "",
			"卫生部2009年规定，自体免疫细胞治疗仅限三级医院开展。",
			[]want{{date: "2009", text: "2009年", note: noteYearOnly}}},
		{"自印发之日起, issued in the sentence before", "",
			"2021年7月26日，国家卫生健康委员会办公厅印发通知。通知规定，自印发之日起禁止开展小腿神经离断瘦腿手术。",
			[]want{{date: "2021-07-26", text: "自印发之日起", note: "the issuing date written as 2021年7月26日"}}},
		{"自发布之日起 with a publication line", "",
			"发布时间：2021-07-28\n国家卫生健康委员会通知，自发布之日起禁止开展小腿神经离断瘦腿手术。",
			[]want{{date: "2021-07-28", text: "自发布之日起", note: "the issuing or publication date given as 2021-07-28"}}},
		{"自印发之日起 with the notice's signature", "",
			"国家卫生健康委员会规定，自本通知印发之日起各医疗机构不得开展小腿神经离断瘦腿手术。\n国家卫生健康委员会办公厅\n2021年7月26日",
			[]want{{date: "2021-07-26", text: "自本通知印发之日起", note: "the date on a line of its own after it (the notice's signature): 2021年7月26日"}}},
		{"a publication line above a paragraph is no heading", "",
			"发布时间：2021-07-31\n国家卫生健康委员会叫停小腿神经离断瘦腿手术。",
			[]want{{}}},
		{"近日 and the decision's date line", "",
			"近日，某区卫生健康局对某某诊所作出行政处罚，罚款三万元。\n处罚决定日期：2022年8月24日",
			[]want{{date: "2022-08-24", text: "2022年8月24日", note: "the date of the penalty decision the document gives; the sentence says 近日"}}},
		{"each case and its own decision date", "",
			"1.某区卫生健康局对甲诊所罚款三万元。\n行政处罚日期：2022-08-24\n" +
				"2.某区卫生健康局对乙美容院罚款两万元。\n行政处罚日期：2022-09-15",
			[]want{{date: "2022-08-24", text: "2022-08-24"}, {date: "2022-09-15", text: "2022-09-15"}}},
		{"a heading with a date over a list", "",
			"2022年8月24日行政处罚信息公示\n1.某区卫生健康局对甲诊所罚款三万元。\n" +
				"2.某区卫生健康局对乙美容院罚款两万元。",
			[]want{{date: "2022-08-24", text: "2022年8月24日", note: "the date of the heading above its list"},
				{date: "2022-08-24", text: "2022年8月24日", note: "the date of the heading above its list"}}},
		{"a line ending with a colon over its items", "",
			"2022年8月24日，某区卫生健康局公布对以下机构的行政处罚：\n某某诊所擅自开展注射美容，罚款三万元。",
			[]want{{date: "2022-08-24", text: "2022年8月24日", note: "the date of the heading above its list"}}},
		{"a year carried on its line", "",
			"2004年8月，卫生部发出通知，11月1日起各地不得开展手术戒毒。",
			[]want{{date: "2004-11-01", text: "11月1日"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := actionsOf(t, c.article, c.text)
			if len(got) != len(c.want) {
				t.Fatalf("%d actions, want %d:\n%s", len(got), len(c.want), showActions(got))
			}
			for i, w := range c.want {
				a := got[i]
				if a.EffectiveDate != w.date || a.DateText != w.text || w.note != "" && a.DateNote != w.note {
					t.Errorf("action %d:\n%swant date %q text %q note %q", i, showActions(got[i:i+1]), w.date, w.text, w.note)
				}
			}
		})
	}
}

// TestActionDatesOfOtherVerbs: in a sentence of several dates, the one
// before the cue nearest it is the action's verb's, even when it is
// vague; a date further back is another verb's.
func TestActionDatesOfOtherVerbs(t *testing.T) {
	for _, c := range []struct{ name, article, text, date, dateText string }{
		{"a report's date before the notice's 日前", "2023-06-14",
			"据某省卫生健康委员会网站昨天（13日）发布的消息，该委日前印发通知，禁止开展神经阻断瘦肩术。", "", "日前"},
		{"a dateline is the report's date", "2021-07-31",
			"某某社7月31日电，某省卫生健康委员会近日叫停神经阻断瘦肩术。", "", "近日"},
		{"a dateline and the ban's own date", "2021-07-31",
			"某某社7月31日电，某省卫生健康委员会于7月26日叫停神经阻断瘦肩术。", "2021-07-26", "7月26日"},
		{"the report's date and the penalty's 近日", "2022-08-30",
			"2022年8月24日，记者近日从某区卫生健康局获悉，该局对某某诊所罚款三万元。", "", "近日"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := actionsOf(t, c.article, c.text)
			if len(got) != 1 {
				t.Fatalf("%d actions, want 1:\n%s", len(got), showActions(got))
			}
			if a := got[0]; a.EffectiveDate != c.date || a.DateText != c.dateText {
				t.Errorf("%swant date %q text %q", showActions(got), c.date, c.dateText)
			}
		})
	}
}
