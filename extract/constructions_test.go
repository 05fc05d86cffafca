package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/medkg/medkg"
)

// TestConstructions pins each class of construction the parsing layer
// models, on sentences written for the test. want lists relations that
// must be asserted ("S pred O", by entity name); deny lists relations that
// must not be asserted as positive edges.
func TestConstructions(t *testing.T) {
	for _, c := range []struct {
		class, text string
		want, deny  []string
	}{
		{"a nerve said to be injured by a condition (passive susceptibility)", "尺神经在肘管处易受肱骨内上髁骨折损伤。",
			[]string{"肱骨内上髁骨折 affects 尺神经"}, []string{"肱骨内上髁骨折 affects 肘管"}},
		{"a nerve injured when a condition occurs", "腓骨头骨折时，腓总神经容易受到损伤。",
			[]string{"腓骨头骨折 affects 腓总神经"}, nil},
		{"treatments named as the means of a recovery", "腕管综合征早期可以通过针灸、推拿等方式治疗。",
			[]string{"针灸 treats 腕管综合征", "推拿 treats 腕管综合征"}, nil},
		{"means of an examination are no treatment", "腕管综合征患者可以通过针灸等方式检查穴位反应。",
			nil, []string{"针灸 treats 腕管综合征"}},
		{"an operation aimed at a condition", "微血管减压术主要针对面肌痉挛患者。",
			[]string{"微血管减压术 treats 面肌痉挛"}, nil},
		{"a condition explained by what compresses a structure", "梨状肌综合征是由于梨状肌肥厚压迫坐骨神经而引起的。",
			[]string{"梨状肌综合征 affects 坐骨神经"}, nil},
		{"a mechanism with the structure after 对", "腰椎管狭窄症：由于黄韧带肥厚，对硬膜囊直接压迫所致。",
			[]string{"腰椎管狭窄症 affects 硬膜囊"}, nil},
		{"a mechanism belongs to the statement it is in", "腰椎间盘突出症很常见；梨状肌综合征由于梨状肌压迫坐骨神经引起。",
			[]string{"梨状肌综合征 affects 坐骨神经"}, []string{"腰椎间盘突出症 affects 坐骨神经"}},
		{"a mechanism past a name qualifying the structure", "椎动脉型颈椎病主要是由于骨赘压迫颈椎椎动脉引起。",
			[]string{"椎动脉型颈椎病 affects 椎动脉"}, []string{"椎动脉型颈椎病 affects 颈椎"}},
		{"a bare branch after its owner and 的", "面神经的颞支分布于额肌。",
			[]string{"面神经颞支 innervates 额肌"}, []string{"面神经 innervates 额肌"}},
		{"a plural demonstrative with a count (这两块)", "胸大肌和胸小肌位于胸前壁，这两块肌肉由胸内侧神经和胸外侧神经支配。",
			[]string{"胸内侧神经 innervates 胸大肌", "胸外侧神经 innervates 胸小肌"}, nil},
		{"numbered items after a colon name the subject of their clause", "下颌神经发出三支：①咬肌神经，支配咬肌；②颞深神经，支配颞肌。",
			[]string{"咬肌神经 innervates 咬肌", "颞深神经 innervates 颞肌"}, []string{"下颌神经 innervates 咬肌", "下颌神经 innervates 颞肌"}},
		{"items numbered as sub-headings, each followed by its paragraph", "腰丛的较大分支有：\n(一)股神经\n它穿过肌腔隙进入大腿前面，沿途发出多条肌支和皮支，肌支支配股四头肌。\n(二)闭孔神经\n它穿过闭膜管到达大腿内侧，肌支支配长收肌。\n",
			[]string{"股神经 branch_of 腰丛", "闭孔神经 branch_of 腰丛"}, nil},
		{"a topic's cue in the clause an enumeration exemplifies", "颈丛的分支有两类，一类较短，主要分布于颈部的肌肉，例如前斜角肌和肩胛提肌。",
			[]string{"颈丛 innervates 前斜角肌", "颈丛 innervates 肩胛提肌"}, nil},
		{"a subjectless clause exemplified by the next takes the topic", "颈丛\n其分支较短。直接分布于颈部的肌肉，例如前斜角肌和肩胛提肌。\n",
			[]string{"颈丛 innervates 前斜角肌", "颈丛 innervates 肩胛提肌"}, nil},
		{"a plural demonstrative whose noun the vocabulary names (这些神经损伤)", "足下垂常见于腓总神经损伤或坐骨神经损伤。这些神经损伤可由腰椎间盘突出症引起。",
			[]string{"腰椎间盘突出症 causes 腓总神经损伤", "腰椎间盘突出症 causes 坐骨神经损伤"}, []string{"腰椎间盘突出症 causes 神经损伤"}},
		{"a plural demonstrative refers to the last list, not a label", "神经损伤：腓总神经损伤和坐骨神经损伤是足下垂的常见原因。这些神经损伤可由糖尿病引起。",
			[]string{"糖尿病 causes 腓总神经损伤", "糖尿病 causes 坐骨神经损伤"}, []string{"糖尿病 causes 神经损伤"}},
		{"a line broken off after 、 goes on in the next", "坐骨神经损伤较常见。它可由糖尿病、\n腰椎间盘突出症等引起。",
			[]string{"腰椎间盘突出症 causes 坐骨神经损伤"}, nil},
		{"commas inside a gloss are no clause breaks", "坐骨神经损伤多由长期蹲跪(压迫,摩擦)、腰椎间盘突出症等因素引起。",
			[]string{"腰椎间盘突出症 causes 坐骨神经损伤"}, nil},
		{"a line of index terms states nothing of them", "颈椎病的手术\n关键词：颈椎病椎管狭窄椎间盘切除术脊柱融合术减压术\n",
			nil, []string{"脊柱融合术 treats 椎管狭窄", "椎间盘切除术 treats 椎管狭窄", "椎间盘切除术脊柱融合术 treats 椎管狭窄"}},
		{"what a condition shows itself as is its symptom, not its cause", "交感型颈椎病患者主要表现为听力下降、耳鸣的症状。",
			[]string{"交感型颈椎病 causes 听力下降"}, []string{"听力下降 causes 交感型颈椎病"}},
		{"an operation named as a treatment of the page's condition, which goes unsaid", "腕管综合征\n腕管松解术也是常用的治疗方法之一。\n",
			[]string{"腕管松解术 treats 腕管综合征"}, nil},
		{"a condition named as a complication of the page's operation", "腰椎融合术\n脑脊液漏是常见的并发症之一。\n",
			[]string{"腰椎融合术 causes 脑脊液漏"}, nil},
		{"a copula frame says nothing when its clause names another topic", "腕管综合征\n正中神经是腕管内最重要的结构。\n",
			nil, []string{"正中神经 treats 腕管综合征"}},
		{"a nerve said to be damaged (受损) is the nerve's injury", "膈神经受损可导致膈肌麻痹。",
			[]string{"膈神经损伤 causes 膈肌麻痹"}, nil},
		{"a contraindication key after its topic and 的 ends the list before it", "神经阻滞疗法\n▲神经阻滞的适应征1.三叉神经痛。\n2.带状疱疹后神经痛。\n▲神经阻滞的禁忌征1.诊断不明者不宜行神经阻滞。\n",
			[]string{"神经阻滞 treats 三叉神经痛", "神经阻滞 treats 带状疱疹后神经痛"}, nil},
		{"an injection named as the cause of a nerve injury it qualifies (P所致的C)", "臀部肌肉注射所致的坐骨神经损伤并不少见。",
			[]string{"臀部肌内注射 causes 坐骨神经损伤"}, nil},
		{"a list item that only dates the next (骨折、手术后的疼痛) is no item", "神经阻滞疗法\n神经阻滞的适应证：\n1.骨折、手术后的急性疼痛。\n2.带状疱疹后神经痛。\n",
			[]string{"神经阻滞 treats 带状疱疹后神经痛"}, []string{"神经阻滞 treats 骨折"}},
		{"a complication occurring after an operation", "腕管松解术后少数患者出现伤口感染和瘢痕疼痛。",
			[]string{"腕管松解术 causes 切口感染"}, nil},
		{"an operation's complication needs an operation as subject", "腰椎间盘突出症术后出现切口感染的患者较少。",
			nil, []string{"腰椎间盘突出症 causes 切口感染"}},
		{"an effect said to resolve is relief, not a complication", "行微血管减压术后面肌痉挛消失。",
			nil, []string{"微血管减压术 causes 面肌痉挛"}},
		{"an operation right before its complication", "胸椎手术中脑脊液漏的发生率较高。",
			[]string{"胸椎手术 causes 脑脊液漏"}, nil},
		{"a symptom named as what a condition shows", "腰痛是腰椎管狭窄症最常见的症状。",
			[]string{"腰椎管狭窄症 causes 腰痛"}, nil},
		{"a symptom named as one of what a condition shows", "坐骨神经痛为梨状肌综合征的首要症状之一。",
			[]string{"梨状肌综合征 causes 坐骨神经痛"}, nil},
		{"a structure made to undergo a condition", "石膏固定过久可使腓肠肌发生失用性萎缩。",
			[]string{"废用性萎缩 affects 腓肠肌"}, nil},
		{"a structure under pressure, then what follows", "尺神经受压迫可引发肘管综合征。",
			[]string{"肘管综合征 affects 尺神经"}, nil},
		{"a qualified key alone on its line, then list lines", "尺神经损伤\n常见损伤原因\n- 切割伤\n- 牵拉伤\n",
			[]string{"切割伤 causes 尺神经损伤", "牵拉伤 causes 尺神经损伤"}, nil},
		{"a likeness names what an effect resembles, not the effect", "腰椎融合术后有人出现类似肩周炎的疼痛。",
			nil, []string{"腰椎融合术 causes 肩周炎"}},
		{"a plural demonstrative refers back to the whole list", "肌皮神经穿过喙肱肌后行于肱二头肌与肱肌之间，并支配上述肌肉。",
			[]string{"肌皮神经 innervates 肱二头肌", "肌皮神经 innervates 肱肌"}, nil},
		{"a condition named as an operation's adverse effect", "切口感染是腕管松解术后常见的不良反应。",
			[]string{"腕管松解术 causes 切口感染"}, nil},
		{"a label line whose clause opens with a marker of the second argument", "肘管综合征：由骨关节炎压迫尺神经引起。",
			[]string{"骨关节炎 causes 肘管综合征"}, nil},
		{"a numbered subtype label under its disease", "腰椎管狭窄症\n(1) 中央型：由黄韧带肥厚压迫硬膜囊引起。\n",
			[]string{"黄韧带肥厚 causes 中央型腰椎管狭窄症"}, nil},
		{"a branch given off is the subject of the clause after it", "骶丛在盆腔内发出梨状肌神经，支配梨状肌。",
			[]string{"梨状肌神经 branch_of 骶丛", "梨状肌神经 innervates 梨状肌"}, []string{"骶丛 innervates 梨状肌"}},
		{"a nerve named after the muscle it goes to", "骶丛另外发出至梨状肌的神经，从前面进入该肌。",
			[]string{"梨状肌神经 branch_of 骶丛"}, nil},
		{"a procedure's alias that swallowed the verb before its object", "推拿治疗颈椎病有一定效果。",
			[]string{"推拿 treats 颈椎病"}, nil},
		{"an operation said to raise the risk of conditions", "下颌角截骨术容易增加出血、血肿和感染的机会。",
			[]string{"下颌角截骨术 causes 出血", "下颌角截骨术 causes 血肿", "下颌角截骨术 causes 感染"}, nil},
		{"a bracketed key with numbered items, ended by the next bracketed label", "☞枕大神经阻滞【适应症】1.枕神经痛。\n2.颈源性头痛。\n【禁忌症】1.局部感染。\n【并发症】局部血肿。\n",
			[]string{"枕大神经阻滞 treats 枕神经痛", "枕大神经阻滞 treats 颈源性头痛", "枕大神经阻滞 causes 血肿"}, []string{"枕大神经阻滞 treats 感染", "枕大神经阻滞 treats 血肿"}},
		{"a key followed right away by a list number", "星状神经节阻滞的适应症1.面神经麻痹2.带状疱疹后神经痛。",
			[]string{"星状神经节阻滞 treats 面神经麻痹", "星状神经节阻滞 treats 带状疱疹后神经痛"}, nil},
		{"a contraindication list is no list of indications", "星状神经节阻滞\n适应症：\n1.面神经麻痹。\n禁忌症：\n1.局部感染。\n",
			[]string{"星状神经节阻滞 treats 面神经麻痹"}, []string{"星状神经节阻滞 treats 感染"}},
		{"a clause continuing the topic with a long path before its verb", "臀下神经发自骶丛，与臀下动脉一起穿梨状肌下孔离开盆腔以后再分布于臀大肌。",
			[]string{"臀下神经 innervates 臀大肌"}, nil},
		{"a cause marked with 由于 and closed with 所致", "尺神经损伤常常由于肘部骨折所致。",
			[]string{"骨折 causes 尺神经损伤"}, nil},
		{"the disease named again with a determiner on a subtype's label line is the subtype", "腰椎管狭窄症可分为三型。\n侧隐窝型：这类腰椎管狭窄症主要由小关节增生引起。\n",
			[]string{"小关节增生 causes 侧隐窝型腰椎管狭窄症"}, []string{"小关节增生 causes 腰椎管狭窄症"}},
		{"an English gloss written right after a name, without brackets", "髂腹下神经iliohypogastric nerve with its lateral branch起自腰丛，从腰大肌外缘穿出。",
			[]string{"髂腹下神经 branch_of 腰丛"}, nil},
		{"a counted key after 由 and an opener of composition", "坐骨神经由两大分支构成：胫神经和腓总神经。",
			[]string{"胫神经 branch_of 坐骨神经", "腓总神经 branch_of 坐骨神经"}, nil},
		{"two sides of 与…有关 are no list", "肘管综合征与肘关节骨折有关。",
			[]string{"肘关节骨折 causes 肘管综合征"}, nil},
		{"an elliptical pair of branches counted with 个 and 分支", "尺神经在腕部分为深、浅两个分支。",
			[]string{"尺神经深支 branch_of 尺神经", "尺神经浅支 branch_of 尺神经"}, nil},
		{"an elliptical pair of branches written with a comma", "桡神经在肘关节附近分为浅，深二支。",
			[]string{"桡神经浅支 branch_of 桡神经", "桡神经深支 branch_of 桡神经"}, nil},
		{"a plural pronoun for the two names before it", "桡神经浅支和骨间后神经，两者都是桡神经的分支。",
			[]string{"桡神经浅支 branch_of 桡神经", "骨间后神经 branch_of 桡神经"}, nil},
		{"a nerve named as a place is not the owner of what leaves there", "三叉神经在半月神经节处发出眼神经。",
			nil, []string{"眼神经 branch_of 三叉神经节"}},
		{"enumeration with glosses and 等", "桡神经支配肱三头肌（伸肘）、旋后肌（前臂旋后）、桡侧腕长伸肌和指伸肌等。",
			[]string{"桡神经 innervates 肱三头肌", "桡神经 innervates 旋后肌", "桡神经 innervates 桡侧腕长伸肌", "桡神经 innervates 指伸肌"}, nil},
		{"enumeration exemplifying a class", "正中神经支配前臂大部分屈肌，如旋前圆肌、掌长肌。",
			[]string{"正中神经 innervates 旋前圆肌", "正中神经 innervates 掌长肌"}, nil},
		{"commas inside a list that goes on with 、", "下颌神经出颅后支配鼓膜张肌,腭帆张肌、下颌舌骨肌。",
			[]string{"下颌神经 innervates 鼓膜张肌", "下颌神经 innervates 腭帆张肌", "下颌神经 innervates 下颌舌骨肌"}, nil},
		{"a lone comma separates clauses", "胫神经支配比目鱼肌，腓肠肌由另一支支配。",
			[]string{"胫神经 innervates 比目鱼肌"}, nil},
		{"分为 with a count", "腓总神经分为腓浅神经和腓深神经两支。",
			[]string{"腓浅神经 branch_of 腓总神经", "腓深神经 branch_of 腓总神经"}, nil},
		{"enumeration opened by 包括 with commas", "腕管综合征的治疗方法包括：腕管松解术，类固醇注射。",
			[]string{"腕管松解术 treats 腕管综合征"}, nil},
		{"a count after the list names its key", "臂丛有腋神经、肌皮神经、正中神经、桡神经和尺神经五大分支。",
			[]string{"腋神经 branch_of 臂丛", "肌皮神经 branch_of 臂丛", "正中神经 branch_of 臂丛", "桡神经 branch_of 臂丛", "尺神经 branch_of 臂丛"}, nil},
		{"a count, a comma, then an opener", "腰丛在腰大肌内有三个分支，包括：髂腹下神经、髂腹股沟神经和生殖股神经。",
			[]string{"髂腹下神经 branch_of 腰丛", "髂腹股沟神经 branch_of 腰丛", "生殖股神经 branch_of 腰丛"}, nil},
		{"a nerve formed from its divisions, named by stem and 支", "三叉神经由眼支（第一支）、上颌支（第二支）和下颌支（第三支）汇合而成。",
			[]string{"眼神经 branch_of 三叉神经", "上颌神经 branch_of 三叉神经", "下颌神经 branch_of 三叉神经"}, nil},
		{"a table of branches under its key", "面神经出茎乳孔后的分支如下：\n分支名称 | 分布区域 |\n颞支 | 额部 |\n颧支 | 颧部 |\n下颌缘支 | 下颌 |\n面神经的分支变异较多，请以临床为准。",
			[]string{"面神经颞支 branch_of 面神经", "面神经颧支 branch_of 面神经", "面神经下颌缘支 branch_of 面神经"}, nil},
		{"a relative clause over a group names its head, not the topic", "臂丛在锁骨上方发出数支。支配冈上肌和冈下肌的肩胛上神经起自上干。",
			[]string{"肩胛上神经 innervates 冈上肌", "肩胛上神经 innervates 冈下肌"}, []string{"臂丛 innervates 冈上肌", "臂丛 innervates 冈下肌"}},
		{"a branch leaves one nerve: the nearer of two possessors", "前臂背侧的切口可能伤及尺神经和桡神经的分支骨间后神经。",
			[]string{"骨间后神经 branch_of 桡神经"}, []string{"骨间后神经 branch_of 尺神经"}},
		{"a part named through its owner with 的", "臂丛的后束发出腋神经和桡神经。",
			[]string{"腋神经 branch_of 臂丛后束", "桡神经 branch_of 臂丛后束"}, []string{"腋神经 branch_of 臂丛"}},
		{"a statement that is the last item of an enumeration", "部分患者另有病因，如糖尿病、营养不良、骨折后畸形愈合引起尺神经损伤等。",
			nil, []string{"糖尿病 causes 尺神经损伤", "营养不良 causes 尺神经损伤"}},
		{"a cord named alone after its plexus", "臂丛由根、干、股、束组成。从后束发出的分支有：腋神经、桡神经。",
			[]string{"腋神经 branch_of 臂丛后束", "桡神经 branch_of 臂丛后束"}, nil},
		{"subtype labels under their disease, and a label line with a gloss", "三叉神经痛分为原发性和继发性两类。\n继发性（症状性）：继发于脑血管畸形、脑炎等。",
			[]string{"脑血管畸形 causes 继发性三叉神经痛", "脑炎 causes 继发性三叉神经痛"}, nil},
		{"a cause through a mechanism (由A压迫B导致)", "坐骨神经痛多因腰椎间盘突出症压迫坐骨神经引起。",
			[]string{"腰椎间盘突出症 causes 坐骨神经痛"}, nil},
		{"a locative with a gloss before an after-cue", "肘管综合征是尺神经在肘部尺神经沟(肘管)受压导致的神经病变。",
			[]string{"肘管综合征 affects 尺神经"}, nil},
		{"an abbreviation glossing a name is that name", "肘管综合征(CTS)是尺神经在肘部受压导致的病变。",
			[]string{"肘管综合征 affects 尺神经"}, []string{"腕管综合征 affects 尺神经"}},
		{"a key after qualifying words, and a filler before its list", "面肌痉挛是一种常见病。\n最为有效的治疗方式为微血管减压术。目前治疗方法多样，包括针灸，肉毒毒素注射等。",
			[]string{"微血管减压术 treats 面肌痉挛", "针灸 treats 面肌痉挛", "肉毒素注射 treats 面肌痉挛"}, nil},
		{"a structure's lesion is not its disease", "椎动脉型颈椎病：颈椎病变压迫椎动脉。",
			nil, []string{"颈椎病 affects 椎动脉"}},
		{"a count after 的 before its key", "腰丛发出的三支神经是髂腹下神经、髂腹股沟神经和生殖股神经。",
			[]string{"髂腹下神经 branch_of 腰丛", "髂腹股沟神经 branch_of 腰丛", "生殖股神经 branch_of 腰丛"}, nil},
		{"the last item of a list carries a qualifier", "腓骨颈骨折、膝关节脱位及粉碎性腓骨头骨折均可导致腓总神经损伤。",
			[]string{"腓骨颈骨折 causes 腓总神经损伤", "膝关节脱位 causes 腓总神经损伤", "腓骨头骨折 causes 腓总神经损伤"}, nil},
		{"a derived name the vocabulary writes with a synonym", "肱骨上端骨折可造成腋神经损伤。",
			[]string{"肱骨近端骨折 causes 腋神经损伤"}, nil},
		{"a trailing list closed by items the vocabulary does not name", "1、微血管减压术：\n微血管减压术在显微镜下进行。该手术创伤较大，存在脑脊液漏、听力下降等风险。",
			[]string{"微血管减压术 causes 脑脊液漏"}, nil},
		{"what is injected names the injection (注射X)", "她在美容院注射玻尿酸引起了视神经损伤。",
			[]string{"玻尿酸注射 causes 视神经损伤"}, nil},
		{"a structure before a locative (咬肌内)", "肉毒素注射作用于咬肌内的运动终板。",
			[]string{"肉毒素注射 targets 咬肌"}, nil},
		{"a cue inside a relative clause qualifies its head only", "骶丛由来自腰丛的腰骶干和骶神经前支组成。",
			[]string{"腰骶干 branch_of 腰丛"}, []string{"骶丛 branch_of 腰骶干", "骶丛 branch_of 腰丛"}},
		{"a verb's object is the structure right after it", "腕管松解术切开腕横韧带，从而解除正中神经的压迫。",
			nil, []string{"腕管松解术 cuts 正中神经"}},
		{"a word of degree between 等 and the key", "腰椎融合术在我院开展多年。术后仍存在脑脊液漏、感染等严重风险。",
			[]string{"腰椎融合术 causes 脑脊液漏", "腰椎融合术 causes 感染"}, nil},
		{"an abbreviation the text defines names its entity afterwards", "腕管综合征（carpal tunnel syndrome, CTS）多见于中年女性。腕管松解术是治疗CTS的有效方法。",
			[]string{"腕管松解术 treats 腕管综合征"}, nil},
		{"an abbreviation defined for another name than the vocabulary's", "肘管综合征（CTS）较少见。尺神经前置术可用于治疗CTS。",
			[]string{"尺神经前置术 treats 肘管综合征"}, []string{"尺神经前置术 treats 腕管综合征"}},
		{"a case series: operations counted in cases", "腕管综合征是常见的卡压性疾病。本组40例中，腕管松解术32例，其余8例保守观察。",
			[]string{"腕管松解术 treats 腕管综合征"}, nil},
		{"exclusion scope 除…以外", "除拇长屈肌和指深屈肌以外的前臂屈肌均由正中神经支配。",
			nil, []string{"正中神经 innervates 拇长屈肌", "正中神经 innervates 指深屈肌"}},
		{"除…外 around a clause is 'besides', not exclusion", "斜方肌除受副神经支配外，还接受颈丛的分支。",
			[]string{"副神经 innervates 斜方肌"}, nil},
		{"除…外 around a statement keeps it", "除造血干细胞移植用于治疗白血病外，尚无获批的干细胞疗法。",
			[]string{"造血干细胞移植 treats 白血病"}, nil},
		{"exclusion 不包括", "正中神经支配旋前圆肌，不包括尺侧腕屈肌。",
			[]string{"正中神经 innervates 旋前圆肌"}, []string{"正中神经 innervates 尺侧腕屈肌"}},
		{"contrast 而非", "尺神经支配尺侧腕屈肌，而非桡侧腕屈肌。",
			[]string{"尺神经 innervates 尺侧腕屈肌"}, []string{"尺神经 innervates 桡侧腕屈肌"}},
		{"prohibited use is a ban, not a treatment", "国家卫生健康委员会禁止将干细胞治疗应用于阿尔茨海默病治疗。",
			nil, []string{"干细胞治疗 treats 阿尔茨海默病"}},
		{"denied efficacy", "星状神经节阻滞治疗面神经麻痹疗效不佳。",
			nil, []string{"星状神经节阻滞 treats 面神经麻痹"}},
		{"key–value under a numbered heading", "2. 腕管综合征：\n病因：腕部骨折、腱鞘炎。\n病变神经：正中神经。",
			[]string{"腱鞘炎 causes 腕管综合征", "腕管综合征 affects 正中神经"}, nil},
		{"list under a key on its own line", "星状神经节阻滞\n适应症：\n①带状疱疹后神经痛；\n②面神经麻痹。",
			[]string{"星状神经节阻滞 treats 带状疱疹后神经痛", "星状神经节阻滞 treats 面神经麻痹"}, nil},
		{"X的key with an opener", "跗管综合征的常见病因有腱鞘炎、糖尿病等。",
			[]string{"腱鞘炎 causes 跗管综合征", "糖尿病 causes 跗管综合征"}, nil},
		{"zero subject under a heading", "尺神经\n主要支配尺侧腕屈肌和指深屈肌尺侧半。",
			[]string{"尺神经 innervates 尺侧腕屈肌"}, nil},
		{"zero subject: the page topic causes", "跗管综合征是一种周围神经卡压疾病。\n多继发于腱鞘炎、类风湿关节炎。",
			[]string{"腱鞘炎 causes 跗管综合征", "类风湿关节炎 causes 跗管综合征"}, nil},
		{"a label line: X： then subjectless clauses", "3、下颌神经：经卵圆孔出颅，支配咬肌、颞肌。",
			[]string{"下颌神经 innervates 咬肌", "下颌神经 innervates 颞肌"}, nil},
		{"X key without 的", "桡神经损伤主要原因：肱骨干骨折。",
			[]string{"肱骨干骨折 causes 桡神经损伤"}, nil},
		{"a short lead before the cue takes the page topic", "跗管综合征是一种卡压性疾病。\n约一成病例继发于腱鞘炎。",
			[]string{"腱鞘炎 causes 跗管综合征"}, nil},
		{"a table of short lines has no headings", "肥胖\n糖尿病\n妊娠\n常见诱因包括肥胖、糖尿病等。",
			nil, []string{"糖尿病 causes 肥胖症"}},
		{"the topic opening a sentence is no label", "神经水分离术主要用于腕管综合征，部分外伤引起的周围神经病不宜采用。",
			nil, []string{"神经水分离术 causes 周围神经病"}},
		{"a key after its items: A、B等并发症", "微血管减压术疗效确切，但存在脑脊液漏、面瘫等风险。",
			[]string{"微血管减压术 causes 脑脊液漏", "微血管减压术 causes 面神经麻痹"}, nil},
		{"complications of the operation, not of the disease named before", "阿尔茨海默病患者行微血管减压术后出现面瘫等并发症。",
			[]string{"微血管减压术 causes 面神经麻痹"}, []string{"阿尔茨海默病 causes 面神经麻痹"}},
		{"a semicolon separates statements", "支具固定可作为首选；保守治疗无效的腕管综合征应行正中神经松解术。",
			nil, []string{"支具固定 treats 腕管综合征"}},
		{"a later clause of cause keeps its own subject", "腰椎间盘突出症是常见病。劳损等因素，会导致椎间盘退变。",
			nil, []string{"腰椎间盘突出症 causes 椎间盘退变"}},
		{"a list that goes on with an unnamed item", "病因包括糖尿病、长期受压直接导致神经损伤等。",
			nil, []string{"糖尿病 causes 神经损伤"}},
		{"the topic continues into a clause of cause", "脑脊液漏是脊柱手术的常见并发症，一旦发生可导致椎管内感染、低颅压综合征。",
			[]string{"脑脊液漏 causes 椎管内感染", "脑脊液漏 causes 低颅压综合征"}, nil},
		{"a relative clause after a copula names a kind", "跗管综合征是胫神经受卡压引发的周围神经病。",
			nil, []string{"跗管综合征 causes 周围神经病"}},
		{"a verb right before the operation name", "黄韧带骨化行椎板切除术者5例。",
			[]string{"椎板切除术 treats 黄韧带骨化症"}, nil},
		{"a key alone on its line opens a list", "肘管综合征\n- 诱发因素\n肘关节骨关节炎。\n腱鞘囊肿。",
			[]string{"腱鞘囊肿 causes 肘管综合征"}, nil},
		{"the longest cue wins: 继发 and 继发于", "脑脊液漏继发皮下积液。坐骨神经痛继发于腰椎间盘突出症。",
			[]string{"脑脊液漏 causes 皮下积液", "腰椎间盘突出症 causes 坐骨神经痛"}, []string{"坐骨神经痛 causes 腰椎间盘突出症"}},
		{"a denial of evidence governs its clause", "目前没有证据表明干细胞治疗能治疗阿尔茨海默病。",
			nil, []string{"干细胞治疗 treats 阿尔茨海默病"}},
		{"no evidence between subject and cue", "干细胞治疗尚无证据可以治疗阿尔茨海默病。",
			nil, []string{"干细胞治疗 treats 阿尔茨海默病"}},
		{"a negated innervation", "胫神经不支配股四头肌。", nil, []string{"胫神经 innervates 股四头肌"}},
		{"not caused by", "坐骨神经痛并非由腰椎间盘突出症引起。", nil, []string{"腰椎间盘突出症 causes 坐骨神经痛"}},
		{"a counted list announced by its owner, one label line per item", "面神经入腮腺后分为五组分支：\n颞支：支配额肌；\n颈支：支配颈阔肌。\n三叉神经管咀嚼。",
			[]string{"面神经颞支 branch_of 面神经", "面神经颈支 branch_of 面神经", "面神经颈支 innervates 颈阔肌"}, []string{"三叉神经 branch_of 面神经"}},
		{"a possessor is not the subject", "三叉神经的名称来源于其有眼神经、上颌神经和下颌神经三个分支。",
			nil, []string{"三叉神经 branch_of 眼神经"}},
		{"a branch named through a pronoun is the branch (它的返支)", "正中神经分布于手掌，它的返支支配拇短展肌。",
			[]string{"正中神经返支 innervates 拇短展肌"}, nil},
		{"a key in a later clause takes the sentence's subject", "三叉神经\n上颌神经仅传导感觉，主要分支包括眶下神经、颧神经等。",
			[]string{"眶下神经 branch_of 上颌神经"}, []string{"眶下神经 branch_of 三叉神经"}},
		{"a modal and a one-rune cue take the topic", "梨状肌综合征\n保守治疗无效时，需行神经松解术。",
			[]string{"神经松解术 treats 梨状肌综合征"}, nil},
		{"a condition because its nerve is compressed", "腕管综合征因为正中神经受到卡压而出现麻木。",
			[]string{"腕管综合征 affects 正中神经"}, nil},
		{"an elliptical pair of branches", "桡神经在肘部分为深、浅两支。",
			[]string{"桡神经深支 branch_of 桡神经", "桡神经浅支 branch_of 桡神经"}, nil},
		{"its branch or fibres refer back to the nerve", "下颌神经经卵圆孔出颅。其运动纤维支配鼓膜张肌和腭帆张肌。",
			[]string{"下颌神经 innervates 鼓膜张肌", "下颌神经 innervates 腭帆张肌"}, nil},
		{"items are not their own topic", "常见诱因包括肥胖、糖尿病等。", nil, []string{"糖尿病 causes 肥胖症"}},
		{"damage said of a structure past an adverbial of its passage", "跗管综合征是胫神经穿过内踝后方的骨纤维管时受压所引起的病症。",
			[]string{"跗管综合征 affects 胫神经"}, []string{"跗管综合征 affects 内踝"}},
		{"an adverbial of passage closed by a comma", "旋后肌综合征是指桡神经深支经过旋后肌腱弓时，受到卡压而产生的一组症状。",
			[]string{"骨间后神经卡压综合征 affects 桡神经深支"}, nil},
		{"a circumstance before the cue of a subjectless clause", "三叉神经痛\n对药物治疗无效者可采用射频热凝术。必要时行微血管减压术。",
			[]string{"射频消融 treats 三叉神经痛", "微血管减压术 treats 三叉神经痛"}, nil},
		{"a condition before 术后 is the indication, not the cause", "切口感染是腰椎间盘突出症术后的常见并发症之一。",
			nil, []string{"腰椎间盘突出症 causes 切口感染"}},
		{"complications after an unnamed treatment are not the page's condition's", "梨状肌综合征\n梨状肌综合征多见于中年人。\n手术后可发生切口感染、血肿（局部肿胀、疼痛）等并发症。",
			nil, []string{"梨状肌综合征 causes 切口感染", "梨状肌综合征 causes 血肿"}},
		{"complications after a treatment are the treatment's named last", "星状神经节阻滞的适应症\n1、偏头痛\n星状神经节阻滞可以缓解偏头痛的发作，对药物控制不佳者可以考虑。\n治疗后可能出现声音嘶哑、霍纳综合征等并发症。",
			[]string{"星状神经节阻滞 causes 霍纳综合征"}, []string{"偏头痛 causes 霍纳综合征"}},
		{"positional branches of a divided nerve, built when the vocabulary lacks them", "闭孔神经分为前支和后支。股外侧皮神经分成前后二支。",
			[]string{"闭孔神经前支 branch_of 闭孔神经", "闭孔神经后支 branch_of 闭孔神经", "股外侧皮神经前支 branch_of 股外侧皮神经", "股外侧皮神经后支 branch_of 股外侧皮神经"}, nil},
		{"the divided nerve is the statement's, not an earlier clause's", "胫神经沿小腿后面下行；腓总神经绕过腓骨颈，分为深、浅两支。桡神经起自臂丛后束，在肘前分为浅、深两支。",
			[]string{"腓深神经 branch_of 腓总神经", "腓浅神经 branch_of 腓总神经", "桡神经浅支 branch_of 桡神经", "桡神经深支 branch_of 桡神经"}, nil},
		{"a positional stem is no nerve's name in a division", "臀上皮神经可分为外侧支、中间支和内侧支。",
			[]string{"臀上皮神经中间支 branch_of 臀上皮神经", "臀上皮神经内侧支 branch_of 臀上皮神经"}, []string{"中间神经 branch_of 臀上皮神经"}},
		{"a bare cord after a sibling part of the same plexus", "臂丛的后束发出腋神经。内侧束发出尺神经，外侧束发出肌皮神经。",
			[]string{"尺神经 branch_of 臂丛内侧束", "肌皮神经 branch_of 臂丛外侧束"}, []string{"肌皮神经 branch_of 尺神经", "尺神经 branch_of 臂丛后束"}},
		{"a branch named through its owner, in a list", "腰丛还发出髂腹股沟神经和生殖股神经的股支。",
			[]string{"生殖股神经股支 branch_of 腰丛", "生殖股神经股支 branch_of 生殖股神经", "髂腹股沟神经 branch_of 腰丛"}, []string{"生殖股神经 branch_of 腰丛"}},
		{"a heading of the same numbering that names no topic returns to the page's", "腰椎管狭窄症的防治\n一、间歇性跛行的特点\n患者行走一段距离后出现下肢疼痛和麻木，休息后缓解，再走又会出现。\n二、保守治疗有没有用\n多数患者可以先休息和锻炼，必要时行硬膜外注射。\n",
			[]string{"硬膜外注射 treats 腰椎管狭窄症"}, []string{"硬膜外注射 treats 间歇性跛行"}},
		{"two conditions of one patient are one argument (A伴B, A合并B)", "本组病例采用椎管减压术治疗腰椎间盘突出症伴腰椎管狭窄症。",
			[]string{"椎管减压术 treats 腰椎间盘突出症", "椎管减压术 treats 腰椎管狭窄症"}, nil},
		{"a relieving verb is a treatment's cue", "肉毒毒素注射可以明显减轻面肌痉挛的症状。",
			[]string{"肉毒素注射 treats 面肌痉挛"}, nil},
		{"a condition that only dates the next is no argument (A后B)", "肉毒毒素注射能改善脑卒中后肌痉挛。",
			[]string{"肉毒素注射 treats 肌痉挛"}, []string{"肉毒素注射 treats 脑卒中"}},
		{"a condition that only dates the next makes no relative clause (A后的B)", "经皮神经电刺激可用于治疗脊髓损伤后的神经病理性疼痛。",
			[]string{"经皮神经电刺激 treats 神经病理性疼痛"}, []string{"经皮神经电刺激 treats 脊髓损伤"}},
		{"treatment given to patients (给予P治疗)", "对腰椎间盘突出症患者给予椎间孔镜手术治疗。",
			[]string{"椎间孔镜手术 treats 腰椎间盘突出症"}, nil},
		{"treatments named as the means of managing a condition (等方式处理)", "腰椎术后脑脊液漏可通过卧床休息、硬膜外血贴等方式处理。",
			[]string{"硬膜外血贴 treats 脑脊液漏"}, nil},
	} {
		t.Run(c.class, func(t *testing.T) {
			doc, err := mustExtractor(t).ExtractText(context.Background(), "c.txt", c.text)
			if err != nil {
				t.Fatal(err)
			}
			got := positives(doc)
			for _, w := range c.want {
				if !got[w] {
					t.Errorf("%q: missing %s; got %s", c.text, w, describe(doc))
				}
			}
			for _, d := range c.deny {
				if got[d] {
					t.Errorf("%q: asserts %s, which the text denies", c.text, d)
				}
			}
		})
	}
}

