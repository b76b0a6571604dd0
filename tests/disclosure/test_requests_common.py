"""Helpers shared by the tests of disclosure requests (no tests here)."""

from datetime import date

from civiccenter import roles
from disclosure.models.requests import DisclosureRequest
from tests.conftest import make_staff

# 2026 calendar (civiccenter/migrations/0004): Mid-Autumn Fri 25 - Sun 27 Sep, National Day Thu 1 - Wed 7 Oct;
# Sun 20 Sep and Sat 10 Oct are working days.
MON_14_SEP = date(2026, 9, 14)
FRI_18_SEP = date(2026, 9, 18)
THU_24_SEP = date(2026, 9, 24)

PERSON = {
    "applicant_kind": "individual",
    "applicant_name": "张明",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "contact_phone": "13800138000",
    "contact_email": "zhang@example.cn",
    "info_title": "示范区2025年老旧小区改造项目清单",
    "description": "请提供2025年度本区老旧小区改造项目的名单、投资金额和施工单位。",
    "form_wanted": "email",
    "delivery": "email",
}


def online(applicant, department, today=FRI_18_SEP, **fields):
    """A request filed online by `applicant` (submitted, not yet received)."""
    return DisclosureRequest.submit_online(by=applicant, department=department, today=today, **{**PERSON, **fields})


def registered(clerk, department, received_on=FRI_18_SEP, channel="window", basis="in_person", **fields):
    """A request registered by a clerk for a caller without an account: received on `received_on`."""
    return DisclosureRequest.register(
        by=clerk,
        department=department,
        channel=channel,
        receipt_basis=basis,
        received_on=received_on,
        **{**PERSON, **fields},
    )


def received(applicant, clerk, department, on=FRI_18_SEP, **fields):
    request = online(applicant, department, today=on, **fields)
    request.confirm(by=clerk, today=on)
    return request


def clerk_of(department, email="clerk@example.cn"):
    return make_staff(email, roles.WINDOW_CLERK, department)


def head_of(department, email="head@example.cn"):
    return make_staff(email, roles.DEPARTMENT_HEAD, department, full_name="陈志强")
