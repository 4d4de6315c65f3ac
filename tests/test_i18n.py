"""Locales: both languages have every key, every stored code has a label, formats read right."""

import re
from datetime import date

import pytest

from dashboard import i18n, store


def schema_codes() -> dict[str, set[str]]:
    sql = store.SCHEMA_FILE.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for table, body in re.findall(r"create table if not exists (\w+) \((.*?)\n\);", sql, re.S):
        for column, values in re.findall(r"check \(\s*(\w+) in \(([^)]*)\)", body):
            found[f"{table}.{column}"] = set(re.findall(r"'([^']+)'", values))
    return found


def test_locales_have_the_same_keys():
    assert i18n.flat_keys("zh") == i18n.flat_keys("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_stored_code_has_a_label(lang):
    kinds = {
        "staff.role": "role",
        "customers.business_type": "business_type",
        "customers.market_type": "market_type",
        "customers.status": "status",
        "tickets.channel": "channel",
        "tickets.kind": "ticket_kind",
        "tickets.topic": "topic",
        "tickets.callback_result": "callback_result",
        "visits.kind": "visit_kind",
        "training_sessions.format": "training_format",
        "training_sessions.topic": "training_topic",
        "residencies.focus": "residency_focus",
        "products.category": "product_category",
    }
    codes = schema_codes()
    assert set(kinds) <= set(codes), "a code column has no locale kind"
    for column, kind in kinds.items():
        for code in codes[column]:
            assert i18n.label(kind, code, lang), f"{column}={code} has no {lang} label"


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (1234, "zh", "1,234"),
        (12345, "zh", "1.23万"),
        (105_780_000, "zh", "1.06亿"),
        (12345, "en", "12,345"),
        (10_578_000, "en", "10.58M"),
        (None, "zh", "—"),
        (float("nan"), "en", "—"),
        (0, "zh", "0"),
    ],
)
def test_fmt_count(value, lang, text):
    assert i18n.fmt_count(value, lang) == text


@pytest.mark.parametrize(
    ("period", "lang", "text"),
    [
        ((date(2026, 10, 1), date(2026, 10, 31)), "zh", "2026年10月"),
        ((date(2026, 10, 1), date(2026, 10, 31)), "en", "Oct 2026"),
        ((date(2026, 8, 1), date(2026, 10, 31)), "zh", "2026年8月 至 2026年10月"),
        ((date(2026, 10, 3), date(2026, 10, 9)), "zh", "2026年10月3日 至 2026年10月9日"),
        ((date(2026, 10, 3), date(2026, 10, 9)), "en", "3 Oct 2026 – 9 Oct 2026"),
    ],
)
def test_fmt_period(period, lang, text):
    assert i18n.fmt_period(*period, lang) == text


def test_fmt_delta_and_pct():
    assert i18n.fmt_pct(0.8567) == "85.7%"
    assert i18n.fmt_delta(3, "count", "zh") == "+3"
    assert i18n.fmt_delta(-12345, "count", "zh") == "-1.23万"
    assert i18n.fmt_delta(1.25, "points") == "+1.2"
    assert i18n.fmt_delta(None) == ""
    assert i18n.fmt_delta(0.04, "points") == "0.0"  # rounds to zero: no sign, so no arrow either
    assert i18n.fmt_delta(-0.04, "points") == "0.0"
    # a share that fell by less than 0.05 pp: no change, not a red "-0.0" (the overview showed one)
    assert i18n.fmt_delta(-0.0004, "pct", "zh") == "0.0 个百分点"
    assert i18n.fmt_delta(-0.0004, "pct", "en") == "0.0 pp"
    assert i18n.fmt_delta(0.0006, "pct", "en") == "+0.1 pp"


def test_locale_files_merge_and_refuse_duplicates():
    into = {"codes": {"a": {"x": "1"}}}
    i18n._merge(into, {"codes": {"b": {"y": "2"}}}, "area.toml")
    assert into == {"codes": {"a": {"x": "1"}, "b": {"y": "2"}}}
    with pytest.raises(ValueError, match="codes.a.x defined twice"):
        i18n._merge(into, {"codes": {"a": {"x": "3"}}}, "other.toml")


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (11_155_918.78, "zh", "1,116万元"),  # a district's month: whole 万
        (1_635_664.54, "zh", "163.6万元"),  # a station's: one decimal, so it fits a card
        (123_456, "zh", "12.35万元"),
        (6_600, "zh", "6,600元"),
        (1_635_664.54, "en", "¥1.64M"),
        (6_600, "en", "¥6.60k"),
        (None, "zh", "—"),
    ],
)
def test_money_reads_short(value, lang, shown):
    from dashboard.i18n import fmt_yuan

    assert fmt_yuan(value, lang) == shown
