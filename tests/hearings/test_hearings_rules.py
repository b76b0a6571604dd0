"""Hearings: announcement, quotas, eligibility, the auditable draw, reserves, materials (prc-rules §4 Art. 16, §5)."""

import hashlib
import itertools
import threading
from datetime import date, datetime, time

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.stateful import StatusEvent
from hearings.models import Hearing, HearingCategory, HearingRegistration
from tests.conftest import make_staff, make_user

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


SEQUENCE = itertools.count(101)


def make_id(area="330106", birth="19900101", seq=None):
    """A valid GB 11643 number (computed check character); a fresh sequence each call unless given."""
    if seq is None:
        seq = f"{next(SEQUENCE) % 1000:03d}"
    body = f"{area}{birth}{seq}"
    return body + "10X98765432"[sum(int(x) * w for x, w in zip(body, WEIGHTS, strict=True)) % 11]


def at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


SELECTED_ABC, RESERVE_ABC = [5, 4], [3, 2, 1]  # random.Random("abc").sample([1, 2, 3, 4, 5], 5)
HEARING_DAY = date(2026, 11, 20)  # a Friday
ANNOUNCED = date(2026, 10, 21)  # 30 days before


BEFORE = at(date(2026, 11, 10))
LISTED = date(2026, 11, 3)  # the lists published 17 days before the hearing (NDRC Order 21: at least 15)
HEARERS = (
    ("陈志强", "区发展和改革局副局长", True),
    ("林慧", "区消费者权益保护委员会秘书长", False),
    ("周立新", "律师", False),
)


def add_hearers(hearing, rows=HEARERS):
    from hearings.models import Hearer

    return [
        Hearer.objects.create(hearing=hearing, name=name, role=role, presiding=presiding, order=order)
        for order, (name, role, presiding) in enumerate(rows)
    ]


def make_hearing(
    department, kind="price", quotas=((("消费者", True), 4), (("经营者", False), 2), (("专家", False), 2)), **fields
):
    fields = {
        "starts_at": at(HEARING_DAY),
        "matter": "示范区管道天然气销售价格调整听证会",
        "matter_en": "Hearing on piped natural gas prices",
        "place": "市民服务中心三楼听证室",
        "description": "调整方案说明。",
        "selection_method": "个人报名，超过名额时公开随机抽取。",
        "registration_opens": ANNOUNCED,
        "registration_closes": date(2026, 11, 1),
        "observer_places": 10,
        **fields,
    }
    hearing = Hearing.objects.create(kind=kind, department=department, **fields)
    for order, ((name, consumer), quota) in enumerate(quotas):
        HearingCategory.objects.create(hearing=hearing, name=name, quota=quota, is_consumer=consumer, order=order)
    return hearing


def register(hearing, category, user=None, id_number=None, today=ANNOUNCED, consent=True):
    user = user or make_user(f"u{HearingRegistration.objects.count() + User_count()}@example.cn")
    return HearingRegistration.register(
        hearing=hearing,
        category=category,
        by=user,
        name=user.full_name,
        id_number=id_number or make_id(),
        contact="13800138000",
        publish_consent=consent,
        today=today,
    )


def User_count():  # noqa: N802
    from civiccenter.models import User

    return User.objects.count()


def drawn_hearing(department, staff, per_category=(7, 3, 1), kind="price"):
    hearing = make_hearing(department, kind=kind)
    if hearing.is_price:
        add_hearers(hearing)
    hearing.announce(by=staff, today=ANNOUNCED)
    for category, count in zip(hearing.categories.all(), per_category, strict=True):
        for _i in range(count):
            register(hearing, category)
    hearing.close_registration(by=staff, today=date(2026, 11, 2))
    hearing.draw(by=staff)
    return hearing


@pytest.fixture
def staff(department):
    return make_staff("organizer@example.cn", roles.DEPARTMENT_REVIEWER, department)


# --- Announcement ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_price_hearing_announced_at_least_30_days_ahead_ndrc_order_21(department, staff):
    hearing = make_hearing(department)
    with pytest.raises(InvalidTransition, match="30"):
        hearing.announce(by=staff, today=date(2026, 10, 22))  # 29 days before
    assert Hearing.objects.get(pk=hearing.pk).status == "draft"
    hearing.announce(by=staff, today=ANNOUNCED)
    assert hearing.status == "announced" and hearing.announced_on == ANNOUNCED
    assert StatusEvent.objects.of(hearing).filter(new_status="announced").count() == 1


