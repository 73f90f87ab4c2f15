"""The text rules of `jianbao check` (textrules.py): each rule on sentences that must fire and on correct official
prose that must not, the fix each one makes, and the rules at work on a file (block scalars, --fix in place)."""
import datetime as dt

import pytest
from click.testing import CliRunner

from jianbao.check import check_files
from jianbao.cli import cli
from jianbao.textrules import View, findings


def run(text, kind="para", level=1):
    """(rule ids, the text with every fix applied)."""
    found = findings(View(text, kind, level))
    fixed, last = text, len(text) + 1
    for a, b, _, _, fix in sorted(found, key=lambda f: f[0], reverse=True):
        if fix is not None and b <= last:
            fixed, last = fixed[:a] + fix + fixed[b:], a
    return [f[2] for f in found], fixed


FIRE = [
    # whitespace
    ("会议 期间，代表们认真讨论。", "para", ["space-in-chinese"], "会议期间，代表们认真讨论。"),
    ("会议指出 ，要抓好落实。", "para", ["space-in-chinese"], "会议指出，要抓好落实。"),
    ("开展“ 双减 ”工作。", "para", ["space-in-chinese"] * 2, "开展“双减”工作。"),
    ("各县（ 市、区 ）参加。", "para", ["space-in-chinese"] * 2, "各县（市、区）参加。"),
    ("\u3000\u3000市教育局召开会议。", "para", ["odd-space"], "市教育局召开会议。"),
    ("全市\u00a0中小学开学。", "para", ["odd-space"], "全市中小学开学。"),
    ("Doing\u00a0Business评价。", "para", ["odd-space"], "Doing Business评价。"),
    ("落实\u200b“双减”。", "para", ["invisible-char"], "落实“双减”。"),
    ("市教育局\t召开会议。", "para", ["odd-space"], "市教育局召开会议。"),
    # brackets, document numbers
    ("测试(test)工作。", "para", ["halfwidth-punct"] * 2, "测试（test）工作。"),
    ("(1)明确分工。", "para", ["halfwidth-punct"] * 2, "（1）明确分工。"),
    ("依据郑政[2025]12号文件。", "para", ["doc-number"], "依据郑政〔2025〕12号文件。"),
    ("依据郑政(2025)3号文件。", "para", ["doc-number"], "依据郑政〔2025〕3号文件。"),
    ("按照郑政〔2025号执行。", "para", ["unbalanced"], "按照郑政〔2025号执行。"),
    # item numbers
    ("（一）、加强领导。", "para", ["item-number"], "（一）加强领导。"),
    ("主要措施：1、强化领导；2、压实责任。", "para", ["item-number"] * 2, "主要措施：1.强化领导；2.压实责任。"),
    ("一.总体要求。", "para", ["item-number"], "一、总体要求。"),
    ("1）明确分工。", "para", ["item-number"], "1）明确分工。"),
    ("一、总体要求", "heading", ["heading-number"], "总体要求"),
    ("（一）加强组织领导。", "runin", ["heading-number"], "加强组织领导。"),
    # full-width digits and letters
    ("共１２３人，ＡＢＣ级。", "para", ["fullwidth-alnum"] * 2, "共123人，ABC级。"),
    # ellipsis and dashes
    ("作业、课后服务...各项工作稳步推进。", "para", ["ellipsis"], "作业、课后服务……各项工作稳步推进。"),
    ("作业、课后服务…各项工作稳步推进。", "para", ["ellipsis"], "作业、课后服务……各项工作稳步推进。"),
    ("作业、课后服务。。。各项工作。", "para", ["ellipsis"], "作业、课后服务……各项工作。"),
    ("等等..", "para", ["ellipsis"], "等等.."),
    ("总体目标--建成高质量教育体系。", "para", ["dash"], "总体目标——建成高质量教育体系。"),
    ("—全县一季度重点项目观摩综述", "subtitle", ["dash"], "——全县一季度重点项目观摩综述"),
    ("我们的工作目标—建设一流的教育。", "para", ["dash"], "我们的工作目标—建设一流的教育。"),
    ("目标———建设。", "para", ["dash"], "目标———建设。"),
    # dates
    ("各单位要于26年3月前完成。", "para", ["date-form"], "各单位要于26年3月前完成。"),
    ("截至25年底，完成8个。", "para", ["date-form"], "截至25年底，完成8个。"),
    ("力争到25年，全部补齐。", "para", ["date-form"], "力争到25年，全部补齐。"),
    ("扎实推进‘双减’工作。", "para", ["quote-form"] * 2, "扎实推进“双减”工作。"),
    ("加强宣传、强化督导……。", "para", ["ellipsis"], "加强宣传、强化督导……。"),
    ("会议于2022年02月05日召开。", "para", ["date-form"] * 2, "会议于2022年2月5日召开。"),
    ("会议定于4月1号召开。", "para", ["date-form"], "会议定于4月1日召开。"),
    ("二〇二二年2月5日印发。", "para", ["date-form"], "二〇二二年2月5日印发。"),
    ("二零二二年工作要点。", "para", ["date-form"], "二〇二二年工作要点。"),
    # ranges
    ("规划期为2026-2030年。", "para", ["range"], "规划期为2026—2030年。"),
    ("《布局规划（2020-2035）》。", "para", ["range"], "《布局规划（2020—2035）》。"),
    ("每次培训3-5天。", "para", ["range"], "每次培训3～5天。"),
    ("比例控制在15-30%。", "para", ["range"], "比例控制在15%～30%。"),
    ("比例控制在15～30%。", "para", ["range"], "比例控制在15%～30%。"),
    ("每校补助3～5万元。", "para", ["range"], "每校补助3万～5万元。"),
    ("1-6月完成。", "para", ["range"], "1—6月完成。"),
    ("活动时间：3月1日-3月31日，（6月1日-30日）。", "para", ["range"] * 2, "活动时间：3月1日—3月31日，（6月1日—30日）。"),
    ("会议于二〇二三年五月10日召开。", "para", ["date-form"], "会议于二〇二三年五月10日召开。"),
    ("0-6岁儿童，2-3年内完成。", "para", ["range", "range"], "0～6岁儿童，2～3年内完成。"),
    # quotes
    ("他强调「要把群众的事办好」。", "para", ["quote-form"] * 2, "他强调“要把群众的事办好”。"),
    ("会议要求“持续巩固“双减”成果”。", "para", ["nested-quote"] * 2, "会议要求“持续巩固‘双减’成果”。"),
    ("学习《条例》、《办法》。", "para", ["quote-list"], "学习《条例》《办法》。"),
    ("开展“双争”、“双评”活动。", "para", ["quote-list"], "开展“双争”“双评”活动。"),
    # ends
    ("关于开展安全检查的通报。", "title", ["title-end"], "关于开展安全检查的通报"),
    ("总体要求。", "heading", ["title-end"], "总体要求"),
    ("各单位要高度重视，", "para", ["paragraph-end"], "各单位要高度重视，"),
    ("请各单位认真落实！！", "para", ["doubled-punct"], "请各单位认真落实！！"),
    # words
    ("市、县、乡、等各级单位。", "para", ["wording"], "市、县、乡等各级单位。"),
    ("其它事项另行通知。", "para", ["wording"], "其他事项另行通知。"),
    ("截止目前，已完成92%。", "para", ["wording"], "截至目前，已完成92%。"),
    ("截止2025年底，已完成。", "para", ["wording"], "截至2025年底，已完成。"),
    ("加强法制建设。", "para", ["wording"], "加强法制建设。"),
    ("把问题交待清楚。", "para", ["wording"], "把问题交代清楚。"),
    ("确保汛期通讯畅通。", "para", ["wording"], "确保汛期通信畅通。"),
    ("及时向上级情况反应。", "para", ["wording"], "及时向上级情况反映。"),
    ("约有3000余人参加培训。", "para", ["wording"], "约有3000余人参加培训。"),
    ("大约100人左右参加。", "para", ["wording"], "大约100人左右参加。"),
    ("会议于2026.3.1召开。", "para", ["date-form"], "会议于2026.3.1召开。"),
    ("全年增长了25%.", "para", ["halfwidth-punct"], "全年增长了25%。"),
    ("要进一步进一步压实责任。", "para", ["duplicate-word"], "要进一步压实责任。"),
    ("这是我们的的责任。", "para", ["duplicate-word"], "这是我们的责任。"),
]


