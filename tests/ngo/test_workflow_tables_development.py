"""The moderation tables of activities and achievements (`Activity.WORKFLOW`, `Achievement.WORKFLOW`), walked
with the real methods."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civiccenter.stateful import StatusEvent
from ngo.models.development import Achievement, Activity, ActivityRegistration
from tests.ngo.test_development import make_activity, make_moderator, make_organization
from tests.ngo.workflow_walk import assert_walk, cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin(db):
    from tests.conftest import make_user

    return make_user("admin@ngo.example.cn", full_name="刘芳", phone="13900001111")


def new_activity(organization, by):
    starts = timezone.now() + timedelta(days=7)
    activity = Activity(
        organization=organization,
        title="重阳节敬老茶话会",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="城南街道社区服务中心二楼",
        description="与社区老人一起包饺子、聊家常。",
    )
    activity.submit(by=by)
    return activity


def new_achievement(organization, by):
    achievement = Achievement(organization=organization, title="敬老茶话会圆满举办", story="三十位老人参加。")
    achievement.submit(by=by)
    return achievement


def walk(item, by, name, state):
    type(item).objects.filter(pk=item.pk).update(status=state, published_at=timezone.now())
    item.refresh_from_db()
    moderator = make_moderator()
    calls = {
        "submit": lambda: item.submit(by=by),
        "approve": lambda: item.approve(by=moderator),
        "return_for_changes": lambda: item.return_for_changes(by=moderator, reason="请补充活动照片"),
    }
    assert set(calls) == set(type(item).WORKFLOW.moves)
    assert_walk(item, name, state, calls[name])


@pytest.mark.parametrize(("name", "state"), cases(Activity.WORKFLOW))
def test_activity_each_move_from_each_status(org_admin, name, state):
    organization = make_organization(org_admin)
    walk(new_activity(organization, org_admin), org_admin, name, state)


@pytest.mark.parametrize(("name", "state"), cases(Achievement.WORKFLOW))
def test_achievement_each_move_from_each_status(org_admin, name, state):
    organization = make_organization(org_admin)
    walk(new_achievement(organization, org_admin), org_admin, name, state)


def test_a_new_item_logs_its_first_status(org_admin):
    activity = new_activity(make_organization(org_admin), org_admin)
    [event] = StatusEvent.objects.of(activity)
    assert (event.move, event.old_status, event.new_status, event.actor) == ("submit", "", "pending", org_admin)


@pytest.mark.parametrize(("name", "state"), cases(ActivityRegistration.WORKFLOW))
def test_activity_registration_each_move_from_each_status(org_admin, name, state):
    """A registration is cancelled by the person registered, before the activity starts, once."""
    from tests.conftest import make_user

    activity = make_activity(make_organization(org_admin), org_admin, capacity=5)
    person = make_user("resident@example.cn", full_name="陈静", phone="13700002222")
    registration = activity.register(by=person)
    assert StatusEvent.objects.of(registration).count() == 1  # the registration itself is its first line
    ActivityRegistration.objects.filter(pk=registration.pk).update(status=state)
    registration.refresh_from_db()
    assert_walk(registration, name, state, lambda: registration.cancel(by=person))
