"""Demo opinion cases: a few thousand over the last twelve months, in every status and channel, built in bulk.

Most are replied within the category's time limit, some late; some wait for
acceptance, for more information or for the supervisor's decision on a
disputed transfer; some were merged into an open or replied case, some
reopened once (and some of those replied again). Many closed ones are rated.
A few dozen, whose submitters consented, are on the public board (scrubbed and
masked, as a moderator would publish them). Reports of wrongdoing never
consent and are handled by a unit other than the one reported.

Everything is written with `bulk_create` (cases, opinions, timeline events,
ratings); tracking numbers come from a block reserved in one statement per
year, so the counter stays right for cases submitted afterwards. Poor ratings
(1-2) go through `Rating.give`, so their follow-up cases open as in real life.
"""

import random
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from civiccenter.cases import Case, CaseEvent, Rating, new_query_code
from civiccenter.lib import scrub, workdays
from civiccenter.models import CalendarDay, User

CASES = 3000
SEED = 20261122

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "桂兰",
    "建华",
    "志强",
]
PLACES = [
    "幸福路",
    "文化街道",
    "东湖社区",
    "滨江花园",
    "人民路",
    "新华小区",
    "西溪街道",
    "南门菜市场",
    "北山路",
    "城东新村",
]

# category slug -> (title, description, reply); "{place}" is filled in.
TEXTS = {
    "service-quality": [
        (
            "建议延长周六窗口办理时间",
            "{place}附近的上班族平日没空，周六只有上午开放窗口，常常排不上号，建议延长到下午。",
            "感谢您的建议。中心已自下月起将周六窗口开放时间延长至下午5点，并增设网上预约号源。",
        ),
        (
            "网上预约系统经常提示号源已满",
            "在网上预约营业执照办理，连续一周都显示号源已满，希望增加号源。",
            "经核实，近期营业执照业务量较大。中心已增加每日预约号源40个，并开通延时服务。",
        ),
    ],
    "staff-conduct": [
        (
            "窗口工作人员服务态度生硬",
            "在{place}办事时，窗口工作人员说话不耐烦，没有一次性告知需要补充的材料。",
            "经调查核实，已对相关工作人员进行批评教育，并在全中心开展一次性告知制度培训。",
        ),
    ],
    "food-safety": [
        (
            "{place}一家餐馆后厨卫生差",
            "{place}一家快餐店后厨地面积水、生熟不分，希望相关部门检查。",
            "执法人员已于接诉后两日内现场检查，责令该店限期整改，复查已合格。",
        ),
        (
            "超市销售过期食品",
            "在{place}的超市买到过期两天的酸奶，店家不予退换。",
            "经现场核查，该超市存在销售过期食品行为，已依法立案查处，并督促其为您办理退货。",
        ),
    ],
    "consumer-disputes": [
        (
            "健身房预付卡无法退费",
            "{place}一家健身房突然停业，办的年卡余额无法退还。",
            "已约谈经营者并登记受损消费者信息，经调解，经营者同意分期退还预付款，请留意短信通知。",
        ),
        (
            "商品未明码标价",
            "{place}几家水果店不标价格，结账时价格随意。",
            "执法人员已开展专项检查，对未明码标价的3家商户责令改正并给予警告。",
        ),
    ],
    "elderly-care": [
        (
            "希望社区增设老年食堂",
            "{place}老年人较多，子女上班后老人吃饭不方便，希望开设老年食堂。",
            "感谢建议。区民政局已将{place}纳入今年老年助餐点建设计划，预计明年一季度投入使用。",
        ),
    ],
    "social-assistance": [
        (
            "申请临时救助需要哪些材料",
            "家中老人突发重病，医疗费用负担重，想申请临时救助。",
            "已安排街道工作人员上门了解情况，协助您提交申请，审核通过后救助金将在10个工作日内发放。",
        ),
    ],
    "property-management": [
        (
            "小区电梯频繁故障物业不维修",
            "{place}3号楼电梯一个月坏了四次，物业一直拖着不修。",
            "已督促物业公司联系维保单位全面检修，电梯已恢复正常运行，并要求物业公示维保记录。",
        ),
        (
            "物业公共收益不公开",
            "{place}小区广告位、停车位收入从未公示，业主无从知晓去向。",
            "已约谈物业公司，责令其在小区公告栏和业主群公示近两年公共收益明细。",
        ),
    ],
    "building-safety": [
        (
            "楼顶违章搭建存在安全隐患",
            "{place}一栋居民楼顶层住户私自加盖彩钢房，担心影响结构安全。",
            "经现场勘查属违法建设，已下达限期拆除通知书，当事人已自行拆除。",
        ),
        (
            "工地夜间施工扰民",
            "{place}附近工地晚上十一点后仍在施工，噪音很大。",
            "已责令施工单位停止夜间违规施工，确需连续作业的须办理夜间施工许可并提前公示。",
        ),
    ],
    "unpaid-wages": [
        (
            "装修公司拖欠三个月工资",
            "我在一家装修公司做工，老板拖欠三个月工资共两万余元。",
            "劳动保障监察大队已立案调查，督促用人单位足额支付拖欠工资，款项已于本周到账。",
        ),
    ],
    "social-insurance": [
        (
            "灵活就业人员社保缴费咨询",
            "失业后想以灵活就业身份继续缴纳社保，不知道在哪里办理。",
            "可通过线上平台或到一楼7至10号窗口办理灵活就业人员参保登记，详细流程已短信发送给您。",
        ),
    ],
    "medical-services": [
        (
            "社区卫生服务中心挂号难",
            "{place}社区卫生服务中心每天上午号源很快就没了，老人挂不上号。",
            "已协调该中心增开下午门诊，并为65岁以上老人保留现场号源。",
        ),
    ],
    "schools": [
        (
            "学校门口上下学交通拥堵",
            "{place}小学门口接送车辆乱停，孩子过马路很危险。",
            "已会同交警部门在上下学时段安排执勤，并在校门口增设临时停车区和护学岗。",
        ),
    ],
    "noise-pollution": [
        (
            "餐馆油烟直排影响居民",
            "{place}楼下烧烤店油烟直排，窗户都不能开。",
            "经执法检查，该店已安装油烟净化设施并通过检测，我们将持续跟踪。",
        ),
        (
            "夜间广场舞音响过大",
            "{place}公园晚上九点后广场舞音响声音很大，影响休息。",
            "已与社区和舞蹈队沟通，约定晚上九点前结束并控制音量，社区将定期巡查。",
        ),
    ],
    "culture-sports": [
        (
            "体育馆周末开放时间太短",
            "区体育馆周末只开放半天，希望延长开放时间。",
            "自下月起，区体育馆周末开放时间延长至晚上9点，并推出夜间优惠时段。",
        ),
    ],
}
REPORT_TEXTS = [
    (
        "反映某窗口办事要求提供额外证明",
        "办理业务时，窗口工作人员要求提供法规未规定的证明材料，并暗示可以找人帮忙。",
        "经调查，已对相关人员作出处理，并重申不得要求群众提供法定之外的证明。",
    ),
]
INFO_REQUEST = "请补充具体地址和发生时间，以便我们现场核查。"
REOPEN_REASON = "答复说已整改，但问题仍然存在，请再次核查。"