@pytest.mark.parametrize("text, kind, rules, fixed", FIRE)
def test_rule_fires_and_fixes(text, kind, rules, fixed):
    assert run(text, kind) == (rules, fixed)


CLEAN = [
    # real bulletin sentences (the seeds and the test bulletins)
    ("para", "市教育局积极稳步推进“能力作风建设年”活动，有序有力实施改革创新工程，扛稳“双减”工作政治责任，锚定“校内提质、校外规范”目标。"),
    ("para", "组织16个区县（市）教育局长走进直播间解惑答疑，做到“电视有画面、电台有声音、网络有推广、纸媒有报道”。"),
    ("para", "课后服务实行全免费，“5+2”模式实现城乡、学校、有需求学生“三个全覆盖”，参与教师8万人，占比95.5%。"),
    ("para", "坚持“改革、转型、促提升”，“治乱、减负、防风险”，努力在全国趟出一条新路径。"),
    ("para", "严格“两禁止两消减”（禁止招新生、再收费，消减存量课程、社会矛盾），开口子、减存量、明底线。"),
    ("para", "督促培训机构清偿薪资1093万元、依法退费1.81亿元，涉及从业人员1899名、学生6.85万名。"),
    ("para", "在《郑州日报》“郑州教育”专刊开设“提能力 强作风 出重彩”建设高质量美好教育专题报道。"),
    ("para", "建立问题清单，实行“收集—交办—办理—反馈—销号”闭环管理。"),
    ("para", "世界银行于2023年推出新的营商环境评价体系B-READY（Business Ready），取代原有的Doing Business评价。"),
    ("para", "一季度，全县GDP增长6.1%，PM2.5平均浓度为每立方米38微克，12345政务服务便民热线受理诉求。"),
    ("para", "实施《行动方案（2026—2028年）》，对照2026年、2027年两个时间节点，分阶段推进。"),
    ("para", "编辑人员从Word复制文字时，又带入了格式代码……"),
    ("title", "攻坚“双减”新任务 构建教育新生态"),
    ("subtitle", "——全县一季度重点项目观摩综述"),
    ("title", "坚持“双减” 构建新生态"),
    ("heading", "对标**国土空间总体规划（2020—2035年）**，保障项目落地"),
    ("runin", "加强组织领导。"),
    ("heading", "1.5万名教师参加培训"),
    ("heading-4", "推行工业用地“先租后让”“弹性年期”供应。"),     # a level-4 item: a sentence
    ("para", "印发《关于加快建设“智慧城市”的实施意见》（郑发〔2022〕5号）《郑州市教育强市建设方案》等文件。"),
    ("para", "全市共有中小学1200余所，在校生约150万人；约谈培训机构8家，节约1000多万元，预约100余人次。"),
    ("para", "2022年1—6月，5月20日至22日，10月1日—7日，2022—2023学年，每周1～2次，上午9:00—11:30开放。"),
    ("para", "“3·15”消费者权益日，纪念5·12汶川地震，5A级景区，二〇二二年二月十五日。"),
    ("para", "会议强调，要以“钉钉子”精神抓落实——一张蓝图绘到底。"),
    ("para", "党的二十大报告指出：“教育、科技、人才是全面建设社会主义现代化国家的基础性、战略性支撑。”"),
    ("para", "其中，一等奖3名、二等奖5名；一、二等奖获得者另行表彰。一是加强领导；二要压实责任。"),
    ("para", "联系人：王五，电话：0371-12345678，邮箱：wangwu@zz.gov.cn。"),
    ("title", "郑州市教育局2022年工作总结暨2023年工作要点"),
    ("heading", "坚持“三个聚焦” 推动工作落实"),
    ("subtitle", "——郑州市教育局“双减”工作纪实"),
    # near misses of each rule
    ("para", "对第1、2、3条作出修改，1、3、5月开放。"),
    ("para", "依据本条第（一）、第（二）项和第（3）、（4）目规定。"),
    ("para", "参加工作22年来，始终扎根基层；改革开放40年以来。"),
    ("para", "服务年限达到25年，承包期延长到30年，在20年间完成。"),
    ("para", "会议要求“持续巩固‘双减’成果”，“‘一老一小’服务”。"),
    ("para", "中共中央 国务院印发意见，市教育局 市财政局联合发文，中共中央办公厅 国务院办公厅印发。"),
    ("para", "5月1日～5日放假，2023年1月至6月完成。"),
    ("para", "在3号楼会议室召开，执行国办发〔2018〕115号文件。"),
    ("para", "依据《党政机关公文处理工作条例》（中办发〔2012〕14号）执行。"),
    ("para", "咨询电话0371-67180000，执行GB/T 9704-2012标准，以3-1战胜对手。"),
    ("para", "每校补助3万～5万元，比例为15%～30%，2026～2030年。"),
    ("para", "报名截止日期为3月5日，截止到目前。"),
    ("para", "加强疫苗不良反应情况监测。"),
    ("para", "制约3个多方面的因素，约占总数的三成，软件升级到V2.1.3版本。"),
    ("para", "他引用了一句英文：“Stay hungry, stay foolish.”"),
    ("para", "推荐阅读《Hackers & Painters: Big Ideas》一书，引入McDonald's的经验。"),
    ("para", "难道这样的问题还要等到明年解决？！转角为90°，效率提升15%。"),
    ("para", "为了了解真实情况，确保达到目的的同时，的的确确，研究研究，一步一步推进。"),
    ("para", "作业、课后服务……各项工作稳步推进；删节…………之后。"),
    ("para", "会议要求“持续巩固‘双减’成果，防止反弹”。"),
    ("para", "开展“双争”“双评”活动，学习《条例》（2020年修订）、《办法》。"),
    ("para", "详见市教育局网站https://jyj.zhengzhou.gov.cn/a/b.html。"),
    ("para", "材料发送至jyjbgs@zz.gov.cn，逾期不予受理。"),
    ("para", "访问 www.zzedu.gov.cn 了解详情。"),
    ("para", "Doing Business (DB) report."),
]


