"""NGO development, the models: the verification gate, moderation, registration with capacity, news, the sweep."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone, translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from ngo.models import Membership, Organization
from ngo.models.development import (
    Achievement,
    Activity,
    ActivityRegistration,
    NewsItem,
    check_publisher,
    sweep_activity_reminders,
)
from tests.conftest import make_department, make_staff, make_user

_codes = iter(range(10_000, 99_999))


def make_organization(admin=None, *, name=None, verified=True, member=None, **fields):
    """A verified (by default) organization with `admin` as its administrator and `member` as a plain member."""
    n = next(_codes)
    creator = admin or make_user(f"creator{n}@example.cn", full_name="赵敏")
    fields.setdefault("type", Organization.Type.SOCIAL_GROUP)
    fields.setdefault("field", Organization.Field.ELDERLY)
    organization = Organization.objects.create(
        name=name or f"城南助老服务社{n}",
        uscc=f"51330100MJ{n:05d}X"[:18],
        certificate="ngo/certificates/x.pdf",
        area="城南街道",
        contact_person="赵敏",
        contact_phone="13812345678",
        description="为社区老人提供助餐、陪伴服务。",
        status=Organization.Status.VERIFIED if verified else Organization.Status.PENDING,
        verified_at=timezone.now() if verified else None,
        created_by=creator,
        **fields,
    )
    if admin:
        Membership.objects.create(organization=organization, user=admin, role=Membership.Role.ADMINISTRATOR)
    if member:
        Membership.objects.create(organization=organization, user=member, role=Membership.Role.MEMBER)
    return organization


def make_activity(organization, by, *, publish=True, days=7, capacity=None, registration_open=True, **fields):
    starts = timezone.now() + timedelta(days=days)
    activity = Activity(
        organization=organization,
        title=fields.pop("title", "重阳节敬老茶话会"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=fields.pop("place", "城南街道社区服务中心二楼"),
        description="与社区老人一起包饺子、聊家常。",
        registration_open=registration_open,
        capacity=capacity,
        **fields,
    )
    activity.submit(by=by)
    if publish:
        activity.approve(by=make_moderator())
    return activity


def make_moderator():
    from civiccenter.models import Department, User

    user = User.objects.filter(email="moderator@example.cn").first()
    if user:
        return user
    department = Department.objects.filter(code="ZXBGS").first() or make_department(
        code="ZXBGS", name="区市民服务中心办公室"
    )
    return make_staff("moderator@example.cn", roles.MODERATOR, department, full_name="孙丽")


@pytest.fixture
def org_admin(db):
    return make_user("admin@ngo.example.cn", full_name="刘芳", phone="13900001111")


@pytest.fixture
def organization(org_admin):
    return make_organization(org_admin)


# The verification gate ----------------------------------------------------------------


@pytest.mark.django_db
def test_administrator_of_verified_organization_publishes_an_activity_for_moderation(organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    assert activity.status == Activity.Status.PENDING
    assert activity.submitted_by == org_admin
    assert not Activity.objects.published().exists()


@pytest.mark.django_db
def test_unverified_organization_cannot_publish(org_admin):
    organization = make_organization(org_admin, verified=False)
    with pytest.raises(InvalidTransition, match="not verified"):
        make_activity(organization, org_admin, publish=False)
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_plain_member_or_outsider_cannot_publish_for_the_organization(applicant):
    member = make_user("member@example.cn", full_name="周杰")
    organization = make_organization(make_user("a@example.cn"), member=member)
    for user in (member, applicant):
        with pytest.raises(InvalidTransition, match="Only the administrators"):
            check_publisher(organization, user)
        with pytest.raises(InvalidTransition):
            make_activity(organization, user, publish=False)
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_achievement_passes_the_same_gate(org_admin):
    organization = make_organization(org_admin, verified=False)
    with pytest.raises(InvalidTransition):
        Achievement(organization=organization, title="助老一年", story="服务老人三千人次。").submit(by=org_admin)
    assert not Achievement.objects.exists()


# Moderation ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_moderator_approves_a_pending_activity_and_the_publisher_is_told(organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    moderator = make_moderator()
    activity.approve(by=moderator)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    assert activity.published_at and activity.moderated_by == moderator
    assert list(Activity.objects.published()) == [activity]
    notice = Notification.objects.get(recipient=org_admin)
    assert activity.title in notice.subject


@pytest.mark.django_db
def test_return_requires_a_reason_and_tells_what_to_change(organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    moderator = make_moderator()
    with pytest.raises(InvalidTransition, match="Say what"):
        activity.return_for_changes(by=moderator, reason="  ")
    activity.return_for_changes(by=moderator, reason="请补充活动的具体地址。")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED
    assert activity.return_reason == "请补充活动的具体地址。"
    assert "请补充活动的具体地址" in Notification.objects.get(recipient=org_admin).body


@pytest.mark.django_db
def test_returned_activity_is_changed_and_submitted_again_then_approved(organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    moderator = make_moderator()
    activity.return_for_changes(by=moderator, reason="请补充地址。")
    activity.place = "城南街道社区服务中心二楼活动室"
    activity.submit(by=org_admin)
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PENDING
    activity.approve(by=moderator)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED and activity.return_reason == ""


@pytest.mark.django_db
@pytest.mark.parametrize("move", ["approve", "return"])
def test_published_activity_cannot_be_approved_or_returned_again(organization, org_admin, move):
    activity = make_activity(organization, org_admin)
    moderator = make_moderator()
    with pytest.raises(InvalidTransition):
        if move == "approve":
            activity.approve(by=moderator)
        else:
            activity.return_for_changes(by=moderator, reason="x")
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PUBLISHED


@pytest.mark.django_db
def test_returned_activity_cannot_be_approved_before_it_is_submitted_again(organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    moderator = make_moderator()
    activity.return_for_changes(by=moderator, reason="请补充地址。")
    with pytest.raises(InvalidTransition):
        activity.approve(by=moderator)
    with pytest.raises(InvalidTransition):
        activity.return_for_changes(by=moderator, reason="again")


@pytest.mark.django_db
def test_published_activity_cannot_be_changed_by_the_organization(organization, org_admin):
    activity = make_activity(organization, org_admin)
    activity.title = "改了标题"
    with pytest.raises(InvalidTransition, match="“Published”"):
        activity.submit(by=org_admin)
    assert Activity.objects.get(pk=activity.pk).title == "重阳节敬老茶话会"


@pytest.mark.django_db
def test_achievement_moderation_and_featuring(organization, org_admin):
    activity = make_activity(organization, org_admin)
    achievement = Achievement(organization=organization, activity=activity, title="敬老茶话会圆满举办", story="…")
    achievement.submit(by=org_admin)
    moderator = make_moderator()
    with pytest.raises(InvalidTransition, match="published"):
        achievement.set_featured(True, by=moderator)
    achievement.approve(by=moderator)
    achievement.set_featured(True, by=moderator)
    assert list(Achievement.objects.featured()) == [achievement]
    assert list(activity.achievements.published()) == [achievement]


@pytest.mark.django_db
def test_database_refuses_a_featured_achievement_that_is_not_published(organization, org_admin):
    achievement = Achievement(organization=organization, title="助老一年", story="…")
    achievement.submit(by=org_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Achievement.objects.filter(pk=achievement.pk).update(featured=True)


# Registration ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_citizen_registers_once_and_is_told(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, capacity=10)
    activity.register(by=applicant)
    assert activity.registered == 1 and activity.places_left == 9
    with pytest.raises(InvalidTransition, match="already registered"):
        activity.register(by=applicant)
    assert ActivityRegistration.objects.filter(activity=activity, user=applicant).count() == 1
    assert Notification.objects.filter(recipient=applicant, subject__contains=activity.title).exists()


@pytest.mark.django_db
def test_database_holds_one_live_registration_per_person(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin)
    ActivityRegistration.objects.create(activity=activity, user=applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRegistration.objects.create(activity=activity, user=applicant)


@pytest.mark.django_db
def test_registration_refused_when_full(organization, org_admin, applicant, other_applicant):
    activity = make_activity(organization, org_admin, capacity=1)
    activity.register(by=applicant)
    with pytest.raises(InvalidTransition, match="full"):
        activity.register(by=other_applicant)
    assert activity.registered == 1


@pytest.mark.django_db
def test_database_refuses_more_registered_than_the_capacity(organization, org_admin):
    activity = make_activity(organization, org_admin, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(registered=2)


@pytest.mark.django_db
def test_registration_closes_when_the_activity_starts(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, capacity=5)
    with pytest.raises(InvalidTransition, match="closed"):
        activity.register(by=applicant, now=activity.starts_at)
    assert not ActivityRegistration.objects.exists()


@pytest.mark.django_db
def test_registration_refused_when_not_open_or_not_published(organization, org_admin, applicant):
    closed = make_activity(organization, org_admin, registration_open=False)
    pending = make_activity(organization, org_admin, publish=False, title="待审核的活动")
    for activity in (closed, pending):
        with pytest.raises(InvalidTransition, match="closed"):
            activity.register(by=applicant)
    assert not ActivityRegistration.objects.exists()


@pytest.mark.django_db
def test_cancel_frees_the_place_and_allows_registering_again(organization, org_admin, applicant, other_applicant):
    activity = make_activity(organization, org_admin, capacity=1)
    registration = activity.register(by=applicant)
    with pytest.raises(InvalidTransition, match="Only the person"):
        registration.cancel(by=other_applicant)
    registration.cancel(by=applicant)
    activity.refresh_from_db()
    assert activity.registered == 0
    with pytest.raises(
        InvalidTransition, match=re.escape(str(ActivityRegistration.WORKFLOW.refusal("cancel", "cancelled")))
    ):
        registration.cancel(by=applicant)
    activity.register(by=other_applicant)
    assert activity.registered == 1


@pytest.mark.django_db
def test_cancel_refused_once_the_activity_has_started(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, capacity=3)
    registration = activity.register(by=applicant)
    with pytest.raises(InvalidTransition, match="started"):
        registration.cancel(by=applicant, now=activity.starts_at + timedelta(minutes=1))
    assert ActivityRegistration.objects.get(pk=registration.pk).status == ActivityRegistration.Status.REGISTERED


@pytest.mark.django_db
def test_citizen_who_cancelled_may_register_again(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, capacity=2)
    activity.register(by=applicant).cancel(by=applicant)
    activity.register(by=applicant)
    assert activity.registrants().count() == 1 and activity.registered == 1


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations():
    """Twelve citizens register at once for five places: exactly five succeed, the others are told it is full."""
    org_admin = make_user("admin@ngo.example.cn", full_name="刘芳")
    organization = make_organization(org_admin)
    activity = make_activity(organization, org_admin, capacity=5)
    citizens = [make_user(f"c{i}@example.cn", full_name="市民", phone=f"1380000{i:04d}") for i in range(12)]
    barrier = threading.Barrier(len(citizens))
    outcomes = []

    def register(user):
        try:
            barrier.wait()
            Activity.objects.get(pk=activity.pk).register(by=user)
            outcomes.append("ok")
        except InvalidTransition as error:
            with translation.override("en"):  # the language is per thread
                outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    activity.refresh_from_db()
    assert outcomes.count("ok") == 5
    assert all(outcome == "The activity is full." for outcome in outcomes if outcome != "ok")
    assert activity.registered == 5 == activity.registrants().count()


@pytest.mark.django_db
def test_reminders_go_the_day_before_once(organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, days=1, capacity=5)
    activity.register(by=applicant)
    today = timezone.localdate()
    start_day = timezone.localtime(activity.starts_at).date()
    assert sweep_activity_reminders(start_day - timedelta(days=2)) == 0
    assert sweep_activity_reminders(start_day - timedelta(days=1)) == 1
    assert sweep_activity_reminders(start_day - timedelta(days=1)) == 0
    assert today <= start_day


# News --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_news_shows_published_items_from_their_date():
    today = timezone.localdate()
    shown = NewsItem.objects.create(title="社会组织交流会", body="…", date=today)
    NewsItem.objects.create(title="草稿", body="…", date=today, published=False)
    NewsItem.objects.create(title="明天的消息", body="…", date=today + timedelta(days=1))
    assert list(NewsItem.objects.published(today)) == [shown]