def _reserve_numbers(prefix, year, count):
    """A block of `count` tracking numbers in one statement; the counter then continues after it."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO civiccenter_trackingcounter (prefix, year, last) VALUES (%s, %s, %s)
            ON CONFLICT (prefix, year) DO UPDATE SET last = civiccenter_trackingcounter.last + EXCLUDED.last
            RETURNING last
            """,
            [prefix, year, count],
        )
        (last,) = cursor.fetchone()
    return [f"{prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def _moment(day, rng, start_hour=9, end_hour=17):
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59)), tzinfo=tz)


@transaction.atomic
def seed(stdout=None) -> int:
    from opinions.models import Category, Kind, Opinion

    try:
        from demo.opinions.categories import seed_categories
    except ImportError:  # the categories part not there yet
        created = 0
    else:
        created = seed_categories()
    if Case.objects.filter(kind="opinion").exists():
        return created
    categories = list(Category.objects.filter(active=True).select_related("lead_department"))
    if not categories:
        return created
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    today = timezone.localdate()
    now = timezone.now()
    calendar = CalendarDay.objects.work_calendar()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    staff = {u.department_id: u for u in User.objects.filter(is_staff=True, department__isnull=False).order_by("pk")}
    conduct = next((c for c in categories if c.slug == "staff-conduct"), None)
    departments = sorted({c.lead_department for c in categories}, key=lambda d: d.pk)
    ordinary = [c for c in categories if c.slug in TEXTS]

    plans = []
    for index in range(CASES):
        # More recent months a little busier; a handful received today.
        age = min(int(rng.triangular(0, 365, 0)), 364)
        received = today - timedelta(days=age)
        report = conduct is not None and rng.random() < 0.05
        category = conduct if report else rng.choice(ordinary)
        if report:
            kind = Kind.REPORT
            title, description, reply = rng.choice(REPORT_TEXTS)
        else:
            kind = rng.choices([Kind.SUGGESTION, Kind.HELP, Kind.COMPLAINT], weights=[3, 2, 5])[0]
            title, description, reply = rng.choice(TEXTS[category.slug])
        place = rng.choice(PLACES)
        due = workdays.compute(calendar, received, category.time_limit_days, category.time_limit_unit).due
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        plans.append(
            {
                "received": received,
                "category": category,
                "kind": kind,
                "report": report,
                "title": title.format(place=place)[:120],
                "description": description.format(place=place),
                "reply": reply.format(place=place),
                "due": due,
                "name": name,
                "channel": rng.choices(["web", "phone", "window", "post"], weights=[55, 30, 10, 5])[0],
                "submitter": citizen if citizen and index % 150 == 0 else None,
                "consent": not report and rng.random() < 0.45,
                "reported": None,
            }
        )
        if report:
            plans[-1]["reported"] = rng.choice([d for d in departments if d.pk != category.lead_department_id])
    plans.sort(key=lambda p: p["received"])

    # The state of each case follows from its age: recent ones are open, older ones mostly replied.
    for plan in plans:
        age = (today - plan["received"]).days
        roll = rng.random()
        limit = (plan["due"] - plan["received"]).days
        plan["events"] = []
        if age <= 1 and roll < 0.7:
            plan["status"] = "submitted"
        elif age <= limit and roll < 0.55:
            plan["status"] = rng.choices(["accepted", "info_requested", "transfer_disputed"], weights=[8, 2, 1])[0]
        elif roll < 0.02 and age > 3:
            plan["status"] = "merged"
        else:
            plan["status"] = "replied"
            late = rng.random() < 0.12
            days = limit + rng.randint(1, 12) if late else rng.randint(1, max(limit, 1))
            plan["replied_on"] = min(plan["received"] + timedelta(days=days), today)
            if plan["replied_on"] == today and age > 0:
                plan["replied_on"] = plan["received"] + timedelta(days=max(1, min(days, age) - 1))
            if age > 40 and rng.random() < 0.04:
                plan["reopened_on"] = plan["replied_on"] + timedelta(days=rng.randint(1, 5))
                plan["status"] = "reopened" if rng.random() < 0.4 else "replied"

    numbers = {}
    for year in sorted({p["received"].year for p in plans}):
        in_year = [p for p in plans if p["received"].year == year]
        for plan, number in zip(in_year, _reserve_numbers("YJ", year, len(in_year)), strict=True):
            numbers[id(plan)] = number

    cases = []
    for plan in plans:
        category, received, status = plan["category"], plan["received"], plan["status"]
        closed_at = due_at_close = due_date = None
        clock_start, clock_unit = received, category.time_limit_unit
        if status == "replied":
            plan["replied_at"] = min(_moment(plan["replied_on"], rng), now)
            if plan.get("reopened_on"):
                # Reopened once, then replied again on the new clock.
                plan["reopened_at"] = _moment(plan["reopened_on"], rng)
                new_due = workdays.compute(calendar, plan["reopened_on"], category.time_limit_days, clock_unit).due
                second = plan["reopened_on"] + timedelta(
                    days=rng.randint(1, max(1, (new_due - plan["reopened_on"]).days))
                )
                plan["replied_at"] = min(_moment(min(second, today), rng), now)
                plan["first_replied_at"] = _moment(plan["replied_on"], rng)
                clock_start, plan["due"] = plan["reopened_on"], new_due
            closed_at, due_at_close = plan["replied_at"], plan["due"]
        elif status == "reopened":
            plan["replied_at"] = _moment(plan["replied_on"], rng)
            plan["reopened_at"] = min(_moment(plan["reopened_on"], rng), now)
            clock_start = plan["reopened_on"]
            due_date = workdays.compute(calendar, clock_start, category.time_limit_days, clock_unit).due
        elif status == "merged":
            closed_at = min(_moment(received + timedelta(days=rng.randint(1, 3)), rng), now)
            due_at_close = plan["due"]
        else:
            due_date = plan["due"]
        department = category.lead_department
        # Whatever the time of day the demo is loaded, a case is never closed before it was received.
        created_at = min(_moment(received, rng, 8, 12), now)
        if closed_at is not None:
            closed_at = max(closed_at, created_at)
            if status == "replied":
                plan["replied_at"] = closed_at
        cases.append(
            Case(
                kind="opinion",
                number=numbers[id(plan)],
                query_code=new_query_code(),
                applicant=plan["submitter"],
                contact_name=plan["submitter"].full_name if plan["submitter"] else plan["name"],
                contact_email=plan["submitter"].email if plan["submitter"] else "",
                channel=plan["channel"],
                department=department,
                status=status,
                received_on=received,
                clock_rule=Opinion.clock_rule(category),
                clock_unit=clock_unit,
                clock_days=category.time_limit_days,
                clock_start=clock_start,
                due_date=due_date,
                closed_at=closed_at,
                due_at_close=due_at_close,
                created_at=created_at,
            )
        )
    Case.objects.bulk_create(cases, batch_size=1000)

    # Main cases for the merged ones: an earlier open or replied case of the same department and kind class.
    by_department = {}
    for plan, case in zip(plans, cases, strict=True):
        plan["case"] = case
        if plan["status"] in ("replied", "accepted", "reopened", "info_requested"):
            by_department.setdefault((case.department_id, plan["report"]), []).append(plan)

    opinions = []
    merged_plans = []
    for plan in plans:
        status = plan["status"]
        if status == "merged":
            candidates = [
                p for p in by_department.get((plan["case"].department_id, plan["report"]), []) if p is not plan
            ]
            if not candidates:
                # Nothing to merge into: it was replied on the day it closed instead.
                plan["status"] = status = "replied"
                plan["replied_at"] = plan["case"].closed_at
                Case.objects.filter(pk=plan["case"].pk).update(status=status)
            else:
                merged_plans.append(plan)
                continue
        opinions.append(_opinion(plan, Opinion))
    Opinion.objects.bulk_create(opinions, batch_size=1000)
    for plan, opinion in zip([p for p in plans if p["status"] != "merged"], opinions, strict=True):
        plan["opinion"] = opinion
    merged = []
    for plan in merged_plans:
        candidates = by_department[(plan["case"].department_id, plan["report"])]
        main = rng.choice([p for p in candidates if "opinion" in p])
        merged.append(_opinion(plan, Opinion, merged_into=main["opinion"]))
        plan["main"] = main
    Opinion.objects.bulk_create(merged, batch_size=1000)

    events = []
    for plan in plans:
        events.extend(_events(plan, staff.get(plan["case"].department_id), rng))
    CaseEvent.objects.bulk_create(events, batch_size=2000)

    ratings, poor = [], []
    for plan in plans:
        if plan["status"] != "replied" or plan["case"].channel == "post" or rng.random() > 0.6:
            continue
        if plan.get("reopened_at"):
            level = rng.choice([2, 3, 4])
        else:
            level = rng.choices([5, 4, 3, 2, 1], weights=[50, 30, 12, 5, 3])[0]
        if level <= 2 and len(poor) < 20:
            poor.append((plan["case"], level))
        elif level >= 3:
            created_at = plan["case"].closed_at + timedelta(hours=rng.randint(1, 72))
            ratings.append(Rating(case=plan["case"], channel="web", level=level, created_at=min(created_at, now)))
    Rating.objects.bulk_create(ratings, batch_size=2000)
    for case, level in poor:
        Rating.give(case=case, level=level, comment="答复不够具体，问题没有彻底解决。", by=case.applicant)

    published = _publish(plans, rng, now)
    created += len(cases) + len(opinions) + len(merged) + len(events) + len(ratings) + len(poor) * 2
    if stdout:
        stdout.write(
            f"Opinion cases: {len(cases)} cases, {len(merged)} merged, {len(ratings) + len(poor)} ratings, "
            f"{published} on the public board."
        )
    return created


