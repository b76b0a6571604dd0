"""The opinion pages of this part read in Chinese (the default) with no English left, over the demo data."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from opinions.models import Category, Kind, Opinion
from tests.consultation.test_consultation_languages import check


def own_case(citizen):
    """The demo citizen's case, replied (so the reply, rating and reopening parts show)."""
    category = Category.objects.filter(lead_department__code="SCJG").first()
    opinion = Opinion.submit(
        by=citizen,
        submitter=citizen,
        kind=Kind.COMPLAINT,
        category=category,
        title="餐馆出售过期食品",
        description="文汇路一家餐馆出售过期的牛奶和面包。",
    )
    reviewer = User.objects.get(email="reviewer@demo.civiccenter.example")
    opinion.accept(by=reviewer)
    opinion.reply_to(by=reviewer, text="经查，该店已整改。")
    return opinion


@pytest.mark.django_db
def test_public_and_citizen_opinion_pages_have_no_english_left_in_chinese(client, demo):
    check(client, [reverse("opinions:index"), reverse("opinions:index") + "?kind=report"])
    citizen = User.objects.get(email="citizen@demo.civiccenter.example")
    opinion = own_case(citizen)
    client.force_login(citizen)
    check(
        client,
        [
            reverse("opinions:index") + "?kind=complaint",
            reverse("opinions:index") + "?kind=report",
            reverse("opinions:my-opinions"),
            reverse("opinions:case", args=[opinion.case.number]),
            reverse("opinions:receipt", args=[opinion.case.number]),
        ],
    )


@pytest.mark.django_db
def test_staff_opinion_pages_have_no_english_left_in_chinese(client, demo):
    citizen = User.objects.get(email="citizen@demo.civiccenter.example")
    opinion = own_case(citizen)
    head = User.objects.get(email="head@demo.civiccenter.example")
    client.force_login(head)
    check(
        client,
        [
            reverse("admin:opinions_opinion_changelist"),
            reverse("admin:opinions_opinion_change", args=[opinion.pk]),
            reverse("admin:opinions_opinion_move", args=[opinion.pk]),
            reverse("admin:opinions_opinion_register"),
            reverse("admin:opinions_category_changelist"),
        ],
    )
