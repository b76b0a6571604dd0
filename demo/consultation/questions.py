"""Demo data for online consultation. Idempotent: `seed()` adds only what is missing.

Topics for every demo department; a few hundred answered questions (published
and private) that went through the real workflow (ask, draft, approve,
publish); knowledge-base entries; interpretations linked to published
disclosure documents when there are any; a past and an upcoming lecture with
registrations; a finished interview with its transcript and an announced one.

Every step is a real move (or a creation) taken inside `clock.at(the moment it
happened)`: a case's receipt, timeline, closing time and time limits, a
question's answer and publication, registrations and an interview's history are
the moves' own, never written afterwards. `seed()` reads the moment of loading
once, and no step is dated later.
"""

from datetime import datetime, time, timedelta
from hashlib import sha256
from itertools import product
from math import gcd

from django.db import transaction
from django.utils import timezone

import demo
from civiccenter.lib import clock
from civiccenter.models import Department, User

_DATA = demo.load("consultation", "questions")
_POOLS = _DATA["pools"]


def _slot(values):
    """A slot's values: a named list of [pools] ("@streets") or the values themselves, pairs as tuples."""
    if isinstance(values, str) and values.startswith("@"):
        return _POOLS[values[1:]]
    return [tuple(value) if isinstance(value, list) else value for value in values]


# department code -> [(slug, name, name_en, [(title, question, answer, legal basis)])]: the knowledge-base entries.
TOPICS = {}
for _topic in _DATA["topics"]:
    TOPICS.setdefault(_topic["department"], []).append(
        (
            _topic["slug"],
            _topic["name"],
            _topic["name_en"],
            [(e["title"], e["question"], e["answer"], e["basis"]) for e in _topic["entries"]],
        )
    )
# topic slug -> [([(title, question), ...], answer, legal basis, {slot: values})]
QUESTIONS = {}
for _template in _DATA["questions"]:
    QUESTIONS.setdefault(_template["topic"], []).append(
        (
            [tuple(phrasing) for phrasing in _template["phrasings"]],
            _template["answer"],
            _template["basis"],
            {name: _slot(values) for name, values in _template["slots"].items()},
        )
    )
VARIANTS = [tuple(variant) for variant in _DATA["variants"]]
QUESTION_COUNT = _DATA["question_count"]
ASKER_NAMES = _DATA["asker_names"]
FOLLOW_UPS = [(row["question"], row["answer"]) for row in _DATA["follow_ups"]]
INTERPRETATIONS = [(row["department"], row["title"], row["summary"], row["body"]) for row in _DATA["interpretations"]]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _on(day, hour, now, minute=0):
    """The portal's clock set to `hour:minute` on `day` (Beijing), never later than `now`, the moment of loading."""
    return clock.at(min(_at(day, hour, minute), now))


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(stdout=None) -> int:
    now = clock.now()  # the moment of loading: no step is dated later
    created = 0
    with transaction.atomic():
        created += seed_topics()
    created += seed_questions(now, stdout)
    with transaction.atomic():
        created += seed_knowledge(now)
        created += seed_interpretations(now)
        created += seed_lectures(now)
        created += seed_interviews(now)
    _say(stdout, f"Consultation demo: {created} rows created.")
    return created


def seed_topics() -> int:
    from consultation.models import Topic

    created = 0
    departments = {d.code: d for d in Department.objects.all()}
    order = 0
    for code, topics in TOPICS.items():
        if code not in departments:
            continue
        for slug, name, name_en, _items in topics:
            order += 10
            _topic, new = Topic.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "name_en": name_en, "department": departments[code], "order": order},
            )
            created += new
    return created


def _staff_for(department):
    from civiccenter import roles

    admin = User.objects.filter(email="admin@demo.civiccenter.example").first()
    reviewer = (
        User.objects.filter(department=department, is_staff=True, groups__name=roles.DEPARTMENT_REVIEWER).first()
        or admin
    )
    head = (
        User.objects.filter(department=department, is_staff=True, groups__name=roles.DEPARTMENT_HEAD).first() or admin
    )
    return reviewer, head