@pytest.mark.parametrize("kind, text", CLEAN)
def test_rules_leave_correct_prose_alone(kind, text):
    kind, _, level = kind.partition("-")
    assert run(text, kind, int(level or 1))[0] == []


def test_addresses_are_never_glued_to_the_chinese_around_them():
    rules, fixed = run("访问 https://x.gov.cn/a?b=1,2 了解,详情。")
    assert fixed == "访问 https://x.gov.cn/a?b=1,2 了解，详情。"


# --------------------------------------------------------------------------- on files

HEAD = "number: 12\ndate: 2022-03-01\n"


def located(path):
    return [(f.line, f.column, f.rule) for f in check_files([path], dt.date(2022, 6, 1), fonts=False)
            if f.rule != "series-gap"]


def test_block_scalars_are_checked_with_their_lines_and_columns(write_issue):
    path = write_issue(HEAD + "title: |     # 注释\n  标题,有逗号\n  第二行.\nbody:\n  - >\n      段落,有逗号.\n"
                       "      第二行。\n  - 正常。\n", "012.yaml")
    assert located(path) == [(4, 5, "halfwidth-punct"), (5, 6, "halfwidth-punct"), (8, 9, "halfwidth-punct"),
                             (8, 13, "halfwidth-punct"), (8, 14, "space-in-chinese")]


