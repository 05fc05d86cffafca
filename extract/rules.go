package extract

import "github.com/medkg/medkg"

// rule recognises one typed relation between two mentions of a sentence
// from cue words around them.
//
// With subjFirst the subject precedes the object in the text, otherwise
// the object comes first (passive and topic-first sentences). A rule fires
// when every cue list it sets is satisfied:
//   - between: one cue in the text between the two mentions;
//   - mid: one marker between the mentions (从, 由, 被 …), and
//   - after: one cue right after the later mention, in its clause;
//   - before: one cue just before the earlier mention (支配腓肠肌的胫神经).
type rule struct {
	pred      medkg.Predicate
	subjFirst bool
	between   []string
	mid       []string
	after     []string
	before    []string // a cue just before the earlier mention, in its clause
	clauses   int      // clause breaks (，；：) allowed between the mentions
	gap       int      // most runes allowed between the mentions
	adjacent  bool
	reach     int                // most runes between the cue and the later mention (0: any)
	objTypes  []medkg.EntityType // narrows the predicate's object types
}

// afterWindow is how far past the later mention an `after` cue may start.
const afterWindow = 4

var (
	banCues   = []string{"禁止", "叫停", "严禁", "取缔", "不得开展", "不得应用", "不得使用", "禁用", "停止开展", "暂停", "明令禁止", "封杀", "不准", "禁绝", "禁", "停止"}
	cutCues   = []string{"切断", "离断", "阻断", "切除", "横断", "剪断", "毁损", "损毁", "切掉", "截断", "破坏", "割断"}
	aimCues   = []string{"针对", "作用于", "作用在", "注射到", "注射于", "注射至", "注射在", "注入", "阻滞", "松解", "减压", "靶向", "打在", "打到", "作用到"}
	treatCues = []string{"治疗", "用于", "治", "缓解", "改善", "根治", "医治", "治愈"}
	chooseCue = []string{"采用", "考虑", "选择", "接受", "采取", "应用", "首选", "推荐", "可用", "可行", "行", "进行", "使用", "施行", "实施"}
	hitCues   = []string{"压迫", "卡压", "累及", "侵犯", "波及", "牵拉", "挤压", "嵌压", "压到", "卡住"}
	causeCues = []string{"导致", "引起", "造成", "引发", "诱发", "所致", "致使", "继发", "并发", "致"}
	issueCues = []string{"发布", "印发", "出台", "颁布", "制定", "公布", "下发", "发出", "修订", "发文", "起草"}
)

var rules = []rule{
	// 国家卫健委叫停…手术; 国家卫健委办公厅发布关于禁止开展…的通知
	{pred: medkg.Bans, subjFirst: true, between: banCues, clauses: 1, gap: 80},
	// …手术被国家卫健委叫停
	{pred: medkg.Bans, mid: []string{"被", "遭"}, after: banCues, clauses: 0, gap: 30},

	// …术具体的操作就是切断…，例如腓肠内侧皮神经
	{pred: medkg.Cuts, subjFirst: true, between: cutCues, clauses: 2, gap: 100},

	// …阻断术针对的就是腓肠肌
	{pred: medkg.Targets, subjFirst: true, between: aimCues, clauses: 1, gap: 60, reach: 10},
	{pred: medkg.Targets, subjFirst: true, between: cutCues, clauses: 1, gap: 60, objTypes: []medkg.EntityType{medkg.Muscle}},
	// 瘦肩针就是在斜方肌上部注射肉毒毒素
	{pred: medkg.Targets, subjFirst: true, mid: []string{"在", "于", "向", "往"}, after: []string{"注射", "注入", "进针", "阻滞", "打针"}, clauses: 1, gap: 20},
	// 肉毒素注射到斜方肌: the procedure's name ends in its verb
	{pred: medkg.Targets, subjFirst: true, between: []string{"到", "至", "入", "于", "进"}, gap: 1},

	// 胫神经支配比目鱼肌
	{pred: medkg.Innervates, subjFirst: true, between: []string{"支配", "分布于", "分布到", "分布至", "发出肌支至", "发支至", "控制", "供应"}, gap: 40},
	// 支配腓肠肌的胫神经肌支
	{pred: medkg.Innervates, before: []string{"支配", "控制"}, between: []string{"的"}, gap: 1},
	// 比目鱼肌由胫神经支配
	{pred: medkg.Innervates, mid: []string{"由", "受"}, after: []string{"支配", "控制", "供应"}, gap: 30},

	// 腓总神经从坐骨神经分出
	{pred: medkg.BranchOf, subjFirst: true, mid: []string{"从", "由", "自", "在"}, after: []string{"分出", "发出", "分离出", "分支", "发起", "分离"}, gap: 30},
	// 腓总神经是坐骨神经的分支
	{pred: medkg.BranchOf, subjFirst: true, mid: []string{"是", "为", "系", "属于", "属"}, after: []string{"的分支", "的终支", "的末支", "的肌支", "的皮支", "的延续", "的主要分支", "的一个分支", "的一条分支", "的一支", "的属支", "分支"}, gap: 30},
	// 腓肠神经起自胫神经
	{pred: medkg.BranchOf, subjFirst: true, between: []string{"起自", "发自", "来自", "起源于", "源于", "发源于", "起于", "分支自", "分出自", "发出自"}, gap: 30},
	// 坐骨神经分为胫神经和腓总神经; 坐骨神经的分支腓总神经
	{pred: medkg.BranchOf, between: []string{"分出", "发出", "分为", "分成", "延续为", "移行为", "的分支", "的终支", "分支有", "分支为", "的肌支", "的皮支"}, gap: 30},

	// 神经水分离技术治疗腓总神经卡压
	{pred: medkg.Treats, subjFirst: true, between: treatCues, clauses: 1, gap: 30, reach: 8},
	// 腓总神经卡压可考虑神经松解术…治疗
	{pred: medkg.Treats, between: chooseCue, gap: 30},
	// 神经水分离术可作为腕管综合征的一种治疗选择
	{pred: medkg.Treats, subjFirst: true, mid: []string{"作为", "是", "为", "成为"}, after: []string{"的一种治疗", "的治疗", "的首选", "的有效治疗", "的主要治疗", "的常用治疗", "的标准治疗"}, gap: 30},
	// 腰突的治疗方法包括…
	{pred: medkg.Treats, between: []string{"的治疗方法", "的治疗方式", "的治疗手段", "的治疗包括", "的治疗有", "治疗方法", "治疗方式", "治疗手段", "治疗措施", "的首选治疗", "的手术治疗", "手术方式", "的术式", "术式包括", "手术方法"}, gap: 40},

	// 腰椎间盘突出症压迫坐骨神经
	{pred: medkg.Affects, subjFirst: true, between: hitCues, clauses: 1, gap: 30, reach: 8},
	// …导致腓总神经受压
	{pred: medkg.Affects, subjFirst: true, mid: []string{"导致", "引起", "造成", "致"}, after: []string{"受压", "受累", "受损", "受到压迫", "受到卡压", "被压迫", "被卡压", "损伤", "卡压"}, gap: 30},

	// 腕管综合征是正中神经在腕管内受到卡压所致
	{pred: medkg.Affects, subjFirst: true, mid: []string{"是", "系", "为", "指"}, after: []string{"受压", "受到卡压", "受到压迫", "受压迫", "被卡压", "被压迫", "卡压", "嵌压"}, gap: 20},

	// 腰椎间盘突出症导致坐骨神经痛
	{pred: medkg.Causes, subjFirst: true, between: causeCues, gap: 40, reach: 8},
	// 桡神经损伤是肱骨干骨折最常见的神经并发症
	{pred: medkg.Causes, mid: []string{"是", "为", "系"}, after: []string{"的并发症", "常见并发症", "常见的并发症", "最常见的并发症", "最常见的神经并发症", "常见的神经并发症", "的神经并发症", "的常见并发症", "的严重并发症"}, gap: 30},
	// 足下垂由腓总神经损伤引起
	{pred: medkg.Causes, mid: []string{"由", "因", "是", "为"}, after: []string{"引起", "导致", "所致", "造成", "引发"}, gap: 30},
	// 坐骨神经痛继发于腰椎间盘突出症
	{pred: medkg.Causes, between: []string{"继发于", "源于", "起因于", "归因于"}, gap: 30},

	// 国家卫健委印发《…》
	{pred: medkg.IssuedBy, between: issueCues, clauses: 1, gap: 60},
	// 《…》由国家卫健委发布
	{pred: medkg.IssuedBy, subjFirst: true, mid: []string{"由"}, after: issueCues, gap: 30},
	// 国家卫健委关于…的通知; 国家卫健委《…》
	{pred: medkg.IssuedBy, adjacent: true},
}

