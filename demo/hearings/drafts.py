"""Demo drafts for comment: one open with comments in every moderation state, one closed major decision with its
dispositions, published adoption report and final decision. Idempotent: drafts are found by title.

Called by `manage.py seed_demo` (wired in by the lead): `seed(stdout=None)` returns the number of drafts created.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from civiccenter.models import Department, User
from civiccenter.stateful import StatusEvent, log_status
from hearings.models.drafts import Article, Comment, Draft, DraftKind

OPEN_TITLE = "示范区农贸市场管理办法（征求意见稿）"
OPEN_ARTICLES = [
    (
        "目的依据",
        "为规范农贸市场经营秩序，保障食用农产品质量安全，方便群众生活，根据有关法律法规，结合本区实际，制定本办法。",
    ),
    ("适用范围", "本办法适用于本区行政区域内农贸市场的规划建设、经营管理及其监督管理活动。"),
    ("开办者责任", "农贸市场开办者应当建立食用农产品进货查验、快速检测和信息公示制度，配备专职食品安全管理人员。"),
    ("营业时间", "农贸市场营业时间由开办者根据周边居民需要确定，并在市场入口显著位置公示；早市不得早于五时开市。"),
    ("环境卫生", "农贸市场应当实行垃圾分类，每日闭市后清洗消毒；活禽交易区域应当与其他区域物理隔离。"),
    ("施行日期", "本办法自2027年1月1日起施行。"),
]
OPEN_COMMENTS = [
    # article number (None: the whole draft), display name, text, state, withheld reason
    (3, "菜市场老主顾", "建议第三条明确快速检测结果每天在市场入口电子屏公示，方便居民查看。", "published", ""),
    (3, "食品安全志愿者", "快速检测的抽检比例应当写明，例如每日不少于20个批次。", "published", ""),
    (4, "新华街居民", "早上五点开市太吵，建议临近住宅的市场改为六点，我家电话13812345678可以联系。", "published", ""),
    (5, "环保爱好者", "希望增加净菜上市、减少塑料袋使用的要求。", "pending", ""),
    (None, "个体经营户", "办法总体很好，建议给老摊主留出一年过渡期。", "pending", ""),
    (2, "路过的人", "低价出售二手摊位，有意者加微信详谈。", "withheld", "与草案无关的广告信息"),
]

CLOSED_TITLE = "示范区老旧小区改造实施办法（征求意见稿）"
CLOSED_ARTICLES = [
    ("目的依据", "为推进本区城镇老旧小区改造，改善居民居住条件，根据国家和省有关规定，结合本区实际，制定本办法。"),
    ("适用范围", "本办法适用于本区2000年底前建成、失养失修失管、市政配套设施不完善的住宅小区改造。"),
    ("改造内容", "改造内容分为基础类、完善类和提升类。基础类包括供水、排水、供电、弱电、道路、供气、消防等设施改造。"),
    ("居民参与", "改造方案应当经小区居民充分协商，并经专有部分面积占比三分之二以上且人数占比三分之二以上的业主同意。"),
    ("资金筹措", "改造资金由政府补助、居民出资、社会资本参与等多渠道筹措；加装电梯的居民出资比例由业主协商确定。"),
    ("施行日期", "本办法自发布之日起施行。"),
]
CLOSED_COMMENTS = [
    # article, display name, text, disposition, reason
    (
        3,
        "幸福里居民",
        "基础类改造应当包括加装电梯的管线预留。",
        "adopted",
        "已在第三条增加“为加装电梯预留管线和基础”的内容。",
    ),
    (
        3,
        "老党员",
        "建议把适老化改造（扶手、坡道）列入基础类。",
        "partly",
        "适老化改造列入完善类，有条件的小区优先实施。",
    ),
    (
        4,
        "业委会成员",
        "三分之二同意的门槛太高，老旧小区很难达到。",
        "not_adopted",
        "同意比例依据《民法典》第二百七十八条确定，不宜降低。",
    ),
    (
        5,
        "一楼住户",
        "一楼住户不用电梯，不应分摊加装电梯费用。",
        "partly",
        "第五条增加“出资比例可按楼层差异确定”的表述。",
    ),
    (
        5,
        "社区志愿者",
        "希望明确住房公积金可以用于加装电梯。",
        "adopted",
        "已在第五条增加提取住房公积金用于加装电梯的规定。",
    ),
    (
        None,
        "热心市民",
        "建议同步规划小区周边公交线路。",
        "out_of_scope",
        "公交线路规划不属于本办法调整范围，已转交区交通运输局研究。",
    ),
]
CLOSED_DECISION = (
    "《示范区老旧小区改造实施办法》经2026年区人民政府第12次常务会议审议通过，现予公布，自公布之日起施行。\n"
    "公开征求意见期间共收到意见6条，采纳2条，部分采纳2条，未采纳1条，不属于本办法范围1条，"
    "采纳情况详见意见采纳情况报告。"
)

COMMENTERS = [
    ("citizen@demo.civiccenter.example", "张明"),
    ("ngo@demo.civiccenter.example", "刘芳"),
    ("resident1@demo.civiccenter.example", "王桂兰"),
    ("resident2@demo.civiccenter.example", "李强"),
]


def _commenters():
    people = []
    for email, name in COMMENTERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, full_name=name, email_confirmed_at=timezone.now())
        people.append(user)
    return people


def _staff(code):
    department = Department.objects.get(code=code)
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("-is_superuser", "pk")
    return department, staff.filter(department=department).first() or staff.first()


def _draft(title, department, articles, *, by, opens_on, closes_on, major, kind, explanation, how_to_comment):
    draft = Draft.objects.create(
        title=title,
        department=department,
        kind=DraftKind.objects.get(name=kind),
        major=major,
        explanation=explanation,
        how_to_comment=how_to_comment,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    log_status(draft, by=by)
    Article.objects.bulk_create(
        Article(draft=draft, number=n, heading=heading, text=text) for n, (heading, text) in enumerate(articles, 1)
    )
    return draft


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _date_events(obj, when):
    """Put the history of `obj` on the days it stands for: {move name ("" for its creation): time}."""
    for move, at in when.items():
        StatusEvent.objects.of(obj).filter(move=move).update(created_at=at)


def _date_back(comment, day, *, moderated):
    """The workflow ran today; put the comment on the day it stands for (moderated the next working hours)."""
    Comment.objects.filter(pk=comment.pk).update(
        created_at=_at(day, 9), moderated_at=_at(day, 16) if moderated else None
    )
    _date_events(comment, {"": _at(day, 9), "publish": _at(day, 16), "withhold": _at(day, 16)})


def seed(stdout=None):
    today = timezone.localdate()
    people = _commenters()
    moderator = User.objects.filter(email="moderator@demo.civiccenter.example").first()
    created = 0

    if not Draft.objects.filter(title=OPEN_TITLE).exists():
        department, staff = _staff("SCJG")
        moderator = moderator or staff
        draft = _draft(
            OPEN_TITLE,
            department,
            OPEN_ARTICLES,
            by=staff,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=30),
            major=False,
            kind="行政规范性文件",
            explanation=(
                "近年来本区农贸市场经营秩序总体良好，但仍存在食用农产品检测公示不到位、早市噪声扰民、"
                "环境卫生管理不规范等问题。为此，区市场监督管理局起草了本办法，主要规定了开办者责任、"
                "营业时间和环境卫生要求。"
            ),
            how_to_comment="也可将意见寄至区市场监督管理局法规科（信封注明“农贸市场管理办法意见”），或到市民服务中心一楼总服务台填写意见表。",
        )
        draft.publish(by=staff, today=draft.opens_on)
        _date_events(draft, {"": _at(draft.opens_on - timedelta(days=3)), "publish": _at(draft.opens_on, 9)})
        articles = {a.number: a for a in draft.articles.all()}
        for i, (number, name, text, state, reason) in enumerate(OPEN_COMMENTS):
            comment = draft.submit_comment(
                by=people[i % len(people)],
                text=text,
                display_name=name,
                article=articles.get(number),
                today=draft.opens_on + timedelta(days=1 + i),
            )
            if state != "pending":
                comment.moderate(by=moderator, publish=state == "published", reason=reason)
            _date_back(comment, draft.opens_on + timedelta(days=1 + i), moderated=state != "pending")
        created += 1
        _say(stdout, f"  draft open for comment: {OPEN_TITLE}")

    if not Draft.objects.filter(title=CLOSED_TITLE).exists():
        department, staff = _staff("ZJ")
        moderator = moderator or staff
        opens_on = today - timedelta(days=85)
        draft = _draft(
            CLOSED_TITLE,
            department,
            CLOSED_ARTICLES,
            by=staff,
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=40),
            major=True,
            kind="重大行政决策",
            explanation=(
                "本区2000年底前建成的住宅小区共有186个，普遍存在设施老化、停车难、无电梯等问题。"
                "老旧小区改造已列入区政府重大行政决策事项目录。本办法明确改造范围、内容、居民参与和资金筹措机制。"
            ),
            how_to_comment="也可将书面意见寄至区住房和城乡建设局城市更新科，或发送至各街道办事处意见箱。",
        )
        draft.publish(by=staff, today=opens_on)
        _date_events(draft, {"": _at(opens_on - timedelta(days=3)), "publish": _at(opens_on, 9)})
        articles = {a.number: a for a in draft.articles.all()}
        comments = []
        for i, (number, name, text, _disposition, _reason) in enumerate(CLOSED_COMMENTS):
            comment = draft.submit_comment(
                by=people[i % len(people)],
                text=text,
                display_name=name,
                article=articles.get(number),
                today=opens_on + timedelta(days=2 + 3 * i),
            )
            comment.moderate(by=moderator, publish=True)
            _date_back(comment, opens_on + timedelta(days=2 + 3 * i), moderated=True)
            comments.append(comment)
        # After the period: dispositions within a week, the report, then the decision.
        closed_on = draft.closes_on
        for comment, (_n, _name, _text, disposition, reason) in zip(comments, CLOSED_COMMENTS, strict=True):
            comment.dispose(by=staff, disposition=disposition, reason=reason, today=closed_on + timedelta(days=5))
            Comment.objects.filter(pk=comment.pk).update(disposed_at=_at(closed_on + timedelta(days=5)))
            _date_events(comment, {"dispose": _at(closed_on + timedelta(days=5))})
        report = draft.generate_report(by=staff, today=closed_on + timedelta(days=8))
        report.text = (
            "2026年征求意见期间，共收到社会公众意见6条。区住房和城乡建设局逐条研究，采纳2条，部分采纳2条，"
            "未采纳1条，不属于本办法调整范围1条。主要采纳情况：增加加装电梯管线预留、住房公积金用于加装电梯等内容。"
        )
        report.save(update_fields=["text"])
        report.publish(by=staff, today=closed_on + timedelta(days=10))
        draft.publish_decision(by=staff, text=CLOSED_DECISION, today=closed_on + timedelta(days=20))
        type(report).objects.filter(pk=report.pk).update(published_at=_at(closed_on + timedelta(days=10)))
        Draft.objects.filter(pk=draft.pk).update(decided_at=_at(closed_on + timedelta(days=20)))
        _date_events(
            draft,
            {
                "generate_report": _at(closed_on + timedelta(days=8)),
                "publish_report": _at(closed_on + timedelta(days=10)),
                "publish_decision": _at(closed_on + timedelta(days=20)),
            },
        )
        created += 1
        _say(stdout, f"  closed major decision with its adoption report and decision: {CLOSED_TITLE}")
    return created
