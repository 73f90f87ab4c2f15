"""Cases for `jianbao check`, written for jianbao after the themes of public checkers' test suites
(psknlr/GONGWEN, hehecat/gongwen, zhlint, chinese-copywriting-guidelines, lint-md) and of
GB/T 15834-2011 and GB/T 15835-2011. Our own sentences, not copied from those suites.

    python bench/check_cases.py            # figures for the jianbao importable here
    PYTHONPATH=/path/to/other/src python bench/check_cases.py

A case that must fire counts as caught when check reports any finding on its line; a clean case
counts as right when check reports nothing on its line. Suites whose rules contradict bulletin
practice (zhlint's and the copywriting guidelines' space between Chinese and Latin) give only their
other themes here.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

# (suite, theme, where, text, must fire)    where: para | title | heading | subtitle
CASES = [
    # --- half-width punctuation (zhlint punctuation-width, lint-md no-half-width-punctuation, GONGWEN)
    ("zhlint", "punct-width", "para", "会议强调,要压实责任.", True),
    ("lint-md", "punct-width", "para", "各校要认真落实;确保安全!", True),
    ("GONGWEN", "punct-width", "para", "各单位要按照要求,于3月前完成。", True),
    ("zhlint", "punct-width", "para", "我县GDP增长6.1%，增速居全市第2位。", False),
    ("zhlint", "punct-width", "para", "全县累计建成5G基站1286个，覆盖率达到99.5%。", False),
    # --- quotes
    ("zhlint", "quote-unify", "para", "他强调「要把群众的事办好」。", True),
    ("zhlint", "quote-unify", "para", "提出『三个一』工作法。", True),
    ("copywriting", "straight-quote", "para", "开展\"双争\"活动。", True),
    ("GB/T 15834", "nested-quote", "para", "会议要求“持续巩固“双减”成果，防止反弹”。", True),
    ("GB/T 15834", "nested-quote", "para", "会议要求“持续巩固‘双减’成果，防止反弹”。", False),
    ("GB/T 15834", "quote-list", "para", "学习《条例》、《办法》等文件。", True),
    ("GB/T 15834", "quote-list", "para", "开展“双争”“双评”活动。", False),
    # --- spaces (zhlint space-*, copywriting, lint-md no-space-between-fullwidth)
    ("zhlint", "space-fullwidth", "para", "全市 教育系统召开会议。", True),
    ("zhlint", "space-punct", "para", "会议指出 ，要抓好落实。", True),
    ("zhlint", "space-quote", "para", "开展“ 能力作风建设年 ”活动。", True),
    ("zhlint", "space-bracket", "para", "各县（ 市、区 ）教育局参加。", True),
    ("lint-md", "space-mixed", "para", "新建中小学 22 所。", True),
    ("copywriting", "nbsp", "para", "全市\u00a0中小学全部开学。", True),
    ("copywriting", "zero-width", "para", "落实\u200b“双减”政策。", True),
    ("hehecat", "ideographic-space", "para", "\u3000\u3000市教育局召开专题会议。", True),
    ("hehecat", "tab", "para", "市教育局\t召开专题会议。", True),
    ("GB/T 15834", "title-space", "title", "攻坚“双减”新任务 构建教育新生态", False),
    ("GB/T 15834", "slogan-space", "para", "开设“提能力 强作风 出重彩”专题报道。", False),
    # --- brackets and document numbers
    ("GONGWEN", "halfwidth-bracket", "para", "成立工作专班(由分管领导任组长)。", True),
    ("GONGWEN", "halfwidth-bracket", "para", "(1)明确工作分工。", True),
    ("GONGWEN", "halfwidth-bracket", "para", "引入B-READY(Business Ready)评价体系。", True),
    ("GONGWEN", "doc-number", "para", "依据郑政[2025]12号文件要求。", True),
    ("GONGWEN", "doc-number", "para", "依据郑政(2024)8号文件要求。", True),
    ("GONGWEN", "doc-number", "para", "依据《党政机关公文处理工作条例》（中办发〔2012〕14号）执行。", False),
    ("GB/T 15834", "pairing", "para", "按照郑政〔2025号文件执行。", True),
    # --- item numbers
    ("GONGWEN", "item-number", "para", "（一）、加强组织领导。", True),
    ("GONGWEN", "item-number", "para", "主要措施：1、强化领导；2、压实责任。", True),
    ("GONGWEN", "item-number", "para", "一.加强组织领导。", True),
    ("GONGWEN", "item-number", "para", "对第1、2、3条作出修改。", False),
    ("GONGWEN", "heading-number", "heading", "一、总体要求", True),
    ("GONGWEN", "heading-number", "heading", "（二）工作安排", True),
    ("GONGWEN", "heading-number", "heading", "1.5万名教师参加培训", False),
    # --- full-width digits and letters
    ("copywriting", "fullwidth-alnum", "para", "参训教师１２０人。", True),
    ("copywriting", "fullwidth-alnum", "para", "达到ＡＡＡ级标准。", True),
    # --- ellipsis and dashes
    ("lint-md", "ellipsis", "para", "作业、课后服务、考试管理...各项工作稳步推进。", True),
    ("GB/T 15834", "ellipsis", "para", "作业、课后服务、考试管理…各项工作稳步推进。", True),
    ("GB/T 15834", "ellipsis", "para", "作业、课后服务、考试管理……各项工作稳步推进。", False),
    ("GB/T 15834", "dash", "para", "我们的总体目标--建成高质量教育体系。", True),
    ("GB/T 15834", "dash", "subtitle", "—全县一季度重点项目观摩综述", True),
    ("GB/T 15834", "dash", "para", "实行“收集—交办—办理—反馈”闭环管理。", False),
    ("GB/T 15834", "dash", "subtitle", "——全县一季度重点项目观摩综述", False),
    # --- dates and years
    ("GONGWEN", "short-year", "para", "各单位要于26年3月前完成自查。", True),
    ("GB/T 15835", "short-year", "para", "截至25年底，共建成示范点8个。", True),
    ("GB/T 15835", "short-year", "para", "参加工作22年来，始终扎根基层。", False),
    ("GB/T 15835", "padded-date", "para", "会议于2022年02月05日召开。", True),
    ("GB/T 15835", "hao", "para", "会议定于4月1号召开。", True),
    ("GB/T 15835", "hao", "para", "在3号楼会议室召开。", False),
    ("GB/T 15835", "mixed-date", "para", "二〇二二年2月5日印发。", True),
    ("GB/T 15835", "cn-year-zero", "para", "二零二二年工作要点。", True),
    # --- ranges
    ("GONGWEN", "year-range", "para", "规划期为2026-2030年。", True),
    ("GB/T 15835", "range", "para", "每次培训3-5天。", True),
    ("GONGWEN", "range-unit", "para", "比例控制在15～30%。", True),
    ("GB/T 15835", "range-unit", "para", "每校补助3～5万元。", True),
    ("GB/T 15835", "range-unit", "para", "每校补助3万～5万元，比例为15%～30%。", False),
    ("GB/T 15835", "range", "para", "咨询电话0371-67180000。", False),
    ("GB/T 15835", "range", "para", "执行GB/T 9704-2012标准。", False),
    # --- titles and headings ending in punctuation (GONGWEN format)
    ("GONGWEN", "title-end", "title", "关于开展安全检查的通报。", True),
    ("GONGWEN", "title-end", "heading", "总体要求。", True),
    ("GONGWEN", "title-end", "runin", "加强组织领导。", False),
    # --- words
    ("GONGWEN", "wording", "para", "其它事项另行通知。", True),
    ("GONGWEN", "wording", "para", "截止目前，已完成92%。", True),
    ("GONGWEN", "wording", "para", "报名截止日期为3月5日。", False),
    ("GONGWEN", "wording", "para", "把问题交待清楚。", True),
    ("GONGWEN", "wording", "para", "确保汛期通讯畅通。", True),
    ("GONGWEN", "wording", "para", "及时向上级情况反应。", True),
    ("GONGWEN", "wording", "para", "加强疫苗不良反应情况监测。", False),
    ("GONGWEN", "wording", "para", "市、县、乡、等各级单位。", True),
    ("GONGWEN", "duplicate", "para", "要进一步进一步压实责任。", True),
    ("GONGWEN", "duplicate", "para", "这是我们的的责任。", True),
    ("GONGWEN", "duplicate", "para", "为了了解真实情况，深入一线调研。", False),
    ("GONGWEN", "duplicate", "para", "确保达到目的的同时控制成本。", False),
    # --- paragraph ends, doubled marks
    ("GONGWEN", "paragraph-end", "para", "各单位要高度重视，", True),
    ("lint-md", "doubled", "para", "请各单位认真落实！！", True),
    # --- English inside Chinese keeps its own punctuation (copywriting guidelines)
    ("copywriting", "latin-sentence", "para", "他引用了一句英文：“Stay hungry, stay foolish.”", False),
    ("copywriting", "latin-title", "para", "推荐阅读《Hackers & Painters: Big Ideas》一书。", False),
    ("copywriting", "question-exclamation", "para", "难道这样的问题还要等到明年解决？！", False),
    ("copywriting", "percent-degree", "para", "转角为90°，效率提升15%。", False),
    ("zhlint", "latin-apostrophe", "para", "引入McDonald's的管理经验。", False),
    # --- beyond the rules of issue 17 (kept to show what is still missed)
    ("GONGWEN", "approximation", "para", "约有3000余人参加培训。", True),
    ("GONGWEN", "approximation", "para", "大约100人左右参加。", True),
    ("GB/T 15835", "dotted-date", "para", "会议于2026.3.1召开。", True),
    ("GB/T 15835", "fullwidth-percent", "para", "完成率达到８５％。", True),
    # --- addresses are left alone
    ("copywriting", "url", "para", "详见市教育局网站https://jyj.zhengzhou.gov.cn/a/b.html。", False),
    ("copywriting", "email", "para", "材料发送至jyjbgs@zz.gov.cn，逾期不予受理。", False),
]

# Written after the rules, and not used to tune them: how the rules do on sentences they were not written for.
CASES += [
    ("held-out", "brackets", "para", "各县(市、区)要高度重视。", True),
    ("held-out", "hao", "para", "各单位要在3月15号前报送材料。", True),
    ("held-out", "short-year", "para", "力争到25年，全市学位缺口全部补齐。", True),
    ("held-out", "fullwidth", "para", "同比增长１５．６％。", True),
    ("held-out", "space-punct", "para", "坚持以人民为中心的发展思想 。", True),
    ("held-out", "halfwidth", "para", "主要做法如下:", True),
    ("held-out", "single-quotes", "para", "扎实推进‘双减’工作。", True),
    ("held-out", "ellipsis", "para", "开展“清朗”系列专项行动...", True),
    ("held-out", "ellipsis-stop", "para", "加强宣传、强化督导……。", True),
    ("held-out", "quote-list", "para", "开展“优秀教师”、“优秀班主任”评选。", True),
    ("held-out", "estimate", "para", "投入资金约5000万元左右。", True),
    ("held-out", "wording", "para", "截止2022年底，共受理投诉12件。", True),
    ("held-out", "mixed-date", "para", "会议于二〇二二年3月召开。", True),
    ("held-out", "halfwidth", "para", "(三)强化督导检查。", True),
    ("held-out", "halfwidth", "para", "各地要切实做好安全生产工作!", True),
    ("held-out", "padded-names", "para", "王 刚、李 明同志作交流发言。", True),
    ("held-out", "halfwidth", "para", "截至目前,共受理投诉12件.", True),
    ("held-out", "clean", "para", "截止到2022年底，全市中小学（幼儿园）共计1200所。", False),
    ("held-out", "clean", "para", "1.加强组织领导；2.强化督导检查；3.严格考核问责。", False),
    ("held-out", "clean", "para", "会议听取了市发展改革委关于2023年国民经济和社会发展计划执行情况的汇报。", False),
    ("held-out", "clean", "para", "各区县（市）要于每月5日前报送上月工作进展情况。", False),
    ("held-out", "clean", "para", "全市登记在册志愿者达到52.3万人，志愿服务时长累计超过1000万小时。", False),
    ("held-out", "clean", "para", "2023年以来，我市坚持“项目为王”，累计签约项目236个、总投资1860亿元。", False),
    ("held-out", "clean", "para", "开展“送温暖”活动，走访慰问困难党员、老党员360余人次。", False),
    ("held-out", "clean", "heading", "聚焦主责主业，全力推动高质量发展", False),
    ("held-out", "clean", "title", "我市召开2023年全市教育工作会议", False),
    ("held-out", "clean", "para", "严格落实“第一议题”制度，全年召开党组会议24次、理论学习中心组学习12次。", False),
    ("held-out", "clean", "para", "按照省委“13710”工作制度要求，抓好“三夏”生产。", False),
    ("held-out", "clean", "para", "PM2.5、PM10平均浓度分别下降8.1%、6.3%，营业收入增长5.5%～6%。", False),
    ("held-out", "clean", "para", "积极推进“放管服”改革，“一网通办”事项达到1600项。", False),
]

# A second batch held out, written after the first batch had been used (and after three rules added for it).
CASES += [
    ("held-out-2", "space-punct", "para", "全市共有学校1200所，学生150万人 。", True),
    ("held-out-2", "halfwidth", "para", "坚持“稳中求进”工作总基调;", True),
    ("held-out-2", "date-range", "para", "活动时间：2022年3月1日-3月31日。", True),
    ("held-out-2", "bracket-space", "para", "将材料报送至市教育局办公室( 联系人：张三)。", True),
    ("held-out-2", "halfwidth", "para", "第一季度全市GDP增长5%,高于全省1个百分点。", True),
    ("held-out-2", "dash", "para", "开展为期3个月的“清风行动”---重点整治庸懒散问题。", True),
    ("held-out-2", "fullwidth", "para", "全市共排查隐患１２３处。", True),
    ("held-out-2", "mixed-date", "para", "会议于二〇二三年五月10日召开。", True),
    ("held-out-2", "doubled", "para", "要坚持以人民为中心，，切实解决群众急难愁盼问题。", True),
    ("held-out-2", "wording", "para", "市领导张三、李四、王五、等出席会议。", True),
    ("held-out-2", "range-unit", "para", "全年完成投资50-60亿元。", True),
    ("held-out-2", "date-range", "para", "组织开展“安全生产月”活动（6月1日-30日）。", True),
    ("held-out-2", "halfwidth", "para", "通过“四个一”措施(即一次培训、一次检查、一次演练)，取得实效。", True),
    ("held-out-2", "date-range", "para", "2023年1月-6月，全市完成投资增长8.2%。", True),
    ("held-out-2", "clean", "para", "2023年1月至6月，全市完成固定资产投资增长8.2%。", False),
    ("held-out-2", "clean", "para", "会议由市委常委、常务副市长张三主持。", False),
    ("held-out-2", "clean", "para", "上半年，全市规上工业增加值同比增长7.1%，高于全国3.3个百分点。", False),
    ("held-out-2", "clean", "para", "“一带一路”倡议提出10周年。", False),
    ("held-out-2", "clean", "para", "为深入贯彻落实《中共中央 国务院关于学前教育深化改革规范发展的若干意见》。", False),
    ("held-out-2", "clean", "para", "中共中央 国务院印发了《关于加强基础学科人才培养的意见》。", False),
    ("held-out-2", "clean", "para", "3月5日上午，全市教育工作会议召开。", False),
    ("held-out-2", "clean", "para", "全市已建成5G基站2.1万个，实现乡镇以上区域全覆盖。", False),
    ("held-out-2", "clean", "para", "（一）加强组织领导。各地各部门要把这项工作摆上重要议事日程。", False),
]

HEAD = "number: 1\ndate: 2022-03-01\n"


def issue_text(where: str, text: str) -> tuple[str, int]:
    """A one-case issue and the line the case is on."""
    q = json.dumps(text, ensure_ascii=False)
    if where == "title":
        return HEAD + f"title: {q}\nbody: [正文。]\n", 3
    if where == "subtitle":
        return HEAD + f"title: 标题\nsubtitle: {q}\nbody: [正文。]\n", 4
    if where == "heading":
        return HEAD + f"title: 标题\nbody:\n  - heading: {q}\n    body: [正文。]\n", 5
    if where == "runin":
        return HEAD + f"title: 标题\nbody:\n  - heading: {q}\n    text: 正文。\n", 5
    return HEAD + f"title: 标题\nbody:\n  - {q}\n", 5


def main() -> int:
    from jianbao.check import check_files

    caught = missed = clean = false = 0
    per_suite: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "issues"
        folder.mkdir()
        for suite, theme, where, text, fire in CASES:
            path = folder / "001.yaml"
            content, line = issue_text(where, text)
            path.write_text(content, encoding="utf-8")
            found = [f for f in check_files([path], dt.date(2030, 1, 1), fonts=False) if f.line == line]
            tally = per_suite.setdefault(suite, [0, 0, 0, 0])    # caught, must fire, right, clean cases
            tally[1 if fire else 3] += 1
            tally[0 if fire else 2] += bool(found) == fire
            if fire and found:
                caught += 1
            elif fire:
                missed += 1
                print(f"missed  {suite:12} {theme:18} {text}")
            elif found:
                false += 1
                print(f"FALSE   {suite:12} {theme:18} {text}  <- {'; '.join(f.rule for f in found)}")
            else:
                clean += 1
    for suite, (c, f, r, n) in sorted(per_suite.items()):
        print(f"  {suite:12} caught {c}/{f}, clean left alone {r}/{n}")
    fires = caught + missed
    print(f"must fire: {caught}/{fires} caught; clean: {clean}/{clean + false} left alone ({false} false findings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
