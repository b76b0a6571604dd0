"""Demo catalogue: real licensing matters of a district, with materials and sample forms.

Called by `manage.py seed_demo`; creates only what is missing.
"""

from decimal import Decimal

from django.core.files.base import ContentFile

import demo
from civiccenter.lib import clock
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import Department
from licensing.models import LifeEvent, Material, Matter

_DATA = demo.load("licensing", "matters")
_MATERIAL = ("name", "name_en", "required", "form", "copies", "note", "note_en")
_MATTER = (
    "code",
    "department",
    "name",
    "name_en",
    "audience",
    "life_events",
    "basis",
    "statutory_days",
    "promised_days",
    "on_the_spot",
    "hearing",
    "joint",
    "fee",
    "fee_basis",
)


def _material(row):
    return tuple(row[key] for key in _MATERIAL)


LIFE_EVENTS = [(row["slug"], row["name"], row["name_en"]) for row in _DATA["life_events"]]
APPLICATION, LICENCE_ID, ID_PROOF, SITE, PROXY = (
    _material(_DATA["common_materials"][key]) for key in ("application", "licence_id", "id_proof", "site", "proxy")
)
# (code, department, name, English name, audience, life events, basis, statutory, promised, on the spot, hearing,
# joint, fee, fee basis, extra materials)
MATTERS = [(*(row[key] for key in _MATTER), [_material(m) for m in row["materials"]]) for row in _DATA["matters"]]
CONDITIONS, CONDITIONS_EN = _DATA["conditions"], _DATA["conditions_en"]
PROCEDURE, PROCEDURE_EN = _DATA["procedure"], _DATA["procedure_en"]


def _material_rows(extra):
    return [APPLICATION, LICENCE_ID, ID_PROOF, SITE, *extra, PROXY]


def seed(*, by=None) -> int:
    created = 0
    events = {}
    for order, (slug, name, name_en) in enumerate(LIFE_EVENTS, start=1):
        events[slug], new = LifeEvent.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "order": order * 10}
        )
        created += new
    departments = {department.code: department for department in Department.objects.all()}
    for order, row in enumerate(MATTERS, start=1):
        (
            code,
            dept,
            name,
            name_en,
            audience,
            event_slugs,
            basis,
            statutory,
            promised,
            spot,
            hearing,
            joint,
            fee,
            fee_basis,
            extra,
        ) = row
        if Matter.objects.filter(code=code).exists() or dept not in departments:
            continue
        matter = Matter.objects.create(
            code=code, department=departments[dept], name=name, name_en=name_en, audience=audience, order=order * 10
        )
        matter.life_events.set([events[slug] for slug in event_slugs])
        version = matter.start_new_version(by=by)
        version.legal_basis, version.legal_basis_en = basis, ""
        version.conditions, version.conditions_en = CONDITIONS, CONDITIONS_EN
        version.procedure, version.procedure_en = PROCEDURE, PROCEDURE_EN
        version.statutory_limit, version.promised_limit = statutory, promised
        version.on_the_spot, version.hearing_possible, version.joint_handling = spot, hearing, joint
        version.fee, version.fee_basis = Decimal(fee), fee_basis
        version.save()
        for index, (m_name, m_name_en, required, form, copies, notes, notes_en) in enumerate(_material_rows(extra)):
            material = Material(
                version=version,
                name=m_name,
                name_en=m_name_en,
                required=required,
                form=form,
                copies=copies,
                notes=notes,
                notes_en=notes_en,
                order=index * 10,
            )
            if index == 0:
                title = f"{name}{m_name}"
                blank = [
                    "申请人（单位）名称：",
                    "统一社会信用代码：",
                    "法定代表人：",
                    "联系电话：",
                    "经营场所：",
                    "申请事项：" + name,
                    "",
                    "申请人签字（盖章）：",
                    "日期：",
                ]
                material.blank_form = ContentFile(text_pdf(title + "（空白）", blank), name="blank.pdf")
                sample = [
                    "申请人（单位）名称：示范区某某餐饮管理有限公司",
                    "统一社会信用代码：91330100MA2XXXXXX",
                    "法定代表人：张某",
                    "联系电话：138****0000",
                    "经营场所：示范区人民大道 1 号",
                    "申请事项：" + name,
                    "",
                    "申请人签字（盖章）：张某",
                    "日期：2026年11月1日",
                ]
                material.sample = ContentFile(text_pdf(title + "（示范文本）", sample), name="sample.pdf")
            material.save()
        version.publish(by=by)
        created += 1
    return created


