"""Demo drafts for comment: one open with comments in every moderation state, one closed major decision with its
dispositions, published adoption report and final decision. Idempotent: drafts are found by title.

Every step is the draft's or the comment's real move, taken inside `clock.at(the moment it happened)`: the
history, the moderation and disposition times, the report's and the decision's dates are the moves' own, never
written afterwards. No moment is later than the moment of loading.

Called by `manage.py seed_demo` (wired in by the lead): `seed(stdout=None)` returns the number of drafts created.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.lib import clock
from civiccenter.models import Department, User
from civiccenter.stateful import log_status
from hearings.models.drafts import Article, CatalogueItem, Draft, DraftKind

_DATA = demo.load("hearings", "drafts")


def _articles(rows):
    """(heading, text), numbered from 1 in this order."""
    return [(row["heading"], row["text"]) for row in rows]


OPEN_TITLE = _DATA["open"]["title"]
OPEN_ARTICLES = _articles(_DATA["open"]["articles"])
# article number (None: the whole draft), display name, text, state, withheld reason
OPEN_COMMENTS = [
    (row.get("article"), row["name"], row["text"], row["state"], row.get("reason", ""))
    for row in _DATA["open"]["comments"]
]

CLOSED_TITLE = _DATA["closed"]["title"]
CLOSED_ARTICLES = _articles(_DATA["closed"]["articles"])
# article, display name, text, disposition, reason
CLOSED_COMMENTS = [
    (row.get("article"), row["name"], row["text"], row["disposition"], row["reason"])
    for row in _DATA["closed"]["comments"]
]
CLOSED_DECISION = _DATA["closed"]["decision"]

# title, title_en, department code, whether the closed draft is this item
CATALOGUE = [(row["title"], row["title_en"], row["department"], row.get("draft", False)) for row in _DATA["catalogue"]]

# email, full name
COMMENTERS = [(row["email"], row["name"]) for row in _DATA["commenters"]]


def _commenters():
    people = []
    for email, name in COMMENTERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, None, full_name=name, email_confirmed_at=clock.now())
        people.append(user)
    return people


def _staff(code):
    department = Department.objects.get(code=code)
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("-is_superuser", "pk")
    return department, staff.filter(department=department).first() or staff.first()


def _on(day, hour, now):
    """The portal's clock set to `hour` o'clock on `day` (Beijing), never later than `now`, the moment of loading."""
    return clock.at(min(timezone.make_aware(datetime.combine(day, time(hour))), now))


def _draft(
    title,
    department,
    articles,
    *,
    by,
    opens_on,
    closes_on,
    major,
    kind,
    explanation,
    how_to_comment,
    catalogue_item=None,
):
    draft = Draft.objects.create(
        catalogue_item=catalogue_item,
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


def _catalogue(prepared_on, now):
    """The catalogue of major decision items of `prepared_on`'s year, published (Order 713 Art. 3) before the
    draft is prepared; returns the closed draft's item."""
    year = prepared_on.year
    published_on = min(prepared_on, max(date(year, 1, 5), prepared_on - timedelta(days=20)))
    mine = None
    for order, (title, title_en, code, is_drafts) in enumerate(CATALOGUE):
        if not Department.objects.filter(code=code).exists():
            continue  # a partial demo (the tests load only some departments)
        department, staff = _staff(code)
        item = CatalogueItem.objects.filter(year=year, title=title).first()
        if item is None:
            with _on(published_on - timedelta(days=2), 10, now):
                item = CatalogueItem.objects.create(
                    year=year, title=title, title_en=title_en, department=department, order=order
                )
                log_status(item, by=staff)
            with _on(published_on, 10, now):
                item.publish(by=staff)
        if is_drafts:
            mine = item
    return mine


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def seed_open(people, moderator, now):
    """Prepared three days before it opened, published on the opening day, a comment a day since (each
    moderated that afternoon, except the ones still waiting)."""
    if Draft.objects.filter(title=OPEN_TITLE).exists():
        return 0
    department, staff = _staff("SCJG")
    moderator = moderator or staff
    opens_on = timezone.localdate(now) - timedelta(days=10)
    with _on(opens_on - timedelta(days=3), 10, now):
        draft = _draft(
            OPEN_TITLE,
            department,
            OPEN_ARTICLES,
            by=staff,
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=40),
            major=False,
            kind="行政规范性文件",
            explanation=(
                "近年来本区农贸市场经营秩序总体良好，但仍存在食用农产品检测公示不到位、早市噪声扰民、"
                "环境卫生管理不规范等问题。为此，区市场监督管理局起草了本办法，主要规定了开办者责任、"
                "营业时间和环境卫生要求。"
            ),
            how_to_comment="也可将意见寄至区市场监督管理局法规科（信封注明“农贸市场管理办法意见”），或到市民服务中心一楼总服务台填写意见表。",
        )
    with _on(opens_on, 9, now):
        draft.publish(by=staff)
    articles = {a.number: a for a in draft.articles.all()}
    for i, (number, name, text, state, reason) in enumerate(OPEN_COMMENTS):
        day = opens_on + timedelta(days=1 + i)
        with _on(day, 9, now):
            comment = draft.submit_comment(
                by=people[i % len(people)], text=text, display_name=name, article=articles.get(number)
            )
        if state != "pending":
            with _on(day, 16, now):
                comment.moderate(by=moderator, publish=state == "published", reason=reason)
    return 1


