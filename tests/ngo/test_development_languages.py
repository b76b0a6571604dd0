"""Every NGO development page (and the /ngo/ landing page) reads in Chinese with no English left, over the demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from ngo.models.development import Achievement, Activity, NewsItem
from tests.civiccenter.test_translations import untranslated_words
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_and_organization_development_pages_have_no_english_left_in_chinese(client, demo):
    activity = Activity.objects.published().filter(registration_open=True).first()
    urls = [
        reverse("ngo:index"),
        reverse("ngo:activities"),
        reverse("ngo:activities") + "?when=past",
        reverse("ngo:achievements"),
        reverse("ngo:news"),
        activity.get_absolute_url(),
        Achievement.objects.published().first().get_absolute_url(),
        NewsItem.objects.published().first().get_absolute_url(),
    ]
    check(client, urls)
    citizen = User.objects.get(email="citizen@demo.civiccenter.example")
    client.force_login(citizen)
    check(client, [activity.get_absolute_url(), reverse("ngo:development-mine")])
    refusal = client.get(reverse("ngo:activity-new"))  # the verification gate, explained
    assert refusal.status_code == 403
    assert untranslated_words(refusal.content.decode()) == set()
    admin = activity.organization.memberships.filter(role="admin").first().user
    client.force_login(admin)
    returned = Activity.objects.filter(status="returned").first()
    returned_admin = returned.organization.memberships.filter(role="admin").first().user
    check(
        client,
        [
            reverse("ngo:development-mine"),
            reverse("ngo:activity-new"),
            reverse("ngo:achievement-new"),
            reverse("ngo:activity-registrants", args=[activity.pk]),
        ],
    )
    client.force_login(returned_admin)
    check(client, [reverse("ngo:activity-edit", args=[returned.pk]), returned.get_absolute_url()])


@pytest.mark.django_db
def test_staff_development_pages_have_no_english_left_in_chinese(client, demo):
    moderator = User.objects.get(email="moderator@demo.civiccenter.example")
    client.force_login(moderator)
    check(
        client,
        [
            reverse("admin:ngo_activity_changelist"),
            reverse("admin:ngo_activity_changelist") + "?moderation=all",
            reverse("admin:ngo_activity_change", args=[Activity.objects.first().pk]),
            reverse("admin:ngo_achievement_changelist"),
            reverse("admin:ngo_achievement_change", args=[Achievement.objects.first().pk]),
            reverse("admin:ngo_newsitem_changelist"),
        ],
    )
    client.force_login(User.objects.get(email="editor@demo.civiccenter.example"))
    check(client, [reverse("admin:ngo_newsitem_add"), reverse("admin:ngo_newsitem_changelist")])