@pytest.mark.django_db
def test_the_notice_period_is_configurable_per_kind(department, staff, settings):
    settings.HEARING_NOTICE_DAYS = {**settings.HEARING_NOTICE_DAYS, "major_decision": 10}
    hearing = make_hearing(
        department, kind="major_decision", registration_opens=date(2026, 11, 10), registration_closes=date(2026, 11, 15)
    )
    with pytest.raises(InvalidTransition):
        hearing.announce(by=staff, today=date(2026, 11, 11))  # 9 days
    hearing.announce(by=staff, today=date(2026, 11, 10))
    assert hearing.status == "announced"


@pytest.mark.django_db
def test_price_hearing_consumer_quotas_at_least_two_fifths_ndrc_order_21(department, staff):
    # 3 consumer places of 8 = 0.375 < 0.4: refused.
    hearing = make_hearing(department, quotas=((("消费者", True), 3), (("经营者", False), 5)))
    with pytest.raises(InvalidTransition, match="3 of 8"):
        hearing.announce(by=staff, today=ANNOUNCED)
    # Exactly 2 of 5 is enough.
    HearingCategory.objects.filter(hearing=hearing, name="经营者").update(quota=3)
    HearingCategory.objects.filter(hearing=hearing, name="消费者").update(quota=2)
    hearing.announce(by=staff, today=ANNOUNCED)
    assert hearing.status == "announced"


@pytest.mark.django_db
def test_other_hearings_have_no_consumer_ratio(department, staff):
    hearing = make_hearing(department, kind="legislative", quotas=((("市民", False), 5),))
    hearing.announce(by=staff, today=ANNOUNCED)
    assert hearing.status == "announced"


@pytest.mark.django_db
def test_announcement_needs_selection_method_period_and_quotas_art_16(department, staff):
    hearing = make_hearing(department, quotas=())
    with pytest.raises(InvalidTransition):
        hearing.announce(by=staff, today=ANNOUNCED)
    hearing = make_hearing(department, selection_method="")
    with pytest.raises(InvalidTransition):
        hearing.announce(by=staff, today=ANNOUNCED)
    hearing = make_hearing(department, registration_closes=HEARING_DAY)
    with pytest.raises(InvalidTransition):
        hearing.announce(by=staff, today=ANNOUNCED)