def seed_applications(citizen, organization, clerk) -> int:
    """Applications in every status, for the demo accounts; only when none exist yet."""
    from datetime import timedelta

    from licensing.models import Application, ApplicationFile

    if Application.objects.exists() or citizen is None or organization is None:
        return 0
    today = clock.today()
    matters = {m.code: m for m in Matter.objects.published().select_related("current_version")}

    def new(code, user, name, **fields):
        version = matters[code].current_version
        application = Application.objects.create(
            version=version,
            applicant=user,
            applicant_name=name,
            contact_phone=user.phone or "13800138000",
            declaration=True,
            **fields,
        )
        for material in version.materials.filter(required=True):
            ApplicationFile.objects.create(
                application=application,
                material=material,
                file=ContentFile(text_pdf(material.name, [name, version.matter.name]), name="material.pdf"),
            )
        return application

    person = {"applicant_type": "individual", "id_number": "11010519491231002X"}
    company = {"applicant_type": "organization", "credit_code": "91310115MA1K3BTP2B"}
    # A draft, still being filled in.
    Application.objects.create(
        version=matters["XK-WGL-002"].current_version,
        applicant=citizen,
        applicant_name=citizen.full_name,
        contact_phone=citizen.phone,
        **person,
    )
    # Submitted today, waiting for acceptance.
    # Submitted today to market regulation, where the demo clerk works: ready to decide on.
    new("XK-SCJG-001", organization, "示范区悦来餐饮管理有限公司", **company).submit(by=organization, today=today)
    new("XK-SCJG-003", citizen, citizen.full_name, **person).submit(by=citizen, today=today)
    # Correction requested.
    asked = new("XK-WJ-001", organization, "示范区悦来餐饮管理有限公司", **company)
    asked.submit(by=organization, today=today - timedelta(days=3))
    material = asked.version.materials.first()
    asked.request_correction(by=clerk, items=[(material, "申请书缺少法定代表人签字")], today=today - timedelta(days=2))
    # Corrected and sent back.
    corrected = new("XK-SCJG-002", organization, "示范区悦来餐饮管理有限公司", **company)
    corrected.submit(by=organization, today=today - timedelta(days=6))
    corrected.request_correction(
        by=clerk, items=[(corrected.version.materials.first(), "生产工艺流程图不清晰")], today=today - timedelta(days=5)
    )
    corrected.resubmit(by=organization, today=today - timedelta(days=1))
    # Accepted by the clerk.
    accepted = new("XK-ZJ-003", organization, "示范区悦来餐饮管理有限公司", **company)
    accepted.submit(by=organization, today=today - timedelta(days=4))
    accepted.accept(by=clerk, today=today - timedelta(days=2))
    # Not accepted.
    refused = new("XK-JY-002", citizen, citizen.full_name, **person)
    refused.submit(by=citizen, today=today - timedelta(days=3))
    refused.refuse(by=clerk, reason="该培训项目属于市级审批事项，不属于本区职权范围。", competent_organ="市教育局")
    # Left unanswered for 5 working days: accepted by law (Art. 32) when the sweep runs.
    silent = new("XK-MZ-001", organization, "示范区邻里互助协会（筹）", **company)
    silent.submit(by=organization, today=today - timedelta(days=30))
    silent.deem_accepted(today=today)  # 30 days always hold 5 working days, even across Spring Festival
    return 8