def test_a_folded_line_break_between_chinese_is_a_space(write_issue):
    path = write_issue(HEAD + "title: 标题\nbody:\n  - 第一行\n    第二行。\n  - >\n    第一行，\n    第二行。\n"
                       "  - |\n    第一行，\n    第二行。\n", "012.yaml")
    assert located(path) == [(5, 8, "space-in-chinese"), (8, 9, "space-in-chinese")]


def test_fix_edits_block_scalars_and_distribution_in_place(series, monkeypatch):
    monkeypatch.chdir(series)
    path = series / "issues" / "012.yaml"
    path.write_text(HEAD + "title: |\n  标题,第一行\n  第二行\nbody:\n  - |\n    段落其它内容...\n"
                    "distribution:\n  发: [各县(市)教育局]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--fix", "issues/012.yaml"])
    assert result.output.count("fixed ") == 5, result.output
    assert path.read_text(encoding="utf-8") == (
        HEAD + "title: |\n  标题，第一行\n  第二行\nbody:\n  - |\n    段落其他内容……\n"
        "distribution:\n  发: [各县（市）教育局]\n")


def test_escaped_invisible_characters_in_quotes(write_issue):
    path = write_issue(HEAD + 'title: 标题\nbody:\n  - "全市\\u00a0中小学\\u200b开学。"\n', "012.yaml")
    assert sorted(r for _, _, r in located(path)) == ["invisible-char", "odd-space"]


