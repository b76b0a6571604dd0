"""Demo disclosure requests in every state, across the demo departments.

Some were received and replied in 2025 (with varied reply types, for the annual report), some carried
over from 2025 into 2026, some are open now (one awaiting confirmation, one asked to correct, one in
consultation, one extended, two overdue). Created through the model's transitions, then dated back.
Idempotent: nothing is created when any request exists.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from civiccenter.cases import Case, CaseEvent
from civiccenter.lib import workdays
from civiccenter.models import CalendarDay, Department, User

CITIZEN = "citizen@demo.civiccenter.example"
ORGANIZATION = "ngo@demo.civiccenter.example"
CLERK = "clerk@demo.civiccenter.example"
HEAD = "head@demo.civiccenter.example"
ADMIN = "admin@demo.civiccenter.example"

PERSON = {"applicant_kind": "individual", "id_type": "resident_id"}
EMAIL = {"form_wanted": "email", "delivery": "email"}
PAPER = {"form_wanted": "paper", "delivery": "collect", "contact_email": ""}
POSTED = {
    "form_wanted": "paper",
    "delivery": "post",
    "postal_address": "示范区人民大道88号3幢201室",
    "postcode": "310000",
}
ONLINE = {"form_wanted": "download", "delivery": "online"}


def _applicant(name, id_number, phone, **extra):
    return {**PERSON, "applicant_name": name, "id_number": id_number, "contact_phone": phone, **extra}


def _organization(kind, name, code, phone, **extra):
    return {
        "applicant_kind": kind,
        "id_type": "credit_code",
        "applicant_name": name,
        "id_number": code,
        "contact_phone": phone,
        **extra,
    }


ZHANG = _applicant("张明", "11010519491231002X", "13800138000", contact_email="citizen@demo.civiccenter.example")
WANG = _applicant("王芳", "360426199101010071", "13912345678", contact_email="")
ZHAO = _applicant("赵磊", "44011320141005001X", "13700001111", contact_email="")
YUELAI = _organization(
    "business", "示范区悦来餐饮管理有限公司", "91310115MA1K3BTP2B", "0571-86012345", contact_email=""
)
LAWFIRM = _organization("legal_services", "浙江明理律师事务所", "91440300708461136T", "0571-87654321", contact_email="")
UNIVERSITY = _organization(
    "research", "示范大学环境科学研究院", "121200004013590816", "0571-88880000", contact_email=""
)
NEIGHBOURS = _organization(
    "public_interest", "示范区邻里互助协会", "91110000600037341L", "13900139000", contact_email=ORGANIZATION
)


def _what(title, description, number=""):
    return {"info_title": title, "description": description, "info_document_number": number}


# department, account (or None: registered by a clerk), how it came, details, steps.
# Steps: (day, move, arguments); "confirm" only for online requests.
REQUESTS = [
    # --- Received and replied in 2025 -------------------------------------------------------
    (
        "ZJ",
        CITIZEN,
        "web",
        {
            **ZHANG,
            **EMAIL,
            **_what("2024年老旧小区改造项目清单", "请提供本区2024年老旧小区改造项目的名单、投资金额和施工单位。"),
        },
        [(date(2025, 3, 10), "confirm", {}), (date(2025, 3, 28), "reply", {"reply_type": "disclosed"})],
    ),
    (
        "SCJG",
        None,
        ("window", "in_person"),
        {**YUELAI, **PAPER, **_what("2024年度食品安全监督抽检结果", "本区2024年度餐饮服务环节食品安全监督抽检结果。")},
        [
            (
                date(2025, 4, 7),
                "reply",
                {
                    "reply_type": "already_published",
                    "published_where": "示范区人民政府网站“政府信息公开—食品安全抽检信息”栏目",
                },
            )
        ],
    ),
    (
        "MZ",
        None,
        ("phone", "in_person", True),
        {**WANG, **PAPER, **_what("", "关于在我所住小区附近新建社区养老服务中心选址的会议讨论记录。")},
        [
            (
                date(2025, 5, 16),
                "reply",
                {
                    "reply_type": "withheld_process",
                    "reasons": "所申请信息为选址论证过程中的讨论记录，属于过程性信息，依据《条例》第十六条第二款不予公开。",
                },
            )
        ],
    ),
    (
        "WJ",
        None,
        ("post", "post_signed"),
        {**LAWFIRM, **POSTED, **_what("", "示范区第一人民医院2023年某医疗纠纷的医疗事故技术鉴定材料。")},
        [
            (
                date(2025, 6, 20),
                "reply",
                {
                    "reply_type": "not_held",
                    "reasons": "医疗事故技术鉴定由市医学会组织，本机关未制作或获取该信息。",
                    "competent_organ": "示范市医学会",
                },
            )
        ],
    ),
    (
        "STHJ",
        None,
        ("post", "post_confirmed"),
        {
            **UNIVERSITY,
            **POSTED,
            **_what("2024年度重点排污单位自动监测数据", "区内重点排污单位2024年全年废水自动监测小时数据。"),
        },
        [
            (
                date(2025, 7, 28),
                "reply",
                {
                    "reply_type": "partial",
                    "reasons": "其中两家企业的生产工艺参数涉及商业秘密，依据《条例》第十五条、第三十七条作区分处理后提供。",
                    "fee_schedule": "pages",
                    "fee_units": 120,
                },
            )
        ],
    ),
    (
        "JY",
        ORGANIZATION,
        "web",
        {**NEIGHBOURS, **ONLINE, **_what("2024年度民办学校年检结果", "本区民办中小学及幼儿园2024年度年检结论。")},
        [(date(2025, 8, 4), "confirm", {}), (date(2025, 8, 22), "reply", {"reply_type": "disclosed"})],
    ),
    (
        "SCJG",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("", "投诉小区门口超市销售过期牛奶，要求查处并告知结果。")},
        [
            (date(2025, 9, 1), "confirm", {}),
            (
                date(2025, 9, 3),
                "reply",
                {
                    "reply_type": "petition",
                    "reasons": "您反映的是投诉举报事项，不属于政府信息公开申请；已转12315投诉举报平台办理，请通过该渠道查询结果。",
                },
            ),
        ],
    ),
    (
        "ZJ",
        None,
        ("window", "in_person"),
        {**ZHAO, **PAPER, **_what("", "房子的事情。")},
        [(date(2025, 6, 9), "correct", {"items": ["请说明所需信息涉及的房屋地址、项目名称和年份"], "days": 15})],
    ),
    (
        "MZ",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("2025年城乡低保标准", "本区2025年城乡居民最低生活保障标准调整的文件。")},
        [(date(2025, 10, 13), "confirm", {}), (date(2025, 10, 15), "withdraw", {})],
    ),
    (
        "RS",
        None,
        ("window", "in_person"),
        {**WANG, **PAPER, **_what("", "请统计近十年本区各街道城镇新增就业人数和失业人数的变化情况。")},
        [
            (
                date(2025, 11, 3),
                "reply",
                {
                    "reply_type": "new_analysis",
                    "reasons": "所申请信息需要对现有数据重新统计加工，依据《条例》第三十八条不予提供；已公开的年度统计公报可在区政府网站查阅。",
                },
            )
        ],
    ),
    (
        "SCJG",
        None,
        ("window", "in_person"),
        {
            **ZHAO,
            **PAPER,
            **_what("悦来餐饮2025年行政处罚决定书", "示范区悦来餐饮管理有限公司2025年受到的行政处罚决定书。"),
        },
        [
            (date(2025, 9, 15), "consult", {"kind": "third_party", "party": "示范区悦来餐饮管理有限公司"}),
            (date(2025, 9, 24), "answer", {"objects": True, "answer": "认为公开会影响企业声誉。"}),
            (date(2025, 9, 24), "end_consultation", {}),
            (
                date(2025, 10, 10),
                "reply",
                {
                    "reply_type": "disclosed",
                    "reasons": "该处罚涉及食品安全，关系公众健康，不公开可能对公共利益造成重大影响，依据《条例》第三十二条予以公开并书面告知第三方。",
                },
            ),
        ],
    ),
    # --- Carried over from 2025 into 2026 -------------------------------------------------------
    (
        "ZJ",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("示范花园二期规划许可", "示范花园二期项目的建设工程规划许可证及附图。")},
        [(date(2025, 12, 22), "confirm", {}), (date(2026, 1, 16), "reply", {"reply_type": "disclosed"})],
    ),
    (
        "WJ",
        None,
        ("post", "post_signed"),
        {**LAWFIRM, **POSTED, **_what("2025年医疗机构校验结果", "本区民营医疗机构2025年度校验结果汇总。")},
        [
            (date(2025, 12, 26), "extend", {"days": 15, "reason": "需汇总二十余家医疗机构的校验材料。"}),
            (date(2026, 2, 10), "reply", {"reply_type": "disclosed"}),
        ],
    ),
    # --- 2026, closed ---------------------------------------------------------------------------
    (
        "SCJG",
        ORGANIZATION,
        "web",
        {**NEIGHBOURS, **ONLINE, **_what("", "某连锁药店的进货渠道和供应商合同。")},
        [
            (date(2026, 3, 9), "confirm", {}),
            (date(2026, 3, 12), "consult", {"kind": "third_party", "party": "示范区康宁大药房连锁有限公司"}),
            (date(2026, 3, 20), "answer", {"objects": True, "answer": "供应商合同属商业秘密。"}),
            (date(2026, 3, 20), "end_consultation", {}),
            (
                date(2026, 3, 31),
                "reply",
                {
                    "reply_type": "withheld_third_party",
                    "reasons": "所申请信息涉及第三方商业秘密，第三方不同意公开，依据《条例》第十五条不予公开。",
                },
            ),
        ],
    ),
    (
        "JY",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("2024年度民办学校年检结果", "本区民办中小学及幼儿园2024年度年检结论。")},
        [
            (date(2026, 4, 13), "confirm", {}),
            (
                date(2026, 4, 15),
                "reply",
                {
                    "reply_type": "repeat",
                    "reasons": "您已于2025年申请并获取相同信息，依据《条例》第三十六条第六项不予重复处理。",
                },
            ),
        ],
    ),
    # --- Open now -----------------------------------------------------------------------------
    (
        "ZJ",
        None,
        ("window", "in_person"),
        {**WANG, **PAPER, **_what("", "示范路拓宽工程征收补偿方案及补偿标准。")},
        [(-30, "received", {})],  # overdue
    ),
    (
        "SCJG",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("", "2026年第三季度本区农贸市场食品安全快检结果。")},
        [(-27, "confirm", {})],  # overdue
    ),
    (
        "SCJG",
        CITIZEN,
        "web",
        {**ZHANG, **EMAIL, **_what("", "本区2026年电动自行车充电设施消防检查情况。")},
        [
            (-3, "confirm", {}),
            (-1, "correct", {"items": ["请说明需要的是哪个街道的检查情况", "请说明检查时间段"], "days": 20}),
        ],
    ),
    (
        "SCJG",
        ORGANIZATION,
        "web",
        {**NEIGHBOURS, **ONLINE, **_what("", "示范区悦来餐饮管理有限公司的食品经营许可证及现场核查记录。")},
        [(-10, "confirm", {}), (-6, "consult", {"kind": "third_party", "party": "示范区悦来餐饮管理有限公司"})],
    ),
    (
        "ZJ",
        None,
        ("post", "post_signed"),
        {**LAWFIRM, **POSTED, **_what("", "示范新城安置房项目2019年至2025年全部工程变更签证单。")},
        [(-20, "received", {}), (-2, "extend", {"days": 20, "reason": "所申请信息跨越七个年度，需从城建档案馆调取。"})],
    ),
    (
        "SCJG",
        None,
        ("window", "in_person"),
        {**ZHAO, **PAPER, **_what("", "本区2026年度食品生产许可证核发名单。")},
        [(-4, "received", {})],
    ),
    (
        "SCJG",
        CITIZEN,
        "web",
        {**ZHANG, **ONLINE, **_what("", "示范区市场监管局2026年随机抽查事项清单。")},
        [(-1, "submitted", {})],  # waiting for the clerk to confirm
    ),
]


def _day(value, calendar, today):
    """A fixed date, or -N: the N-th working day before today."""
    if isinstance(value, date):
        return value
    day, count = today, 0
    while count < -value:
        day -= timedelta(days=1)
        count += calendar.is_working_day(day)
    return day


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed(stdout=None) -> int:
    from disclosure.models.requests import DisclosureRequest

    if DisclosureRequest.objects.exists():
        return 0
    users = {u.email: u for u in User.objects.filter(email__in=[CITIZEN, ORGANIZATION, CLERK, HEAD, ADMIN])}
    departments = {d.code: d for d in Department.objects.all()}
    if ADMIN not in users or not all(code in departments for code, *_rest in REQUESTS):
        return 0  # seed_demo's departments and accounts come first
    calendar = CalendarDay.objects.work_calendar()
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        for code, account, channel, fields, steps in REQUESTS:
            department = departments[code]
            staff = users.get(CLERK) if code == "SCJG" and CLERK in users else users[ADMIN]
            head = users.get(HEAD) if code == "SCJG" and HEAD in users else users[ADMIN]
            first = _day(steps[0][0], calendar, today)
            mark = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            if account is not None:
                request = DisclosureRequest.submit_online(
                    by=users[account], department=department, today=first, **fields
                )
            else:
                how, basis, *oral = channel
                request = DisclosureRequest.register(
                    by=staff,
                    department=department,
                    channel=how,
                    receipt_basis=basis,
                    received_on=first,
                    oral=bool(oral),
                    **fields,
                )
            # Date back what the first step wrote.
            CaseEvent.objects.filter(case=request.case, pk__gt=mark).update(created_at=_at(first))
            for when, move, arguments in steps:
                day = _day(when, calendar, today)
                mark = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                _move(request, move, arguments, day, staff, head, calendar)
                CaseEvent.objects.filter(case=request.case, pk__gt=mark).update(created_at=_at(day))
                if move in ("reply", "withdraw"):
                    Case.objects.filter(pk=request.case_id).update(closed_at=_at(day))
            Case.objects.filter(pk=request.case_id).update(created_at=_at(first))
            DisclosureRequest.objects.filter(pk=request.pk).update(created_at=_at(first))
            created += 1
        # Requests not corrected in time are closed by the nightly sweep.
        from disclosure.models.requests import sweep_abandoned_requests

        for request in DisclosureRequest.objects.abandonment_due(today).select_related("case"):
            deadline = request.correction_deadline
            mark = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            sweep_abandoned_requests(deadline + timedelta(days=1))
            CaseEvent.objects.filter(case=request.case, pk__gt=mark).update(
                created_at=_at(deadline + timedelta(days=1))
            )
            Case.objects.filter(pk=request.case_id).update(closed_at=_at(deadline + timedelta(days=1)))
    if stdout is not None:
        stdout.write(f"{created} disclosure requests")
    return created


def _move(request, move, arguments, day, staff, head, calendar):
    if move in ("received", "submitted"):
        return
    if move == "confirm":
        request.confirm(by=staff, today=day)
    elif move == "reply":
        request.reply(by=staff, today=day, **arguments)
    elif move == "withdraw":
        request.withdraw(by=request.applicant or staff)
    elif move == "correct":
        deadline = workdays.compute(calendar, day, arguments["days"]).due
        request.request_correction(by=staff, items=arguments["items"], deadline=deadline, today=day)
    elif move == "consult":
        request.consult(by=staff, kind=arguments["kind"], party=arguments["party"], today=day)
    elif move == "answer":
        consultation = request.consultations.filter(answered_on__isnull=True).first()
        request.record_answer(
            by=staff,
            consultation=consultation,
            answered_on=day,
            objects_to_disclosure=arguments["objects"],
            answer=arguments.get("answer", ""),
            today=day,
        )
    elif move == "end_consultation":
        request.end_consultation(by=staff, today=day)
    elif move == "extend":
        request.extend(by=head, reason=arguments["reason"], days=arguments["days"], today=day)
