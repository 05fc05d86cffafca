package vocab

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/medkg/medkg"
)

// Gap mining finds the frequent terms of a corpus that the vocabulary
// lacks. A candidate is a run of Han characters ending at a head word that
// types it (…神经 nerve, …肌 muscle, …术 procedure, …综合征 condition,
// …韧带 anatomy, …委员会 agency), trimmed on the left at function words
// and verbs; 《…》 titles ending in a regulation head are candidates too.
// Known names, variants of known names, names nested inside a known name
// and bare generic words are never reported.

// Gap is a term the vocabulary lacks, with the evidence a curator needs.
type Gap struct {
	Term string           `json:"term"`
	Type medkg.EntityType `json:"type"`
	Head string           `json:"head"`
	// Count is the number of occurrences, Docs the number of documents.
	Count int `json:"count"`
	Docs  int `json:"docs"`
	// ParentID and Parent name the known entry the term is built on: for
	// a nerve branch, the nerve it starts with; for a compound, the
	// longest known name inside it. Empty when none is.
	ParentID string `json:"parent_id,omitempty"`
	Parent   string `json:"parent,omitempty"`
	// Example is the first sentence the term occurs in, Source its document.
	Example string `json:"example"`
	Source  string `json:"source"`
}

// GapOptions filter the gaps reported.
type GapOptions struct {
	// MinCount drops terms seen fewer times (default 1).
	MinCount int
	// Types keeps only these types; empty keeps all.
	Types []medkg.EntityType
}

// gapHead is a word that ends a term and gives its type. notBefore lists
// what may not follow it: 肌 before 肉 is not a muscle name's end.
type gapHead struct {
	text      string
	typ       medkg.EntityType
	notBefore []string
	// notAfter lists what may not precede it (技 before 术: 技术 is not an
	// operation's name); needs, when set, is a word one of which the term
	// must contain before the head (a …支 is a branch only of a …神经).
	notAfter []string
	needs    []string
}

