"""Heading numbers in a house style: 一、 （一） 1. （1） ① or none, chosen per level (`heading_numbers:`)."""
from __future__ import annotations

from .i18n import _

# In the order of GB/T 9704's levels; a house list shorter than the depth used goes on in this order after its
# last style (一、 1. → （1） for the third level), and the last one repeats.
STYLES = ("一、", "（一）", "1.", "（1）", "①", "")
DEFAULT = ("一、", "（一）", "1.", "（1）")
DIGITS = "零一二三四五六七八九"

# what people type for a style, and the style they mean
LOOKALIKES = {"(一)": "（一）", "(1)": "（1）", "1．": "1.", "1、": "1.", "一.": "一、", "一，": "一、", "1": "1.",
              "一": "一、", "(1）": "（1）", "（1)": "（1）", "none": ""}


def hanzi(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + DIGITS[rest] if rest < 10 else
                                 (("一" if rest < 20 else "") + hanzi(rest)))
    return DIGITS[hundreds] + "百" + tail


def circled(n: int) -> str | None:
    """① … ㊿ (the circled numbers Unicode has: 1 to 50)."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return None


def label(style: str, n: int) -> str:
    """The number `n` written in `style` (a member of STYLES)."""
    if style == "一、":
        return f"{hanzi(n)}、"
    if style == "（一）":
        return f"（{hanzi(n)}）"
    if style == "1.":
        return f"{n}."
    if style == "（1）":
        return f"（{n}）"
    if style == "①":
        c = circled(n)
        if c is None:
            raise ValueError(_("circled numbers go up to ㊿ (50), not {number}").format(number=n))
        return c
    return ""


def per_level(styles: tuple[str, ...], depth: int) -> tuple[str, ...]:
    """`styles` (a house list, or () for the default) made `depth` levels long."""
    out = list(styles or DEFAULT)
    while len(out) < depth:
        last = out[-1]
        following = STYLES.index(last) + 1
        out.append(STYLES[following] if last and following < len(STYLES) - 1 else last)
    return tuple(out[:depth])


def suggestion(text: str) -> str | None:
    return LOOKALIKES.get(text.strip().replace(" ", ""))