// Negation and hedging cues. Strong negations deny a relation wherever
// they stand between its mentions; weak ones only right before the cue
// word; post-negations right after the later mention; pre-negations just
// before the earlier mention, in its clause.
var (
	strongNeg = []string{"不是", "并非", "并不", "而非", "而不是", "没有", "否认", "排除", "未", "未见", "未曾", "从未", "无法", "不宜", "不能", "不可", "非", "未能", "尚未", "不应", "无关"}
	weakNeg   = []string{"不", "无", "勿", "别", "不会", "不再", "未必", "不要"}
	postNeg   = []string{"无效", "无关", "不相关", "未见好转", "效果不佳", "无明显效果", "不成立", "缺乏", "尚无", "未经证实", "有待证实", "尚不明确", "不明确", "没有证据", "没有任何", "无任何", "并无", "没有科学"}
	preNeg    = []string{"未见", "未", "无", "没有", "否认", "排除", "并非", "不是", "而不是", "而非", "非", "未发现", "未见明显"}
	hedges    = []string{"可能", "疑似", "或许", "也许", "怀疑", "似乎", "大概", "或可", "不排除", "待排除", "考虑为", "倾向于", "可疑", "或将", "据称", "据传", "说法称", "网传", "传言", "号称", "声称", "宣称", "据说", "流传", "所谓"}
	// claims report what someone asserts: the statements after them are
	// hedged wherever they stand in the sentence.
	claims = []string{"宣称", "声称", "号称", "网传", "据称", "据传", "传言", "流传", "所谓", "鼓吹", "宣传", "文中称", "广告称", "宣传称", "网上说", "有人说", "坊间"}
	// prohibitions deny whatever their clause goes on to say: 不得…将该术式
	// 用于阿尔茨海默病患者 does not assert a treatment (bans rules use them
	// as cues instead).
	prohibitions = []string{"不得", "禁止", "严禁", "不准", "不允许", "切勿", "杜绝", "叫停", "取缔", "暂停", "封杀", "禁用"}
	// basisWords before a regulation make it the grounds of an action, not
	// its actor: 按照《医疗技术临床应用管理办法》…禁止….
	basisWords = []string{"按照", "根据", "依据", "依照", "参照", "遵照", "依", "据"}
)

// allCues lists every cue word, for the segmenter's dictionary.
func allCues() []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.between...)
		out = append(out, r.mid...)
		out = append(out, r.after...)
	}
	for _, l := range [][]string{strongNeg, weakNeg, postNeg, preNeg, hedges, basisWords} {
		out = append(out, l...)
	}
	return out
}