// gapHeads are tried longest first at every position.
var gapHeads = []gapHead{
	{"神经", medkg.Nerve, []string{"元", "根", "科", "系", "性", "质", "官", "递", "末梢", "纤维", "功能", "丛", "节", "外膜", "内膜", "鞘", "营养", "调", "细胞", "组织", "肌肉", "传导", "电", "兴奋", "反射", "冲动", "毒"}, []string{"部"}, nil},
	{"神经丛", medkg.Nerve, nil, nil, nil},
	{"神经节", medkg.Nerve, []string{"阻滞", "射频"}, nil, nil},
	{"支", medkg.Nerve, []string{"持", "撑", "配", "架", "付", "出", "气", "柱"}, nil, []string{"神经"}},
	{"肌", medkg.Muscle, []string{"肉", "电", "力", "酐", "群", "张", "纤", "萎", "无", "腱", "腹", "束", "层", "注", "阻", "内", "梭", "红", "紧", "病", "炎", "营", "筋", "理", "肤", "体", "骨", "间", "下", "皮神经"}, nil, nil},
	{"术", medkg.Procedure, []string{"语", "式", "者", "野", "业", "士"}, []string{"技", "话", "学", "艺", "战", "算", "魔", "武", "医", "美", "权", "心", "骗", "妖", "法", "仁"}, nil},
	{"手术", medkg.Procedure, []string{"室", "刀", "费", "医", "者", "切"}, nil, nil},
	{"阻滞", medkg.Procedure, []string{"剂", "药", "麻"}, nil, nil},
	{"阻滞麻醉", medkg.Procedure, nil, nil, nil},
	{"注射", medkg.Procedure, []string{"液", "剂", "器", "用", "针", "部", "点", "位", "后", "量"}, nil, nil},
	{"阻断", medkg.Procedure, []string{"剂", "药", "术"}, nil, nil},
	{"疗法", medkg.Procedure, nil, nil, nil},
	{"针", medkg.Procedure, []string{"头", "灸", "刺", "剂", "眼", "对", "孔", "管", "尖", "织"}, nil, nil},
	{"综合征", medkg.Condition, nil, nil, nil},
	{"综合症", medkg.Condition, nil, nil, nil},
	{"炎", medkg.Condition, []string{"症", "性"}, nil, nil},
	{"骨折", medkg.Condition, nil, nil, nil},
	{"脱位", medkg.Condition, nil, nil, nil},
	{"损伤", medkg.Condition, nil, nil, nil},
	{"损害", medkg.Condition, nil, nil, nil},
	{"症", medkg.Condition, []string{"状", "候", "结"}, nil, nil},
	{"病", medkg.Condition, []string{"人", "例", "史", "因", "理", "情", "变", "灶", "程", "患", "房", "区", "毒", "种", "菌", "床", "号", "假", "友", "痛", "症", "害", "历"}, nil, nil},
	{"病变", medkg.Condition, nil, nil, nil},
	{"神经痛", medkg.Condition, nil, nil, nil},
	{"麻痹", medkg.Condition, []string{"症"}, nil, nil},
	{"瘫痪", medkg.Condition, nil, nil, nil},
	{"轻瘫", medkg.Condition, nil, nil, nil},
	{"突出", medkg.Condition, []string{"症", "物"}, nil, []string{"盘", "核", "膨"}},
	{"狭窄", medkg.Condition, []string{"症"}, nil, nil},
	{"卡压", medkg.Condition, []string{"症", "综", "性", "点", "部"}, nil, nil},
	{"撕裂", medkg.Condition, []string{"伤"}, nil, nil},
	{"裂伤", medkg.Condition, nil, nil, nil},
	{"漏", medkg.Condition, []string{"洞", "诊", "斗", "电", "水"}, nil, nil},
	{"中毒", medkg.Condition, []string{"症"}, nil, nil},
	{"畸形", medkg.Condition, nil, nil, nil},
	{"管", medkg.Anatomy, []string{"理", "控", "辖", "制", "道", "家", "护", "用", "住", "局", "部", "腔", "壁"}, []string{"监", "尽", "不", "主", "分", "托", "接", "看", "掌", "保", "代", "只", "血", "导", "插", "吸", "流", "软", "针"}, nil},
	{"孔", medkg.Anatomy, []string{"镜", "径"}, nil, nil},
	{"骨", medkg.Anatomy, []string{"科", "骼", "质", "髓", "折", "头", "膜", "性", "化", "密", "盆", "块", "刺", "赘", "水", "瘤", "肉", "架", "缝", "干", "面", "移", "移植", "融"}, nil, nil},
	{"关节", medkg.Anatomy, []string{"镜", "腔", "炎", "病", "面", "囊", "置", "融", "脱", "突", "僵", "活", "痛", "软", "周", "内", "液", "功"}, nil, nil},
	{"韧带", medkg.Anatomy, []string{"损", "撕", "断", "炎", "重", "修"}, nil, nil},
	{"腱", medkg.Anatomy, []string{"鞘", "膜", "炎", "反", "断", "损", "移", "划", "止", "固", "结"}, nil, nil},
	{"腱膜", medkg.Anatomy, nil, nil, nil},
	{"筋膜", medkg.Anatomy, []string{"炎", "室", "间", "切", "鞘"}, nil, nil},
	{"委员会", medkg.Agency, []string{"办"}, nil, nil},
	{"局", medkg.Agency, []string{"部", "限", "面", "势", "长", "麻", "灶", "域"}, []string{"公安", "税务", "教育", "交通", "邮政", "统计", "气象", "文化", "旅游", "体育", "财政", "民政", "审计", "铁路", "电力", "烟草", "当", "结", "格", "布", "大", "全", "出", "开", "骗", "政", "时", "本", "我", "该", "此"}, nil},
	{"卫健委", medkg.Agency, nil, nil, nil},
	{"卫计委", medkg.Agency, nil, nil, nil},
	{"卫生厅", medkg.Agency, nil, nil, nil},
	{"协会", medkg.Agency, nil, nil, nil},
	{"学会", medkg.Agency, nil, nil, nil},
}

