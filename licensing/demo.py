"""Demo catalogue: real licensing matters of a district, with materials and sample forms.

Called by `manage.py seed_demo`; creates only what is missing.
"""

from decimal import Decimal

from django.core.files.base import ContentFile

from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import Department
from licensing.models import LifeEvent, Material, Matter

LIFE_EVENTS = [
    ("restaurant", "开办餐馆", "Opening a restaurant"),
    ("business", "开办企业", "Starting a business"),
    ("building", "建房施工", "Building and construction"),
    ("school", "开办学校", "Opening a school or training centre"),
    ("entertainment", "文化娱乐经营", "Culture and entertainment business"),
    ("clinic", "开办医疗机构", "Opening a clinic"),
    ("organization", "成立社会组织", "Founding a social organization"),
]

APPLICATION = (
    "申请书",
    "Application form",
    True,
    "original",
    1,
    "本中心提供空白表格和示范文本。",
    "Blank form and sample provided by the center.",
)
LICENCE_ID = (
    "营业执照或统一社会信用代码证明",
    "Business licence or proof of the unified social credit code",
    True,
    "copy",
    1,
    "可通过数据共享获取的，免于提交。",
    "Not needed where the center can obtain it through data sharing.",
)
ID_PROOF = ("法定代表人（负责人）身份证明", "Identity document of the legal representative", True, "copy", 1, "", "")
SITE = (
    "经营场所使用证明（产权证明或租赁合同）",
    "Proof of the right to use the premises (title or lease)",
    True,
    "copy",
    1,
    "",
    "",
)
PROXY = (
    "委托书及受托人身份证明",
    "Power of attorney and the agent's identity document",
    False,
    "original",
    1,
    "委托他人办理时提交。",
    "Only when an agent applies.",
)

