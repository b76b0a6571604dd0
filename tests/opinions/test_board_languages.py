"""The board, the statistics and the moderation queue read in Chinese (the default) with no English left."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from civiccenter.models import User
from opinions.models import BoardEntry
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_board_and_statistics_have_no_english_left_in_chinese(client, demo):  # noqa: F811
    cache.clear()
    entry = BoardEntry.objects.published().first()
    check(
        client,
        [
            reverse("opinions:board"),
            reverse("opinions:board") + "?kind=complaint",
            reverse("opinions:board-entry", args=[entry.pk]),
            reverse("opinions:stats"),
            reverse("opinions:stats") + "?start=2026-05&end=2026-01",
        ],
    )


@pytest.mark.django_db
def test_moderation_queue_has_no_english_left_in_chinese(client, demo):  # noqa: F811
    client.force_login(User.objects.get(email="moderator@demo.civiccenter.example"))
    entry = BoardEntry.objects.to_review().first()
    check(
        client,
        [
            reverse("admin:opinions_boardentry_changelist"),
            reverse("admin:opinions_boardentry_changelist") + "?board=published",
            reverse("admin:opinions_boardentry_review", args=[entry.pk]),
        ],
    )