@transaction.atomic
def seed_closed(people, moderator, now):
    """A major decision: prepared, published, a comment every three days (published that afternoon); after the
    period the dispositions within a week, the adoption report generated and published, then the decision."""
    if Draft.objects.filter(title=CLOSED_TITLE).exists():
        return 0
    department, staff = _staff("ZJ")
    moderator = moderator or staff
    opens_on = timezone.localdate(now) - timedelta(days=85)
    item = _catalogue(opens_on - timedelta(days=3), now)
    with _on(opens_on - timedelta(days=3), 10, now):
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
            catalogue_item=item,
        )
    with _on(opens_on, 9, now):
        draft.publish(by=staff)
    articles = {a.number: a for a in draft.articles.all()}
    comments = []
    for i, (number, name, text, _disposition, _reason) in enumerate(CLOSED_COMMENTS):
        day = opens_on + timedelta(days=2 + 3 * i)
        with _on(day, 9, now):
            comment = draft.submit_comment(
                by=people[i % len(people)], text=text, display_name=name, article=articles.get(number)
            )
        with _on(day, 16, now):
            comment.moderate(by=moderator, publish=True)
        comments.append(comment)
    closed_on = draft.closes_on
    with _on(closed_on + timedelta(days=5), 10, now):
        for comment, (_n, _name, _text, disposition, reason) in zip(comments, CLOSED_COMMENTS, strict=True):
            comment.dispose(by=staff, disposition=disposition, reason=reason)
    with _on(closed_on + timedelta(days=8), 10, now):
        report = draft.generate_report(by=staff)
        report.text = (
            "2026年征求意见期间，共收到社会公众意见6条。区住房和城乡建设局逐条研究，采纳2条，部分采纳2条，"
            "未采纳1条，不属于本办法调整范围1条。主要采纳情况：增加加装电梯管线预留、住房公积金用于加装电梯等内容。"
        )
        report.save(update_fields=["text"])
    with _on(closed_on + timedelta(days=10), 10, now):
        report.publish(by=staff)
    with _on(closed_on + timedelta(days=20), 10, now):
        draft.publish_decision(by=staff, text=CLOSED_DECISION)
    return 1


def seed(stdout=None):
    now = clock.now()  # the moment of loading: no step is dated later
    people = _commenters()
    moderator = User.objects.filter(email="moderator@demo.civiccenter.example").first()
    created = seed_open(people, moderator, now)
    if created:
        _say(stdout, f"  draft open for comment: {OPEN_TITLE}")
    closed = seed_closed(people, moderator, now)
    if closed:
        _say(stdout, f"  closed major decision with its adoption report and decision: {CLOSED_TITLE}")
    return created + closed