def _opinion(plan, Opinion, merged_into=None):
    status = plan["status"]
    replied = status in ("replied", "reopened")
    reply = plan["reply"] if replied else ""
    return Opinion(
        case=plan["case"],
        kind=plan["kind"],
        category=plan["category"],
        submitter=plan["submitter"],
        status=status,
        title=plan["title"],
        description=plan["description"],
        reported_department=plan["reported"],
        consent_to_publish=plan["consent"],
        merged_into=merged_into,
        info_request=INFO_REQUEST if status == "info_requested" else "",
        reply=reply,
        replied_at=plan.get("replied_at") if replied else None,
        reopen_reason=REOPEN_REASON if plan.get("reopened_at") else "",
        reopened_at=plan.get("reopened_at"),
        created_at=plan["case"].created_at,
    )


def _events(plan, actor, rng):
    """The timeline each case would have had, step by step, on the days it happened."""
    case, status = plan["case"], plan["status"]
    start = case.created_at
    steps = [("", "submitted", "已收到，请等待受理。", None, start)]
    accepted_at = start + timedelta(hours=rng.randint(2, 30))
    if status == "transfer_disputed":
        steps.append(
            ("submitted", "transfer_disputed", "接收部门对转办有异议，等待中心督查员决定。", actor, accepted_at)
        )
        return [_event(case, *step) for step in steps]
    if status == "submitted":
        return [_event(case, *step) for step in steps]
    steps.append(("submitted", "accepted", "已受理。", actor, accepted_at))
    if status == "info_requested":
        steps.append(("accepted", "info_requested", INFO_REQUEST, actor, accepted_at + timedelta(hours=4)))
    elif status == "merged":
        main = plan["main"]["case"]
        steps.append(
            (
                "accepted",
                "merged",
                f"与案件 {main.number} 反映同一事项，已合并办理，您将收到该案件的答复。",
                actor,
                case.closed_at,
            )
        )
    elif status in ("replied", "reopened"):
        first_reply_at = plan.get("first_replied_at") or (plan["replied_at"] if status == "reopened" else None)
        if first_reply_at:
            steps.append(("accepted", "replied", plan["reply"], actor, max(first_reply_at, accepted_at)))
            steps.append(("replied", "reopened", f"提交人申请重新办理：{REOPEN_REASON}", None, plan["reopened_at"]))
            if status == "replied":
                steps.append(("reopened", "replied", plan["reply"], actor, plan["replied_at"]))
        else:
            steps.append(("accepted", "replied", plan["reply"], actor, max(plan["replied_at"], accepted_at)))
    # The timeline never runs backwards nor past the closing (or the moment the demo is loaded).
    ceiling = case.closed_at or timezone.now()
    events, last = [], start
    for old, new, note, by, at in steps:
        last = max(last, min(at, ceiling))
        events.append(_event(case, old, new, note, by, last))
    return events


