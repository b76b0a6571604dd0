"""Demo data for proactive disclosure: a few hundred documents of the demo departments, 2024-2026.

Called by `manage.py seed_demo` after the departments exist. Idempotent: every
document is keyed on its document number, so a second run creates nothing.
Generated from templates with a fixed random seed, so every run gives the same
titles, dates and numbers; dates are moved back when they would fall after today.
"""

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from civiccenter.lib import workdays
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import CalendarDay, Department
from disclosure.models import Attachment, Category, Document, Topic

# department code: (document number prefix, topic, [(category, kind, title template)])
# {year} is the year; {subject} one of the department's subjects.
DEPARTMENTS = {
    "ZXBGS": (
        "示范区政办发",
        None,
        ["市民服务中心", "政务公开", "一网通办", "12345热线", "政务服务好差评"],
        [
            ("20-1", "normative", "示范区人民政府办公室关于印发《{subject}工作规则》的通知"),
            ("20-2", "other", "示范区人民政府办公室关于调整{subject}工作时间的公告"),
            ("20-3", "other", "示范区{year}年{subject}工作要点"),
            ("20-15", "other", "示范区{year}年{subject}工作情况的通报"),
        ],
    ),
    "SCJG": (
        "区市监发",
        "market",
        ["食品经营许可证和营业执照", "小餐饮登记", "特种设备", "药品零售", "网络交易"],
        [
            ("20-1", "normative", "关于办理{subject}有关事项的通知"),
            ("20-5", "other", "关于{subject}办理流程和办理结果的公告"),
            ("20-6", "other", "关于{subject}行政处罚裁量基准的通知"),
            ("20-13", "other", "{year}年第{n}季度{subject}监督抽查结果的公告"),
        ],
    ),
    "MZ": (
        "区民政发",
        "civil-affairs",
        ["最低生活保障", "特困人员供养", "临时救助", "社区养老服务", "社会组织登记"],
        [
            ("21-6", "normative", "关于调整{year}年{subject}标准的通知"),
            ("20-11", "other", "关于做好{subject}工作的实施意见"),
            ("21-3", "other", "{year}年{subject}资金使用情况公示"),
        ],
    ),
    "ZJ": (
        "区住建发",
        "housing",
        ["老旧小区改造", "保障性租赁住房", "建筑工地扬尘治理", "城市道路维修", "房屋征收补偿"],
        [
            ("21-1", "other", "{year}年{subject}项目计划的公示"),
            ("20-10", "other", "关于{subject}项目批准和实施情况的公告"),
            ("21-4", "normative", "示范区{subject}实施办法"),
        ],
    ),
    "RS": (
        "区人社发",
        "employment",
        ["就业创业补贴", "灵活就业人员社会保险", "高校毕业生见习", "职业技能培训", "事业单位公开招聘"],
        [
            ("20-11", "normative", "关于落实{year}年{subject}政策的通知"),
            ("20-14", "other", "示范区{year}年{subject}公告"),
            ("20-4", "other", "{year}年{subject}统计情况"),
        ],
    ),
    "WJ": (
        "区卫健发",
        "health",
        ["家庭医生签约服务", "基本公共卫生服务", "传染病防控", "医疗机构监督检查", "母婴保健"],
        [
            ("20-11", "other", "关于做好{year}年{subject}工作的通知"),
            ("20-13", "other", "{year}年{subject}结果公示"),
            ("20-12", "other", "示范区{subject}应急预案"),
        ],
    ),
    "JY": (
        "区教发",
        "education",
        ["义务教育招生入学", "学前教育资助", "校外培训机构监管", "中小学课后服务", "教师招聘"],
        [
            ("20-11", "normative", "关于做好{year}年{subject}工作的实施意见"),
            ("20-14", "other", "示范区{year}年{subject}公告"),
            ("21-2", "other", "{year}年{subject}情况公开"),
        ],
    ),
    "STHJ": (
        "区环发",
        "environment",
        ["重点排污单位", "建设项目环境影响评价", "重污染天气", "饮用水水源保护", "固体废物"],
        [
            ("20-13", "other", "{year}年{subject}监督检查情况公示"),
            ("20-12", "other", "示范区{subject}应急预案（{year}年修订）"),
            ("20-5", "other", "关于{subject}审批结果的公告"),
        ],
    ),
    "WGL": (
        "区文旅体发",
        None,
        ["营业性演出", "公共文化服务", "全民健身", "旅游市场秩序", "文物保护"],
        [
            ("21-2", "other", "示范区{year}年{subject}工作方案"),
            ("20-5", "other", "关于{subject}审批事项办理结果的公告"),
            ("20-9", "other", "{year}年{subject}政府采购项目公告"),
            ("21-5", "other", "关于{year}年{subject}活动期间治安管理措施的通告"),
        ],
    ),
}

