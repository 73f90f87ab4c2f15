"""The layout stage: the document tree set on the GB/T 9704 grid, once, for every writer.

    laid = lay_out(tree, style, fonts)      # fonts: the series' FontBook
    laid.pages                              # the page model (jianbao.layout.page): positioned glyph runs, rules
    laid.plan                               # the decisions every writer shares (jianbao.layout.plan)

Modules: `linebreak` (Chinese line breaking on a grid), `metrics` (faces and real advances), `flow` (the tree →
rows), `paginate` (rows → pages, the 版记, page numbers), `page` (the page model), `plan` (shared decisions).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from xml.etree import ElementTree as ET

from ..errors import JianbaoError
from ..i18n import _
from ..stylesheet import StyleSheet
from .flow import Flow
from .metrics import Metrics, prepare_fonts
from .page import GlyphRun, Image, Page, Row, Rule, VRule
from .paginate import paginate
from .plan import Plan

__all__ = ["GlyphRun", "Image", "LaidOut", "Metrics", "Page", "Row", "Rule", "VRule", "lay_out", "prepare_fonts"]


@dataclass
class LaidOut:
    """A bulletin laid out: its pages, the plan, and the metrics that name the faces of the glyph runs
    (`metrics.face_of[run.font]` is the font book's Face)."""
    pages: list[Page]
    flow: Flow
    metrics: Metrics

    @property
    def plan(self) -> Plan:
        return self.flow.plan

    @property
    def fallbacks(self) -> dict[str, str]:
        """Character → the family that set it instead of its role's own."""
        return dict(sorted(self.metrics.fallbacks.items()))


def lay_out(tree: ET.Element, style: StyleSheet, fonts, preprinted: bool = False, root=None) -> LaidOut:
    """Lay the document tree out with the style sheet and the font book `fonts`. `preprinted`: for paper with the
    red masthead printed on it (套打): nothing red is set (the masthead's red lines, the red rule), every other
    position stays as it is. `root`: the series folder, where the pictures the tree names are."""
    if tree.tag != "bulletin":
        raise JianbaoError(_("document tree: the root element is <{tag}>, not <bulletin>").format(tag=tree.tag))
    metrics = Metrics(fonts, style.metrics.em_ascent)
    metrics.register(metrics.primary(style.role("para").font))     # the PDF's initial font
    flow = Flow(style, metrics, root)
    flow.visit(tree)
    pages = paginate(flow)
    if style.body.squeeze_to_fit and style.masthead.blank_after_rule:
        # the layout-legal squeeze: no blank line under the rule, if that saves the last page
        tight = replace(style, masthead=replace(style.masthead, blank_after_rule=0))
        squeezed = Flow(tight, metrics, root)
        squeezed.visit(tree)
        squeezed_pages = paginate(squeezed)
        if len(squeezed_pages) < len(pages):
            flow, pages = squeezed, squeezed_pages
    if preprinted:
        flow.plan.preprinted = True
        black = style.colour("black")
        for page in pages:
            page.rules = [r for r in page.rules if r.colour == black]
            for _y, row in page.rows:
                row.runs = [run for run in row.runs if run.colour == black]
    return LaidOut(pages, flow, metrics)
