"""Every board and showcase page reads in Chinese (the default) with no English left, over the whole demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from ngo.models.board import Post
from ngo.models.showcase import Exhibition, Work
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_citizen_and_staff_pages_have_no_english_left_in_chinese(client, demo, settings, tmp_path):
    public = [
        reverse("ngo:board"),
        reverse("ngo:board") + "?kind=need",
        reverse("ngo:showcase"),
        reverse("ngo:showcase") + "?category=calligraphy",
        reverse("ngo:showcase-exhibitions"),
    ]
    public += [post.get_absolute_url() for post in Post.objects.public()[:3]]
    public += [work.get_absolute_url() for work in Work.objects.approved()[:3]]
    public += [exhibition.get_absolute_url() for exhibition in Exhibition.objects.published()]
    check(client, public)
    accepted = Post.objects.filter(status__in=["accepted", "closed"]).first()
    client.force_login(accepted.author)
    check(client, [reverse("ngo:board-new"), reverse("ngo:board-mine"), accepted.get_absolute_url()])
    client.force_login(User.objects.get(email="citizen@demo.civiccenter.example"))
    check(client, [reverse("ngo:showcase-submit"), reverse("ngo:showcase-mine")])
    client.force_login(User.objects.get(email="moderator@demo.civiccenter.example"))
    check(
        client,
        [
            reverse("admin:ngo_post_changelist"),
            reverse("admin:ngo_response_changelist"),
            reverse("admin:ngo_report_changelist"),
            reverse("admin:ngo_work_changelist"),
        ],
    )