BUDGET = ("20-7", "other", "finance", "示范区{department}{year}年部门预算公开")
FEES = ("20-8", "other", "finance", "示范区{department}行政事业性收费项目及标准（{year}年）")

PARAGRAPHS = [
    "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好{subject}工作，结合本区实际，现就有关事项通知如下。",
    "一、总体要求。坚持以人民为中心的发展思想，围绕“一网通办”和“高效办成一件事”，推进{subject}规范化、标准化、便利化。",
    "二、主要任务。各街道、各有关部门要明确职责分工，建立工作台账，于{year}年底前完成{subject}各项任务，并按季度报送工作进展。",
    "三、办理方式。申请人可通过示范区政务服务网在线办理，也可到示范区市民服务中心相应窗口现场办理；材料齐全的，实行“最多跑一次”。",
    "四、保障措施。加强组织领导和督促检查，将{subject}工作纳入年度绩效考核；对工作中发现的问题及时整改，确保各项措施落到实处。",
    "五、本{kind}自印发之日起施行，由示范区{department}负责解释。咨询电话：{phone}。",
]
EXTRA = [
    "附件所列事项实行清单管理，清单之外不得要求申请人提供其他材料。",
    "涉及WTO规则和国际贸易的事项，按照国家有关规定执行。",
    "推广5G、大数据等技术在{subject}中的应用，提升服务效率。",
    "个人信息按照《中华人民共和国个人信息保护法》的规定予以保护。",
]


def _working_days_after(calendar, start, days):
    return workdays.compute(calendar, start, days).due