// regulationHeads end the 《…》 titles taken as regulations.
var regulationHeads = []string{"法", "条例", "办法", "规定", "通知", "目录", "规范", "指南", "共识", "标准",
	"意见", "决定", "公告", "细则", "方案", "通告", "规则", "清单", "纲要", "规程", "准则", "要点", "批复", "函", "说明"}

// gapStops are the words a term never crosses on its left: function
// words, verbs of treatment and causation, and the like. A stop inside a
// known name (经 in 神经) does not count.
var gapStops = words(`说明 可见 分别 排除 探讨 介绍 警惕 怀疑 表明 诱发 引发 患 分析 确定 明确 记录 尝试 适合 符合 放弃 耐受 尽快 尽早 首选 定期 重新 提供 严格 确保 注意 担忧 允许 暂停 负责 理解 监测 约占 统称 统称为 收治 易受 遭受 代表 关注 委托 参照 版权 归 探究 常见于 多见于 见于 镜下 引导下 直视下 内镜下 透视下 评估 选择 测量 了解 客户 的 地 得 和 及 与 或 跟 同 在 对 是 为 将 由 于 把 被 从 向 至 到 以 因 而 但 也 都 又 还 并 且 即 如 等
若 则 就 才 所 之 了 着 过 行 经 致 可 能 会 需 应 有 无 没 要 让 使 给 用 做 作 叫 称 属 含 令 系 达 较
最 很 更 太 非 不 未 已 曾 正 均 仍 再 常 多 少 各 每 某 其 此 该 本 这 那 哪 其中 与其 导致 引起 造成 治疗
切断 离断 支配 进行 采用 采取 使用 利用 通过 出现 发生 属于 称为 叫做 包括 包含 以及 或者 并且 而且 以后 以前 之后
之前 之间 之一 如果 因为 所以 由于 可能 可以 主要 一般 常见 常用 通常 往往 经常 需要 应该 能够 容易 比较 相对 进一步
目前 现在 同时 另外 此外 其他 其它 例如 比如 还有 没有 具有 存在 位于 来自 起源 发自 发出 分出 分为 穿过 经过 沿着
伴行 穿出 到达 进入 影响 累及 合并 伴有 伴随 表现 提示 考虑 诊断 确诊 判断 鉴别 检查 发现 显示 证实 认为 建议 推荐
实施 开展 施行 接受 完成 给予 行使 操作 禁止 叫停 严禁 不得 不宜 规定 要求 发布 印发 下发 发文 公布 出台 颁布 关于
针对 根据 按照 依据 依照 涉及 属 患者 病人 医生 医师 专家 记者 女士 先生 小姐 网友 顾客 消费者 求美者 患儿 我们 他们
她们 你们 自己 大家 所谓 俗称 简称 又称 也称 亦称 即为 就是 而是 不是 并非 是否 效果 方法 方式 技术 项目 情况 问题
原因 症状 部位 位置 区域 结构 功能 作用 风险 副作用 并发症 后果 危害 手术后 术后 术前 术中 期间 过程 时候 时间 患有
罹患 患上 得了 出现了 避免 预防 防止 减少 缓解 改善 简单 复杂 严重 轻度 中度 重度 明显 显著 常规 最新 先进 成熟 安全
有效 无效 相关 有关 这种 那种 这些 那些 此类 这类 一种 一个 一些 某些 各种 多种 两种 几种 一次 一侧 双侧 两侧 左侧
右侧 单侧 左 右 双`)

// gapVerbs take an object: a cut before the name of a thing (压迫坐骨神经,
// 注射瘦脸针), but part of an operation's or a lesion's name when they
// stand right before its head (神经阻断术, 神经卡压).
var gapVerbs = words(`压迫 保护 解除 切除 切断 离断 阻断 分离 抑制 减轻 促进 破开 评估 测量 注射 打 损伤
刺激 松解 减压 修复 营养 卡压 牵拉 挤压 刺破 填 填充 伤及 显露 暴露 游离 寻找 找到 识别 避开 损害 阻滞 麻醉 封闭
结扎 缝合 吻合 移植 植入 放置 置入 穿刺 注入 打入 扎 切开 剥离 离开 拉伤 压到 碰到 伤到 看 找 定位 探查`)

