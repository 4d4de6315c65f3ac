"""What an import file may hold: per table its columns, their kinds and limits, the headers that name
them (schema names, the templates' Chinese headers, common aliases of exports) and the keys.

The Chinese template header of a column is `ingest.header.<table>.<column>` in the zh locale (the en
locale holds the English one); both are accepted, as are the schema name and the aliases below.
Stored codes accept their zh and en labels from the locale files (便利店 -> B, 满意 -> satisfied).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from dashboard import i18n

# Kinds of column: how a cell is parsed and checked (see dashboard/ingest/values.py).
ID = "id"  # positive integer key (bigint)
CODE_ID = "code_id"  # a short text key: letters, digits, _ and -
INT = "int"
FLOAT = "float"
DECIMAL = "decimal"
DATE = "date"
MONTH = "month"
TIMESTAMP = "timestamp"
BOOL = "bool"
CODE = "code"
TEXT = "text"
LICENSE = "license"
PHONE = "phone"

INT32 = 2**31 - 1


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    lo: float | None = None  # inclusive range
    hi: float | None = None
    lo_open: bool = False  # lo itself not allowed (hours > 0)
    scale: int = 2  # decimal places of a DECIMAL
    max_len: int = 100  # TEXT
    code_kind: str | None = None  # CODE: the locale's codes.<kind>
    codes: tuple[str, ...] = ()  # CODE without a locale kind (credit)
    default: object = None  # value for a new row when the file has no such column
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str  # referenced table and its key column
    ref: str
    where: tuple[str, object] | None = None  # the referenced row must also have column == value


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    unique: tuple[str, ...] = ()  # single columns unique besides the key
    fks: tuple[ForeignKey, ...] = ()
    file_names: tuple[str, ...] = ()  # words in a file name that point to this table
    column_map: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "column_map", {c.name: c for c in self.columns})

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _id(name, **kw):
    return Column(name, ID, required=True, lo=1, **kw)


def _fk(name, required=True, kind=CODE_ID, **kw):
    return Column(name, kind, required=required, lo=1 if kind == ID else None, **kw)


def _score(name, required=False):
    return Column(name, DECIMAL, required=required, lo=0, hi=100, scale=2)


def _money(name, required=True, lo=0):
    return Column(name, DECIMAL, required=required, lo=lo, hi=999_999_999_999, scale=2)


def _lon():
    return Column("lon", FLOAT, required=True, aliases=("longitude", "经度坐标", "x"))


def _lat():
    return Column("lat", FLOAT, required=True, aliases=("latitude", "纬度坐标", "y"))


_CUSTOMER = _fk("customer_id", kind=ID, aliases=("客户编号", "客户代码", "客户ID", "客户id"))
_STAFF = _fk("staff_id", aliases=("人员编号", "工号", "员工编号", "员工工号"))
_STATION = _fk("station_id", aliases=("服务站代码", "站点编码", "所属服务站", "所属服务站编码"))
_MONTH = Column("month", MONTH, required=True, aliases=("统计月份", "年月", "月度"))

TABLES: tuple[Table, ...] = (
    Table(
        "stations",
        (
            Column("station_id", CODE_ID, required=True, aliases=("服务站代码", "站点编码")),
            Column("name", TEXT, required=True, max_len=50, aliases=("服务站", "站点名称")),
            Column("town_code", CODE_ID, required=True, aliases=("行政区划代码", "街道代码", "乡镇编码")),
            _lon(),
            _lat(),
        ),
        key=("station_id",),
        file_names=("stations", "station", "服务站"),
    ),
    Table(
        "staff",
        (
            Column("staff_id", CODE_ID, required=True, aliases=_STAFF.aliases),
            Column("name", TEXT, required=True, max_len=50, aliases=("人员姓名", "员工姓名")),
            Column("role", CODE, required=True, code_kind="role", aliases=("职务", "角色")),
            _STATION,
            Column("phone", PHONE, aliases=("电话", "手机", "手机号", "手机号码")),
        ),
        key=("staff_id",),
        fks=(ForeignKey("station_id", "stations", "station_id"),),
        file_names=("staff", "人员", "员工"),
    ),
    Table(
        "routes",
        (
            Column("route_id", CODE_ID, required=True, aliases=("营销线路编码", "线路代码", "线路编号")),
            _STATION,
            Column("name", TEXT, required=True, max_len=50, aliases=("营销线路名称", "线路")),
            _fk("customer_manager_id", aliases=("客户经理工号", "客户经理")),
            _fk("inspector_id", required=False, aliases=("专管员工号", "稽查员编码", "专管员")),
            Column("visit_weekday", INT, required=True, lo=1, hi=7, aliases=("拜访日", "走访星期")),
        ),
        key=("route_id",),
        fks=(
            ForeignKey("station_id", "stations", "station_id"),
            ForeignKey("customer_manager_id", "staff", "staff_id", ("role", "customer_manager")),
            ForeignKey("inspector_id", "staff", "staff_id", ("role", "inspector")),
        ),
        file_names=("routes", "route", "线路"),
    ),
    Table(
        "customers",
        (
            Column("customer_id", ID, required=True, lo=1, aliases=_CUSTOMER.aliases),
            Column(
                "license_no",
                LICENSE,
                required=True,
                aliases=("许可证编号", "专卖许可证号", "烟草专卖许可证号"),
            ),
            Column("shop_name", TEXT, required=True, aliases=("店铺名称", "店名", "商户名称", "零售户名称")),
            Column(
                "owner_name",
                TEXT,
                required=True,
                max_len=50,
                aliases=("经营者", "法人", "业主", "负责人姓名"),
            ),
            Column("phone", PHONE, aliases=("电话", "手机", "手机号", "手机号码")),
            Column("address", TEXT, max_len=200, aliases=("地址", "经营场所", "店铺地址")),
            Column("route_id", CODE_ID, required=True, aliases=("营销线路编码", "营销线路", "线路")),
            Column("business_type", CODE, required=True, code_kind="business_type", aliases=("业态",)),
            Column(
                "market_type", CODE, required=True, code_kind="market_type", aliases=("城乡类型", "城乡分类")
            ),
            Column("scale", CODE, required=True, code_kind="scale", aliases=("规模",)),
            Column("grade", INT, required=True, lo=1, hi=30, aliases=("客户档位",)),
            Column(
                "credit", CODE, required=True, codes=("AAA", "AA", "A", "B", "C", "D"), aliases=("诚信等级",)
            ),
            Column("order_weekday", INT, lo=1, hi=7, aliases=("订货周期",)),
            Column("has_pos", BOOL, default=False, aliases=("是否云POS", "有无云POS", "POS")),
            _lon(),
            _lat(),
            Column("opened_on", DATE, required=True, aliases=("建档日期", "开业时间")),
            Column("status", CODE, required=True, code_kind="status", aliases=("状态", "客户状态")),
        ),
        key=("customer_id",),
        unique=("license_no",),
        fks=(ForeignKey("route_id", "routes", "route_id"),),
        file_names=("customers", "customer_list", "客户信息", "客户档案", "零售户"),
    ),
    Table(
        "customer_monthly",
        (
            _CUSTOMER,
            _MONTH,
            _money("tobacco_orders_yuan"),
            _money("tobacco_gross_profit_yuan", lo=-999_999_999_999),
            _money("nontobacco_revenue_yuan", required=False),
            _money("nontobacco_gross_profit_yuan", required=False, lo=-999_999_999_999),
        ),
        key=("customer_id", "month"),
        fks=(ForeignKey("customer_id", "customers", "customer_id"),),
        file_names=("customer_monthly", "monthly", "月度经营", "经营月报"),
    ),
    Table(
        "surveys",
        (
            _id("survey_id", aliases=("调查编号", "问卷号")),
            _CUSTOMER,
            Column("surveyed_on", DATE, required=True, aliases=("调查时间",)),
            Column("wave", TEXT, required=True, max_len=20, aliases=("批次", "调查期次")),
            _score("supply"),
            _score("ordering"),
            _score("delivery"),
            _score("customer_manager"),
            _score("settlement"),
            _score("complaint_handling"),
            _score("market_regulation"),
            _score("overall", required=True),
        ),
        key=("survey_id",),
        fks=(ForeignKey("customer_id", "customers", "customer_id"),),
        file_names=("surveys", "survey", "满意度", "问卷"),
    ),
    Table(
        "tickets",
        (
            _id("ticket_id", aliases=("工单号", "工单编码")),
            _CUSTOMER,
            Column("channel", CODE, required=True, code_kind="channel", aliases=("渠道", "来源渠道")),
            Column("kind", CODE, required=True, code_kind="ticket_kind", aliases=("类型", "工单类型")),
            Column("topic", CODE, required=True, code_kind="topic", aliases=("问题类别", "诉求分类", "主题")),
            _fk("first_owner_id", required=False, aliases=("首问责任人", "首问负责人")),
            Column("received_at", TIMESTAMP, required=True, aliases=("受理日期",)),
            Column("responded_at", TIMESTAMP, aliases=("首次响应时间",)),
            Column("routed_at", TIMESTAMP, aliases=("派单时间",)),
            Column("resolved_at", TIMESTAMP, aliases=("处置时间", "办结日期")),
            Column("callback_at", TIMESTAMP, aliases=("回访日期",)),
            Column("callback_result", CODE, code_kind="callback_result", aliases=("回访满意度",)),
            Column("reopened_count", INT, lo=0, hi=INT32, default=0, aliases=("重开", "重复投诉次数")),
        ),
        key=("ticket_id",),
        fks=(
            ForeignKey("customer_id", "customers", "customer_id"),
            ForeignKey("first_owner_id", "staff", "staff_id"),
        ),
        file_names=("tickets", "ticket", "工单", "投诉", "12313"),
    ),
    Table(
        "visit_plans",
        (
            _STAFF,
            _CUSTOMER,
            Column("planned_on", DATE, required=True, aliases=("计划走访日期", "计划日")),
        ),
        key=("staff_id", "customer_id", "planned_on"),
        fks=(
            ForeignKey("staff_id", "staff", "staff_id"),
            ForeignKey("customer_id", "customers", "customer_id"),
        ),
        file_names=("visit_plans", "plans", "走访计划", "拜访计划"),
    ),
    Table(
        "visits",
        (
            _id("visit_id", aliases=("拜访编号", "走访记录编号")),
            _STAFF,
            _CUSTOMER,
            Column("kind", CODE, required=True, code_kind="visit_kind", aliases=("类型", "拜访类型")),
            Column("started_at", TIMESTAMP, required=True, aliases=("签到时间", "到店时间")),
            Column("ended_at", TIMESTAMP, aliases=("签退时间", "离店时间")),
            Column("checkin_distance_m", FLOAT, lo=0, hi=1e7, aliases=("签到距离", "签到偏差（米）")),
            Column("tasks_required", INT, lo=0, hi=INT32, default=0, aliases=("任务数", "应完成任务")),
            Column("tasks_done", INT, lo=0, hi=INT32, default=0, aliases=("完成任务数", "已完成任务")),
        ),
        key=("visit_id",),
        fks=(
            ForeignKey("staff_id", "staff", "staff_id"),
            ForeignKey("customer_id", "customers", "customer_id"),
        ),
        file_names=("visits", "visit", "走访记录", "拜访记录", "走访"),
    ),
    Table(
        "training_sessions",
        (
            _id("session_id", aliases=("场次编号", "培训场次编号")),
            Column("held_on", DATE, required=True, aliases=("举办日期", "培训时间")),
            Column("format", CODE, required=True, code_kind="training_format", aliases=("形式",)),
            Column("topic", CODE, required=True, code_kind="training_topic", aliases=("主题",)),
            _STATION,
            Column("is_rural", BOOL, default=False, aliases=("农网", "是否农网场次")),
            _fk("trainer_id", required=False, aliases=("讲师", "讲师工号")),
            Column(
                "hours", DECIMAL, required=True, lo=0, lo_open=True, hi=9999, scale=1, aliases=("培训时长",)
            ),
            Column("viewers", INT, lo=0, hi=INT32, aliases=("直播观看人数", "观看人次")),
        ),
        key=("session_id",),
        fks=(
            ForeignKey("station_id", "stations", "station_id"),
            ForeignKey("trainer_id", "staff", "staff_id"),
        ),
        file_names=("training_sessions", "sessions", "培训场次", "培训"),
    ),
    Table(
        "training_attendance",
        (Column("session_id", ID, required=True, lo=1, aliases=("场次编号", "培训场次编号")), _CUSTOMER),
        key=("session_id", "customer_id"),
        fks=(
            ForeignKey("session_id", "training_sessions", "session_id"),
            ForeignKey("customer_id", "customers", "customer_id"),
        ),
        file_names=("training_attendance", "attendance", "参训", "签到"),
    ),
    Table(
        "residencies",
        (
            _id("residency_id", aliases=("驻店记录编号",)),
            _STAFF,
            _CUSTOMER,
            Column("start_on", DATE, required=True, aliases=("驻店开始日期", "开始时间")),
            Column("days", INT, required=True, lo=1, hi=60, aliases=("驻店天数",)),
            Column("focus", CODE, required=True, code_kind="residency_focus", aliases=("重点", "驻店内容")),
        ),
        key=("residency_id",),
        fks=(
            ForeignKey("staff_id", "staff", "staff_id"),
            ForeignKey("customer_id", "customers", "customer_id"),
        ),
        file_names=("residencies", "residency", "驻店"),
    ),
    Table(
        "products",
        (
            Column("sku_id", INT, required=True, lo=1, hi=INT32, aliases=("商品编号", "SKU", "SKU编码")),
            Column("name", TEXT, required=True, aliases=("品名",)),
            Column("category", CODE, required=True, code_kind="product_category", aliases=("类别", "品类")),
        ),
        key=("sku_id",),
        file_names=("products", "product", "商品"),
    ),
    Table(
        "product_sales_monthly",
        (
            _CUSTOMER,
            Column("sku_id", INT, required=True, lo=1, hi=INT32, aliases=("商品编号", "SKU", "SKU编码")),
            _MONTH,
            Column("units", FLOAT, required=True, lo=0, hi=1e12, aliases=("销售数量", "数量")),
            _money("revenue_yuan"),
            _money("gross_profit_yuan", lo=-999_999_999_999),
            Column("transactions", INT, required=True, lo=0, hi=INT32, aliases=("笔数", "交易次数")),
            _money("basket_value_yuan"),
            Column("avg_stock_units", FLOAT, lo=0, hi=1e12, aliases=("库存", "平均库存数量")),
        ),
        key=("customer_id", "sku_id", "month"),
        fks=(
            ForeignKey("customer_id", "customers", "customer_id", ("has_pos", True)),
            ForeignKey("sku_id", "products", "sku_id"),
        ),
        file_names=("product_sales_monthly", "product_sales", "sku_sales", "商品销售", "非烟销售"),
    ),
)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Stage times of a ticket, in the order they happen (a null stage has not happened yet).
TICKET_STAGES = ("received_at", "responded_at", "routed_at", "resolved_at", "callback_at")

# Extra spellings of stored codes seen in exports, beside the locale labels (keys normalised).
CODE_ALIASES: dict[str, dict[str, str]] = {
    "market_type": {"城市": "C", "城区": "C", "农村": "X", "农网": "X", "urban": "C", "rural": "X"},
    "scale": {"大型": "1", "中型": "2", "小型": "3", "large": "1", "medium": "2", "small": "3"},
    "status": {"正常": "active", "营业": "active", "暂停": "suspended", "歇业": "closed", "注销": "closed"},
    "channel": {"12313": "hotline_12313", "热线": "hotline_12313", "小程序": "qr_miniprogram"},
    "callback_result": {"非常满意": "satisfied", "一般": "basic", "较满意": "basic"},
    "role": {"稽查员": "inspector", "配送员": "delivery"},
    "business_type": {"娱乐服务": "F", "烟酒店": "Y"},
}
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "是", "有", "√", "✓"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "否", "无", "×"})

_UNIT = re.compile(r"[（(][^（）()]*[）)]$")
_SPACE = re.compile(r"[\s_\-·.]+")


def norm_header(text: str) -> str:
    """A header as compared: width-folded, lower case, a trailing unit like （元） and spaces dropped."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lstrip("\ufeff").strip()
    text = _UNIT.sub("", text).strip()
    return _SPACE.sub("", text.lower())


