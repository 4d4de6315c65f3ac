"""Hardening checks on the source and the config: every SQL value bound (no SQL built by formatting in
dashboard/, pages/, app.py or queries/), user and data text never rendered as HTML, the Streamlit config
(XSRF on, usage stats off, uploads size-limited), and the plain-text escaping of data in markdown."""

import ast
import re
import tomllib

import pytest

from dashboard import store
from dashboard.web import plain

CODE = [
    *store.ROOT.joinpath("dashboard").rglob("*.py"),
    *store.ROOT.joinpath("pages").glob("*.py"),
    store.ROOT / "app.py",
]
SQL_CALLS = {"execute", "executemany", "sql", "query", "from_query"}


def _formatted(node: ast.AST) -> bool:
    """An f-string, a `%` or `+` of strings, or a `.format()` call: SQL text built from values."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


MARKER = "# sql: identifiers only"  # on the call's lines: only quoted table/column names are formatted in


def _sql_calls_built_by_formatting(tree: ast.AST, source: str = "") -> list[int]:
    marked = {n for n, line in enumerate(source.splitlines(), 1) if MARKER in line}
    lines, names = [], {}
    for node in ast.walk(tree):  # names assigned a formatted string, to follow `sql = f"..."; execute(sql)`
        if isinstance(node, ast.Assign) and _formatted(node.value):
            names.update({t.id: node.lineno for t in node.targets if isinstance(t, ast.Name)})
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        first = node.args[0] if node.args else None
        if node.func.attr not in SQL_CALLS or first is None:
            continue
        built = _formatted(first) or (isinstance(first, ast.Name) and first.id in names)
        if built and not marked & set(range(node.lineno, (node.end_lineno or node.lineno) + 1)):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_formatted_sql():
    # samples of code the scan parses, not code that runs: each is put together from its call and its
    # argument, so no line of this file reads as SQL built by formatting to a text search either
    call = "con.execute("
    bad = [
        call + 'f"select * from t where id = {x}")',
        "con.sql(" + '"select * from t where id = %s" %' + " x)",
        call + '"select * from t where name = \'" + name + "\'")',
        call + '"select * from t where id = {}"' + ".format(x))",
        'q = f"delete from t where id = {x}"\n' + call + "q)",
    ]
    good = [
        call + "query.sql, params)",
        call + '"checkpoint")',
        'cursor.execute(SQL, {"a": 1})',
        call + 'f"drop table {q(name)}")  ' + MARKER,
    ]
    assert all(_sql_calls_built_by_formatting(ast.parse(code)) for code in bad)
    assert not any(_sql_calls_built_by_formatting(ast.parse(code), code) for code in good)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(store.ROOT)))
def test_no_sql_is_built_by_formatting(path):
    source = path.read_text(encoding="utf-8")
    found = _sql_calls_built_by_formatting(ast.parse(source), source)
    assert found == [], (
        f"{path.name}: SQL built by formatting on lines {found}: bind values as $name parameters of a named "
        f"query; where only quoted identifiers (table/column names) are formatted in, say so with `{MARKER}`"
    )


@pytest.mark.parametrize("name", store.query_names())
def test_named_queries_take_values_only_as_dollar_parameters(name):
    sql = store.load_query(name).sql
    code = re.sub(r"--[^\n]*", "", sql)
    # no Python-style placeholders that someone would fill by formatting
    assert not re.search(r"\{[A-Za-z_]*\}|%\(?[A-Za-z_]*\)?s\b|\?", code), name


def test_no_page_renders_html_from_values():
    # st.html only with the legend builder's own markup or a constant; unsafe_allow_html nowhere
    offenders = []
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        if "unsafe_allow_html=True" in text or "unsafe_allow_javascript=True" in text:
            offenders.append(path.name)
        html = re.findall(r"st\.html\((?!figures\.legend\)|_?[A-Z][A-Z_]*\))[^)]*\)", text)
        offenders += [f"{path.name}: {m}" for m in html]
    assert offenders == []


def test_streamlit_config_is_hardened():
    config = tomllib.loads((store.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"].get("enableCORS", True) is True
    assert config["browser"]["gatherUsageStats"] is False
    assert 0 < config["server"]["maxUploadSize"] <= 50  # MB: a month's export fits, a flood does not
    assert config["server"].get("maxMessageSize", 200) <= 200
    assert config["server"].get("enableStaticServing", False) is False
    assert (store.ROOT / ".streamlit" / "config.toml").resolve() == store.ROOT / "streamlit_config.toml"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("张*明", "张*明"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("[点我](http://evil.example)", "[点我](http://evil.example)"),
        ("**粗** _斜_ `码` :red[红] $x$ # 标题", "**粗** _斜_ `码` :red[红] $x$ # 标题"),
        ("a@b.com www.x.cn", "a@b.com www.x.cn"),
        ("两行\n文字", "两行 文字"),
    ],
)
def test_plain_escapes_every_markup_character(text, shown):
    escaped = plain(text)
    assert re.sub(r"\\(.)", r"\1", escaped).replace("\u200b", "") == shown
    assert not re.search(r"(?<!\\)[*_`\[\]<>$]", escaped)  # every markup character has its backslash
    assert "://" not in escaped and "www." not in escaped
