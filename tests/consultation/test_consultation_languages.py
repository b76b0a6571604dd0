"""Every consultation page reads in Chinese (the default) with no English left, over the whole demo."""

import re

import pytest
from django.urls import reverse

from civiccenter.models import User
from consultation.models import Interpretation, Interview, KnowledgeEntry, Lecture, Question
from tests.civiccenter.test_translations import untranslated_words


def check(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = re.sub(r'<thead class="visually-hidden">.*?</thead>', " ", response.content.decode(), flags=re.S)
        assert untranslated_words(html) == set(), (url, untranslated_words(html))


@pytest.mark.django_db
def test_public_and_citizen_consultation_pages_have_no_english_left_in_chinese(client, demo):
    question = Question.objects.filter(published_at__isnull=False).first()
    urls = [
        reverse("consultation:index"),
        reverse("consultation:index") + "?q=营业执照",
        reverse("consultation:question", args=[question.pk]),
        reverse("consultation:knowledge"),
        reverse("consultation:knowledge-entry", args=[KnowledgeEntry.objects.filter(published=True).first().pk]),
        reverse("consultation:interpretations"),
        reverse("consultation:interpretation", args=[Interpretation.objects.published().first().pk]),
        reverse("consultation:lectures"),
        reverse("consultation:interviews"),
    ]
    urls += [reverse("consultation:lecture", args=[lecture.pk]) for lecture in Lecture.objects.all()]
    urls += [reverse("consultation:interview", args=[interview.pk]) for interview in Interview.objects.all()]
    check(client, urls)
    asker = question.asker
    client.force_login(asker)
    check(
        client,
        [
            reverse("consultation:ask"),
            reverse("consultation:my-questions"),
            reverse("consultation:my-question", args=[question.pk]),
        ],
    )


@pytest.mark.django_db
def test_staff_consultation_pages_have_no_english_left_in_chinese(client, demo):
    head = User.objects.get(email="head@demo.civiccenter.example")
    client.force_login(head)
    question = Question.objects.filter(case__department=head.department).first()
    check(
        client,
        [
            reverse("admin:consultation_question_changelist"),
            reverse("admin:consultation_question_change", args=[question.pk]),
            reverse("admin:consultation_knowledgeentry_changelist"),
            reverse("admin:consultation_lecture_changelist"),
            reverse("admin:consultation_interview_changelist"),
        ],
    )
