"""Shared helpers of the pages: downloads, settings, chart style."""

import io
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, downloads, settings


def test_csv_download_defuses_formulas_and_reads_in_excel():
    frame = pd.DataFrame({"shop": ['=HYPERLINK("x")', "+1", "-2", "@a", "张记便利"], "n": [1, 2, 3, 4, 5]})
    data = downloads.csv_bytes(frame)
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads the Chinese right
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.shop.tolist() == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@a", "张记便利"]
    assert back.n.tolist() == [1, 2, 3, 4, 5]  # numbers stay numbers


def test_settings_file_has_the_design_defaults():
    s = settings.settings()
    assert s["tickets"]["response_target_hours"] == 24
    assert s["tickets"]["resolution_target_hours"] == {
        "consultation": 24, "complaint": 72, "report": 72, "suggestion": 168,
    }  # fmt: skip


def test_settings_path_from_environment(monkeypatch, tmp_path):
    other = tmp_path / "s.toml"
    other.write_text("[tickets]\nresponse_target_hours = 12\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(other))
    assert settings.settings()["tickets"]["response_target_hours"] == 12


def test_chart_style_sets_a_cjk_font():
    fig = charts.style(go.Figure(), "zh").to_dict()
    assert "Noto Sans CJK SC" in fig["layout"]["font"]["family"]


def test_marks_draw_what_plotlys_add_calls_draw():
    # style's marks: the shapes and annotations of plotly's add_hline, add_vline, add_shape and add_annotation
    # (one layout assignment instead of ~15 ms a line), after the figure's own, in order
    line = {"dash": "dot", "color": "#888888"}
    theirs = go.Figure().add_scatter(x=[0, 1], y=[0, 1]).add_annotation(text="own", x=0, y=0, showarrow=False)
    theirs.add_hline(y=0.5, line=line, annotation_text="中位数")
    theirs.add_vline(x=0.8, line=line, annotation_text="目标")
    theirs.add_hline(y=0.3, line=line).add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, layer="below")
    theirs.add_annotation(text="格", x=0.5, y=0.5, showarrow=False, font={"size": 15})
    ours = go.Figure().add_scatter(x=[0, 1], y=[0, 1]).add_annotation(text="own", x=0, y=0, showarrow=False)
    marks = (
        charts.hline(0.5, line, "中位数"),
        charts.vline(0.8, line, "目标"),
        charts.hline(0.3, line),
        charts.box(x0=0, x1=1, y0=0, y1=1, layer="below"),
        {"annotations": [charts.note("格", x=0.5, y=0.5, font={"size": 15})]},
    )
    drawn = charts.style(ours, "zh", marks=marks).to_dict()["layout"]
    expected = charts.style(theirs, "zh").to_dict()["layout"]
    assert len(drawn["shapes"]) == 4 and len(drawn["annotations"]) == 4
    assert drawn["shapes"] == expected["shapes"] and drawn["annotations"] == expected["annotations"]


def test_count_charts_tick_whole_numbers():
    # a station's month of 1-2 training sessions read 0.2, 0.4, ... on plotly's own ticks
    few = pd.DataFrame(
        {
            "dimension": ["format"] * 2,
            "code": ["offline", "online"],
            "n_sessions": [1, 2],
            "n_attendances": [30, 12],
        }
    )
    fig = charts.training_breakdown(pd.Series(["线下", "线上"]), few, "format", "zh").to_dict()["layout"]
    assert fig["yaxis"]["dtick"] == 1 and fig["yaxis"]["tickformat"] == ",d"
    assert (
        "dtick" not in fig["yaxis2"]
        and fig["yaxis2"]["tickformat"] == ",d"
        and fig["yaxis2"]["tickmode"] == "auto"
    )
    assert charts.count_axis(3) == {"rangemode": "tozero", "tickformat": ",d", "dtick": 1}
    assert "dtick" not in charts.count_axis(40)
    volume = pd.DataFrame(
        {
            "bucket": [date(2026, 10, 1), date(2026, 10, 2)],
            "channel": ["hotline_12313", "wechat"],
            "n_tickets": [1, 1],
        }
    )
    assert charts.ticket_volume(volume, "channel", "day", "en").to_dict()["layout"]["yaxis"]["dtick"] == 1


def test_downloads_as_shown_shares_as_percent_and_safe_names():
    import openpyxl

    frame = pd.DataFrame({"名称": ["=cmd|' /C calc'!A0", "寒亭"], "闭环率": [0.8, 0.912345]})
    plain = downloads.for_download(frame, ["闭环率"])
    assert list(plain.columns) == ["名称", "闭环率 (%)"] and plain["闭环率 (%)"].tolist() == [80.0, 91.2]
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(plain, "服务站/排名 [10月]")))
    sheet = book.active
    assert sheet.title == "服务站-排名-10月"  # Excel refuses / [ ] in sheet names
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"  # text, not a formula
    assert sheet["B3"].value == 91.2
    assert downloads.safe_name('a/b:c*?"<>|') == "a-b-c"


def test_charts_of_people_or_stations_draw_at_most_max_ranked():
    # a province's 2,500 customer managers: the lowest MAX_RANKED, the lowest still in the alert colour
    n = charts.MAX_RANKED + 10
    people = pd.DataFrame(
        {
            "staff_name": [f"p{i}" for i in range(n)],
            "rank": range(1, n + 1),
            "assessment_rank": range(1, n + 1),
            "composite": [90.0 - i / 2 for i in range(n)],
        }
    )
    bars = charts.staff_ranking(people, "zh").to_dict()["data"][0]
    assert len(bars["y"]) == charts.MAX_RANKED and bars["y"][0] == f"p{n - 1}" and bars["y"][-1] == "p10"
    assert bars["marker"]["color"][0] != bars["marker"]["color"][1]
    joint = pd.DataFrame(
        {"station_name": [f"s{i}" for i in range(n)], "joint_share": [i / 100 for i in range(n)]}
    )
    assert list(charts.staff_joint(joint, "zh").to_dict()["data"][0]["x"]) == [
        f"s{i}" for i in range(charts.MAX_RANKED)
    ]
    training = pd.DataFrame({"dimension": "station", "n_sessions": range(n), "n_attendances": range(n)})
    names = pd.Series([f"s{i}" for i in range(n)])
    bars = charts.training_breakdown(names, training, "station", "zh").to_dict()["data"][0]
    assert len(bars["x"]) == charts.MAX_RANKED and bars["x"][0] == f"s{n - 1}"  # the most sessions
    residencies = pd.DataFrame({"station_name": names, "days": range(n), "n_staff": 1, "n_stores": 1})
    bars = charts.residency_breakdown(residencies, "station_name", list(names), "zh").data[0]
    assert len(bars.x) == charts.MAX_RANKED and bars.x[0] == f"s{n - 1}" and bars.y[0] == n - 1