// TestDerivedNames pins names built from parts: typed by their head,
// marked derived, with the known part.
func TestDerivedNames(t *testing.T) {
	for _, c := range []struct{ text, surface, typ, part string }{
		{"患者术后椎管内感染。", "椎管内感染", "condition", "椎管"},
		{"术后出现医源性桡神经损伤。", "医源性桡神经损伤", "condition", "桡神经损伤"},
		{"注射后可能出现旋后肌麻痹。", "旋后肌麻痹", "condition", "旋后肌"},
		{"肉毒素注射于斜方肌上部。", "斜方肌上部", "muscle", "斜方肌"},
		{"行副神经探查术。", "副神经探查术", "procedure", "副神经"},
		{"血管压迫三叉神经根导致疼痛。", "三叉神经根", "nerve", "三叉神经"},
		{"术中损伤坐骨神经干。", "坐骨神经干", "nerve", "坐骨神经"},
		{"术中误伤骶丛后股。", "骶丛后股", "nerve", "骶丛"},
		{"小关节源性腰痛可行射频治疗。", "小关节源性腰痛", "condition", "关节突关节"},
		{"对黄韧带骨化行椎管后部切除术。", "椎管后部切除术", "procedure", "椎管"},
		{"臂丛根部发出前斜角肌肌支。", "前斜角肌肌支", "nerve", "前斜角肌"},
		{"中华医学会数字医学分会发布指南。", "中华医学会数字医学分会", "agency", "中华医学会"},
		{"患者行锁骨骨折切开复位内固定术。", "锁骨骨折切开复位内固定术", "procedure", "锁骨骨折"},
	} {
		t.Run(c.surface, func(t *testing.T) {
			x := mustExtractor(t)
			doc, err := x.ExtractText(context.Background(), "c.txt", c.text)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range doc.Entities {
				if e.Mentions[0].Text != c.surface {
					continue
				}
				if string(e.Type) != c.typ || !e.Derived || len(e.Parts) == 0 {
					t.Fatalf("%s: type %s derived %v parts %v, want %s, derived, with parts", c.surface, e.Type, e.Derived, e.Parts, c.typ)
				}
				part, ok := x.vocab.Entry(e.Parts[0])
				if !ok || part.Name != c.part {
					t.Errorf("%s: part %v, want %s", c.surface, e.Parts, c.part)
				}
				return
			}
			t.Errorf("%q: no mention %s; got %s", c.text, c.surface, describe(doc))
		})
	}
	// A disease's subtypes written by their label alone, in a list.
	doc, err := mustExtractor(t).ExtractText(context.Background(), "c.txt", "腰椎管狭窄症可分为中央型、侧隐窝型和混合型。")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, e := range doc.Entities {
		if e.Type == medkg.Condition && e.Mentions[0].Text != "腰椎管狭窄症" {
			labels = append(labels, e.Name+"="+e.Mentions[0].Text)
		}
	}
	if got, want := strings.Join(labels, " "), "中央型腰椎管狭窄症=中央型 侧隐窝型腰椎管狭窄症=侧隐窝型 混合型腰椎管狭窄症=混合型"; got != want {
		t.Errorf("subtype labels: got %s, want %s", got, want)
	}
	// A head alone is never a name.
	doc, err = mustExtractor(t).ExtractText(context.Background(), "c.txt", "术后出现感染和骨折。")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Entities {
		if e.Derived {
			t.Errorf("bare head became a derived name: %s", e.Name)
		}
	}
}

