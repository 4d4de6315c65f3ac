"""Labels and number/date formats in zh-CN (default) and English; no raw code reaches the screen."""

from __future__ import annotations

import math
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from dashboard.scope import month_end

LOCALES_DIR = Path(__file__).with_name("locales")
DEFAULT_LANG = "zh"
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def catalog(lang: str) -> dict:
    """All of a language's files merged: locales/<lang>/core.toml plus one file per page area."""
    merged: dict = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        _merge(merged, tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    return merged


def _merge(into: dict, new: dict, source: str, prefix: str = "") -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, source, f"{prefix}{key}.")
        elif key in into:
            raise ValueError(f"locale key {prefix}{key} defined twice (again in {source})")
        else:
            into[key] = value


def flat_keys(lang: str) -> set[str]:
    """Every dotted key of a locale, to check that the locales agree."""

    def walk(node: dict, prefix: str) -> set[str]:
        keys = set()
        for k, v in node.items():
            keys |= walk(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}"}
        return keys

    return walk(catalog(lang), "")


def t(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The label at a dotted key, with `{name}` placeholders filled; a missing key raises KeyError."""
    node = catalog(lang)
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if values else node


def label(kind: str, code, lang: str = DEFAULT_LANG) -> str:
    """The label of a stored code, e.g. label('channel', 'hotline_12313') -> '12313 热线'."""
    return catalog(lang)["codes"][kind][str(code)]


def labels(kind: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    return dict(catalog(lang)["codes"][kind])


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_count(value, lang: str = DEFAULT_LANG) -> str:
    """A count: 万/亿 in Chinese from 10,000 on; thousands separators and M/B in English."""
    if _missing(value):
        return "—"
    n = float(value)
    if lang == "zh":
        if abs(n) >= 1e8:
            return f"{n / 1e8:.2f}亿"
        if abs(n) >= 1e4:
            return f"{n / 1e4:.2f}万"
    else:
        if abs(n) >= 1e9:
            return f"{n / 1e9:.2f}B"
        if abs(n) >= 1e6:
            return f"{n / 1e6:.2f}M"
    return f"{n:,.0f}" if n == int(n) else f"{n:,.1f}"


def fmt_number(value, digits: int = 1) -> str:
    return "—" if _missing(value) else f"{float(value):,.{digits}f}"


def fmt_pct(value, digits: int = 1) -> str:
    """A share in 0..1 as a percentage."""
    return "—" if _missing(value) else f"{100 * float(value):.{digits}f}%"


def fmt_delta(value, kind: str = "count", lang: str = DEFAULT_LANG) -> str:
    """A signed change: counts and points as numbers, shares as percentage points."""
    if _missing(value):
        return ""
    shown = round(100 * value, 1) if kind == "pct" else round(value, 1) if kind == "points" else value
    shown += 0.0  # a fall that rounds to -0.0 reads as no change: 0.0, not "-0.0"
    sign = "+" if shown > 0 else ""  # a change that rounds to zero carries no sign (and no arrow)
    if kind == "pct":
        return f"{sign}{shown:.1f} pp" if lang == "en" else f"{sign}{shown:.1f} 个百分点"
    if kind == "points":
        return f"{sign}{shown:.1f}"
    return sign + fmt_count(value, lang)


def fmt_date(day: date, lang: str = DEFAULT_LANG) -> str:
    return t("period.day", lang, y=day.year, m=day.month, d=day.day, mon=MONTHS_EN[day.month - 1])


def fmt_month(day: date, lang: str = DEFAULT_LANG) -> str:
    return t("period.month", lang, y=day.year, m=day.month, mon=MONTHS_EN[day.month - 1])


def fmt_period(date_from: date, date_to: date, lang: str = DEFAULT_LANG) -> str:
    """A period as people say it: one month as 2026年10月, else the two dates."""
    if date_from.day == 1 and date_to == month_end(date_to):
        if (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return fmt_month(date_from, lang)
        return t("period.range", lang, a=fmt_month(date_from, lang), b=fmt_month(date_to, lang))
    return t("period.range", lang, a=fmt_date(date_from, lang), b=fmt_date(date_to, lang))


def fmt_yuan(value, lang: str = DEFAULT_LANG) -> str:
    """Money: 万元/亿元 in Chinese, ¥ with k/M/B in English."""
    if _missing(value):
        return "—"
    n = float(value)
    if lang == "zh":
        for size, unit in ((1e8, "亿元"), (1e4, "万元")):
            if abs(n) >= size:
                # three or four significant figures fit a card: 1,116万元, 163.6万元, 12.34万元
                digits = 0 if abs(n) >= 1000 * size else 1 if abs(n) >= 100 * size else 2
                return f"{n / size:,.{digits}f}{unit}"
        return f"{n:,.0f}元"
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= size:
            return f"¥{n / size:,.2f}{unit}"
    return f"¥{n:,.0f}"