def _event(case, old, new, note, actor, at):
    kind = CaseEvent.Kind.OPENED if not old else CaseEvent.Kind.STATUS
    return CaseEvent(case=case, kind=kind, old_status=old, new_status=new, note=note, actor=actor, created_at=at)


def _publish(plans, rng, now):
    """A few dozen consented, replied cases on the board, as a moderator would publish them."""
    from opinions.models import Opinion
    from opinions.publishing import publication_draft

    chosen = [p for p in plans if p["status"] == "replied" and p["consent"] and not p["report"] and p.get("opinion")]
    chosen = sorted(chosen, key=lambda p: p["replied_at"])[-400:]
    chosen = rng.sample(chosen, min(40, len(chosen)))
    for index, plan in enumerate(chosen):
        opinion = plan["opinion"]
        if index % 5 == 0:
            # As people write: a phone number typed into the text, which the scrubbing masks.
            opinion.description += f"联系电话138{rng.randint(10000000, 99999999)}。"
            Opinion.objects.filter(pk=opinion.pk).update(description=opinion.description)
        draft, _findings = publication_draft(opinion)
        opinion.public_title, opinion.public_description, opinion.public_reply = (
            draft["title"],
            draft["description"],
            draft["reply"],
        )
        opinion.public_name = scrub.mask_name(plan["case"].contact_name)
        opinion.published_at = min(opinion.replied_at + timedelta(hours=rng.randint(4, 72)), now)
    Opinion.objects.bulk_update(
        [p["opinion"] for p in chosen],
        ["public_title", "public_description", "public_reply", "public_name", "published_at"],
    )
    return len(chosen)