// TestOwnersAndPlaces pins names made of an owner and its part, and local
// bodies whose place name ends in a common word (晋城市 holds 城市).
func TestOwnersAndPlaces(t *testing.T) {
	for _, c := range []struct{ text, surface, name string }{
		{"球囊导管穿刺至三叉神经半月节。", "三叉神经半月节", "三叉神经节"},
		{"晋城市市场监督管理局对该机构罚款。", "晋城市市场监督管理局", "晋城市市场监督管理局"},
		{"鹿城区卫生监督所查处一家诊所。", "鹿城区卫生监督所", "鹿城区卫生监督所"},
	} {
		doc, err := mustExtractor(t).ExtractText(context.Background(), "c.txt", c.text)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range doc.Entities {
			for _, m := range e.Mentions {
				if m.Text == c.surface && e.Name == c.name {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%q: no mention %s of %s; got %s", c.text, c.surface, c.name, describe(doc))
		}
	}
}

func positives(doc *medkg.Document) map[string]bool {
	names := map[string]string{}
	for _, e := range doc.Entities {
		names[e.ID] = e.Name
	}
	out := map[string]bool{}
	for _, r := range doc.Relations {
		if !r.Negated {
			out[strings.Join([]string{names[r.Subject], string(r.Predicate), names[r.Object]}, " ")] = true
		}
	}
	return out
}