def test_the_test_bulletins_have_only_their_genuine_findings():
    """tests/bulletins: the hyphenated year span of 010 (kept: it tests that 2020-2035年 never splits) and the
    single '…' of 011's pasted <b>…</b>; anything more is a false finding."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "bulletins" / "issues"
    found = [(Path(f.file).name, f.line, f.column, f.rule)
             for f in check_files(sorted(folder.glob("*.yaml")), dt.date(2030, 1, 1), fonts=False)]
    assert found == [("010.yaml", 10, 31, "range"), ("010.yaml", 12, 40, "range"), ("011.yaml", 15, 100, "ellipsis")]


def test_a_fix_never_changes_what_yaml_reads(series, monkeypatch):
    """Deleting the pasted indentation of an unquoted '　　**一是……**' would turn it into a YAML alias; deleting an odd
    space before '#' would make the rest a comment: those are reported, not fixed."""
    monkeypatch.chdir(series)
    path = series / "issues" / "012.yaml"
    import yaml

    text = HEAD + "title: 标题\nbody:\n  - \u3000\u3000**一是加强领导。**召开会议。\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--fix", "issues/012.yaml"])
    assert "fixed " not in result.output and path.read_text(encoding="utf-8") == text
    assert "odd-space" in result.output
    path.write_text(HEAD + "title: 标题\nbody:\n  - 文件编号为A \u3000#12。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--fix", "issues/012.yaml"])
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["body"][0].endswith("#12。"), result.output


def test_fix_goes_on_while_one_fix_makes_the_next(series, monkeypatch):
    monkeypatch.chdir(series)
    path = series / "issues" / "012.yaml"
    path.write_text(HEAD + "title: 标题\nbody:\n  - 主要做法如下::一是加强领导,,二是压实责任。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--fix", "issues/012.yaml"])
    assert path.read_text(encoding="utf-8").endswith("  - 主要做法如下：：一是加强领导，，二是压实责任。\n"), result.output
    remaining = [line for line in result.output.splitlines() if not line.startswith("fixed ")]
    assert any("doubled-punct" in line for line in remaining)      # reported, for the author to decide
    assert not any("halfwidth-punct" in line for line in remaining)


def test_a_heading_may_carry_its_own_number_where_its_style_prints_none(write_issue):
    path = write_issue(HEAD + 'title: 标题\nbody:\n  - heading: 一、总体要求\n    body: [正文。]\n'
                       '  - heading: 二、工作安排\n    heading_numbers: [""]\n    body:\n'
                       '      - heading: 1.加强领导\n        body: [正文。]\n', "012.yaml")
    # heading_numbers: on a section styles its subsections: 二、 is still printed for it, 1. is not for its child
    assert [(line, rule) for line, _, rule in located(path)] == [(5, "heading-number"), (7, "heading-number")]
