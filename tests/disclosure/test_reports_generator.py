"""The annual report's tables (Art. 50, form 国办公开办函〔2021〕30号) on hand-computed data.

Requests and cases are made directly with the ORM: the request transitions are not what is tested here.
"""

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civiccenter.cases import Case
from disclosure import annual
from disclosure.models import AnnualReport, Category, DisclosureRequest, Document
from disclosure.models.requests import NEEDS_REASONS
from licensing.models import Application
from tests.licensing.conftest import make_matter

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = count(1)


def local(day, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def make_request(
    department,
    *,
    kind="individual",
    received=None,
    status="received",
    reply="",
    replied=None,
    closed=None,
    closed_reason="",
    fee="0",
):
    """A request as the transitions would leave it: replied and closed on the reply day, or closed without reply."""
    if replied and closed is None:
        closed = local(replied)
    case = Case.objects.create(
        kind="disclosure",
        number=f"YSQ-T-{next(_numbers):06d}",
        contact_name="张三",
        department=department,
        status=status,
        received_on=received,
        closed_at=closed,
    )
    return DisclosureRequest.objects.create(
        case=case,
        status=status,
        applicant_kind=kind,
        applicant_name="张三",
        id_type="resident_id",
        id_number="110101199003074477",
        contact_phone="13800138000",
        description="请公开2025年度食品安全抽检结果。",
        form_wanted="download",
        delivery="online",
        reply_type=reply,
        reply_reasons="涉及第三方商业秘密。" if reply in NEEDS_REASONS else "",
        replied_on=replied,
        closed_reason=closed_reason,
        fee_schedule="items" if Decimal(fee) else "",
        fee_amount=Decimal(fee),
    )


def make_request_set(scjg, mz):
    """The 19 requests of the hand-computed tables below; the comments say where each one counts."""
    d = date
    # Received in 2024, replied in 2025: carried over into 2025 (row 二).
    make_request(scjg, received=d(2024, 11, 20), status="replied", reply="disclosed", replied=d(2025, 1, 8))
    make_request(
        scjg, kind="business", received=d(2024, 12, 25), status="replied", reply="partial", replied=d(2025, 1, 20)
    )
    # Received and replied in 2024: not in the 2025 report at all.
    make_request(scjg, received=d(2024, 6, 1), status="replied", reply="disclosed", replied=d(2024, 6, 20))
    # Received and handled in 2025.
    make_request(scjg, received=d(2025, 3, 3), status="replied", reply="already_published", replied=d(2025, 3, 20))
    make_request(scjg, received=d(2025, 4, 1), status="replied", reply="withheld_third_party", replied=d(2025, 4, 25))
    make_request(
        scjg, kind="research", received=d(2025, 5, 6), status="replied", reply="not_held", replied=d(2025, 5, 30)
    )
    make_request(
        scjg, kind="legal_services", received=d(2025, 6, 2), status="replied", reply="repeat", replied=d(2025, 6, 10)
    )
    make_request(
        scjg,
        kind="public_interest",
        received=d(2025, 7, 1),
        status="abandoned",
        closed=local(d(2025, 7, 25)),
        closed_reason="abandoned_no_correction",
    )
    make_request(
        scjg, received=d(2025, 8, 4), status="withdrawn", closed=local(d(2025, 8, 10)), closed_reason="withdrawn"
    )
    make_request(
        scjg,
        kind="other_organization",
        received=d(2025, 9, 1),
        status="replied",
        reply="disclosed",
        replied=d(2025, 9, 19),
        fee="100.00",
    )
    make_request(
        scjg,
        kind="business",
        received=d(2025, 10, 13),
        status="replied",
        reply="withheld_process",
        replied=d(2025, 10, 31),
    )
    # Abandoned at 23:30 on 31 December, Beijing time (15:30 UTC): handled in 2025.
    make_request(
        scjg,
        received=d(2025, 11, 3),
        status="abandoned",
        closed=local(d(2025, 12, 31), 23, 30),
        closed_reason="abandoned_no_correction",
    )
    # Received in 2025, handled in 2026 or still open: carried forward (row 四), then carried over into 2026.
    make_request(
        scjg, received=d(2025, 12, 22), status="replied", reply="disclosed", replied=d(2026, 1, 9), fee="20.00"
    )
    make_request(scjg, kind="business", received=d(2025, 12, 29), status="consulting")
    # Withdrawn at 00:30 on 1 January 2026 Beijing time (still 31 December in UTC): handled in 2026.
    make_request(
        scjg,
        received=d(2025, 11, 10),
        status="withdrawn",
        closed=local(d(2026, 1, 1), 0, 30),
        closed_reason="withdrawn",
    )
    # Never received (awaiting confirmation, or withdrawn before it): not counted anywhere.
    make_request(scjg, status="submitted")
    make_request(scjg, status="withdrawn", closed=local(d(2025, 10, 10)), closed_reason="withdrawn")
    # Another department: only in the district's report.
    make_request(mz, received=d(2025, 2, 10), status="replied", reply="disclosed", replied=d(2025, 3, 5), fee="50.00")
    make_request(mz, kind="business", received=d(2024, 12, 30), status="received")


def table(rows):
    """The full table 三 from the non-zero rows written by hand (each with its total column)."""
    full = annual.empty_table3()
    for row, cells in rows.items():
        full[row].update(cells)
    return full


# Written by hand from the comments in make_request_set.
SCJG_2025 = table(
    {
        "1": {
            "individual": 6,
            "business": 2,
            "research": 1,
            "public_interest": 1,
            "legal_services": 1,
            "other_organization": 1,
            "total": 12,
        },
        "2": {"individual": 1, "business": 1, "total": 2},
        "3.1": {"individual": 2, "other_organization": 1, "total": 3},
        "3.2": {"business": 1, "total": 1},
        "3.3.4": {"individual": 1, "total": 1},
        "3.3.6": {"business": 1, "total": 1},
        "3.4.1": {"research": 1, "total": 1},
        "3.5.2": {"legal_services": 1, "total": 1},
        "3.6.1": {"individual": 1, "public_interest": 1, "total": 2},
        "3.6.3": {"individual": 1, "total": 1},
        "3.7": {
            "individual": 5,
            "business": 2,
            "research": 1,
            "public_interest": 1,
            "legal_services": 1,
            "other_organization": 1,
            "total": 11,
        },
        "4": {"individual": 2, "business": 1, "total": 3},
    }
)
SCJG_2026 = table(
    {
        "2": {"individual": 2, "business": 1, "total": 3},
        "3.1": {"individual": 1, "total": 1},
        "3.6.3": {"individual": 1, "total": 1},
        "3.7": {"individual": 2, "total": 2},
        "4": {"business": 1, "total": 1},
    }
)
SCJG_2024 = table(
    {
        "1": {"individual": 2, "business": 1, "total": 3},
        "3.1": {"individual": 1, "total": 1},
        "3.7": {"individual": 1, "total": 1},
        "4": {"individual": 1, "business": 1, "total": 2},
    }
)


@pytest.fixture
def requests_2025(department, other_department):
    make_request_set(department, other_department)


@pytest.mark.django_db
def test_table3_of_a_department_matches_the_hand_computed_table(department, requests_2025):
    """Art. 50: every row and column of table 三, carried over from 2024 and forward into 2026."""
    rows, fees = annual.table3(2025, department)
    assert rows == SCJG_2025
    # Section six: fees of the requests replied in 2025 (the 20 yuan replied in 2026 are not).
    assert fees == {"amount": "100.00", "requests": 1}


@pytest.mark.django_db
def test_table3_carries_forward_into_the_next_year_and_over_from_the_last(department, requests_2025):
    """Row 四 of one year is row 二 of the next."""
    assert annual.table3(2026, department)[0] == SCJG_2026
    assert annual.table3(2024, department)[0] == SCJG_2024
    assert SCJG_2024["4"] == {**SCJG_2025["2"]}
    assert SCJG_2025["4"] == SCJG_2026["2"]
    assert annual.table3(2026, department)[1] == {"amount": "20.00", "requests": 1}


@pytest.mark.django_db
def test_table3_of_the_district_adds_every_department(department, other_department, requests_2025):
    rows, fees = annual.table3(2025)
    expected = table(
        {
            **{key: dict(value) for key, value in SCJG_2025.items()},
        }
    )
    for row, column in (("1", "individual"), ("3.1", "individual"), ("3.7", "individual")):
        expected[row][column] += 1
        expected[row]["total"] += 1
    for row in ("2", "4"):
        expected[row]["business"] += 1
        expected[row]["total"] += 1
    assert rows == expected
    assert fees == {"amount": "150.00", "requests": 2}
    assert annual.table3(2025, other_department)[0]["2"]["business"] == 1


@pytest.mark.django_db
def test_balance_holds_column_by_column_on_the_generated_report(department, requests_2025):
    """The check printed on the form: 一 + 二 = 三(七) + 四, in every column."""
    report = AnnualReport.generate(2025, department)
    assert report.table3["rows"] == SCJG_2025
    assert report.check_balance() == []
    for column in annual.COLUMN_KEYS:
        rows = report.table3["rows"]
        assert rows["1"][column] + rows["2"][column] == rows["3.7"][column] + rows["4"][column]


@pytest.mark.django_db
def test_every_reply_type_and_closure_has_its_row(department):
    from disclosure.models.requests import REPORT_ROWS, ReplyType

    for reply in ReplyType.values:
        make_request(department, received=date(2025, 3, 2), status="replied", reply=reply, replied=date(2025, 3, 9))
    for reason in ("abandoned_no_correction", "abandoned_no_fee", "withdrawn"):
        status = "withdrawn" if reason == "withdrawn" else "abandoned"
        make_request(
            department, received=date(2025, 3, 2), status=status, closed=local(date(2025, 3, 9)), closed_reason=reason
        )
    rows, _fees = annual.table3(2025, department)
    expected = {}
    for row in REPORT_ROWS.values():
        expected[row] = expected.get(row, 0) + 1
    assert {row: rows[row]["individual"] for row in annual.OUTCOME_ROWS if rows[row]["individual"]} == expected
    assert rows["3.7"]["total"] == len(ReplyType.values) + 3 == rows["1"]["total"]


@pytest.mark.django_db
def test_table3_costs_one_query_whatever_the_number_of_requests(
    department, other_department, django_assert_num_queries
):
    make_request_set(department, other_department)
    with CaptureQueriesContext(connection) as few:
        annual.table3(2025)
    make_request_set(department, other_department)
    make_request_set(department, other_department)
    with django_assert_num_queries(len(few.captured_queries)):
        rows, _fees = annual.table3(2025)
    assert len(few.captured_queries) == 1
    assert rows["3.7"]["total"] == 3 * 12


@pytest.mark.django_db
def test_generate_costs_a_fixed_number_of_queries(department, other_department, django_assert_num_queries):
    make_request_set(department, other_department)
    make_documents(department, other_department)
    AnnualReport.generate(2025, department)  # creates the row; the refreshes below are what staff repeat
    with CaptureQueriesContext(connection) as few:
        AnnualReport.generate(2025, department)
    make_request_set(department, other_department)
    make_documents(department, other_department, suffix="b")
    with django_assert_num_queries(len(few.captured_queries)):
        report = AnnualReport.generate(2025, department)
    assert report.table3["rows"]["3.7"]["total"] == 2 * 11
    assert report.table2["normative"]["issued"] == 2 * 2


# --- Table 二 ---------------------------------------------------------------------------------------


def make_document(department, kind, formed, *, published=True, validity="in_force", changed=None, replaced_by=None):
    n = next(_numbers)
    return Document.objects.create(
        index_number=f"{department.code}/{formed.year}-{n:05d}" if published else None,
        title=f"关于规范市场经营秩序的通知（{n}）",
        document_number=f"示市监〔{formed.year}〕{n}号",
        department=department,
        category=Category.objects.get(code="20-1"),
        kind=kind,
        formed_on=formed,
        published_on=formed if published else None,
        summary="规范市场经营秩序。",
        validity=validity,
        validity_changed_on=changed,
        replaced_by=replaced_by,
    )


def make_documents(scjg, mz, suffix=""):
    d = date
    make_document(scjg, "regulation", d(2025, 3, 1))  # issued 2025, in force
    make_document(scjg, "regulation", d(2019, 5, 1), validity="repealed", changed=d(2025, 6, 30))  # repealed 2025
    make_document(scjg, "normative", d(2023, 1, 5))  # in force
    new = make_document(scjg, "normative", d(2025, 11, 1))  # issued 2025, in force
    make_document(scjg, "normative", d(2025, 7, 1), validity="amended", changed=d(2025, 11, 1), replaced_by=new)
    make_document(scjg, "normative", d(2025, 12, 20), published=False)  # a draft: not counted
    make_document(scjg, "normative", d(2024, 2, 1), validity="amended", changed=d(2025, 9, 1))  # amended in place
    make_document(
        scjg, "normative", d(2022, 8, 8), validity="repealed", changed=d(2026, 2, 1)
    )  # repealed after year end
    make_document(scjg, "other", d(2025, 5, 5))  # not a rule or normative document
    make_document(mz, "normative", d(2025, 4, 1))


@pytest.mark.django_db
def test_table2_counts_rules_and_normative_documents(department, other_department):
    """Art. 20(1): issued this year / repealed this year / in force at year end."""
    make_documents(department, other_department)
    table2 = annual.table2(2025, department)
    assert table2["regulation"] == {"issued": 1, "repealed": 1, "in_force": 1}
    # Issued: the amended one and its replacement; in force: 2023, the replacement, amended in place, repealed in 2026.
    assert table2["normative"] == {"issued": 2, "repealed": 0, "in_force": 4}
    assert annual.table2(2025)["normative"] == {"issued": 3, "repealed": 0, "in_force": 5}
    assert annual.table2(2024, department)["regulation"] == {"issued": 0, "repealed": 0, "in_force": 1}
    assert annual.table2(2026, department)["normative"] == {"issued": 0, "repealed": 1, "in_force": 3}


def decided_application(matter, status, decided_on):
    n = next(_numbers)
    case = Case.objects.create(
        kind="licensing", number=f"XK-T-{n:06d}", contact_name="李四", department=matter.department, status=status
    )
    return Application.objects.create(
        version=matter.current_version,
        case=case,
        status=status,
        applicant_name="李四",
        contact_phone="13900139000",
        decided_on=decided_on,
        denial_reason="不符合条件。" if status == "denied" else "",
        accepted_on=decided_on if status == "accepted" else None,
    )


@pytest.mark.django_db
def test_table2_counts_licensing_decisions_of_the_year(department, other_department):
    """Art. 20(5): licensing decisions (approved or denied) taken this year, by the deciding department."""
    matter = make_matter(department)
    decided_application(matter, "approved", date(2025, 1, 2))
    decided_application(matter, "denied", date(2025, 12, 31))
    decided_application(matter, "approved", date(2024, 12, 31))
    decided_application(matter, "accepted", date(2025, 5, 5))  # not decided yet
    other = make_matter(other_department, code="XK-MZ-001", name="社会团体成立登记")
    decided_application(other, "approved", date(2025, 6, 1))
    assert annual.table2(2025, department)["licensing"] == 2
    assert annual.table2(2025)["licensing"] == 3


@pytest.mark.django_db
def test_generate_keeps_staff_figures_and_refreshes_the_data(department):
    report = AnnualReport.generate(2025, department)
    assert report.table2["licensing"] == 0 and report.table2["penalty"] == 0
    table4 = {"reconsideration": {"upheld": 2, "corrected": 1, "other": 0, "pending": 1}}
    report.set_staff_figures(penalty=37, coercion=4, fees=Decimal("1.25"), table4=table4)
    report.overview = "2025年，本局认真贯彻落实《条例》。"
    report.save()
    make_request(department, received=date(2025, 5, 6), status="replied", reply="disclosed", replied=date(2025, 5, 8))
    again = AnnualReport.generate(2025, department)
    assert again.pk == report.pk
    assert again.table2["penalty"] == 37 and again.table2["coercion"] == 4 and again.table2["fees"] == "1.25"
    assert again.table4["reconsideration"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
    assert again.table3["rows"]["3.1"]["total"] == 1
    assert again.overview.startswith("2025年")
    assert AnnualReport.objects.count() == 1


@pytest.mark.django_db
def test_district_and_department_reports_are_distinct_rows(department):
    district = AnnualReport.generate(2025)
    mine = AnnualReport.generate(2025, department)
    assert district.pk != mine.pk and district.department is None
    assert AnnualReport.generate(2025).pk == district.pk  # one per year and scope, the district too
    assert (district.deadline, mine.deadline) == (date(2026, 3, 31), date(2026, 1, 31))
