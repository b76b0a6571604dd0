"""Every hearings page reads in Chinese (the default) with no English left, over the whole demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from hearings.models import Draft, Hearing
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_hearings_pages_have_no_english_left_in_chinese(client, demo):
    urls = [
        reverse("hearings:index"),
        reverse("hearings:drafts"),
        reverse("hearings:hearings"),
        reverse("hearings:catalogue"),
    ]
    for draft in Draft.objects.exclude(published_at=None):
        urls += [reverse("hearings:draft", args=[draft.pk]), reverse("hearings:draft-comments", args=[draft.pk])]
        if draft.report_published:
            urls.append(reverse("hearings:draft-report", args=[draft.pk]))
    urls += [reverse("hearings:hearing", args=[hearing.pk]) for hearing in Hearing.objects.exclude(status="draft")]
    check(client, urls)
    client.force_login(User.objects.get(email="citizen@demo.civiccenter.example"))
    open_hearing = Hearing.objects.filter(status="announced").first()
    check(client, [reverse("hearings:my-registrations"), reverse("hearings:hearing-register", args=[open_hearing.pk])])


@pytest.mark.django_db
def test_staff_hearings_pages_have_no_english_left_in_chinese(client, demo):
    client.force_login(User.objects.get(email="head@demo.civiccenter.example"))
    check(
        client,
        [
            reverse("admin:hearings_draft_changelist"),
            reverse("admin:hearings_hearing_changelist"),
            reverse("admin:hearings_comment_changelist"),
            reverse("admin:hearings_catalogueitem_changelist"),
        ],
    )