// gapLeadingTrim are removed from the start of a candidate, repeatedly:
// numerals, measure words and demonstratives.
var gapLeadingTrim = words(`性 示 我 你 他 她 组 点 量 比 大型 小型 处 一 二 三 四 五 六 七 八 九 十 百 千 两 几 第 个 条 根 块 种 例 名 位 次 项 家 起 批 份 某 该 本 此 这 那 其 各 每 左 右 双 两侧 双侧 单侧 左侧 右侧 即 如 及 或 与 和 的 为 在 对 是 经 行 致 由 于 将 并`)

// gapGeneric are words never reported on their own.
var gapGeneric = words(`神经 肌肉 手术 神经根 肌支 皮支 关节支 分支 神经支 神经丛 神经节 神经干 神经末梢 小手术 大手术 微创手术 开放手术 外科手术 美容手术 整形手术 医美手术 医疗美容手术
注射 阻滞 阻断 疗法 针 炎 症 病 疾病 骨折 脱位 损伤 损害 综合征 综合症 病变 麻痹 瘫痪 突出 狭窄 卡压 撕裂 漏 中毒 畸形 炎症 并发症 后遗症 适应症 禁忌症 适应证 禁忌证 病症 神经痛
管 孔 骨 关节 韧带 腱 肌腱 腱膜 筋膜 骨骼 委员会 局 协会 学会 卫健委 卫计委 卫生厅 当局 本局 我局 该局 总局 分局 支局 结局 格局 布局 大局 全局 出局 开局 骗局 政局 时局
肌 平滑肌 骨骼肌 心肌 随意肌 表情肌 咀嚼肌 支 一支 两支 三支 分支 浅支 深支 终支 前支 后支 外侧支 内侧支 肌支 皮支 关节支 交通支 吻合支 肌皮支
技术 治疗术 手术术 麻醉术 外科术 美容术 整形术 医术 学术 艺术 技术术 战术 算术 魔术 武术 手法 方法 办法 疗法 物理疗法 治疗 医疗 美容针 打针 扎针 银针 针针 一针 每针 方针 指针 秒针 时针 别针
毛病 大病 小病 重病 急病 怪病 看病 生病 患病 发病 职业病 疑难病 慢性病 常见病 多发病 富贵病 心病 疾病 病 癌症 绝症 重症 急症 轻症 症 炎 发炎 消炎 病症 疼痛症 痛症 后症 感染 损 外伤 创伤 内伤 伤 受伤 损伤 神经损伤 肌肉损伤 软组织损伤 外伤性损伤 医源性损伤
交感神经 副交感神经 中枢神经 周围神经 外周神经 植物神经 自主神经 运动神经 感觉神经 脑神经 脊神经 颅神经 末梢神经 中枢神经系统 周围神经系统 神经系统
医疗技术 微创手术 保守治疗 手术治疗 药物治疗 非手术治疗 外科治疗 介入治疗 综合治疗 康复治疗 对症治疗 物理治疗 局部麻醉 全身麻醉 麻醉
血管 微血管 毛细血管 脑血管 监管 尽管 伸肌 屈肌 呼吸肌 小肌 面肌 面部表情肌 前臂伸肌 前臂屈肌 基础疾病 全身性疾病 炎症性疾病 疼痛性疾病 常见并发症 手术后并发症
混合神经 混合性神经 下肢神经 上肢神经 皮神经 支神经 注射针 进针 起病 该病 此病 本病 颈部手术 初次手术 重复注射 长期注射 静脉注射 肌肉注射 皮下注射 局部注射`)

