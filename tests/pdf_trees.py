"""Hand-written document trees (docs/tree.md) for the PDF writer's tests: every element, long bodies, rare
characters, Latin and digit runs. Deterministic: the same call gives the same tree."""
from __future__ import annotations

from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

MASTHEAD = """<masthead>
    <marking>内部刊物 注意保存</marking>
    <series>郑州市教育局“能力作风建设年”活动</series>
    <name>简报</name>
    <issue-number>第12期（总第59期）</issue-number>
    <editor>领导小组办公室</editor>
    <date>2022年3月1日</date>
  </masthead>"""

DISTRIBUTION = """<distribution>
    <recipients><label>报：</label>市“能力作风建设年”活动领导小组办公室</recipients>
    <recipients><label>送：</label>市教育局“能力作风建设年”活动领导小组领导</recipients>
    <recipients><label>发：</label>局直属学校（单位）党组织、市属各民办学校党组织、市教育局机关各党支部、各区县（市）教育局、航空港区教育局、郑东新区教育文化体育局、经开区教育文化体育局、高新区教育文化体育局</recipients>
    <copies>（共印200份）</copies>
    <printing><printer>领导小组办公室</printer><printed>2022年3月1日印发</printed></printing>
  </distribution>"""

# Sentences the paragraphs are made of (from the seed bulletins, with Latin and digit runs).
SENTENCES = [
    "市教育局积极稳步推进“能力作风建设年”活动，有序有力实施改革创新工程。",
    "构建“453”工作模式，靶向发力，精准治理，作业建设、课后服务、质量提升全面推进。",
    "教育部12项监测指标全部达到100%，家长满意度达到97%，压减率91.93%。",
    "对标B-READY评价体系，按照《郑州都市区中小学布局规划（2020-2035）》推进学校建设。",
    "坚持周总结、周研判、周部署，实施党建“三联三创”，校外培训机构党建全覆盖。",
    "督促培训机构依法退费1.81亿元，涉及从业人员1899名、学生6.85万名。",
    "组织16个区县（市）教育局长走进直播间解惑答疑，做到“电视有画面、电台有声音”。",
    "发挥国家级优秀教学成果推广应用示范区优势，建立市、县、校、组作业设计“四级工作坊”。",
    "课后服务实行全免费，“5+2”模式实现城乡、学校、有需求学生“三个全覆盖”。",
    "持续完善“学在郑州”线上资源，课程资源已达3万余条……区域、城乡、学校发展更加均衡。",
]


def paragraph(i: int, sentences: int = 4) -> str:
    return "".join(SENTENCES[(i * 3 + k) % len(SENTENCES)] for k in range(sentences))


def para(i: int, sentences: int = 4, lead: str = "") -> str:
    head = f"<em>{escape(lead)}</em>" if lead else ""
    return f"<para>{head}{escape(paragraph(i, sentences))}</para>"


def long_tree(body_paragraphs: int = 72) -> str:
    """Three articles under a contents block and a two-paragraph 编者按; a three-line title with a forced
    break; a subtitle; headings of the four levels, standalone and run-in; emphasis; the rare name characters
    堃 玥 昇 (fallback font); a wrapping distribution block with copies. About 20 pages."""
    body = []
    for i in range(body_paragraphs):
        if i % 12 == 0:
            body.append(f'<heading level="1"><num>{"一二三四五六七八九十"[i // 12 % 10]}、</num>'
                        f'构建“四个体系”，做优推进机制</heading>')
        elif i % 12 == 4:
            body.append('<heading level="2"><num>（一）</num>加强组织领导</heading>')
        elif i % 12 == 7:
            body.append('<heading level="3"><num>1.</num>健全工作机制</heading>')
        elif i % 12 == 9:
            body.append('<heading level="4"><num>（1）</num>推动全面覆盖</heading>')
        if i % 12 == 2:
            body.append(f'<para><runin level="2"><num>（二）</num>迅速动员部署。</runin>{escape(paragraph(i))}</para>')
        elif i % 12 == 5:
            body.append(f'<para><runin level="3"><num>2.</num>提前思考。</runin>{escape(paragraph(i, 2))}</para>')
        elif i % 12 == 6:
            body.append(f'<para><runin level="4"><num>（2）</num>明确任务。</runin>{escape(paragraph(i, 3))}</para>')
        elif i % 12 == 3:
            body.append(para(i, 3, lead="一是构建组织体系。"))
        else:
            body.append(para(i, 1 + i % 5))
    body.insert(1, "<para>王堃、李玥、张昇三位同志分别介绍了B-READY试点和91.93%压减率的做法。</para>")
    return f"""<bulletin number="12">
  {MASTHEAD}
  <contents>
    <contents-title>本期目录</contents-title>
    <contents-entry>攻坚“双减”新任务 构建教育新生态</contents-entry>
    <contents-entry>县发展改革委扎实推进重点项目建设</contents-entry>
    <contents-entry>简讯</contents-entry>
  </contents>
  <note><note-label>编者按：</note-label>{escape(paragraph(1, 3))}</note>
  <note>{escape(paragraph(2, 2))}<em>现予刊发，供学习参考。</em></note>
  <article>
    <title>攻坚“双减”新任务<br/>构建教育新生态市教育局扎实推动“双减”工作取得阶段性成效</title>
    <subtitle>——郑州市教育局“双减”工作综述</subtitle>
    {''.join(body)}
  </article>
  <article>
    <title>县发展改革委扎实推进重点项目建设</title>
    {para(3, 5)}{para(4, 6)}{para(5, 3)}
    <source>（县发展改革委供稿）</source>
  </article>
  <article>
    <title>简讯</title>
    {para(6, 2)}
    <source>（办公室供稿）</source>
  </article>
  {DISTRIBUTION}
</bulletin>"""


def short_tree(paragraphs: int, sentences: int = 3, distribution: str = DISTRIBUTION) -> str:
    """One article of `paragraphs` paragraphs (to move the distribution block around)."""
    body = "".join(para(i, sentences) for i in range(paragraphs))
    return f"""<bulletin number="3">
  {MASTHEAD}
  <article>
    <title>市教育局“能力作风建设年”活动第一阶段工作总结</title>
    {body}
  </article>
  {distribution}
</bulletin>"""


def tree(xml: str) -> ET.Element:
    return ET.fromstring(xml)


def source_text(root: ET.Element) -> str:
    """All text of the tree in reading order, whitespace removed (what the PDF must give back)."""
    return "".join("".join(root.itertext()).split())
