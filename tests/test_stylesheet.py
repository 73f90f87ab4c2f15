"""The style sheet: one base with every value, templates that change what they want, roles with parents."""
import dataclasses
from pathlib import Path

import pytest

from jianbao.errors import JianbaoError
from jianbao.stylesheet import BASE, load_stylesheet

ROOT = Path(__file__).resolve().parents[1]


def sheet(tmp_path, text: str):
    path = tmp_path / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    return load_stylesheet(path)


def test_the_default_template_is_the_base(tmp_path):
    default = load_stylesheet(ROOT / "templates" / "default" / "layout.yaml")
    assert dataclasses.replace(default, path=None) == dataclasses.replace(sheet(tmp_path, ""), path=None)
    # every setting comes from the base: the numbers of GB/T 9704 there
    assert default.grid.lines == 22 and default.grid.chars == 28
    assert default.masthead.rule.width == 2.25 and default.masthead.blank_after_name == 1
    assert BASE.is_file()


def test_a_template_changes_one_key_of_a_section_and_keeps_the_rest(tmp_path):
    s = sheet(tmp_path, "masthead: {blank_after_name: 0, rule: {double: true, gap: 2mm}}\n")
    assert s.masthead.blank_after_name == 0 and s.masthead.rule.double
    assert s.masthead.rule.gap == pytest.approx(2 * 72 / 25.4)
    assert s.masthead.rule.width == 2.25 and s.masthead.blank_after_rule == 1       # from the base


def test_a_role_inherits_its_parent_and_its_base_self(tmp_path):
    s = sheet(tmp_path, "roles:\n  heading-1: {size: 18}\n  heading-3: {bold: true}\n")
    assert s.role("heading-1").size == 18 and s.role("heading-1").font == "hei"
    # heading-2's parent is heading-1 in the base: it takes the new size, keeps its own font
    assert s.role("heading-2").size == 18 and s.role("heading-2").font == "kai"
    h3 = s.role("heading-3")
    assert h3.bold and h3.font == "fangsong" and h3.keep_next and h3.outline == 3
    assert h3.word_style == ("Heading3", "三级标题")


def test_em_lengths_take_the_role_size(tmp_path):
    s = sheet(tmp_path, "roles:\n  note: {size: 14, indent: 2em}\n")
    assert s.role("note").indent == 28


@pytest.mark.parametrize("text, message", [
    ("masthead: {blank_after_nam: 0}\n", "masthead.blank_after_nam: unknown setting"),
    ("masthead: {rule: {width: thick}}\n", "masthead.rule.width: 'thick' is not a length"),
    ("body: {hanging_punctuation: 1}\n", "body.hanging_punctuation: 1 is not true or false"),
    ("roles:\n  para: {colour: rose}\n", "roles.para.colour: 'rose' is not a colour"),
    ("roles:\n  x: {parent: y}\n", "roles.x.parent: no role 'y'"),
    ("roles:\n  x: {parent: z, font: hei, size: 16}\n  z: {parent: x}\n", "is a loop"),
    ("roles:\n  para: {sise: 16}\n", "roles.para: unknown key(s) sise"),
    ("- a list\n", "a style sheet is a mapping"),
])
def test_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(JianbaoError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sheet(tmp_path, text)
