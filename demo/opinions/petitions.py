"""Demo petitions: about 30 at every stage (one through review and re-review to final, one extended,
one redirected, one transferred, one with a hearing, one restating a pending matter in new words and linked to it),
filed and moved through the model methods on days relative to today. Idempotent: nothing is created when demo
petitions exist."""

from datetime import timedelta

from django.db import transaction

import demo
from civiccenter.lib import clock
from civiccenter.models import Department, User
from opinions.models.petitions import Petition

_DATA = demo.load("opinions", "petitions")

STREETS = _DATA["streets"]
# (request, facts, reasons)
MATTERS = [(row["request"], row["facts"], row["reasons"]) for row in _DATA["matters"]]
NAMES = _DATA["names"]
FACTS = "经现场检查，当事人存在群众反映的问题，已依法责令其限期整改。"
BASIS = "《中华人民共和国食品安全法》第三十四条；《信访工作条例》第三十二条"


def _opinion(petition, by, day, outcome="supported"):
    petition.issue_opinion(
        by=by,
        outcome=outcome,
        facts=FACTS,
        legal_basis=BASIS,
        text="你反映的问题属实，我局已责令当事人整改，并将在一个月内复查整改情况。",
        today=day,
    )


def seed(stdout=None) -> int:
    if Petition.objects.exists():
        return 0
    department = Department.objects.filter(code="SCJG").first()
    clerk = User.objects.filter(email="clerk@demo.civiccenter.example").first()
    reviewer = User.objects.filter(email="reviewer@demo.civiccenter.example").first()
    head = User.objects.filter(email="head@demo.civiccenter.example").first()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    if not (department and clerk and reviewer and head):
        return 0
    today = clock.today()
    made = []

    def new(n, days_ago, *, petitioner=None, channel="web", **extra):
        name = petitioner.full_name if petitioner else NAMES[n % len(NAMES)]
        request, facts, reasons = MATTERS[n % len(MATTERS)]
        petition = Petition.file(
            by=petitioner or clerk,
            petitioner=petitioner,
            department=department,
            name=name,
            address=f"示范区{STREETS[n % len(STREETS)]}{10 + n} 号",
            request=f"{request}（{STREETS[n % len(STREETS)]}）",
            facts=facts,
            reasons=reasons,
            phone=f"1380013{n:04d}",
            channel=channel,
            today=today - timedelta(days=days_ago),
            **extra,
        )
        made.append(petition)
        return petition

    channels = ["web", "window", "post", "phone"]
    with transaction.atomic():
        # The demo citizen's own: one final after review and re-review, one handling opinion to review.
        final = new(0, 150, petitioner=citizen)
        final.accept(by=clerk, today=today - timedelta(days=148))
        _opinion(final, reviewer, today - timedelta(days=110), outcome="explained")
        final.request_review(by=citizen, reason="整改没有落实，油烟仍然直排。", today=today - timedelta(days=100))
        _opinion(final, reviewer, today - timedelta(days=75), outcome="explained")
        final.request_rereview(by=citizen, reason="复查意见未回应我的诉求。", today=today - timedelta(days=60))
        final.start_hearing(by=reviewer, on=today - timedelta(days=45))
        final.end_hearing(by=reviewer, on=today - timedelta(days=43))
        _opinion(final, head, today - timedelta(days=35), outcome="not_supported")
        if citizen:
            mine = new(1, 40, petitioner=citizen)
            mine.accept(by=clerk, today=today - timedelta(days=38))
            _opinion(mine, reviewer, today - timedelta(days=6))
            new(2, 3, petitioner=citizen)
        # Registered, awaiting the 15-day decision (one nearly due, one overdue).
        for n, ago in [(3, 1), (4, 5), (5, 13), (6, 17)]:
            new(n, ago, channel=channels[n % 4])
        group = new(
            7,
            2,
            channel="window",
            represented_count=36,
            represented_names="3 号楼全体住户",
            representatives=["周杰", "吴敏", "徐强"],
        )
        # Accepted and being handled; one extended by the head.
        handled = {}
        for n, ago in [(8, 10), (9, 30), (10, 55), (11, 62)]:
            handled[n] = new(n, ago, channel=channels[n % 4])
            handled[n].accept(by=clerk, today=today - timedelta(days=ago - 2))
        extended = new(12, 70, channel="post")
        extended.accept(by=clerk, today=today - timedelta(days=68))
        # Extended while the 60 days ran (Art. 34): a time limit already over is not extended.
        extended.extend(
            by=head, days=30, reason="需委托第三方检测机构对油烟排放进行检测。", today=today - timedelta(days=30)
        )
        group.accept(by=clerk, today=today - timedelta(days=1))
        # Decided otherwise: transferred, redirected, not accepted.
        new(13, 40).transfer(by=clerk, organ="文三街道办事处", reason="该事项属于街道属地管理职责。")
        new(14, 35, channel="window").redirect(
            by=clerk, route="litigation", explanation="预付卡退款属于民事合同纠纷，请向人民法院提起诉讼。"
        )
        new(15, 33, channel="phone").redirect(
            by=clerk, route="reconsideration", explanation="对行政处罚决定不服的，请依法申请行政复议。"
        )
        new(16, 28).refuse(
            by=clerk, reason="同一事项正由市市场监督管理局办理，本级不再受理（《信访工作条例》第十九条）。"
        )
        # Opinions issued, some within their review window, some past it.
        for n, ago in [(17, 90), (18, 75), (19, 50), (20, 25), (21, 12)]:
            p = new(n, ago, channel=channels[n % 4])
            p.accept(by=clerk, today=today - timedelta(days=ago - 3))
            _opinion(
                p,
                reviewer,
                today - timedelta(days=ago - 40 if ago > 45 else 2),
                outcome=["supported", "explained", "not_supported"][n % 3],
            )
        # In review, reviewed, in re-review.
        for n in (22, 23):
            p = new(n, 80)
            p.accept(by=clerk, today=today - timedelta(days=78))
            _opinion(p, reviewer, today - timedelta(days=40))
            p.request_review(
                by=clerk, reason="信访人来信表示对处理意见不服。", today=today - timedelta(days=20 + n - 22)
            )
        reviewed = new(24, 100, channel="post")
        reviewed.accept(by=clerk, today=today - timedelta(days=98))
        _opinion(reviewed, reviewer, today - timedelta(days=60))
        reviewed.request_review(by=clerk, reason="信访人不服处理意见。", today=today - timedelta(days=50))
        _opinion(reviewed, head, today - timedelta(days=10), outcome="explained")
        rereview = new(25, 120)
        rereview.accept(by=clerk, today=today - timedelta(days=118))
        _opinion(rereview, reviewer, today - timedelta(days=80))
        rereview.request_review(by=clerk, reason="信访人不服处理意见。", today=today - timedelta(days=70))
        _opinion(rereview, head, today - timedelta(days=45))
        rereview.request_rereview(by=clerk, reason="信访人不服复查意见。", today=today - timedelta(days=20))
        rereview.start_hearing(by=reviewer, on=today - timedelta(days=3))
        for n in (26, 27, 28):
            new(n, 6 + n - 26, channel=channels[n % 4])
        # The same matter in new words (Art. 19): the petitioner of a petition being handled writes again today,
        # 请求 → 要求, so the fingerprint differs; the clerk links it to the first, which it cannot be accepted beside.
        first = handled[8]
        words = first.request.replace("请求", "要求", 1) if "请求" in first.request else f"要求{first.request}"
        repeat = Petition.file(
            by=clerk,
            department=department,
            name=first.name,
            address=first.address,
            request=words,
            facts=first.facts,
            reasons=first.reasons,
            phone=first.case.contact_phone,
            channel="post",
            today=today,
        )
        repeat.link_same_matter(by=clerk, earlier=first)
        made.append(repeat)
    if stdout:
        stdout.write(f"petitions: {len(made)}")
    return len(made)