def _plan(today):
    """Every demo document as a dict, in a fixed order (the same on every run)."""
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not secrets
    plans = []
    for code, (prefix, topic, subjects, templates) in DEPARTMENTS.items():
        numbers = {}
        for year in (2024, 2025, 2026):
            count = 12 if year < 2026 else 10
            for i in range(count):
                category, kind, template = templates[i % len(templates)]
                subject = subjects[(i + year) % len(subjects)]
                formed = date(year, 1, 6) + timedelta(days=rng.randrange(0, 330))
                numbers[year] = numbers.get(year, 0) + 1
                plans.append(
                    {
                        "code": code,
                        "number": f"{prefix}〔{year}〕{numbers[year]}号",
                        "title": template.format(year=year, subject=subject, n=(formed.month - 1) // 3 + 1),
                        "category": category,
                        "kind": kind,
                        "topic": topic,
                        "subject": subject,
                        "formed": formed,
                        "delay": rng.randrange(1, 19),
                        "attachment": rng.random() < 0.3,
                    }
                )
        for year in (2024, 2025, 2026):
            for category, kind, topic_slug, template in (BUDGET, FEES):
                numbers[year] = numbers.get(year, 0) + 1
                plans.append(
                    {
                        "code": code,
                        "number": f"{prefix}〔{year}〕{numbers[year]}号",
                        "title": template.format(year=year, department="{department}"),
                        "category": category,
                        "kind": kind,
                        "topic": topic_slug,
                        "subject": "部门预算" if template is BUDGET[3] else "行政事业性收费",
                        "formed": date(year, 2, 10) + timedelta(days=rng.randrange(0, 20)),
                        "delay": rng.randrange(1, 19),
                        "attachment": True,
                    }
                )
    return plans


def _body(plan, department):
    values = {
        "subject": plan["subject"],
        "year": plan["formed"].year,
        "kind": "通知" if "通知" in plan["title"] else "文件",
        "department": department.name.removeprefix("区"),
        "phone": department.phone or "12345",
    }
    paragraphs = [p.format(**values) for p in PARAGRAPHS]
    extra = EXTRA[sum(map(ord, plan["number"])) % len(EXTRA)]
    paragraphs.insert(4, extra.format(**values))
    return "\n\n".join(paragraphs)


@transaction.atomic
def seed(stdout=None):
    """Create the demo documents that are missing; return how many rows were created."""
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    if not departments:
        return 0
    today = timezone.localdate()
    calendar = CalendarDay.objects.work_calendar()
    categories = {c.code: c for c in Category.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    plans = [p for p in _plan(today) if p["code"] in departments]
    existing = set(
        Document.objects.filter(document_number__in=[p["number"] for p in plans]).values_list(
            "document_number", flat=True
        )
    )
    created = 0
    documents = {}
    latest_formed = today - timedelta(days=45)
    for plan in plans:
        if plan["number"] in existing:
            continue
        department = departments[plan["code"]]
        formed = min(plan["formed"], latest_formed - timedelta(days=plan["delay"]))
        document = Document.objects.create(
            title=plan["title"].format(department=department.name.removeprefix("区")),
            document_number=plan["number"],
            department=department,
            category=categories[plan["category"]],
            topic=topics.get(plan["topic"]) if plan["topic"] else None,
            kind=plan["kind"],
            formed_on=formed,
            summary=f"{plan['title'].format(department=department.name)}。主要内容包括{plan['subject']}的适用范围、办理条件、办理程序和监督管理等事项。",
            body=_body(plan, department),
        )
        # Most are published on time; one in twelve a few days after the Art. 26 limit.
        delay = plan["delay"] + (25 if len(documents) % 12 == 5 else 0)
        published = min(_working_days_after(calendar, formed, delay), today)
        document.publish(today=published)
        created += 1
        if plan["attachment"]:
            Attachment.objects.create(
                document=document,
                title=f"{document.title}（全文）.pdf",
                file=ContentFile(
                    text_pdf(document.title, [document.document_number, document.department.name, "（正文见附件）"]),
                    name="attachment.pdf",
                ),
            )
            created += 1
        documents[plan["number"]] = document
    created += _revisions(departments, today, calendar)
    created += _drafts(departments, categories, today, calendar)
    if stdout is not None:
        stdout.write(f"Disclosure documents: {created} rows created.")
    return created


# (department, number of a 2024 document, its fate, number of the new text or None)
FATES = [
    ("SCJG", "区市监发〔2024〕1号", "amend", "区市监发〔2025〕51号"),
    ("MZ", "区民政发〔2024〕1号", "amend", "区民政发〔2025〕51号"),
    ("ZXBGS", "示范区政办发〔2024〕1号", "amend", "示范区政办发〔2025〕51号"),
    ("ZJ", "区住建发〔2024〕3号", "repeal", "区住建发〔2025〕51号"),
    ("RS", "区人社发〔2024〕1号", "repeal", None),
    ("JY", "区教发〔2024〕1号", "repeal", None),
    ("WJ", "区卫健发〔2024〕3号", "repeal", None),
]


def _revisions(departments, today, calendar):
    """Some 2024 documents were amended or repealed in 2025, linked to the text that replaced them."""
    count = 0
    for code, number, fate, new_number in FATES:
        old = Document.objects.filter(document_number=number, validity=Document.Validity.IN_FORCE).first()
        if code not in departments or old is None or old.published_on is None:
            continue
        on = min(old.published_on + timedelta(days=420), today)
        replacement = None
        if new_number:
            formed = on - timedelta(days=14)
            replacement = Document.objects.create(
                title=f"{old.title.removesuffix('的通知')}（{formed.year}年修订）",
                document_number=new_number,
                department=old.department,
                category=old.category,
                topic=old.topic,
                kind=old.kind,
                formed_on=formed,
                summary=f"对{old.document_number}进行修订。" + old.summary,
                body=old.body.replace("自印发之日起施行", f"自印发之日起施行，{old.document_number}同时废止"),
            )
            replacement.publish(today=max(formed, min(_working_days_after(calendar, formed, 5), on)))
            replacement.related.add(old)
            count += 1
            on = max(on, replacement.published_on)
        if fate == "amend":
            old.amend(replaced_by=replacement, on=on)
        else:
            old.repeal(on=on, replaced_by=replacement)
        count += 1
    return count


DRAFTS = [
    ("SCJG", "区市监发〔{year}〕91号", "20-13", "关于{year}年第四季度食品安全监督抽检结果的公告", 24),
    ("SCJG", "区市监发〔{year}〕92号", "20-6", "关于网络交易违法行为行政处罚裁量基准的通知", 17),
    ("SCJG", "区市监发〔{year}〕93号", "20-5", "关于药品零售许可办理结果的公告", 3),
    ("ZXBGS", "示范区政办发〔{year}〕91号", "20-2", "示范区人民政府办公室关于调整市民服务中心窗口设置的公告", 21),
    ("ZXBGS", "示范区政办发〔{year}〕92号", "20-15", "示范区政务公开工作情况的通报", 16),
    ("MZ", "区民政发〔{year}〕91号", "21-6", "关于发放冬季临时救助金的通知", 5),
]


def _drafts(departments, categories, today, calendar):
    """Unpublished drafts formed some working days ago: late (red) and due soon (amber) in the admin."""
    count = 0
    for code, number, category, title, working_days_ago in DRAFTS:
        number = number.format(year=today.year)
        if code not in departments or Document.objects.filter(document_number=number).exists():
            continue
        formed = today
        while workdays.working_days_between(calendar, formed, today) < working_days_ago:
            formed -= timedelta(days=1)
        Document.objects.create(
            title=title.format(year=today.year),
            document_number=number,
            department=departments[code],
            category=categories[category],
            formed_on=formed,
            summary=title.format(year=today.year) + "（待发布）。",
            body="本文件正在履行发布程序。",
        )
        count += 1
    return count
