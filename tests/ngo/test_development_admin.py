"""NGO development, the staff side: moderation queues, featuring, news; permissions and query counts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from civiccenter import roles
from civiccenter.models import Notification
from ngo.models.development import Achievement, Activity, NewsItem
from tests.conftest import make_staff, make_user
from tests.ngo.test_development import make_activity, make_moderator, make_organization


@pytest.fixture
def org_admin(db):
    return make_user("admin@ngo.example.cn", full_name="刘芳")


@pytest.fixture
def organization(org_admin):
    return make_organization(org_admin)


def act(client, model, action, items, **extra):
    """An admin action on `items`, from the list of every state (the queue shows only those waiting)."""
    return client.post(
        reverse(f"admin:ngo_{model}_changelist") + "?moderation=all",
        {"action": action, ACTION_CHECKBOX_NAME: [item.pk for item in items], **extra},
        follow=True,
    )


@pytest.mark.django_db
def test_moderation_queue_shows_waiting_activities_by_default(client, organization, org_admin):
    waiting = make_activity(organization, org_admin, publish=False, title="等待审核的活动")
    make_activity(organization, org_admin, title="已发布的活动")
    client.force_login(make_moderator())
    response = client.get(reverse("admin:ngo_activity_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [waiting]


@pytest.mark.django_db
def test_moderator_approves_activities_with_the_action(client, organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    client.force_login(make_moderator())
    act(client, "activity", "approve_selected", [activity])
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PUBLISHED
    assert Notification.objects.filter(recipient=org_admin).exists()


@pytest.mark.django_db
def test_return_action_asks_for_a_reason_first(client, organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    client.force_login(make_moderator())
    response = act(client, "activity", "return_selected", [activity])
    assert response.status_code == 200 and "reason" in response.context["form"].fields
    response = act(client, "activity", "return_selected", [activity], apply="1", reason="")
    assert response.context["form"].errors
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PENDING
    act(client, "activity", "return_selected", [activity], apply="1", reason="请补充活动地址。")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED and activity.return_reason == "请补充活动地址。"


@pytest.mark.django_db
def test_approving_an_already_published_activity_is_refused_with_a_warning(client, organization, org_admin):
    activity = make_activity(organization, org_admin)
    client.force_login(make_moderator())
    response = act(client, "activity", "approve_selected", [activity])
    assert "warning" in [m.level_tag for m in response.context["messages"]]


@pytest.mark.django_db
def test_staff_without_the_moderation_permission_cannot_moderate(client, organization, org_admin, department):
    activity = make_activity(organization, org_admin, publish=False)
    client.force_login(make_staff("clerk@example.cn", roles.WINDOW_CLERK, department))
    assert client.get(reverse("admin:ngo_activity_changelist")).status_code == 403
    act(client, "activity", "approve_selected", [activity])
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PENDING


@pytest.mark.django_db
def test_achievements_are_approved_then_featured(client, organization, org_admin, department):
    achievement = Achievement(organization=organization, title="助老一年", story="…")
    achievement.submit(by=org_admin)
    client.force_login(make_moderator())
    act(client, "achievement", "feature_selected", [achievement])
    assert not Achievement.objects.get(pk=achievement.pk).featured  # not published yet
    act(client, "achievement", "approve_selected", [achievement])
    editor = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department)
    client.force_login(editor)
    act(client, "achievement", "feature_selected", [achievement])
    assert Achievement.objects.get(pk=achievement.pk).featured
    act(client, "achievement", "unfeature_selected", [achievement])
    assert not Achievement.objects.get(pk=achievement.pk).featured


@pytest.mark.django_db
def test_content_editor_publishes_news(client, department):
    editor = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department)
    client.force_login(editor)
    response = client.post(
        reverse("admin:ngo_newsitem_add"),
        {
            "title": "社会组织公益交流会举行",
            "date": "2026-11-20",
            "body": "二十家社会组织交流经验。",
            "published": "on",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.created_by == editor


# The session, the user and their permissions, the list's rows and counts: the same for 2 rows and for 20.
ADMIN_QUERIES = {"activity": 12, "achievement": 12, "newsitem": 12}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("model", sorted(ADMIN_QUERIES))
def test_admin_change_lists_keep_a_fixed_number_of_queries(
    client, organization, org_admin, count, model, django_assert_num_queries
):
    for i in range(count):
        make_activity(organization, org_admin, publish=False, title=f"活动{i}")
        Achievement(organization=organization, title=f"成果{i}", story="…").submit(by=org_admin)
        NewsItem.objects.create(title=f"消息{i}", body="…")
    client.force_login(make_moderator())
    url = reverse(f"admin:ngo_{model}_changelist")
    with django_assert_num_queries(ADMIN_QUERIES[model]):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_moderator_reads_an_activity_with_its_photos(client, organization, org_admin, settings, tmp_path):
    from tests.ngo.test_development_views import png

    settings.MEDIA_ROOT = tmp_path
    activity = make_activity(organization, org_admin, publish=False)
    activity.photos.create(image=png(), caption="活动海报")
    client.force_login(make_moderator())
    response = client.get(reverse("admin:ngo_activity_change", args=[activity.pk]))
    assert response.status_code == 200
    assert activity.photos.get().thumbnail.url in response.content.decode()