def norm_code(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).strip().lower())


def template_header(table: str, column: str, lang: str = "zh") -> str:
    return i18n.t(f"ingest.header.{table}.{column}", lang)


@cache
def header_map(table: str) -> dict[str, str]:
    """Normalised header -> column name, for every accepted spelling of the table's columns."""
    spec = BY_NAME[table]
    found: dict[str, str] = {}
    for col in spec.columns:
        spellings = [col.name, template_header(table, col.name, "zh"), template_header(table, col.name, "en")]
        for spelling in [*spellings, *col.aliases]:
            found.setdefault(norm_header(spelling), col.name)
    return found


@cache
def code_map(col_kind: str | None, codes: tuple[str, ...] = ()) -> dict[str, str]:
    """Normalised value -> stored code: the code itself, its zh and en labels and known aliases."""
    if col_kind is None:
        return {norm_code(c): c for c in codes}
    found: dict[str, str] = {}
    for lang in ("zh", "en"):
        for code, text in i18n.labels(col_kind, lang).items():
            found.setdefault(norm_code(code), code)
            found.setdefault(norm_code(text), code)
    for alias, code in CODE_ALIASES.get(col_kind, {}).items():
        found.setdefault(norm_code(alias), code)
    return found


def allowed_codes(col: Column) -> list[str]:
    return list(i18n.labels(col.code_kind, "zh")) if col.code_kind else list(col.codes)


def load_order() -> list[str]:
    """Tables parents first, so foreign keys can point at rows of the same batch."""
    done: list[str] = []
    pending = [t.name for t in TABLES]
    while pending:
        for name in pending:
            if all(fk.table in done or fk.table == name for fk in BY_NAME[name].fks):
                done.append(name)
                pending.remove(name)
                break
        else:  # pragma: no cover - the spec has no cycle
            raise ValueError(f"foreign-key cycle among {pending}")
    return done
