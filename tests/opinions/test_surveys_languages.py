"""Every survey page reads in Chinese (the default) with no English left, over the whole demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from opinions.models import Survey
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_public_and_citizen_survey_pages_have_no_english_left_in_chinese(client, demo):  # noqa: F811
    surveys = list(Survey.objects.published())
    closed = Survey.objects.with_results().first()
    urls = [reverse("opinions:surveys"), reverse("opinions:survey-results", args=[closed.pk])]
    urls += [survey.get_absolute_url() for survey in surveys]
    check(client, urls)
    client.force_login(User.objects.get(email="citizen@demo.civiccenter.example"))
    check(
        client,
        [survey.get_absolute_url() for survey in surveys] + [reverse("opinions:survey-thanks", args=[closed.pk])],
    )


@pytest.mark.django_db
def test_staff_survey_pages_have_no_english_left_in_chinese(client, demo):  # noqa: F811
    client.force_login(User.objects.get(email="editor@demo.civiccenter.example"))
    survey = Survey.objects.filter(department__code="ZXBGS", responses__isnull=False).distinct().first()
    check(
        client,
        [
            reverse("admin:opinions_survey_changelist"),
            reverse("admin:opinions_survey_change", args=[survey.pk]),
            reverse("admin:opinions_survey_written", args=[survey.pk]),
        ],
    )