// maxGapRunes bounds a candidate's length; longer ones are phrases.
const (
	maxGapRunes   = 16
	maxTitleRunes = 48
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// GapMiner collects gap candidates from documents. Make one with
// NewGapMiner, Add documents, then read Gaps.
type GapMiner struct {
	v *Vocabulary
	// known holds every Chinese name and alias, and the words protected
	// from stop-word cuts (heads, words like 功能 that hold a stop).
	known    map[string]bool
	maxKnown int
	notPart  map[string]bool // names of drugs and exams
	heads    []gapHead       // longest first
	maxStop  int
	maxTrim  int

	cands map[string]*gapCandidate
	docs  int
}

type gapCandidate struct {
	typ     medkg.EntityType
	head    string
	count   int
	docs    int
	example string
	source  string
}

// NewGapMiner returns a miner that reports terms v lacks.
func NewGapMiner(v *Vocabulary) *GapMiner {
	m := &GapMiner{v: v, known: map[string]bool{}, notPart: map[string]bool{}, cands: map[string]*gapCandidate{}}
	add := func(s string) {
		m.known[s] = true
		m.maxKnown = max(m.maxKnown, utf8.RuneCountInString(s))
	}
	for _, t := range v.Terms() {
		add(t.Text)
		for _, e := range t.Entries {
			if e.Type == medkg.Drug || e.Type == medkg.Exam {
				m.notPart[t.Text] = true
			}
		}
	}
	for _, h := range gapHeads {
		if !gapVerbs[h.text] && !gapStops[h.text] {
			add(h.text)
		}
	}
	for _, w := range gapProtected {
		add(w)
	}
	m.heads = append([]gapHead(nil), gapHeads...)
	sort.SliceStable(m.heads, func(i, j int) bool {
		return utf8.RuneCountInString(m.heads[i].text) > utf8.RuneCountInString(m.heads[j].text)
	})
	for w := range gapStops {
		m.maxStop = max(m.maxStop, utf8.RuneCountInString(w))
	}
	for w := range gapVerbs {
		m.maxStop = max(m.maxStop, utf8.RuneCountInString(w))
	}
	for w := range gapLeadingTrim {
		m.maxTrim = max(m.maxTrim, utf8.RuneCountInString(w))
	}
	return m
}

// gapProtected are common words that contain a stop character but are
// not cut at it.
var gapProtected = strings.Fields(`并发症 后遗症 适应症 禁忌症 选择性 不可逆 可逆 功能 运行 行走 平行 步行 执行 行政 行业 银行 流行 方向 内向 外向 对称 对侧 对应 相应 以上 以下 经皮 经络 经典 经验 月经 有限 无力 为主 因素 原因 至少 由来 能力 可能性 会阴 会厌
协会 学会 委员会 卫健委 卫计委 机会 社会 大会 议会 分会 总会 监督管理局 管理局 关系 系统 体系 所以 所有 诊所 场所 研究所 之间 过敏 过度 使用 作用 用药 用途 给药 做法 称为 多发 多见 少见 常见 最大 最小 较大 较小 更年期 无菌 不良 未知 已知 正中 中间 中枢 正常 再生 均匀 仍然 每日 某种 其他 此外 本身 该病 这样
系列 达到 含有 有效 无效 非法 非常 单纯 两侧 双侧 左侧 右侧 单侧 前侧 后侧 内侧 外侧 上侧 下侧 侧方 旁侧`)

// Add mines text, the body of the document named source.
func (m *GapMiner) Add(source, text string) {
	m.docs++
	seen := map[string]bool{}
	for _, sent := range splitSentences(unwrap(text)) {
		for _, t := range bookTitles(sent) {
			m.record(t.term, medkg.Regulation, t.head, sent, source, seen)
		}
		rs := []rune(sent)
		for i := 0; i < len(rs); {
			if !isHan(rs[i]) {
				i++
				continue
			}
			j := i
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			m.mineRun(rs[i:j], sent, source, seen)
			i = j
		}
	}
}

type titleCand struct{ term, head string }

var bookTitle = regexp.MustCompile(`《([^《》\n]{2,48})》`)

// bookTitles returns the 《…》 titles of s that end in a regulation head,
// with the marks, as regulation canonical names keep them.
func bookTitles(s string) []titleCand {
	var out []titleCand
	for _, mm := range bookTitle.FindAllStringSubmatch(s, -1) {
		inner := strings.TrimSpace(mm[1])
		for _, h := range regulationHeads {
			if strings.HasSuffix(inner, h) && utf8.RuneCountInString(inner) > utf8.RuneCountInString(h) {
				out = append(out, titleCand{"《" + inner + "》", h})
				break
			}
		}
	}
	return out
}

// mineRun records the candidates of one run of Han characters.
func (m *GapMiner) mineRun(run []rune, sent, source string, seen map[string]bool) {
	if len(run) < 2 {
		return
	}
	// Known names are matched longest first; a stop word never falls
	// inside one.
	inside := make([]int, len(run)+1) // start+1 of the known name covering rune k-1 and k
	afterNotPart := make([]bool, len(run)+1)

	protected := make([]bool, len(run))
	for i := 0; i < len(run); {
		n := m.longestKnown(run, i)
		if n == 0 {
			i++
			continue
		}
		for k := i; k < i+n; k++ {
			protected[k] = true
		}
		for k := i + 1; k < i+n; k++ {
			inside[k] = i + 1
		}
		if m.notPart[string(run[i:i+n])] {
			afterNotPart[i+n] = true
		}
		i += n
	}
	// cut[k]: a term may start at k (after a stop word); verbCut[k]:
	// after a verb taking an object.
	cut := afterNotPart // a drug or an exam is never part of a name (肌电图示…)
	verbCut := make([]bool, len(run)+1)
	cut[0] = true
	for i := 0; i < len(run); i++ {
		if protected[i] {
			continue
		}
		for n := min(m.maxStop, len(run)-i); n >= 1; n-- {
			if protected[i+n-1] {
				continue
			}
			w := string(run[i : i+n])
			if gapStops[w] {
				cut[i+n] = true
				break
			}
			if gapVerbs[w] {
				verbCut[i+n] = true
				break
			}
		}
	}
	for end := 1; end <= len(run); end++ {
		h, ok := m.headAt(run, end)
		if !ok {
			continue
		}
		hs := end - utf8.RuneCountInString(h.text)
		// Inside a known name that starts before the head, the term is a
		// part of that name; one that starts at the head (神经 of
		// 神经松解术) is only the next word.
		if inside[end] > 0 && inside[end]-1 < hs {
			continue
		}
		thing := h.typ != medkg.Procedure && h.typ != medkg.Condition
		start := 0
		for k := hs; k >= 0; k-- {
			if cut[k] || (verbCut[k] && (thing || hs-k >= 2)) {
				start = k
				break
			}
		}
		term := m.trimLeading(run[start:end], utf8.RuneCountInString(h.text))
		if term == "" {
			continue
		}
		if !h.accepts(term) || m.extendsKnown(term, h.typ) || (h.typ == medkg.Muscle && strings.Contains(term, "群")) {
			continue
		}
		m.record(term, h.typ, h.text, sent, source, seen)
	}
}

// headAt returns the longest head ending at run[end-1] that is not
// followed by a word it may not precede.
func (m *GapMiner) headAt(run []rune, end int) (gapHead, bool) {
	rest := string(run[end:])
	for _, h := range m.heads {
		n := utf8.RuneCountInString(h.text)
		if n > end || string(run[end-n:end]) != h.text {
			continue
		}
		for _, nb := range h.notBefore {
			if strings.HasPrefix(rest, nb) {
				return gapHead{}, false
			}
		}
		before := string(run[:end-n])
		for _, na := range h.notAfter {
			if strings.HasSuffix(before, na) {
				return gapHead{}, false
			}
		}
		return h, true
	}
	return gapHead{}, false
}

// accepts reports whether term, ending in h, has what h needs before it.
func (h gapHead) accepts(term string) bool {
	if len(h.needs) == 0 {
		return true
	}
	body := strings.TrimSuffix(term, h.text)
	for _, w := range h.needs {
		if strings.Contains(body, w) {
			return true
		}
	}
	return false
}

// extendsKnown reports whether term is a known nerve, muscle or structure
// of its own type with words in front (保护桡神经, 注射后咬肌): they are
// rarely part of a new name, unless a single modifier (副膈神经).
func (m *GapMiner) extendsKnown(term string, typ medkg.EntityType) bool {
	if typ != medkg.Nerve && typ != medkg.Muscle && typ != medkg.Anatomy {
		return false
	}
	rs := []rune(term)
	from := 2
	if len(rs) > 1 && !strings.ContainsRune(gapModifiers, rs[0]) {
		from = 1
	}
	for i := from; i < len(rs)-1; i++ {
		for _, e := range m.v.Resolve(string(rs[i:])) {
			if e.Type == typ {
				return true
			}
		}
	}
	return false
}

// gapModifiers may stand alone before a known name to make a new one.
const gapModifiers = "副前后深浅上下内外长短大小中"

func (m *GapMiner) longestKnown(run []rune, i int) int {
	for n := min(m.maxKnown, len(run)-i); n >= 2; n-- {
		if m.known[string(run[i:i+n])] {
			return n
		}
	}
	return 0
}

// trimLeading strips numerals, measure words and demonstratives from the
// start of t; what is left of a measure word and a head (次手术) is
// nothing.
func (m *GapMiner) trimLeading(t []rune, headLen int) string {
	for len(t) > headLen {
		cut := 0
		for n := min(m.maxTrim, len(t)-headLen); n >= 1; n-- {
			if gapLeadingTrim[string(t[:n])] && m.longestKnown(t, 0) < n+1 {
				cut = n
				break
			}
		}
		if cut == 0 {
			break
		}
		t = t[cut:]
	}
	if len(t) <= headLen || len(t) > maxGapRunes {
		return ""
	}
	return string(t)
}

func (m *GapMiner) record(term string, typ medkg.EntityType, head, sent, source string, seen map[string]bool) {
	if m.isKnown(term) {
		return
	}
	c := m.cands[term]
	if c == nil {
		c = &gapCandidate{typ: typ, head: head, example: exampleOf(sent, term), source: source}
		m.cands[term] = c
	}
	c.count++
	if !seen[term] {
		seen[term] = true
		c.docs++
	}
}

// isKnown reports whether term, or a variant writers use for it, is a
// known name or a generic word.
func (m *GapMiner) isKnown(term string) bool {
	if gapGeneric[term] {
		return true
	}
	for _, v := range gapVariants(term) {
		if len(m.v.Resolve(v)) > 0 {
			return true
		}
	}
	return false
}

// gapVariants returns term and the spellings the extractor treats as the
// same name: 手术/术, 综合症/综合征, 损伤/损害, traditional 經.
func gapVariants(term string) []string {
	out := []string{term}
	swap := func(from, to string) {
		for _, t := range out {
			if strings.HasSuffix(t, from) {
				out = append(out, strings.TrimSuffix(t, from)+to)
			}
		}
	}
	swap("手术", "术")
	swap("术", "")
	swap("综合症", "综合征")
	swap("损害", "损伤")
	swap("损伤", "损害")
	swap("针注射", "针")
	if strings.Contains(term, "經") {
		out = append(out, strings.ReplaceAll(term, "經", "经"))
	}
	if !strings.HasSuffix(term, "术") {
		for _, h := range []string{"松解", "减压", "切断", "离断", "阻断", "切除", "融合", "固定", "置换", "修复", "移植", "吻合", "成形", "消融"} {
			if strings.HasSuffix(term, h) {
				out = append(out, term+"术")
				break
			}
		}
	}
	return out
}

// Gaps returns the candidates that pass opts, most frequent first, with
// a suggested parent for each.
func (m *GapMiner) Gaps(opts GapOptions) []Gap {
	keep := map[medkg.EntityType]bool{}
	for _, t := range opts.Types {
		keep[t] = true
	}
	var out []Gap
	for term, c := range m.cands {
		if c.count < max(opts.MinCount, 1) || (len(keep) > 0 && !keep[c.typ]) {
			continue
		}
		g := Gap{Term: term, Type: c.typ, Head: c.head, Count: c.count, Docs: c.docs, Example: c.example, Source: c.source}
		if p := m.parentOf(term, c.typ); p != nil {
			g.ParentID, g.Parent = p.ID, p.Name
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Docs != b.Docs {
			return a.Docs > b.Docs
		}
		return a.Term < b.Term
	})
	return out
}

// parentOf suggests the known entry term is built on: a nerve for a
// nerve (the longest known nerve the term starts with, else the longest
// it contains), otherwise the longest known name inside the term, the
// leftmost on a tie.
func (m *GapMiner) parentOf(term string, typ medkg.EntityType) *Entry {
	rs := []rune(strings.Trim(term, "《》"))
	var best *Entry
	bestLen, bestStart := 0, 0
	for i := 0; i < len(rs); i++ {
		for n := min(m.maxKnown, len(rs)-i); n >= 2; n-- {
			if i == 0 && n == len(rs) {
				continue
			}
			es := m.v.Resolve(string(rs[i : i+n]))
			e := pickEntry(es, typ)
			if e == nil {
				continue
			}
			better := n > bestLen
			if typ == medkg.Nerve && best != nil {
				// A nerve that starts the name beats a longer one inside.
				switch {
				case e.Type == medkg.Nerve && best.Type != medkg.Nerve:
					better = true
				case e.Type != medkg.Nerve && best.Type == medkg.Nerve:
					better = false
				case bestStart == 0 && i > 0:
					better = false
				}
			}
			if best == nil || better {
				best, bestLen, bestStart = e, n, i
			}
			break
		}
	}
	return best
}

// pickEntry prefers an entry of type typ among es, else a nerve, else the
// first; drugs and exams never anchor a term.
func pickEntry(es []*Entry, typ medkg.EntityType) *Entry {
	var first *Entry
	for _, e := range es {
		if e.Type == medkg.Drug || e.Type == medkg.Exam {
			continue
		}
		if e.Type == typ {
			return e
		}
		if first == nil || (e.Type == medkg.Nerve && first.Type != medkg.Nerve) {
			first = e
		}
	}
	return first
}

// exampleOf returns sent, shortened around term to at most 100 runes.
func exampleOf(sent, term string) string {
	rs := []rune(sent)
	const limit = 100
	if len(rs) <= limit {
		return sent
	}
	i := strings.Index(sent, term)
	at := utf8.RuneCountInString(sent[:max(i, 0)])
	from := max(0, at-40)
	to := min(len(rs), from+limit)
	s := string(rs[from:to])
	if from > 0 {
		s = "…" + s
	}
	if to < len(rs) {
		s += "…"
	}
	return s
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// wrappedLine is the length from which a line that ends in a Han
// character is taken for hard-wrapped text (PDF extracts) rather than a
// heading: its break does not end a sentence.
const wrappedLine = 25

// unwrap joins hard-wrapped lines: a break between two Han characters
// after a long line is dropped, so that 腓\n总神经 reads as 腓总神经.
func unwrap(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		last, _ := utf8.DecodeLastRuneInString(l)
		next, _ := utf8.DecodeRuneInString(lines[i+1])
		if !(isHan(last) && isHan(next) && utf8.RuneCountInString(l) >= wrappedLine) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// splitSentences splits text at sentence ends and line breaks.
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		switch r {
		case '。', '！', '？', '!', '?', '；', ';', '\n':
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

var (
	htmlDrop  = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)>|<!--.*?-->`)
	htmlBlock = regexp.MustCompile(`(?i)</?(p|div|br|li|tr|h[1-6]|section|article|table|ul|ol|dd|dt|blockquote)\b[^>]*>`)
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
)

// GapText returns the text of a corpus document named name for gap
// mining: the `source:`/`title:` header lines of the shared corpus,
// Markdown front matter and HTML markup are dropped.
func GapText(name string, data []byte) string {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.HasPrefix(s, "source:") {
		lines := strings.SplitN(s, "\n", 3)
		if len(lines) == 3 && strings.HasPrefix(lines[1], "title:") {
			s = lines[2]
		}
	}
	if strings.HasPrefix(s, "---\n") {
		if end := strings.Index(s[4:], "\n---"); end >= 0 {
			s = s[4+end+4:]
		}
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm") ||
		strings.Contains(strings.ToLower(s[:min(len(s), 512)]), "<html") {
		s = htmlDrop.ReplaceAllString(s, " ")
		s = htmlBlock.ReplaceAllString(s, "\n")
		s = htmlTag.ReplaceAllString(s, "")
		s = html.UnescapeString(s)
	}
	return s
}