# code, department, name, English name, audience, life events, basis, statutory, promised, on the spot, hearing, joint, fee, fee basis, extra materials
MATTERS = [
    (
        "XK-SCJG-001",
        "SCJG",
        "食品经营许可",
        "Food business licence",
        "enterprise",
        ["restaurant", "business"],
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        20,
        10,
        False,
        False,
        False,
        0,
        "",
        [
            ("食品安全管理制度文本", "Food safety management rules", True, "original", 1, "", ""),
            (
                "主要设备设施布局、操作流程等文件",
                "Layout of equipment and the working process",
                True,
                "original",
                1,
                "",
                "",
            ),
        ],
    ),
    (
        "XK-SCJG-002",
        "SCJG",
        "食品生产许可",
        "Food production licence",
        "enterprise",
        ["business"],
        "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》",
        20,
        15,
        False,
        False,
        False,
        0,
        "",
        [
            ("食品生产设备、设施清单", "List of production equipment", True, "original", 1, "", ""),
            ("食品生产工艺流程图", "Production process flow chart", True, "original", 1, "", ""),
        ],
    ),
    (
        "XK-SCJG-003",
        "SCJG",
        "药品零售企业许可",
        "Pharmacy (drug retail) licence",
        "enterprise",
        ["business"],
        "《中华人民共和国药品管理法》第五十二条",
        30,
        20,
        False,
        False,
        False,
        0,
        "",
        [("执业药师注册证明", "Registration of the licensed pharmacist", True, "copy", 1, "", "")],
    ),
    (
        "XK-WJ-001",
        "WJ",
        "公共场所卫生许可",
        "Public place hygiene licence",
        "both",
        ["restaurant", "entertainment"],
        "《公共场所卫生管理条例》第八条",
        20,
        5,
        True,
        False,
        False,
        0,
        "",
        [
            ("卫生管理制度", "Hygiene management rules", True, "original", 1, "", ""),
            ("从业人员健康合格证明", "Health certificates of the staff", True, "copy", 1, "", ""),
        ],
    ),
    (
        "XK-WJ-002",
        "WJ",
        "医疗机构执业登记",
        "Medical institution practice registration",
        "enterprise",
        ["clinic"],
        "《医疗机构管理条例》第十五条",
        45,
        30,
        False,
        False,
        False,
        0,
        "",
        [
            ("医疗机构设置批准书", "Approval of the medical institution's establishment", True, "copy", 1, "", ""),
            ("医务人员执业证书", "Practice certificates of the medical staff", True, "copy", 1, "", ""),
        ],
    ),
    (
        "XK-WJ-003",
        "WJ",
        "放射诊疗许可",
        "Radiological diagnosis and treatment licence",
        "enterprise",
        ["clinic"],
        "《放射诊疗管理规定》第十一条",
        20,
        15,
        False,
        True,
        False,
        0,
        "",
        [
            (
                "放射诊疗设备清单及检测报告",
                "List and test reports of radiological equipment",
                True,
                "original",
                1,
                "",
                "",
            )
        ],
    ),
    (
        "XK-ZJ-001",
        "ZJ",
        "建筑工程施工许可",
        "Construction permit",
        "enterprise",
        ["building"],
        "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
        7,
        5,
        False,
        False,
        True,
        0,
        "",
        [
            ("建设工程规划许可证", "Construction project planning permit", True, "copy", 1, "", ""),
            ("施工合同", "Construction contract", True, "copy", 1, "", ""),
        ],
    ),
    (
        "XK-ZJ-002",
        "ZJ",
        "城市建筑垃圾处置核准",
        "Construction waste disposal approval",
        "enterprise",
        ["building"],
        "《城市建筑垃圾管理规定》第七条",
        20,
        10,
        False,
        False,
        False,
        0,
        "",
        [("建筑垃圾处置方案", "Construction waste disposal plan", True, "original", 1, "", "")],
    ),
    (
        "XK-ZJ-003",
        "ZJ",
        "户外广告设施设置许可",
        "Outdoor advertising installation permit",
        "both",
        ["business", "restaurant"],
        "《城市市容和环境卫生管理条例》第十一条",
        20,
        10,
        False,
        True,
        False,
        0,
        "",
        [
            ("设置效果图及设计图纸", "Rendering and design drawings", True, "original", 1, "", ""),
            ("场地使用权证明", "Proof of the right to use the site", True, "copy", 1, "", ""),
        ],
    ),
    (
        "XK-JY-001",
        "JY",
        "民办学校设立许可",
        "Private school establishment permit",
        "enterprise",
        ["school"],
        "《中华人民共和国民办教育促进法》第十二条",
        60,
        45,
        False,
        True,
        True,
        0,
        "",
        [
            ("举办者资格证明", "Proof of the founder's qualifications", True, "copy", 1, "", ""),
            ("学校章程和首届董事会组成人员名单", "School charter and first board members", True, "original", 1, "", ""),
            ("资产来源及资金数额证明", "Proof of assets and funds", True, "copy", 1, "", ""),
        ],
    ),
    (
        "XK-JY-002",
        "JY",
        "校外培训机构设立审批",
        "Off-campus training institution approval",
        "enterprise",
        ["school"],
        "《中华人民共和国民办教育促进法》第十二条；国家及省有关校外培训管理规定",
        30,
        20,
        False,
        False,
        False,
        0,
        "",
        [("培训场所消防安全证明", "Fire safety certificate of the premises", True, "copy", 1, "", "")],
    ),
    (
        "XK-WGL-001",
        "WGL",
        "娱乐场所经营许可",
        "Entertainment venue licence",
        "enterprise",
        ["entertainment", "business"],
        "《娱乐场所管理条例》第九条",
        20,
        15,
        False,
        True,
        False,
        0,
        "",
        [("消防、环保相关证明", "Fire safety and environmental certificates", True, "copy", 1, "", "")],
    ),
    (
        "XK-WGL-002",
        "WGL",
        "营业性演出许可",
        "Commercial performance permit",
        "both",
        ["entertainment"],
        "《营业性演出管理条例》第十三条",
        3,
        3,
        True,
        False,
        False,
        0,
        "",
        [("演出节目内容说明", "Description of the programme", True, "original", 1, "", "")],
    ),
    (
        "XK-STHJ-001",
        "STHJ",
        "建设项目环境影响报告表审批",
        "Approval of a project's environmental impact report form",
        "enterprise",
        ["building"],
        "《中华人民共和国环境影响评价法》第二十二条",
        30,
        20,
        False,
        True,
        False,
        0,
        "",
        [("环境影响报告表", "Environmental impact report form", True, "original", 2, "", "")],
    ),
    (
        "XK-RS-001",
        "RS",
        "劳务派遣经营许可",
        "Labour dispatch business licence",
        "enterprise",
        ["business"],
        "《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》",
        20,
        15,
        False,
        False,
        False,
        0,
        "",
        [
            ("注册资本实缴证明", "Proof of paid-in registered capital", True, "copy", 1, "", ""),
            ("劳务派遣管理制度", "Labour dispatch management rules", True, "original", 1, "", ""),
        ],
    ),
    (
        "XK-MZ-001",
        "MZ",
        "社会团体成立登记",
        "Registration of a social organization",
        "both",
        ["organization"],
        "《社会团体登记管理条例》第十一条",
        60,
        30,
        False,
        False,
        False,
        0,
        "",
        [
            ("章程草案", "Draft charter", True, "original", 1, "", ""),
            ("业务主管单位批准文件", "Approval of the supervising unit", True, "copy", 1, "", ""),
        ],
    ),
]

CONDITIONS = (
    "申请人依法具备从事该事项的主体资格；具有与申请事项相适应的场所、设施设备、人员和管理制度；"
    "法律、法规规定的其他条件。"
)
CONDITIONS_EN = (
    "The applicant is legally qualified for the matter; has the premises, equipment, staff and rules the matter "
    "requires; meets the other conditions set by laws and regulations."
)
PROCEDURE = "申请：网上或窗口提交申请材料\n受理：材料齐全、符合法定形式的予以受理；需要补正的一次性告知\n审查：对申请材料进行审查，需要时现场核查\n决定：在承诺时限内作出准予或不予许可的书面决定\n送达：发放许可证件或送达不予许可决定书"
PROCEDURE_EN = "Apply online or at the window\nAcceptance, or one complete notice of what to correct\nReview of the materials, with an on-site check where needed\nA written decision within the promised time limit\nDelivery of the licence or of the written refusal"


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

    from django.utils import timezone

    from licensing.models import Application, ApplicationFile

    if Application.objects.exists() or citizen is None or organization is None:
        return 0
    today = timezone.localdate()
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
    today = timezone.localdate()
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

    from django.utils import timezone

    from licensing.models import Application, Licence

    if Licence.objects.exists() or None in (organization, clerk, head):
        return 0
    today = timezone.localdate()
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
