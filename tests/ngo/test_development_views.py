"""NGO development, the pages: lists, pages, registration, publishing (with photos) and the registrants."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civiccenter import roles
from ngo.models.development import Achievement, Activity, ActivityRegistration, NewsItem
from tests.conftest import make_staff, make_user
from tests.ngo.test_development import make_activity, make_moderator, make_organization


def png(name="photo.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def org_admin(db):
    return make_user("admin@ngo.example.cn", full_name="刘芳", phone="13900001111")


@pytest.fixture
def organization(org_admin):
    return make_organization(org_admin)


def activity_data(organization, **overrides):
    starts = timezone.now() + timedelta(days=5)
    data = {
        "organization": organization.pk,
        "title": "社区垃圾分类宣传",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=2)),
        "place": "城南街道文化广场",
        "description": "向居民讲解垃圾分类知识。",
        "registration_open": "on",
        "capacity": "30",
    }
    data.update(overrides)
    return data


# Publishing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_administrator_publishes_an_activity_with_photos(client, organization, org_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(org_admin)
    response = client.get(reverse("ngo:activity-new"))
    assert response.status_code == 200
    data = activity_data(organization, photos=[png("a.png"), png("b.png")])
    response = client.post(reverse("ngo:activity-new"), data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.status == Activity.Status.PENDING and activity.submitted_by == org_admin
    assert activity.photos.count() == 2
    photo = activity.photos.first()
    assert photo.image.name.endswith(".png") and photo.thumbnail
    # The preview is there for the organization, not for the public.
    assert client.get(activity.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(activity.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_activity_form_bad_input_shows_errors_and_saves_nothing(client, organization, org_admin):
    client.force_login(org_admin)
    starts = timezone.now() + timedelta(days=5)
    cases = [
        {"title": ""},
        {"ends_at": local(starts - timedelta(hours=1)), "starts_at": local(starts)},
        {"starts_at": local(timezone.now() - timedelta(days=1))},
        {"place": ""},
        {"capacity": "0"},
        {"registration_open": "", "capacity": "10"},
    ]
    for overrides in cases:
        response = client.post(reverse("ngo:activity-new"), activity_data(organization, **overrides))
        assert response.status_code == 200, overrides
        assert response.context["form"].errors, overrides
    response = client.post(
        reverse("ngo:activity-new"),
        activity_data(organization, photos=[SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg")]),
    )
    assert "photos" in response.context["form"].errors
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_administrator_cannot_publish_for_an_organization_they_do_not_administer(client, organization, org_admin):
    other = make_organization(make_user("other@ngo.example.cn"))
    client.force_login(org_admin)
    response = client.post(reverse("ngo:activity-new"), activity_data(other))
    assert "organization" in response.context["form"].errors
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_publishing_refused_for_citizens_and_unverified_organizations(client, applicant):
    unverified_admin = make_user("u@ngo.example.cn")
    make_organization(unverified_admin, verified=False)
    for user in (applicant, unverified_admin):
        client.force_login(user)
        for name in ("ngo:activity-new", "ngo:achievement-new"):
            response = client.get(reverse(name))
            assert response.status_code == 403
            assert "verified" in response.content.decode() or "认证" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ngo:activity-new", "ngo:achievement-new", "ngo:development-mine"])
def test_publishing_pages_send_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_other_organizations_activity_edit_is_404(client, organization, org_admin):
    other_admin = make_user("other@ngo.example.cn")
    other_activity = make_activity(make_organization(other_admin), other_admin, publish=False)
    client.force_login(org_admin)
    assert client.get(reverse("ngo:activity-edit", args=[other_activity.pk])).status_code == 404
    assert client.post(reverse("ngo:activity-edit", args=[other_activity.pk]), {}).status_code == 404
    assert client.get(other_activity.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_returned_activity_is_edited_and_sent_back(client, organization, org_admin):
    activity = make_activity(organization, org_admin, publish=False)
    activity.return_for_changes(by=make_moderator(), reason="请写明具体地址。")
    client.force_login(org_admin)
    response = client.get(reverse("ngo:activity-edit", args=[activity.pk]))
    assert "请写明具体地址" in response.content.decode()
    data = activity_data(organization, place="城南街道社区服务中心二楼活动室")
    data.pop("organization")
    response = client.post(reverse("ngo:activity-edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PENDING and activity.place == "城南街道社区服务中心二楼活动室"
    assert activity.organization == organization


@pytest.mark.django_db
def test_published_activity_edit_is_refused(client, organization, org_admin):
    activity = make_activity(organization, org_admin)
    client.force_login(org_admin)
    response = client.post(reverse("ngo:activity-edit", args=[activity.pk]), activity_data(organization, title="X"))
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "重阳节敬老茶话会"


@pytest.mark.django_db
def test_administrator_publishes_an_achievement_of_an_activity(client, organization, org_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = make_activity(organization, org_admin)
    client.force_login(org_admin)
    response = client.get(reverse("ngo:achievement-new") + f"?activity={activity.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["activity"] == activity.pk
    data = {
        "organization": organization.pk,
        "activity": activity.pk,
        "title": "茶话会圆满举办",
        "story": "六十位老人参加。",
    }
    response = client.post(reverse("ngo:achievement-new"), data)
    assert "photos" in response.context["form"].errors  # a story with photos
    response = client.post(reverse("ngo:achievement-new"), {**data, "photos": [png()]})
    achievement = Achievement.objects.get()
    assert response["Location"] == achievement.get_absolute_url()
    assert achievement.activity == activity and achievement.photos.count() == 1


@pytest.mark.django_db
def test_achievement_cannot_be_tied_to_another_organizations_activity(client, organization, org_admin):
    own_other = make_organization(org_admin)
    activity = make_activity(own_other, org_admin)
    client.force_login(org_admin)
    data = {"organization": organization.pk, "activity": activity.pk, "title": "成果", "story": "…", "photos": [png()]}
    response = client.post(reverse("ngo:achievement-new"), data)
    assert "activity" in response.context["form"].errors
    assert not Achievement.objects.exists()


# Registration --------------------------------------------------------------------------


@pytest.mark.django_db
def test_citizen_registers_and_cancels_through_the_page(client, organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, capacity=3)
    response = client.get(activity.get_absolute_url())
    assert reverse("accounts:login") in response.content.decode()
    client.force_login(applicant)
    response = client.post(reverse("ngo:activity-register", args=[activity.pk]), follow=True)
    assert response.context["registration"] is not None
    activity.refresh_from_db()
    assert activity.registered == 1
    response = client.post(reverse("ngo:activity-register", args=[activity.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert ActivityRegistration.objects.filter(activity=activity).count() == 1
    client.post(reverse("ngo:activity-cancel", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.registered == 0
    assert ActivityRegistration.objects.get().status == ActivityRegistration.Status.CANCELLED


@pytest.mark.django_db
def test_registration_actions_are_post_only_and_need_sign_in(client, organization, org_admin):
    activity = make_activity(organization, org_admin)
    for name in ("ngo:activity-register", "ngo:activity-cancel"):
        url = reverse(name, args=[activity.pk])
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(org_admin)
        assert client.get(url).status_code == 405
        client.logout()


@pytest.mark.django_db
def test_registering_for_an_unpublished_activity_is_404(client, organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, publish=False)
    client.force_login(applicant)
    assert client.post(reverse("ngo:activity-register", args=[activity.pk])).status_code == 404
    assert not ActivityRegistration.objects.exists()


@pytest.mark.django_db
def test_registrant_names_and_phones_only_for_the_organizations_administrators(
    client, organization, org_admin, applicant
):
    member = make_user("member@example.cn", full_name="周杰")
    organization_with_member = make_organization(org_admin, member=member)
    activity = make_activity(organization_with_member, org_admin, capacity=5)
    activity.register(by=applicant)
    url = reverse("ngo:activity-registrants", args=[activity.pk])
    client.force_login(org_admin)
    content = client.get(url).content.decode()
    assert applicant.full_name in content and applicant.phone in content
    for outsider in (applicant, member, make_user("other@ngo.example.cn")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert applicant.phone not in client.get(activity.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


# Public lists and pages ----------------------------------------------------------------


@pytest.mark.django_db
def test_activity_list_shows_upcoming_or_past_published_activities_filtered(client, organization, org_admin):
    upcoming = make_activity(organization, org_admin, title="即将举行的活动")
    make_activity(organization, org_admin, publish=False, title="待审核的活动")
    env_admin = make_user("env@ngo.example.cn")
    other = make_activity(make_organization(env_admin, field="environment"), env_admin, title="环保活动")
    past = make_activity(organization, org_admin, title="已结束的活动")
    Activity.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    response = client.get(reverse("ngo:activities"))
    listed = list(response.context["page_obj"].object_list)
    assert upcoming in listed and past not in listed
    assert "待审核的活动" not in response.content.decode()
    response = client.get(reverse("ngo:activities"), {"when": "past"})
    assert list(response.context["page_obj"].object_list) == [past]
    response = client.get(reverse("ngo:activities"), {"field": "elderly"})
    assert other not in response.context["page_obj"].object_list
    response = client.get(reverse("ngo:activities"), {"organization": organization.pk})
    assert list(response.context["page_obj"].object_list) == [upcoming]
    # Nonsense filters are ignored, never a 500.
    assert client.get(reverse("ngo:activities"), {"organization": "abc", "page": "99999"}).status_code == 200


@pytest.mark.django_db
def test_achievement_and_news_pages(client, organization, org_admin):
    achievement = Achievement(organization=organization, title="助老一年", story="服务三千人次。")
    achievement.submit(by=org_admin)
    assert client.get(achievement.get_absolute_url()).status_code == 404
    achievement.approve(by=make_moderator())
    assert "助老一年" in client.get(reverse("ngo:achievements")).content.decode()
    assert "服务三千人次" in client.get(achievement.get_absolute_url()).content.decode()
    item = NewsItem.objects.create(title="社会组织交流会举行", body="二十家社会组织参加。")
    draft = NewsItem.objects.create(title="草稿", body="…", published=False)
    assert "社会组织交流会举行" in client.get(reverse("ngo:news")).content.decode()
    assert "二十家社会组织参加" in client.get(item.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_mine_lists_the_organizations_items_with_return_reasons(client, organization, org_admin, applicant):
    activity = make_activity(organization, org_admin, publish=False)
    activity.return_for_changes(by=make_moderator(), reason="请补充照片说明。")
    client.force_login(org_admin)
    content = client.get(reverse("ngo:development-mine")).content.decode()
    assert activity.title in content and "请补充照片说明" in content
    client.force_login(applicant)
    assert activity.title not in client.get(reverse("ngo:development-mine")).content.decode()


def _activities(organization, admin, count):
    for i in range(count):
        make_activity(organization, admin, title=f"活动{i}", capacity=10)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_list_pages_keep_a_fixed_number_of_queries(
    client, organization, org_admin, count, django_assert_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _activities(organization, org_admin, count)
    for activity in Activity.objects.all():
        activity.photos.create(image=png())
        achievement = Achievement(organization=organization, activity=activity, title="成果", story="…")
        achievement.submit(by=org_admin, photos=[png()])
        achievement.approve(by=make_moderator())
        NewsItem.objects.create(title="交流会", body="…")
    # Anonymous: paginator count + rows + photos (+ the organization filter's choices).
    with django_assert_num_queries(4):
        client.get(reverse("ngo:activities"))
    with django_assert_num_queries(3):
        client.get(reverse("ngo:achievements"))
    with django_assert_num_queries(2):
        client.get(reverse("ngo:news"))


@pytest.mark.django_db
def test_organization_page_lists_its_published_activities_and_achievements(client, organization, org_admin):
    published = make_activity(organization, org_admin, title="已发布的活动")
    make_activity(organization, org_admin, publish=False, title="待审核的活动")
    achievement = Achievement(organization=organization, title="已发布的成果", story="…")
    achievement.submit(by=org_admin)
    achievement.approve(by=make_moderator())
    content = client.get(organization.get_absolute_url()).content.decode()
    assert published.get_absolute_url() in content and achievement.get_absolute_url() in content
    assert "待审核的活动" not in content


@pytest.mark.django_db
def test_activity_at_a_booked_venue_takes_its_place_and_time(client, organization, org_admin, department):
    from tests.ngo.test_venues import book, make_venue, open_day

    venue = make_venue(department)
    staff = make_staff("venues@example.cn", roles.SYSTEM_ADMINISTRATOR, department)
    booking = book(venue, organization, org_admin, open_day(3))
    booking.approve(by=staff)
    other_admin = make_user("other@ngo.example.cn")
    others = book(venue, make_organization(other_admin), other_admin, open_day(4))
    others.approve(by=staff)
    client.force_login(org_admin)
    form = client.get(reverse("ngo:activity-new")).context["form"]
    assert list(form.fields["booking"].queryset) == [booking]
    data = activity_data(organization, booking=booking.pk, starts_at="", ends_at="", place="")
    response = client.post(reverse("ngo:activity-new"), data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    assert activity.booking == booking
    assert (activity.starts_at, activity.ends_at) == (booking.starts_at, booking.ends_at)
    assert venue.name in activity.place and venue.room in activity.place
    response = client.post(reverse("ngo:activity-new"), activity_data(organization, booking=others.pk))
    assert "booking" in response.context["form"].errors
