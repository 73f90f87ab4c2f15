"""From the paragraphs of a source (read.py) to an issue: masthead, contents, 编者按, articles with their
headings, paragraphs and emphasis, and the 版记. Each rule is the convention of 党政机关公文 bulletins; what the
rules cannot place is kept as a paragraph and reported, never dropped."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..i18n import N_, _
from .read import Para
from .text import (STRAY_SPACE, cells, clean, cn_number, compact, ends_sentence, fix_text, inline,
                   parse_date)

CN_NUM = "[一二三四五六七八九十百零〇两]+"
NUM = rf"(?:[0-9０-９]+|{CN_NUM})"
ISSUE_NO = re.compile(rf"^第\s*({NUM})\s*期\s*(?:[（(]\s*总\s*第\s*({NUM})\s*期\s*[）)])?$")
DATE = re.compile(r"([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日?")
PAGE_NUMBER = re.compile(r"^(?:[-—–－~～\s]*[0-9０-９]{1,3}[-—–－~～\s]*|第\s*[0-9]+\s*页(?:\s*[/，,]?\s*共\s*[0-9]+\s*页)?)$")
HEADINGS = (  # level, pattern of the number (with what follows it)
    (1, re.compile(rf"^({CN_NUM})\s*[、.．]\s*")),
    (2, re.compile(rf"^[（(]\s*({CN_NUM})\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^([0-9０-９]{1,2})\s*(?:[.．](?![0-9０-９])|、)\s*")),
    (4, re.compile(r"^[（(]\s*([0-9０-９]{1,2})\s*[）)]\s*")),
)
LABEL = re.compile(r"^(报|送|发|抄送|抄报|分送)\s*[：:]\s*")
LABEL_OF = {"报": "报", "抄报": "报", "送": "送", "抄送": "送", "分送": "送", "发": "发"}
COPIES = re.compile(r"[（(]\s*共印\s*([0-9０-９]+)\s*份\s*[）)]")
PRINTING = re.compile(rf"^(.*?)\s*({DATE.pattern})\s*印\s*发$")
SOURCE = re.compile(r"^[（(]\s*(.+?供稿)\s*[）)]$")
NOTE = re.compile(r"^编\s*者\s*按\s*[：:]\s*")
CONTENTS = re.compile(r"^(本\s*期\s*)?目\s*录$")
LEAD_IN = re.compile(rf"^({CN_NUM}是[^。！？；]{{1,40}}?[。！？])")
UNPLACED_DISTRIBUTION = N_("not placed (in the 版记), kept as a paragraph at the end: {text!r}")
UNPLACED_BEFORE = N_("not placed (before the first article), kept as a paragraph at the end: {text!r}")
CONTINUES = tuple("，、；：“‘（《〈「『【—")
LINE_CELLS = 28          # characters of a body line (the 28 × 22 grid)
TITLE_CELLS = 20         # characters of a title line (22 pt on 156 mm)
# a masthead line, editing or printing office that differs from jianbao.yaml's: the note, and the header comment
DIFFERS = {
    "series": (N_("the series line {found!r} differs from jianbao.yaml's {kept!r} (jianbao.yaml's is kept)"),
               N_("source series line: {found} (differs from jianbao.yaml)")),
    "name": (N_("the series name {found!r} differs from jianbao.yaml's {kept!r} (jianbao.yaml's is kept)"),
             N_("source series name: {found} (differs from jianbao.yaml)")),
    "marking": (N_("the marking {found!r} differs from jianbao.yaml's {kept!r} (jianbao.yaml's is kept)"),
                N_("source marking: {found} (differs from jianbao.yaml)")),
    "editor": (N_("the editing office {found!r} differs from jianbao.yaml's {kept!r} (jianbao.yaml's is kept)"),
               N_("source 编印单位: {found} (differs from jianbao.yaml)")),
    "printer": (N_("the printing office {found!r} differs from jianbao.yaml's {kept!r} (jianbao.yaml's is kept)"),
                N_("source 印发机关: {found} (differs from jianbao.yaml)")),
}
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-4])$|^(?:Heading([1-4]))$", re.I)
RUNIN_CHAR = re.compile(r"^Heading([1-4])Char$")


# ---- the result ----------------------------------------------------------------------------------------------
@dataclass
class Commented:
    """A value with the comment the YAML writer puts after it (something the importer guessed)."""
    value: object
    comment: str


@dataclass
class Result:
    issue: dict                                 # keys in the README's order; values str/int/date/list/dict
    notes: list = field(default_factory=list)   # (line, message): what the user should look at
    fixes: int = 0                              # mechanical fixes applied (spaces, punctuation width)
    dropped: list = field(default_factory=list)  # page numbers and running heads left out


@dataclass
class SeriesInfo:
    marking: str = ""
    series: str = ""
    name: str = ""
    editor: str = ""
    printer: str = ""
    distribution: dict = field(default_factory=dict)   # label -> [names]


def _bare(text: str) -> str:
    return STRAY_SPACE.sub("", text).replace("**", "")


class _Piece:
    """A paragraph being put together from the lines of an extract."""
    __slots__ = ("para", "parts", "last", "last_para", "width", "heading")

    def __init__(self, para, text: str, heading: bool):
        self.para, self.parts, self.last, self.last_para = para, [text], text, para
        self.width = cells(_bare(text))
        self.heading = heading

    def add(self, para, text: str) -> None:
        self.parts.append(text)
        self.last, self.last_para = text, para
        self.width += cells(_bare(text))


# ---- the recogniser ----------------------------------------------------------------------------------------------
class Recogniser:
    def __init__(self, paras: list[Para], series: SeriesInfo, text_source: bool, fallback_number: int | None):
        self.paras = paras
        self.series = series
        self.text_source = text_source
        self.fallback_number = fallback_number
        self.result = Result({})
        self.jianbao_docx = any(p.style in ("MastheadName", "IssueNumber", "EditorDate") for p in paras)

    def note(self, line: int, message: str) -> None:
        self.result.notes.append((line, message))

    def differs(self, key: str, line: int, found: str, kept: str) -> None:
        """A masthead line, the editing or the printing office is not jianbao.yaml's: noted, and kept as a
        comment at the top of the YAML."""
        note, comment = DIFFERS[key]
        self.note(line, _(note).format(found=found, kept=kept))
        self.result.issue.setdefault("_masthead", []).append(_(comment).format(found=found))

    def fixed(self, text: str) -> str:
        text, n = fix_text(text)
        self.result.fixes += n
        return text

    def run(self) -> Result:
        paras = [p for p in self.paras if not self._page_furniture(p)]
        i = self._masthead(paras)
        rest = self._running_heads(paras[i:])
        rest, dist = self._split_distribution(rest)
        entries, rest = self._contents(rest)
        note, rest = self._note(rest, entries)
        issue = self.result.issue
        if note:
            issue["note"] = note[0] if len(note) == 1 else note
        if len(entries) >= 2:
            issue["articles"] = self._articles(rest, entries)
        else:
            if len(entries) == 1:
                self.note(rest[0].line if rest else 1, _("本期目录 with one entry: read as a single article"))
            article = self._article(rest, single=True)
            if "source" in article:       # only `articles:` has a source
                issue["articles"] = [{k: article[k] for k in ("title", "subtitle", "body", "source") if k in article}]
            else:
                for key in ("title", "subtitle", "body"):
                    if key in article:
                        issue[key] = article[key]
        self._distribution(dist)
        return self.result

    # -- page furniture
    def _page_furniture(self, p: Para) -> bool:
        text = compact(p.text)
        if PAGE_NUMBER.match(text) and not p.in_table:
            self.result.dropped.append((p.line, p.text))
            return True
        return False

    def _running_heads(self, paras):
        """Lines a PDF repeats on its pages (the series name, the bulletin's name, a short line seen three times
        or more) are page furniture after the masthead. Only in text: a Word document has its heads in the page
        header, and a short line it repeats (主要做法 in each article) is its own."""
        if not self.text_source:
            return paras
        s = self.series
        heads = {compact(x) for x in (s.series, s.name, s.series + s.name, s.marking) if x}
        counts: dict[str, int] = {}
        for p in paras:
            c = compact(p.text)
            counts[c] = counts.get(c, 0) + 1
        out = []
        for p in paras:
            c = compact(p.text)
            short = cells(c) <= 30 and not ends_sentence(c) and not LABEL.match(c)
            if c in heads or (short and counts[c] >= 3 and not self._heading_match(c)):
                self.result.dropped.append((p.line, p.text))
                continue
            out.append(p)
        return out

    # -- masthead
    def _masthead(self, paras: list[Para]) -> int:
        issue = self.result.issue
        s = self.series
        k = None
        for j, p in enumerate(paras[:12]):
            if ISSUE_NO.match(compact(p.text).replace("\t", "")):
                k = j
                break
        if k is None:
            number = self.fallback_number
            issue["number"] = Commented(number or 1, _("期号 not found: set it") if number is None
                                        else _("期号 not found: taken from the file name"))
            issue["date"] = Commented(dt.date.today(), _("date not found: set it"))
            self.note(1, _("no 期号 (第N期) found in the first lines: number and date guessed"))
            return self._skip_known_masthead(paras)
        m = ISSUE_NO.match(compact(paras[k].text))
        issue["number"] = cn_number(m.group(1))
        found = {}
        for p in paras[:k]:
            c = compact(p.text)
            for key in ("marking", "series", "name"):
                if c == compact(getattr(s, key)) and key not in found:
                    found[key] = p
                    break
            else:
                found.setdefault("_other", []).append(p)
        others = found.pop("_other", [])
        for key in ("name", "series", "marking"):   # the unknown lines, from the one nearest the 期号 up
            if key not in found and others:
                found[key] = others.pop()
        for p in others:
            self.note(p.line, _("masthead line not recognised: {text!r} (left out: the masthead is jianbao.yaml's)")
                      .format(text=p.text))
        for key in ("series", "name", "marking"):
            if key in found and getattr(s, key) and compact(found[key].text) != compact(getattr(s, key)):
                self.differs(key, found[key].line, clean(found[key].text), getattr(s, key))
        date_at = None
        total = cn_number(m.group(2)) if m.group(2) else None
        j = k + 1
        while j < min(len(paras), k + 4):
            dm = DATE.search(paras[j].text)
            if dm:
                date_at = j
                break
            j += 1
        if date_at is None:
            issue["date"] = Commented(dt.date.today(), _("date not found: set it"))
            self.note(paras[k].line, _("no date after the 期号: set `date:`"))
            end = k + 1
        else:
            dm = DATE.search(paras[date_at].text)
            date = parse_date(dm)
            issue["date"] = date if date else Commented(
                dt.date.today(), _("date {text!r} is not a date: set it").format(text=dm.group()))
            editor = clean(paras[date_at].text[:dm.start()] + paras[date_at].text[dm.end():])
            editor_lines = [clean(p.text) for p in paras[k + 1:date_at]] + ([editor] if editor else [])
            editor_text = "".join(editor_lines)
            if editor_text and s.editor and compact(editor_text) != compact(s.editor):
                self.differs("editor", paras[date_at].line, editor_text, s.editor)
            end = date_at + 1
        if total is not None:
            issue["total"] = total
        return end

    def _skip_known_masthead(self, paras):
        s = self.series
        known = {compact(x) for x in (s.marking, s.series, s.name, s.editor) if x}
        i = 0
        while i < len(paras) and i < 6 and compact(paras[i].text) in known:
            i += 1
        return i

    # -- 版记 (from the end: the first recipients label after the body)
    def _split_distribution(self, paras):
        """The 版记 is the run of label lines (报：送：发：), their wrapped lines, the printing line and the print run
        at the end of the source."""
        def marked(p):
            t = compact(p.text)
            return bool(LABEL.match(t) or PRINTING.match(t) or COPIES.fullmatch(t))

        last = next((j for j in range(len(paras) - 1, max(-1, len(paras) - 30), -1) if marked(paras[j])), None)
        if last is None:
            return paras, []
        start = last
        j = last - 1
        while j >= 0:
            p = paras[j]
            t = compact(p.text)
            if marked(p):
                start = j
            elif not (not ends_sentence(t) and cells(t) <= LINE_CELLS + 2):
                break                             # else perhaps a wrapped line of a recipients list
            j -= 1
        return paras[:start], paras[start:]

    def _distribution(self, paras):
        issue = self.result.issue
        s = self.series
        labels: dict[str, str] = {}
        order = []
        current = None
        printer, printed, copies = None, None, None
        pending = []          # lines that are not recipients (a printer on a line of its own)
        for p in paras:
            text = clean(p.text.replace("\n", ""))
            cm = COPIES.search(text)
            if cm:
                copies = int(unicodedata.normalize("NFKC", cm.group(1)))
                text = clean(text[:cm.start()] + text[cm.end():])
                if not text:
                    continue
            pm = PRINTING.match(text)
            if pm:
                printer_text = clean(pm.group(1)) or " ".join(pending)
                pending = []
                printer = printer_text
                printed = parse_date(DATE.search(pm.group(2)))
                if not pm.group(2).endswith("日"):
                    self.note(p.line, _("the 印发 date {text!r} lacks 日 (read as {date})").format(
                        text=pm.group(2), date=printed))
                current = None
                continue
            lm = LABEL.match(text)
            if lm:
                label = LABEL_OF[lm.group(1)]
                if label in labels:
                    labels[label] += "、"
                else:
                    labels[label] = ""
                    order.append(label)
                labels[label] += text[lm.end():].strip()
                current = label
            elif current is not None and printer is None and not self._looks_like_printer(text):
                labels[current] += text          # a wrapped line of the list
            else:
                pending.append(text)
        for text in pending:
            self._unplaced(text, paras[-1].line, UNPLACED_DISTRIBUTION)
        dist = {}
        for label in ("报", "送", "发"):
            if label in labels:
                dist[label] = self._names(self.fixed(labels[label]))
        default = {k: list(v) for k, v in s.distribution.items()}
        if dist and {k: v for k, v in dist.items() if v} != {k: v for k, v in default.items() if v}:
            issue["distribution"] = {label: dist.get(label, []) for label in ("报", "送", "发")
                                     if label in dist or label in default}
        if not dist and not printer:
            self.note(paras[0].line if paras else 0, _("no 版记 (报/送/发) found: the series' distribution applies"))
        date = issue.get("date")
        if printed and isinstance(date, dt.date) and printed != date:
            issue["printed"] = printed
        if copies is not None:
            issue["copies"] = copies
        if printer and s.printer and compact(printer) != compact(s.printer):
            self.differs("printer", paras[-1].line, printer, s.printer)

    def _looks_like_printer(self, text):
        return bool(self.series.printer) and compact(text) == compact(self.series.printer)

    def _names(self, text: str) -> list[str]:
        """Recipients split at 、, then put together again where jianbao.yaml knows a name with a 、 in it."""
        parts = [x.strip() for x in text.split("、") if x.strip()]
        known = {n for names in self.series.distribution.values() for n in names if "、" in n}
        out, i = [], 0
        while i < len(parts):
            for n in sorted(known, key=lambda n: -n.count("、")):
                k = n.count("、") + 1
                if "、".join(parts[i:i + k]) == n:
                    out.append(n)
                    i += k
                    break
            else:
                out.append(parts[i])
                i += 1
        return out

    # -- 本期目录
    def _contents(self, paras):
        if not paras or not CONTENTS.match(compact(paras[0].text)):
            return [], paras
        entries = []
        j = 1
        while j < len(paras):
            p = paras[j]
            c = compact(p.text)
            if entries and self._entry_key(c) == self._entry_key(entries[0][0]) and p.style != "Contents":
                break
            if NOTE.match(c) and p.style != "Contents":
                break
            entries.append((c, p))
            j += 1
        if j == len(paras):
            self.note(paras[0].line, _("本期目录: no article starts with its first entry; entries kept as paragraphs"))
            return [], paras[1:]
        return [self._entry_key(c) for c, _ in entries], paras[j:]

    @staticmethod
    def _entry_key(c: str) -> str:
        c = re.sub(r"(?:[.…·．]{2,}|\s)\s*[0-9]+$", "", c)
        c = re.sub(rf"^(?:{CN_NUM}[、.．]|[0-9]+[.．、]|[（(]{CN_NUM}[）)])", "", c)
        return c

    # -- 编者按
    def _note(self, paras, entries):
        if not paras or not NOTE.match(compact(paras[0].text)):
            return [], paras
        out = []
        text = inline(paras[0].runs).replace("\n", "")
        m = re.match(r"^(\*\*)?\s*编\s*者\s*按\s*[：:]\s*(\*\*)?", text)
        rest = text[m.end():] if m else text
        if m and m.group(1) and not m.group(2):
            rest = "**" + rest                    # the bold went on past the label
        out.append((paras[0], rest))
        j = 1
        while j < len(paras):
            p = paras[j]
            c = compact(p.text)
            if entries and self._entry_key(c) == entries[0]:
                break
            if self.jianbao_docx:
                if p.style != "EditorNote":
                    break
            elif not entries and self._title_like(p):
                break
            out.append((p, inline(p.runs).replace("\n", "")))
            j += 1
        out = self._join(out) if self.text_source else out
        return [self.fixed(clean(x)) for _, x in out if clean(x)], paras[j:]

    def _title_like(self, p: Para, first: bool = False) -> bool:
        t = clean(p.text)
        if p.style in ("Title", "Subtitle") or (p.align == "center" and not self.text_source):
            return True
        if self.text_source:
            w = cells(t)
            return (not ends_sentence(t) and not t.endswith(CONTINUES) and not self._heading_match(t)
                    and (w <= TITLE_CELLS + 4 or (w <= 2 * TITLE_CELLS + 4 and " " in t) or (first and w <= 60)))
        return False

    # -- articles
    def _articles(self, paras, entries):
        starts = []
        k = 0
        for j, p in enumerate(paras):
            if k < len(entries) and self._entry_key(compact(p.text)) == entries[k]:
                starts.append(j)
                k += 1
        if k < len(entries):
            self.note(paras[0].line if paras else 0, _("本期目录 lists {listed} articles, {found} found by title").format(
                listed=len(entries), found=k))
        if not starts:
            return [self._article(paras, single=True)]
        out = []
        if starts[0] > 0:
            for p in paras[:starts[0]]:
                self._unplaced(clean(p.text), p.line, UNPLACED_BEFORE)
        for a, b in zip(starts, starts[1:] + [len(paras)]):
            out.append(self._article(paras[a:b], single=False))
        return out

    def _article(self, paras, single: bool) -> dict:
        art: dict = {}
        j = 0
        lines = []
        if single:
            while j < len(paras) and len(lines) < 4 and self._title_like(paras[j], first=not lines) \
                    and (not lines or paras[j].style != "Subtitle") and not clean(paras[j].text).startswith("——"):
                lines.append(clean(inline(paras[j].runs, emphasis=False)))
                j += 1
                if paras[j - 1].style == "Title":
                    break
        elif paras:
            lines.append(clean(inline(paras[0].runs, emphasis=False)))
            j = 1
        if not lines:
            art["title"] = Commented("标题", _("title not found: set it"))
            self.note(paras[0].line if paras else 0, _("no title found: set `title:`"))
        else:
            art["title"] = self._title("\n".join(lines), paras[0])
        if j < len(paras) and (paras[j].style == "Subtitle" or clean(paras[j].text).startswith("——")):
            art["subtitle"] = self.fixed(clean(paras[j].text))
            j += 1
        body = paras[j:]
        if body and SOURCE.match(compact(body[-1].text)):
            art["source"] = self.fixed(SOURCE.match(compact(body[-1].text)).group(1))
            body = body[:-1]
        art["body"] = self._body(body)
        if not single:
            return {k: art[k] for k in ("title", "subtitle", "body", "source") if k in art}
        return art

    def _title(self, text: str, p: Para):
        lines = [self.fixed(x) for x in text.split("\n") if x]
        if self.jianbao_docx and len(lines) > 1 and self._balanced_again("".join(lines)) == lines:
            return "".join(lines)
        if len(lines) == 1 and " " in lines[0] and cells(lines[0]) > TITLE_CELLS:
            # an extract joins a title's lines with a space: break where a line would be full
            parts = lines[0].split(" ")
            out = [parts[0]]
            for part in parts[1:]:
                if cells(out[-1] + " " + part) <= TITLE_CELLS:
                    out[-1] += " " + part
                else:
                    out.append(part)
            if len(out) > 1:
                return Commented("\n".join(out), _("line breaks guessed from the spaces of the extract"))
        return "\n".join(lines)

    def _balanced_again(self, title: str):
        """The lines jianbao's DOCX writer would break `title` into by itself (its breaks, not the author's)."""
        balance = getattr(self, "balance", None)
        return balance(title) if balance else None

    # -- body
    def _heading_match(self, text: str):
        for level, pattern in HEADINGS:
            m = pattern.match(text)
            if m and m.end() < len(text):
                n = cn_number(m.group(1))
                if n is not None:
                    return level, n, m.end()
        return None

    def _join(self, texts: list[tuple]) -> list[tuple]:
        """Paragraphs of a PDF extract broken at line or page ends put together again: a line that does not end
        a sentence continues when it is full (26–28 characters, or more than one line) or ends in a mark that
        cannot end a paragraph; in an extract that indents first lines, an unindented line continues. Never
        into a heading or a 版记 line. Linear in the text: a long paragraph is kept as its parts."""
        indented = sum(1 for p, _ in texts if p is not None and p.indent >= 2) >= 3
        out: list[_Piece] = []
        for p, t in texts:
            cont = bool(out) and not LABEL.match(t) and not self._heading_match(t)
            if cont:
                prev = out[-1]
                last = _bare(prev.last)
                if indented:
                    full = cells(last) + (2 if prev.last_para.indent >= 2 else 0) >= LINE_CELLS - 2
                    cont = p.indent < 2 and (full or not ends_sentence(last)) \
                        and not (prev.heading and prev.width <= LINE_CELLS and not full)
                else:
                    cont = self._continues(prev, last)
            if cont:
                out[-1].add(p, t)
            else:
                out.append(_Piece(p, t, self._heading_match(_bare(t)) is not None))
        return [(x.para, "".join(x.parts)) for x in out]

    @staticmethod
    def _continues(prev: "_Piece", last: str) -> bool:
        if ends_sentence(last):
            return False
        if last.endswith(CONTINUES):
            return True
        if prev.heading and prev.width <= LINE_CELLS:
            return False
        width = prev.width + (0 if prev.heading else 2)
        return width > LINE_CELLS or LINE_CELLS - 2 <= width

    def _body(self, paras: list[Para]) -> list:
        items = []   # (kind, para, text) kind: para | heading
        texts = []
        for p in paras:
            texts.append((p, self._para_text(p)))
        if self.text_source:
            texts = self._join(texts)
        for p, t in texts:
            t = self.fixed(clean(t))
            if t:
                items.append((p, t))
        return self._sections(items)

    def _para_text(self, p: Para) -> str:
        if self.text_source:
            t = clean(p.text)
            m = LEAD_IN.match(t)
            if m and not self._heading_match(t) and len(t) > m.end():
                t = f"**{m.group(1)}**{t[m.end():]}"
            return t
        return inline(p.runs).replace("\n", "")

    def _sections(self, items):
        root: list = []
        stack = [(0, root, {"last": 0})]     # (level, body list, counter of sibling sections)
        recent = []                          # paragraphs appended since the last heading: (container, item)
        for p, t in items:
            heading = self._heading_of(p, t)
            if heading is None:
                stack[-1][1].append(t)
                recent.append((stack[-1][1], t))
                continue
            level, n, head, text = heading
            while len(stack) > 1 and stack[-1][0] >= level:
                stack.pop()
            expected = stack[-1][2]["last"] + 1
            if n is None:         # numbered by Word, not typed: jianbao counts it
                n = expected
            if n == 1 and expected != 1 and recent:
                # a restart after paragraphs: they bridge the lists, at the level of the restarted list's parent
                # (but a section keeps its first paragraph: it needs a body)
                if self._needs_body(root, recent[0][0]):
                    recent = recent[1:]
                for container, item in recent:
                    container.remove(item)
                    stack[-1][1].append(item)
            recent = []
            depth = len(stack)
            if depth != level:
                self.note(p.line, _("heading {heading!r} at level {level} under level {parent}: imported at level "
                                    "{depth} (its number will print as level {depth}'s)").format(
                    heading=head, level=level, parent=depth - 1, depth=depth))
            section: dict = {"heading": head}
            if n != expected:
                section["number"] = n
            if text:
                section["text"] = text
            section["body"] = []
            stack[-1][1].append(section)
            stack[-1][2]["last"] = n
            stack.append((level, section["body"], {"last": 0}))
        self._closing(root)
        self._prune(root)
        return root

    def _needs_body(self, root, container) -> bool:
        """Whether `container` is the body of a section without run-in text whose only paragraphs are the
        recent ones (moving them all would leave it empty)."""
        def find(blocks):
            for b in blocks:
                if isinstance(b, dict):
                    if b["body"] is container:
                        return b
                    found = find(b["body"])
                    if found:
                        return found
            return None
        section = find(root)
        if section is None or "text" in section:
            return False
        return not any(isinstance(x, dict) for x in container) and len(container) >= 1

    CLOSING = re.compile(r"^(下一步|以上|总之|综上|今后|特此)")

    def _closing(self, root) -> None:
        """A closing paragraph after the last section (下一步…, 以上报告…) belongs to the article, not to the
        section before it: the tree is the same either way, a person writes it at the top."""
        if not root or not isinstance(root[-1], dict):
            return
        chain = [root[-1]]
        while chain[-1]["body"] and isinstance(chain[-1]["body"][-1], dict):
            chain.append(chain[-1]["body"][-1])
        body = chain[-1]["body"]
        k = len(body)
        while k > 0 and isinstance(body[k - 1], str):
            k -= 1
        tail = body[k:]
        for j, t in enumerate(tail):
            if self.CLOSING.match(t) and (k + j > 0 or "text" in chain[-1]):
                moved = body[k + j:]
                del body[k + j:]
                root.extend(moved)
                return

    def _prune(self, blocks):
        for b in blocks:
            if isinstance(b, dict):
                self._prune(b["body"])
                if not b["body"] and "text" in b:
                    del b["body"]

    def _heading_of(self, p: Para, t: str):
        """(level, number, heading, run-in text) when the paragraph is a heading, else None."""
        m = self._heading_match(t.replace("**", ""))
        style_level = None
        sm = HEADING_STYLE.match(p.style_name or "") or HEADING_STYLE.match(p.style or "")
        if sm:
            style_level = int(sm.group(1) or sm.group(2))
        if m is None and style_level is None:
            return None
        if self.jianbao_docx and style_level is None and not any(RUNIN_CHAR.match(r.char_style or "") for r in p.runs):
            return None       # jianbao marks every heading: a typed number here is the paragraph's text
        if m is None:
            # a heading style without a typed number
            return style_level, None, t, None
        level, n, end = m
        if style_level:
            level = style_level
        # the number's end in `t` (which may carry ** markers)
        bare_prefix = t.replace("**", "")[:end]
        k, seen = 0, 0
        while seen < len(bare_prefix) and k < len(t):
            if t.startswith("**", k):
                k += 2
                continue
            k += 1
            seen += 1
        rest = t[k:]
        if rest.startswith("**") and t[:k].count("**") % 2 == 1:
            rest = rest[2:]
        elif t[:k].count("**") % 2 == 1:
            rest = "**" + rest
        split = self._runin_split(p, rest, style_level is not None)
        if split is None:
            return level, n, rest.strip(), None
        head, text = split
        return level, n, head, text

    def _runin_split(self, p: Para, rest: str, styled: bool):
        if self.jianbao_docx:
            # the run-in heading's runs carry the heading's character style
            runs = [r for r in p.runs if r.text]
            if not any(RUNIN_CHAR.match(r.char_style or "") for r in runs) or styled:
                return None
            head_len = sum(len(r.text) for r in runs if RUNIN_CHAR.match(r.char_style or ""))
            full = "".join(r.text for r in runs)
            body_runs = []
            count = 0
            for r in runs:
                if count >= head_len:
                    body_runs.append(r)
                count += len(r.text)
            head = clean(full[:head_len])
            hm = self._heading_match(head)
            head = head[hm[2]:] if hm else head
            return self.fixed(head), self.fixed(clean(inline(body_runs)))
        if styled:
            return None
        depth = 0
        bare = rest
        i = 0
        while i < len(bare):
            ch = bare[i]
            if ch in "“‘（《〈「『【(":
                depth += 1
            elif ch in "”’）》〉」』】)":
                depth = max(0, depth - 1)
            elif ch in "。！？" and depth == 0:
                j = i + 1
                while j < len(bare) and bare[j] in "”’）》*":
                    j += 1
                head, text = bare[:j].strip(), bare[j:].strip()
                if text and text != "**":
                    if head.startswith("**") and head.endswith("**") and head.count("**") == 2:
                        head = head[2:-2]      # a bold run-in heading: its look, not emphasis
                    return head, text
                return None
            i += 1
        return None

    def _unplaced(self, text: str, line: int, message: str) -> None:
        if not text:
            return
        body = self.result.issue.setdefault("_unplaced", [])
        body.append(text)
        self.note(line, _(message).format(text=text[:30]))