@pytest.mark.django_db
def test_the_database_refuses_negative_quotas_and_backward_periods(department):
    hearing = make_hearing(department)
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingCategory.objects.filter(hearing=hearing).update(quota=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(registration_closes=date(2026, 10, 1))


@pytest.mark.django_db
def test_refused_moves_out_of_order(department, staff):
    hearing = make_hearing(department)
    for move in (
        lambda: hearing.close_registration(by=staff, today=date(2026, 11, 2)),
        lambda: hearing.draw(by=staff),
        lambda: hearing.publish_list(by=staff),
        lambda: hearing.send_materials(by=staff, today=date(2026, 11, 1)),
    ):
        with pytest.raises(InvalidTransition):
            move()
    assert Hearing.objects.get(pk=hearing.pk).status == "draft"
    hearing.announce(by=staff, today=ANNOUNCED)
    with pytest.raises(InvalidTransition):  # the announcement is not repeated
        hearing.announce(by=staff, today=ANNOUNCED)
    with pytest.raises(InvalidTransition, match="not over"):
        hearing.close_registration(by=staff, today=date(2026, 11, 1))


# --- Registration and eligibility ---------------------------------------------------------------


@pytest.mark.django_db
def test_registration_only_within_the_period(department, staff):
    hearing = make_hearing(department, registration_opens=date(2026, 10, 25))
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers = hearing.categories.get(name="消费者")
    with pytest.raises(InvalidTransition):
        register(hearing, consumers, today=date(2026, 10, 24))
    register(hearing, consumers, today=date(2026, 10, 25))
    register(hearing, consumers, today=date(2026, 11, 1))
    with pytest.raises(InvalidTransition):
        register(hearing, consumers, today=date(2026, 11, 2))
    assert hearing.registrations.count() == 2


@pytest.mark.django_db
def test_adults_only_counted_on_the_hearing_day_across_the_birthday(department, staff):
    hearing = make_hearing(department)
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers = hearing.categories.get(name="消费者")
    # 18 on 21 Nov 2026: still 17 on the hearing day (20 Nov).
    with pytest.raises(InvalidTransition, match="18"):
        register(hearing, consumers, id_number=make_id(birth="20081121"))
    # 18 on the very day of the hearing: eligible, although 17 on the day of registration.
    assert register(hearing, consumers, id_number=make_id(birth="20081120")).status == "applied"


@pytest.mark.django_db
def test_residents_only_by_the_id_area_code(department, staff, settings):
    settings.HEARING_DISTRICT_ID_PREFIXES = ["330106", "330105"]
    hearing = make_hearing(department)
    HearingCategory.objects.filter(hearing=hearing, name="消费者").update(residents_only=True)
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers = hearing.categories.get(name="消费者")
    with pytest.raises(InvalidTransition, match="residents"):
        register(hearing, consumers, id_number=make_id(area="110105"))
    assert register(hearing, consumers, id_number=make_id(area="330105")).status == "applied"
    # Another category without the condition takes anyone.
    assert register(hearing, hearing.categories.get(name="专家"), id_number=make_id(area="110105")).status == "applied"


@pytest.mark.django_db
def test_invalid_id_numbers_are_refused(department, staff):
    hearing = make_hearing(department)
    hearing.announce(by=staff, today=ANNOUNCED)
    with pytest.raises(InvalidTransition):
        register(hearing, hearing.categories.first(), id_number="36042619910102009X")
    assert not hearing.registrations.exists()


@pytest.mark.django_db
def test_one_registration_per_person_per_hearing(department, staff):
    hearing = make_hearing(department)
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers = hearing.categories.get(name="消费者")
    user = make_user("once@example.cn")
    number = make_id()
    register(hearing, consumers, user=user, id_number=number)
    with pytest.raises(InvalidTransition):  # same account
        register(hearing, hearing.categories.get(name="专家"), user=user)
    with pytest.raises(InvalidTransition):  # same person under another account
        register(hearing, consumers, user=make_user("twice@example.cn"), id_number=number)
    assert hearing.registrations.count() == 1
    # The ID number is stored encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM hearings_hearingregistration")
        (stored,) = cursor.fetchone()
    assert number not in stored


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_of_one_person_give_exactly_one(department):
    staff = make_staff("organizer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    hearing = make_hearing(department)
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers = hearing.categories.get(name="消费者")
    user = make_user("racer@example.cn")
    number = make_id()
    barrier = threading.Barrier(6)
    outcomes = []

    def run():
        try:
            barrier.wait()
            register(hearing, consumers, user=user, id_number=number)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1 and outcomes.count("refused") == 5
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 1


# --- The draw ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draw_is_fair_to_quotas_and_keeps_a_reserve_list_in_order(department, staff):
    hearing = drawn_hearing(department, staff, per_category=(7, 3, 1))
    assert hearing.status == "drawn" and len(hearing.draw_seed) == 64
    for category in hearing.categories.all():
        regs = hearing.registrations.filter(category=category)
        selected = regs.filter(status="selected").count()
        assert selected == min(category.quota, regs.count())  # never over the quota
        ranks = list(regs.filter(status="reserve").order_by("reserve_rank").values_list("reserve_rank", flat=True))
        assert ranks == list(range(1, regs.count() - selected + 1))
    numbers = sorted(hearing.selected().values_list("participant_number", flat=True))
    assert numbers == list(range(1, 4 + 2 + 1 + 1))  # 4 consumers, 2 operators, 1 expert
    consumers = hearing.draw_log[0]
    assert consumers["drawn"] is True and len(consumers["selected"]) == 4 and len(consumers["reserve"]) == 3
    assert hearing.draw_log[2]["drawn"] is False  # 1 expert for 2 places: no draw


@pytest.mark.django_db
def test_draw_is_reproducible_from_its_seed_and_candidate_list(department, staff):
    hearing = drawn_hearing(department, staff)
    check = hearing.verify_draw()
    assert check.ok
    # The same seed over the same list gives the same result, a different seed another order.
    candidates = Hearing.parse_candidate_text(hearing.candidate_list)
    quotas = {step["category"]: step["quota"] for step in hearing.draw_log}
    assert Hearing.run_draw(hearing.draw_seed, candidates, quotas)[0]["selected"] == hearing.draw_log[0]["selected"]
    orders = {tuple(Hearing.run_draw(f"seed-{i}", candidates, quotas)[0]["selected"]) for i in range(10)}
    assert len(orders) > 1
    # A tampered record is detected.
    tampered = hearing.draw_log[0]["selected"][0]
    HearingRegistration.objects.filter(pk=tampered).update(draw_position=99)
    assert not hearing.verify_draw().positions_ok
    Hearing.objects.filter(pk=hearing.pk).update(candidate_list=hearing.candidate_list + "0:1\n")
    hearing.refresh_from_db()
    assert not hearing.verify_draw().hash_ok


@pytest.mark.django_db
def test_candidate_hash_is_the_sha256_of_the_sorted_list(department, staff):
    hearing = drawn_hearing(department, staff, per_category=(5, 0, 1))
    categories = list(hearing.categories.order_by("order", "pk"))
    ids = [sorted(hearing.registrations.filter(category=c).values_list("pk", flat=True)) for c in categories]
    expected = "".join(f"{c.pk}:{','.join(map(str, pks))}\n" for c, pks in zip(categories, ids, strict=True))
    assert hearing.candidate_list == expected
    assert hearing.candidate_hash == hashlib.sha256(expected.encode()).hexdigest()
    assert Hearing.candidate_text(Hearing.parse_candidate_text(expected)) == expected


def test_a_given_seed_gives_a_known_result():
    """Pinned: if random.Random(seed).sample ever changed, published draws could no longer be checked."""
    step = Hearing.run_draw("abc", [(1, [1, 2, 3, 4, 5])], {1: 2})[0]
    assert step["selected"] == SELECTED_ABC and step["reserve"] == RESERVE_ABC and step["drawn"]


@pytest.mark.django_db
def test_withdrawal_promotes_the_first_reserve_of_the_same_category(department, staff):
    hearing = drawn_hearing(department, staff, per_category=(7, 3, 1))
    consumers = hearing.categories.get(name="消费者")
    first, second = hearing.registrations.filter(category=consumers, status="reserve").order_by("reserve_rank")[:2]
    leaving = hearing.registrations.filter(category=consumers, status="selected").first()
    number = leaving.participant_number
    leaving.withdraw(by=leaving.user, now=BEFORE)
    assert leaving.status == "withdrawn" and leaving.participant_number is None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "selected" and first.participant_number == number
    assert second.status == "reserve" and second.reserve_rank == 1
    assert hearing.selected().filter(category=consumers).count() == 4
    # A reserve's withdrawal moves nobody into the list.
    second.withdraw(by=second.user, now=BEFORE)
    assert hearing.selected().filter(category=consumers).count() == 4
    with pytest.raises(InvalidTransition):
        leaving.withdraw(by=leaving.user, now=BEFORE)


@pytest.mark.django_db
def test_list_refused_when_selected_consumers_are_below_two_fifths(department, staff):
    # Quotas are fine (4 of 8) but only 1 consumer registered: 1 of 5 selected.
    hearing = drawn_hearing(department, staff, per_category=(1, 2, 2))
    with pytest.raises(InvalidTransition, match="1 of 5"):
        hearing.publish_list(by=staff, today=LISTED)
    assert Hearing.objects.get(pk=hearing.pk).status == "drawn"


@pytest.mark.django_db
def test_list_shows_names_only_with_consent(department, staff):
    hearing = make_hearing(department, quotas=((("消费者", True), 2), (("经营者", False), 1)))
    add_hearers(hearing)
    hearing.announce(by=staff, today=ANNOUNCED)
    consumers, operators = hearing.categories.all()
    register(hearing, consumers, user=make_user("a@example.cn", full_name="赵一"), consent=True)
    register(hearing, consumers, user=make_user("b@example.cn", full_name="钱二"), consent=False)
    register(hearing, operators, user=make_user("c@example.cn", full_name="孙三"), consent=True)
    hearing.close_registration(by=staff, today=date(2026, 11, 2))
    hearing.draw(by=staff)
    hearing.publish_list(by=staff, today=LISTED)
    names = {str(name) for _n, name, _c in hearing.participant_list()}
    assert "赵一" in names and "孙三" in names and "钱二" not in names
    hidden = hearing.registrations.get(name="钱二")
    assert str(hidden.participant_number) in str(hidden.public_name) and "钱二" not in str(hidden.public_name)


# --- Materials ---------------------------------------------------------------------------------


def listed_hearing(department, staff, kind="price"):
    hearing = drawn_hearing(department, staff, kind=kind)
    hearing.publish_list(by=staff, today=LISTED)
    hearing.materials_summary = "调价方案、成本监审报告。"
    hearing.save(update_fields=["materials_summary"])
    return hearing


@pytest.mark.django_db
def test_materials_15_days_before_a_price_hearing_or_a_recorded_reason(department, staff):
    hearing = listed_hearing(department, staff)
    # 20 Nov - 15 = 5 Nov is the last day; 6 Nov is late.
    assert hearing.materials_due == date(2026, 11, 5)
    with pytest.raises(InvalidTransition, match="15"):
        hearing.send_materials(by=staff, today=date(2026, 11, 6))
    assert Hearing.objects.get(pk=hearing.pk).status == "list_published"
    hearing.send_materials(by=staff, today=date(2026, 11, 6), reason="成本监审报告晚到")
    assert hearing.status == "materials_sent" and hearing.materials_late_reason == "成本监审报告晚到"
    assert hearing.selected().filter(materials_sent_at__isnull=False).count() == hearing.selected().count()


@pytest.mark.django_db
def test_materials_on_time_need_no_reason(department, staff):
    hearing = listed_hearing(department, staff)
    hearing.send_materials(by=staff, today=date(2026, 11, 5))
    assert hearing.status == "materials_sent" and hearing.materials_late_reason == ""


@pytest.mark.django_db
def test_materials_7_days_before_other_hearings_art_16(department, staff):
    hearing = make_hearing(department, kind="legislative", quotas=((("市民", False), 2),))
    hearing.announce(by=staff, today=ANNOUNCED)
    register(hearing, hearing.categories.get())
    hearing.close_registration(by=staff, today=date(2026, 11, 2))
    hearing.draw(by=staff)
    hearing.publish_list(by=staff, today=LISTED)
    hearing.materials_summary = "草案文本。"
    hearing.save(update_fields=["materials_summary"])
    assert hearing.materials_due == date(2026, 11, 13)
    with pytest.raises(InvalidTransition):
        hearing.send_materials(by=staff, today=date(2026, 11, 14))
    hearing.send_materials(by=staff, today=date(2026, 11, 13))
    assert hearing.status == "materials_sent"


@pytest.mark.django_db
def test_reserve_promoted_after_materials_gets_them_too(department, staff):
    hearing = listed_hearing(department, staff)
    hearing.send_materials(by=staff, today=date(2026, 11, 5))
    consumers = hearing.categories.get(name="消费者")
    reserve = hearing.registrations.get(category=consumers, status="reserve", reserve_rank=1)
    hearing.registrations.filter(category=consumers, status="selected").first().withdraw(by=staff, now=BEFORE)
    reserve.refresh_from_db()
    assert reserve.status == "selected" and reserve.materials_sent_at is not None


# --- After the hearing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_conclusion_needs_signed_record_report_decision_and_adoption(department, staff):
    # A hearing on a major decision (a price hearing's conclusion: test_hearings_price.py).
    hearing = listed_hearing(department, staff, kind="major_decision")
    hearing.send_materials(by=staff, today=date(2026, 11, 5))
    record = ContentFile(PDF, name="record.pdf")
    kwargs = {"record": record, "report": "听证报告。", "decision": "决定。", "adoption": "采纳情况。"}
    with pytest.raises(InvalidTransition):  # before the hearing
        hearing.conclude(by=staff, record_signed=True, today=date(2026, 11, 19), **kwargs)
    with pytest.raises(InvalidTransition):  # unsigned record
        hearing.conclude(by=staff, record_signed=False, today=HEARING_DAY, **kwargs)
    with pytest.raises(InvalidTransition):  # no adoption of opinions
        hearing.conclude(by=staff, record_signed=True, today=HEARING_DAY, **{**kwargs, "adoption": ""})
    hearing.conclude(by=staff, record_signed=True, today=date(2026, 11, 27), **kwargs)
    assert hearing.status == "concluded" and hearing.record and hearing.concluded_on == date(2026, 11, 27)
    assert not hearing.registrations.filter(status="reserve").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(decision="")


@pytest.mark.django_db
def test_upcoming_and_past_hearings_for_the_landing_page(department, staff):
    from hearings.models.hearings import past_hearings, upcoming_hearings

    draft = make_hearing(department)
    soon = make_hearing(department)
    soon.announce(by=staff, today=ANNOUNCED)
    now = at(date(2026, 11, 1))
    assert list(upcoming_hearings(now)) == [soon]
    assert draft not in past_hearings(at(date(2026, 12, 1))) and soon in past_hearings(at(date(2026, 12, 1)))