def _stride(count):
    """A step prime to `count`, about a third of it: stepping by it visits every index once, well mixed."""
    return next(step for step in range(count // 3 + 1, count + 1) if gcd(step, count) == 1)


def _slot_values(slots):
    """Every combination of a template's slot values as a dict, in a shuffled but fixed order."""
    names = [name for key in slots for name in key.split(",")]
    combos = []
    for values in product(*slots.values()):
        flat = [part for value in values for part in (value if isinstance(value, tuple) else (value,))]
        combos.append(dict(zip(names, flat, strict=True)))
    return sorted(combos, key=lambda combo: sha256("|".join(map(str, combo.values())).encode()).hexdigest())


def _write_question(template, pool, cursor, taken, extra):
    """(next cursor, title, question, answer, legal basis): the template's next question whose title and answer
    are not taken yet."""
    phrasings, answer, basis, _slots = template
    for index in range(cursor, cursor + len(pool) * len(phrasings)):
        values = {**pool[index % len(pool)], **extra}
        # After each round of slot values the phrasings shift, so every value meets every phrasing.
        title, body = (text.format(**values) for text in phrasings[(index + index // len(pool)) % len(phrasings)])
        text = answer.format(**values)
        if title not in taken and text not in taken:
            return index + 1, title, body, text, basis
    raise ValueError(f"Not enough distinct questions for the template “{phrasings[0][0]}”.")


def seed_questions(now, stdout=None) -> int:
    """About 240 answered questions (four in five published), only when there are none yet.

    Each comes from a topic's question template with its slots filled in (a kind of shop, a street, a
    relative...), so that titles differ and each answer speaks to its own question.
    """
    from consultation.models import Question, Topic

    if Question.objects.exists() or not User.objects.filter(email="admin@demo.civiccenter.example").exists():
        return 0
    askers = []
    for index, name in enumerate(ASKER_NAMES, start=1):
        email = f"asker{index:02d}@demo.civiccenter.example"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, full_name=name, email_confirmed_at=now
        )
        askers.append(user)
    topics = {t.slug: t for t in Topic.objects.select_related("department")}
    templates = [(topics[slug], template) for slug, rows in QUESTIONS.items() if slug in topics for template in rows]
    if not templates:
        return 0
    pools = [_slot_values(template[3]) for _topic, template in templates]
    cursors = [0] * len(templates)
    staff = {}
    taken = set()
    today = timezone.localdate(now)
    # Templates are taken in a mixed order, so that neighbours in the list (by date) are on different topics.
    stride = _stride(len(templates))
    count = 0
    for n in range(QUESTION_COUNT):
        which = (n * stride) % len(templates)
        topic, template = templates[which]
        if topic.department_id not in staff:
            staff[topic.department_id] = _staff_for(topic.department)
        reviewer, head = staff[topic.department_id]
        asker = askers[n % len(askers)]
        asked_on = today - timedelta(days=20 + n * 600 // QUESTION_COUNT)  # one every two or three days
        intake = asked_on.year + (asked_on.month >= 9)  # the next school year asked about
        cursors[which], title, body, answer, basis = _write_question(
            template, pools[which], cursors[which], taken, {"intake": intake}
        )
        taken.update((title, answer))
        before, after = VARIANTS[n % len(VARIANTS)]
        with transaction.atomic():
            with _on(asked_on, 9, now, 30):
                question = Question.ask(
                    asker=asker,
                    topic=topic,
                    title=title,
                    body=f"{before}{body}{after}",
                    consent_to_publish=n % 5 != 4,
                )
            # Most answers came within the limit; one in nine came late, so supervision shows both.
            answered_on = asked_on + timedelta(days=12 if n % 9 == 0 else 3)
            _answer(question, f"{asker.full_name}您好：\n{answer}\n政策依据：{basis}", answered_on, reviewer, head, now)
            if n % 11 == 0:
                # The asker follows up the next day; the follow-up is answered within two days.
                follow_up, follow_up_answer = FOLLOW_UPS[n % len(FOLLOW_UPS)]
                with _on(answered_on + timedelta(days=1), 10, now):
                    question.ask_follow_up(by=asker, text=follow_up)
                answered_on += timedelta(days=3)
                _answer(question, follow_up_answer, answered_on, reviewer, head, now)
            if question.consent_to_publish:
                with _on(answered_on, 11, now):
                    draft, _findings = question.publication_draft()
                    question.publish(by=head, **draft)
                _vote(question, n, answered_on, now)
        count += 1
    _say(stdout, f"Consultation demo: {count} answered questions.")
    return count


def _answer(question, text, day, reviewer, head, now):
    """The reviewer drafts the answer in the morning of `day`; the head approves it (sent, case closed) an hour later."""
    with _on(day, 9, now):
        question.draft_answer(by=reviewer, text=text)
    with _on(day, 10, now):
        question.approve(by=head)


def _vote(question, n, published_on, now):
    """Readers of the public Q&A say whether the answer helped, one vote per visitor, in the evenings after."""
    votes = [True] * ((n * 7) % 23) + [False] * ((n * 3) % 5)
    for index, helpful in enumerate(votes):
        with _on(published_on + timedelta(days=1 + index % 3), 20, now, index):
            question.vote(voter=f"session:demo-{question.pk}-{index}", helpful=helpful)


def seed_knowledge(now) -> int:
    from consultation.models import KnowledgeEntry, Topic

    if KnowledgeEntry.objects.exists():
        return 0
    created = 0
    topics = {t.slug: t for t in Topic.objects.all()}
    today = timezone.localdate(now)
    for _code, topic_rows in TOPICS.items():
        for slug, _name, _name_en, items in topic_rows:
            if slug not in topics:
                continue
            for index, (title, _body, answer, basis) in enumerate(items):
                # One in three is overdue for its yearly review, to show the admin's filter.
                reviewed_on = today - timedelta(days=400 if index % 3 == 1 else 30)
                with _on(reviewed_on, 10, now):
                    KnowledgeEntry.objects.create(
                        topic=topics[slug],
                        question=title,
                        answer=answer,
                        legal_basis=basis,
                        published=True,
                        last_reviewed_on=reviewed_on,
                    )
                created += 1
    return created


def seed_interpretations(now) -> int:
    from consultation.models import Interpretation, KnowledgeEntry

    if Interpretation.objects.exists():
        return 0
    try:
        from disclosure.models import Document

        documents = list(Document.objects.published().order_by("-published_on")[:6])
    except Exception:  # noqa: BLE001 - the disclosure demo may not be there; interpretations stand alone
        documents = []
    departments = {d.code: d for d in Department.objects.all()}
    created = 0
    today = timezone.localdate(now)
    for index, (code, title, summary, body) in enumerate(INTERPRETATIONS):
        if code not in departments:
            continue
        published_on = today - timedelta(days=10 * index)
        with _on(published_on, 9, now):
            item = Interpretation.objects.create(
                title=title, summary=summary, body=body, department=departments[code], published_on=published_on
            )
        if documents:
            item.documents.add(*documents[index * 2 : index * 2 + 2])
        item.entries.add(*KnowledgeEntry.objects.filter(topic__department=departments[code])[:2])
        created += 1
    return created


def seed_lectures(now) -> int:
    """A past lecture (announced a month before, eight registrations, its summary the day after) and an
    upcoming one whose places filled in the last days, the last ones on the waiting list."""
    from consultation.models import Lecture, Registration

    if Lecture.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    if "RS" not in departments or "SCJG" not in departments:
        return 0
    today = timezone.localdate(now)
    citizens = list(User.objects.filter(email__startswith="asker").order_by("email"))
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    held = today - timedelta(days=14)
    with _on(held - timedelta(days=30), 10, now):
        past = Lecture.objects.create(
            title="2026年稳就业政策宣讲会",
            topic="失业保险稳岗返还与技能提升补贴",
            description="讲解稳岗返还、技能提升补贴的申领条件和办理流程，并现场答疑。",
            speaker="区人力社保局就业促进科 王科长",
            department=departments["RS"],
            place="市民服务中心三楼报告厅",
            starts_at=_at(held, 14),
            ends_at=_at(held, 16),
            capacity=80,
        )
    for index, person in enumerate(citizens[:8]):
        with _on(held - timedelta(days=20 - 2 * index), 20, now):
            Registration.register(lecture=past, by=person)
    with _on(held + timedelta(days=1), 10, now):
        past.summary = "本次宣讲会共有60余名企业代表参加。主讲人介绍了稳岗返还“免申即享”的办理方式和技能提升补贴的申领条件，并回答了12个现场提问。"
        past.save(update_fields=["summary"])
    with _on(today - timedelta(days=5), 10, now):
        upcoming = Lecture.objects.create(
            title="个体工商户登记与年报政策讲座",
            topic="个体工商户登记、年报和信用修复",
            description="面向个体经营者，讲解登记、年度报告和信用修复的最新规定。可现场参加，也可在线观看。",
            speaker="区市场监管局登记注册科 李科长",
            department=departments["SCJG"],
            place="市民服务中心二楼多功能厅",
            online_url="https://live.example.gov.cn/lecture/2026-scjg",
            starts_at=_at(today + timedelta(days=10), 9),
            ends_at=_at(today + timedelta(days=10), 11),
            capacity=6,
        )
    for index, person in enumerate([*citizens[:7], *([citizen] if citizen else [])]):
        with _on(today - timedelta(days=4 - index // 2), 9 + 6 * (index % 2), now):
            Registration.register(lecture=upcoming, by=person)  # the last ones go on the waiting list
    return 2


def seed_interviews(now) -> int:
    """Through the interviews' own moves: announced, asked, moderated, live, finished (by the system)."""
    from consultation.models import Interview

    if Interview.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    if "MZ" not in departments or "ZJ" not in departments:
        return 0
    today = timezone.localdate(now)
    askers = list(User.objects.filter(email__startswith="asker").order_by("email")[:4])
    _past_interview(departments["MZ"], askers, today - timedelta(days=20), now)
    _upcoming_interview(departments["ZJ"], askers, today, now)
    return 2


def _past_interview(department, askers, held, now):
    """Prepared ten days before, announced a week before, the questions moderated the day before; the transcript
    is written turn by turn while it is live, and the summary published when it finishes."""
    from civiccenter.stateful import log_status
    from consultation.models import Guest, Interview, Turn

    with _on(held - timedelta(days=10), 9, now):
        past = Interview.objects.create(
            title="在线访谈：居家养老服务新举措",
            topic="居家养老服务与高龄津贴",
            description="区民政局负责人就居家养老服务和高龄津贴政策回答网民提问。",
            department=department,
            host="主持人 林晓",
            starts_at=_at(held, 15),
        )
        log_status(past)
    with _on(held - timedelta(days=7), 9, now):
        past.announce(by=None)
        guest = Guest.objects.create(interview=past, name="周建华", position="区民政局副局长")
    questions = []
    texts = ["高龄津贴可以由子女代为申请吗？", "社区助餐点的价格是多少？老人有补贴吗？"]
    for person, text in zip(askers, texts, strict=False):
        with _on(held - timedelta(days=1), 10, now):
            question = past.submit_question(by=person, text=text)
        with _on(held - timedelta(days=1), 16, now):
            question.accept(by=None)
        questions.append(question)
    with _on(held, 15, now):
        past.go_live(by=None)
    turns = [
        (
            "host",
            None,
            None,
            "各位网友大家好，欢迎收看本期在线访谈。今天我们邀请到区民政局周副局长，介绍居家养老服务新举措。",
        ),
        ("guest", guest, None, "大家好。今年我们新建了12个社区助餐点，实现了街道全覆盖。"),
        ("host", None, None, "下面我们来看网友的提问。"),
    ]
    if questions:
        turns.append(("citizen", None, questions[0], ""))
        turns.append(("guest", guest, None, "可以。子女持本人和老人的身份证到社区即可代办，也可以在网上申请。"))
    if len(questions) > 1:
        turns.append(("citizen", None, questions[1], ""))
        turns.append(("guest", guest, None, "助餐价格为每餐12元左右，80周岁以上老人每餐补贴3元，困难老人补贴更多。"))
    turns.append(("host", None, None, "感谢周副局长，本期访谈到此结束。"))
    for order, (speaker, who, question, text) in enumerate(turns, start=1):
        with _on(held, 15, now, 5 * order):
            Turn.objects.create(
                interview=past, speaker=speaker, guest=who, question=question, text=text, order=order * 10
            )
    with _on(held, 16, now):
        past.finish(by=None)
        past.summary = (
            "访谈介绍了本区居家养老服务“十五分钟服务圈”的建设情况，回答了网民关于高龄津贴申领和助餐服务的提问。"
        )
        past.save(update_fields=["summary"])


def _upcoming_interview(department, askers, today, now):
    """Prepared and announced three days ago; a question has come in since."""
    from civiccenter.stateful import log_status
    from consultation.models import Guest, Interview

    with _on(today - timedelta(days=3), 9, now):
        upcoming = Interview.objects.create(
            title="在线访谈：老旧小区加装电梯怎么办",
            topic="既有住宅加装电梯政策",
            description="区住建局负责人将解答加装电梯的表决程序、审批流程和补贴政策，欢迎提前提问。",
            department=department,
            host="主持人 林晓",
            starts_at=_at(today + timedelta(days=7), 15),
        )
        log_status(upcoming)
        upcoming.announce(by=None)
        Guest.objects.create(interview=upcoming, name="郑国强", position="区住房和城乡建设局局长")
        Guest.objects.create(interview=upcoming, name="韩梅", position="区住建局物业科科长", order=1)
    if askers:
        with _on(today - timedelta(days=1), 20, now):
            upcoming.submit_question(by=askers[0], text="加装电梯的费用怎么分摊？有政府补贴吗？")