def seed_slots(citizen) -> int:
    """Window times for the coming two weeks (working days, 9:00-11:30), with a few bookings; only if none exist."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from civiccenter.models import CalendarDay
    from licensing.models import Appointment, WindowSlot

    if WindowSlot.objects.exists():
        return 0
    calendar = CalendarDay.objects.work_calendar()
    today = clock.today()
    slots = []
    for department in Department.objects.filter(matters__current_version__isnull=False).distinct():
        window = department.window_location or "1号窗口"
        for offset in range(1, 15):
            day = today + timedelta(days=offset)
            if not calendar.is_working_day(day):
                continue
            for minutes in range(0, 180, 30):
                start = datetime.combine(day, time(9, 0)) + timedelta(minutes=minutes)
                slots.append(
                    WindowSlot(department=department, window=window, starts_at=timezone.make_aware(start), capacity=2)
                )
    WindowSlot.objects.bulk_create(slots)
    booked = 0
    if citizen is not None:
        matter = Matter.objects.published().filter(code="XK-SCJG-001").first()
        for slot in WindowSlot.objects.filter(department=matter.department).order_by("starts_at")[:2] if matter else []:
            Appointment.book(slot=slot, matter=matter, by=citizen)
            booked += 1
    return len(slots) + booked


def seed_review(organization, clerk, head) -> int:
    """Applications further on (under review, extended, suspended, approved, denied) and a licence near expiry."""
    from datetime import timedelta

    from licensing.models import Application, Licence

    if Licence.objects.exists() or None in (organization, clerk, head):
        return 0
    today = clock.today()
    company = {
        "applicant_type": "organization",
        "credit_code": "91310115MA1K3BTP2B",
        "applicant_name": "示范区悦来餐饮管理有限公司",
        "contact_phone": organization.phone or "13900139000",
        "declaration": True,
    }

    def accepted(code, days_ago):
        matter = Matter.objects.get(code=code)
        application = Application.objects.create(version=matter.current_version, applicant=organization, **company)
        application.submit(by=organization, today=today - timedelta(days=days_ago))
        application.accept(by=clerk, today=today - timedelta(days=days_ago))
        return application

    accepted("XK-SCJG-002", 3)  # under review, on time
    accepted("XK-SCJG-003", 35)  # under review and overdue: red in any supervision list
    extended = accepted("XK-WJ-002", 30)
    extended.extend(by=head, reason="需对两处执业场所进行现场核查", today=today - timedelta(days=2))
    suspended = accepted("XK-WJ-003", 10)
    suspended.suspend(by=clerk, kind="testing", expected_days=10, today=today - timedelta(days=3))
    approved = accepted("XK-ZJ-002", 12)
    approved.approve(
        by=clerk, scope="建筑垃圾运输与消纳", valid_until=today + timedelta(days=365), today=today - timedelta(days=1)
    )
    near_expiry = accepted("XK-WGL-001", 40)
    near_expiry.approve(
        by=clerk, scope="歌舞娱乐场所经营", valid_until=today + timedelta(days=45), today=today - timedelta(days=20)
    )
    denied = accepted("XK-STHJ-001", 15)
    denied.deny(by=clerk, reasons="项目选址位于饮用水水源保护区，不符合环境准入要求。", today=today - timedelta(days=1))
    return 7


def seed_ratings() -> int:
    """Ratings of closed cases, one poor one with its follow-up; only if none exist."""
    from civiccenter.cases import Case, Rating

    if Rating.objects.exists():
        return 0
    closed = list(
        Case.objects.filter(closed_at__isnull=False, kind="licensing", applicant__isnull=False).order_by("pk")
    )
    levels = [5, 2, 4, 3, 1]
    for case, level in zip(closed, levels, strict=False):
        Rating.give(
            case=case, level=level, comment={1: "等待时间过长", 2: "材料要求说明不清"}.get(level, ""), by=case.applicant
        )
    return min(len(closed), len(levels))


def seed_all(stdout=None) -> int:
    """The licensing part of `seed_demo`: the catalogue, applications in every state, reviews, ratings, window times."""
    from civiccenter.models import User

    def account(name):
        return User.objects.filter(email=f"{name}@demo.civiccenter.example").first()

    created = seed(by=account("admin"))
    created += seed_applications(citizen=account("citizen"), organization=account("ngo"), clerk=account("clerk"))
    created += seed_review(organization=account("ngo"), clerk=account("clerk"), head=account("head"))
    created += seed_ratings()
    created += seed_slots(citizen=account("citizen"))
    return created
