"""Demo data for hearings. Idempotent: `seed()` adds only what is missing.

An upcoming price hearing with registrations over quota (registration open), a
hearing held three weeks ago with its draw, list, materials, signed record,
report and decision, and a licensing hearing on a demo application under
review (XK-SCJG-002), requested and scheduled, its licensing clock stopped.
"""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.lib import clock
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import Department, User

UPCOMING = "示范区管道天然气销售价格调整听证会"
PAST = "示范区城市公共交通票价调整听证会"

NAMES = demo.load("hearings", "hearings")["names"]
# The past price hearing's hearers (name, role, presiding) and its table of main opinions (opinion, adopted, reason).
HEARERS = [(h["name"], h["role"], h.get("presiding", False)) for h in demo.load("hearings", "hearings")["hearers"]]
OPINIONS = [(o["opinion"], o["adopted"], o["reason"]) for o in demo.load("hearings", "hearings")["opinions"]]
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def resident_id(index, area="330106"):
    """A valid GB 11643 number for the demo's people (adults born 1983-1999; the area code must exist in the birth year)."""
    body = f"{area}{1983 + index % 17}{1 + index % 12:02d}{1 + index % 28:02d}{(index * 7) % 1000:03d}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, WEIGHTS, strict=True)) % 11]


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _people(count, start):
    people = []
    for i in range(count):
        index = start + i
        user, _created = User.objects.get_or_create(
            email=f"hearing{index:02d}@demo.civiccenter.example",
            defaults={
                "full_name": NAMES[index % len(NAMES)],
                "phone": f"1370000{index:04d}",
                "email_confirmed_at": clock.now(),
            },
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append((index, user))
    return people


def _categories(hearing, rows):
    from hearings.models import HearingCategory

    for order, (name, name_en, quota, consumer, residents) in enumerate(rows):
        HearingCategory.objects.create(
            hearing=hearing,
            name=name,
            name_en=name_en,
            quota=quota,
            is_consumer=consumer,
            residents_only=residents,
            order=order,
        )


def _register(hearing, counts, start, today):
    from hearings.models import HearingRegistration

    statements = [
        "家中老人多，希望保留阶梯气价的第一档用量。",
        "建议同步公开企业的成本监审报告。",
        "调价幅度宜分步实施，给居民适应时间。",
        "希望对低保家庭给予补贴。",
        "",
    ]
    index = start
    for category, count in zip(hearing.categories.order_by("order"), counts, strict=True):
        for number, user in _people(count, index):
            HearingRegistration.register(
                hearing=hearing,
                category=category,
                by=user,
                name=user.full_name,
                id_number=resident_id(number),
                contact=user.phone,
                statement=statements[number % len(statements)],
                publish_consent=number % 3 != 0,
                today=today,
            )
        index += count
    return index


@transaction.atomic
def seed_upcoming(department, staff, today):
    from hearings.models import Hearing

    if Hearing.objects.filter(matter=UPCOMING).exists():
        return 0
    announced = today - timedelta(days=2)
    hearing = Hearing.objects.create(
        kind=Hearing.Kind.PRICE,
        matter=UPCOMING,
        matter_en="Hearing on the adjustment of piped natural gas prices in the Model District",
        department=department,
        starts_at=at(today + timedelta(days=45), 9),
        place="示范区市民服务中心三楼听证厅",
        description=(
            "受区人民政府委托，区市场监督管理局拟对居民管道天然气销售价格进行调整。"
            "方案一：第一档气价由每立方米2.53元调整为2.68元；方案二：调整为2.63元，同时将第一档年用气量由360立方米提高至400立方米。"
            "第二、三档价格按1:1.2:1.5的比价关系相应调整。"
        ),
        selection_method=(
            "消费者参加人通过自愿报名、随机抽取产生，不少于参加人总数的五分之二；经营者、专家学者和其他利害关系人参加人由报名产生，"
            "报名人数超过名额时同样随机抽取。抽签的随机种子、候选名单哈希值和抽签过程在本页公开，任何人可复核。"
        ),
        registration_opens=announced,
        registration_closes=today + timedelta(days=20),
        observer_places=10,
        presiding_officer=staff["head"],
        materials_summary="定价成本监审报告、两套调价方案及测算说明。",
    )
    _categories(
        hearing,
        [
            ("消费者", "Consumers", 6, True, True),
            ("经营者", "Business operators", 3, False, False),
            ("专家学者", "Experts", 2, False, False),
            ("其他利害关系人", "Other interested parties", 1, False, False),
        ],
    )
    hearing.announce(by=staff["reviewer"], today=announced)
    _register(hearing, (10, 4, 3, 1), 0, today)
    return 1


@transaction.atomic
def seed_past(department, staff, today):
    from hearings.models import Hearer, Hearing, OpinionAdoption

    if Hearing.objects.filter(matter=PAST).exists():
        return 0
    held = today - timedelta(days=21)
    announced = held - timedelta(days=40)
    hearing = Hearing.objects.create(
        kind=Hearing.Kind.PRICE,
        matter=PAST,
        matter_en="Hearing on the adjustment of public bus fares in the Model District",
        department=department,
        starts_at=at(held, 14),
        place="示范区市民服务中心三楼听证厅",
        description="拟将城区公交普通线路票价由1元调整为1.5元，空调线路由2元调整为2元不变，同时推出月票优惠。",
        selection_method="消费者参加人自愿报名、随机抽取产生；经营者和专家学者由报名产生，超过名额时随机抽取。",
        registration_opens=announced,
        registration_closes=announced + timedelta(days=12),
        observer_places=8,
        presiding_officer=staff["head"],
        materials_summary="公交企业成本监审报告、票价调整方案、财政补贴测算。",
    )
    _categories(
        hearing,
        [
            ("消费者", "Consumers", 5, True, True),
            ("经营者", "Business operators", 2, False, False),
            ("专家学者", "Experts", 2, False, False),
        ],
    )
    hearing.announce(by=staff["reviewer"], today=announced)
    _register(hearing, (8, 2, 3), 40, announced + timedelta(days=3))
    hearing.close_registration(by=staff["reviewer"], today=announced + timedelta(days=13))
    hearing.draw(by=staff["reviewer"])
    # NDRC Order 21: the hearers are published with the participant list, 15 days or more before the hearing.
    for order, (name, role, presiding) in enumerate(HEARERS):
        Hearer.objects.create(hearing=hearing, name=name, role=role, presiding=presiding, order=order)
    hearing.publish_list(by=staff["reviewer"], today=held - timedelta(days=20))
    hearing.send_materials(by=staff["reviewer"], today=held - timedelta(days=18))
    # At the opening, the attendance against the quorum (two thirds of the list).
    hearing.open_session(by=staff["head"], present=hearing.selected().count(), today=held)
    for order, (opinion, adopted, reason) in enumerate(OPINIONS):
        OpinionAdoption.objects.create(hearing=hearing, opinion=opinion, adopted=adopted, reason=reason, order=order)
    record = text_pdf(
        "示范区城市公共交通票价调整听证会笔录",
        ["听证时间：" + held.isoformat() + " 14:00", "主持人：陈志强", "参加人9人到会，均已在笔录上签字确认。"],
    )
    hearing.conclude(
        by=staff["head"],
        record=ContentFile(record, name="record.pdf"),
        record_signed=True,
        signed_by=list(hearing.hearers.all()),
        report=(
            "9名参加人中，7人同意调整普通线路票价，但多数建议同步推出月票和换乘优惠；2名消费者代表反对调价，"
            "认为应加大财政补贴。专家学者认为企业成本数据真实，调价幅度在合理区间。"
        ),
        decision="普通线路票价调整为1.5元，自下月1日起执行；同时推出60元月票，老年人、学生继续享受免费或半价乘车。",
        adoption=(
            "1. 同步推出月票优惠（采纳，多名参加人提出）；2. 换乘90分钟内第二次乘车免费（采纳）；"
            "3. 维持原票价、由财政全额补贴（未采纳：补贴已占运营成本四成，继续扩大不可持续）。"
        ),
        today=held + timedelta(days=3),
    )
    return 1


@transaction.atomic
def seed_licensing(staff, today):
    from hearings.models import Hearing
    from licensing.models import Application

    application = (
        Application.objects.filter(version__matter__code="XK-SCJG-002", status=Application.Status.ACCEPTED)
        .select_related("case")
        .first()
    )
    if application is None or Hearing.objects.filter(application=application).exists():
        return 0
    hearing = Hearing.notify_right_to_hearing(
        application=application,
        by=staff["reviewer"],
        reviewing_officer=staff["reviewer"],
        interested_parties="同楼居民代表周女士、相邻商户示范区益康药房",
        today=today - timedelta(days=2),
    )
    hearing.request_hearing(by=application.applicant, today=today - timedelta(days=1))
    hearing.schedule(
        by=staff["reviewer"],
        starts_at=at(today + timedelta(days=10), 10),
        place="示范区市民服务中心二楼第二听证室",
        presiding_officer=staff["head"],
        today=today,
    )
    return 1


def seed(stdout=None) -> int:
    department = Department.objects.filter(code="SCJG").first()
    staff = {
        "reviewer": User.objects.filter(email="reviewer@demo.civiccenter.example").first(),
        "head": User.objects.filter(email="head@demo.civiccenter.example").first(),
    }
    if department is None or None in staff.values():
        return 0
    today = clock.today()
    created = seed_upcoming(department, staff, today) + seed_past(department, staff, today)
    created += seed_licensing(staff, today)
    if stdout is not None:
        stdout.write(f"Hearings: {created} added.")
    return created
