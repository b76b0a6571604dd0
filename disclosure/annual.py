"""The annual report's tables (Art. 50; form of 国办公开办函〔2021〕30号), computed in the database.

`table2(year, department)` and `table3(year, department)` aggregate with GROUP BY and
conditional counts: a fixed number of queries whatever the number of documents,
requests and licence decisions. `department=None` is the whole district.

The layout constants (rows, columns, labels) are shared by the model's balance check,
the public page, the CSV and the admin. Each English label carries the official Chinese
wording of the form in a translator comment.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Table 三: requests received and handled ---------------------------------------

# Columns, in the form's order; the keys are DisclosureRequest.ApplicantKind values, plus the total.
COLUMNS = [
    # Translators: 自然人
    ("individual", _("Natural persons")),
    # Translators: 商业企业
    ("business", _("Businesses")),
    # Translators: 科研机构
    ("research", _("Research institutions")),
    # Translators: 社会公益组织
    ("public_interest", _("Public-interest organizations")),
    # Translators: 法律服务机构
    ("legal_services", _("Legal services")),
    # Translators: 其他
    ("other_organization", _("Others")),
    # Translators: 总计
    ("total", _("Total")),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
KIND_COLUMNS = COLUMN_KEYS[:-1]

# (key, label, depth, is_group_heading). Group headings carry no figures.
ROWS = [
    # Translators: 一、本年新收政府信息公开申请数量
    ("1", _("I. New requests received this year"), 0, False),
    # Translators: 二、上年结转政府信息公开申请数量
    ("2", _("II. Requests carried over from last year"), 0, False),
    # Translators: 三、本年度办理结果
    ("3", _("III. Outcome of the requests handled this year"), 0, True),
    # Translators: （一）予以公开
    ("3.1", _("(1) Disclosed"), 1, False),
    # Translators: （二）部分公开（区分处理的，只计这一情形，不计其他情形）
    ("3.2", _("(2) Partly disclosed (counted here only, not under any other row)"), 1, False),
    # Translators: （三）不予公开
    ("3.3", _("(3) Not disclosed"), 1, True),
    # Translators: 1.属于国家秘密
    ("3.3.1", _("1. State secret"), 2, False),
    # Translators: 2.其他法律行政法规禁止公开
    ("3.3.2", _("2. Disclosure forbidden by other laws or administrative regulations"), 2, False),
    # Translators: 3.危及“三安全一稳定”
    ("3.3.3", _("3. Would endanger national, public, economic security or social stability"), 2, False),
    # Translators: 4.保护第三方合法权益
    ("3.3.4", _("4. Protection of a third party's lawful rights"), 2, False),
    # Translators: 5.属于三类内部事务信息
    ("3.3.5", _("5. Internal-affairs information (three kinds)"), 2, False),
    # Translators: 6.属于四类过程性信息
    ("3.3.6", _("6. Process information (four kinds)"), 2, False),
    # Translators: 7.属于行政执法案卷
    ("3.3.7", _("7. Administrative enforcement file"), 2, False),
    # Translators: 8.属于行政查询事项
    ("3.3.8", _("8. Administrative query matter"), 2, False),
    # Translators: （四）无法提供
    ("3.4", _("(4) Cannot be provided"), 1, True),
    # Translators: 1.本机关不掌握相关政府信息
    ("3.4.1", _("1. This organ does not hold the information"), 2, False),
    # Translators: 2.没有现成信息需要另行制作
    ("3.4.2", _("2. No existing information; it would have to be produced"), 2, False),
    # Translators: 3.补正后申请内容仍不明确
    ("3.4.3", _("3. Still unclear after correction"), 2, False),
    # Translators: （五）不予处理
    ("3.5", _("(5) Not processed"), 1, True),
    # Translators: 1.信访举报投诉类申请
    ("3.5.1", _("1. Petitions, reports and complaints"), 2, False),
    # Translators: 2.重复申请
    ("3.5.2", _("2. Repeat requests"), 2, False),
    # Translators: 3.要求提供公开出版物
    ("3.5.3", _("3. Requests for public publications"), 2, False),
    # Translators: 4.无正当理由大量反复申请
    ("3.5.4", _("4. Large numbers of repeated requests without good reason"), 2, False),
    # Translators: 5.要求行政机关确认或重新出具已获取信息
    ("3.5.5", _("5. Requests to confirm or reissue information already obtained"), 2, False),
    # Translators: （六）其他处理
    ("3.6", _("(6) Other handling"), 1, True),
    # Translators: 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    ("3.6.1", _("1. Not corrected in time without good reason: no longer processed"), 2, False),
    # Translators: 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    ("3.6.2", _("2. Fee not paid in time as the fee notice required: no longer processed"), 2, False),
    # Translators: 3.其他
    ("3.6.3", _("3. Other"), 2, False),
    # Translators: （七）总计
    ("3.7", _("(7) Total"), 1, False),
    # Translators: 四、结转下年度继续办理
    ("4", _("IV. Carried forward to next year"), 0, False),
]
ROW_KEYS = [key for key, _label, _depth, heading in ROWS if not heading]
# The outcome rows that add up to 三(七).
OUTCOME_ROWS = [key for key in ROW_KEYS if key.startswith("3.") and key != "3.7"]
ROW_LABELS = {key: label for key, label, _depth, _heading in ROWS}


def empty_table3():
    return {row: dict.fromkeys(COLUMN_KEYS, 0) for row in ROW_KEYS}


# --- Table 二: proactive disclosure -------------------------------------------------

# Rows of item (1) of Art. 20 and their columns.
DOCUMENT_ROWS = [
    # Translators: 规章
    ("regulation", _("Government rules")),
    # Translators: 行政规范性文件
    ("normative", _("Administrative normative documents")),
]
DOCUMENT_COLUMNS = [
    # Translators: 本年制发件数
    ("issued", _("Issued this year")),
    # Translators: 本年废止件数
    ("repealed", _("Repealed this year")),
    # Translators: 现行有效件数
    ("in_force", _("In force at year end")),
]
# Rows with one figure: the number of decisions this year (items 5 and 6), the fee amount (item 8).
DECISION_ROWS = [
    # Translators: 行政许可
    ("licensing", _("Administrative licensing"), "5"),
    # Translators: 行政处罚
    ("penalty", _("Administrative penalties"), "6"),
    # Translators: 行政强制
    ("coercion", _("Administrative coercive measures"), "6"),
]
# Figures that are not in the portal's data: staff enter them, generation keeps them.
STAFF_TABLE2_KEYS = ("penalty", "coercion", "fees")


def empty_table2():
    table = {kind: dict.fromkeys([key for key, _label in DOCUMENT_COLUMNS], 0) for kind, _label in DOCUMENT_ROWS}
    table.update({key: 0 for key, _label, _item in DECISION_ROWS})
    # Translators: 行政事业性收费, 本年收费金额（单位：万元）
    table["fees"] = "0"
    return table


# --- Table 四: administrative reconsideration and litigation (entered by staff) ---------

TABLE4_GROUPS = [
    # Translators: 行政复议
    ("reconsideration", _("Administrative reconsideration")),
    # Translators: 行政诉讼 — 未经复议直接起诉
    ("litigation_direct", _("Lawsuits filed directly, without reconsideration")),
    # Translators: 行政诉讼 — 复议后起诉
    ("litigation_after", _("Lawsuits filed after reconsideration")),
]
TABLE4_COLUMNS = [
    # Translators: 结果维持
    ("upheld", _("Upheld")),
    # Translators: 结果纠正
    ("corrected", _("Corrected")),
    # Translators: 其他结果
    ("other", _("Other outcome")),
    # Translators: 尚未审结
    ("pending", _("Not yet concluded")),
    # Translators: 总计
    ("total", _("Total")),
]
TABLE4_ENTERED = [key for key, _label in TABLE4_COLUMNS if key != "total"]


def empty_table4():
    return {group: dict.fromkeys([key for key, _label in TABLE4_COLUMNS], 0) for group, _label in TABLE4_GROUPS}


# --- Aggregation ---------------------------------------------------------------------


def _year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def table2(year, department=None) -> dict:
    """Generated figures of table 二 (documents, licensing decisions); two queries.

    Issued: regulations and normative documents formed in the year and published.
    Repealed: repealed with the change dated in the year.
    In force at year end: formed by then and published, and not repealed (or replaced by a
    new document) by then; an amendment without a replacing document keeps it in force.
    """
    from disclosure.models import Document
    from licensing.models import Application

    start, end = _year_bounds(year)
    documents = Document.objects.filter(kind__in=["regulation", "normative"], published_on__isnull=False)
    decisions = Application.objects.filter(status__in=["approved", "denied"], decided_on__range=(start, end))
    if department is not None:
        documents = documents.filter(department=department)
        decisions = decisions.filter(case__department=department)
    gone = Q(validity="repealed") | Q(validity="amended", replaced_by__isnull=False)
    counts = {}
    for kind in ("regulation", "normative"):
        mine = Q(kind=kind)
        counts[f"{kind}_issued"] = Count("pk", filter=mine & Q(formed_on__range=(start, end)))
        counts[f"{kind}_repealed"] = Count(
            "pk", filter=mine & Q(validity="repealed", validity_changed_on__range=(start, end))
        )
        counts[f"{kind}_in_force"] = Count(
            "pk", filter=mine & Q(formed_on__lte=end) & ~(gone & Q(validity_changed_on__lte=end))
        )
    figures = documents.aggregate(**counts)
    table = {
        kind: {column: figures[f"{kind}_{column}"] for column in ("issued", "repealed", "in_force")}
        for kind in ("regulation", "normative")
    }
    table["licensing"] = decisions.count()
    return table


def _report_row():
    """The row of table 三 a handled request falls in: its reply type, else why it closed (REPORT_ROWS)."""
    from disclosure.models.requests import REPORT_ROWS

    whens = [When(reply_type=key, then=Value(row)) for key, row in REPORT_ROWS.items() if key in _reply_types()]
    whens += [
        When(reply_type="", closed_reason=key, then=Value(row))
        for key, row in REPORT_ROWS.items()
        if key not in _reply_types()
    ]
    # A closure whose reason was not recorded: abandoned means not corrected, anything else "other".
    whens.append(When(reply_type="", status="abandoned", then=Value("3.6.1")))
    return Case(*whens, default=Value("3.6.3"), output_field=CharField())


def _reply_types():
    from disclosure.models.requests import ReplyType

    return set(ReplyType.values)


def table3(year, department=None) -> tuple[dict, dict]:
    """Table 三 and the disclosure fees charged in the year (section six); one query.

    A request counts once it is received (its case has `received_on`, and it is past
    "submitted"), in the year of `received_on`. It is handled on the day of its reply, or
    of its closure without reply (abandoned, withdrawn), and counted in the row of its
    outcome in that year. Not handled by 31 December: carried forward; it is then carried
    over into the next year's report. So 一 + 二 = 三(七) + 四 holds by construction on
    consistent data; `AnnualReport.check_balance` verifies it on what is stored.
    """
    from disclosure.models import DisclosureRequest

    start, end = _year_bounds(year)
    # The day of the case's closure in the portal's time zone (Asia/Shanghai), not UTC.
    handled_on = Coalesce("replied_on", TruncDate("case__closed_at", tzinfo=timezone.get_current_timezone()))
    requests = (
        DisclosureRequest.objects.filter(case__received_on__isnull=False, case__received_on__lte=end)
        .exclude(status="submitted")
        .annotate(handled_on=handled_on)
        .filter(Q(handled_on__isnull=True) | Q(handled_on__gte=start))
    )
    if department is not None:
        requests = requests.filter(case__department=department)
    replied_this_year = Q(replied_on__range=(start, end))
    rows = (
        requests.annotate(row=_report_row())
        .values("applicant_kind", "row")
        .annotate(
            new=Count("pk", filter=Q(case__received_on__gte=start)),
            carried=Count("pk", filter=Q(case__received_on__lt=start)),
            handled=Count("pk", filter=Q(handled_on__lte=end)),
            forward=Count("pk", filter=Q(handled_on__isnull=True) | Q(handled_on__gt=end)),
            fees=Sum("fee_amount", filter=replied_this_year & Q(fee_amount__gt=0)),
            paying=Count("pk", filter=replied_this_year & Q(fee_amount__gt=0)),
        )
        .order_by()
    )
    table = empty_table3()
    fees = {"amount": Decimal("0.00"), "requests": 0}
    for group in rows:
        column = group["applicant_kind"] if group["applicant_kind"] in KIND_COLUMNS else "other_organization"
        for row, count in (("1", group["new"]), ("2", group["carried"]), ("4", group["forward"])):
            table[row][column] += count
        if group["handled"] and group["row"] in table:
            table[group["row"]][column] += group["handled"]
        fees["amount"] += group["fees"] or 0
        fees["requests"] += group["paying"]
    for row in ROW_KEYS:
        if row == "3.7":
            continue
        table[row]["total"] = sum(table[row][column] for column in KIND_COLUMNS)
    for column in COLUMN_KEYS:
        table["3.7"][column] = sum(table[row][column] for row in OUTCOME_ROWS)
    return table, {"amount": str(fees["amount"].quantize(Decimal("0.01"))), "requests": fees["requests"]}
