"""Every petition page reads in Chinese (the default) with no English left, over the whole demo."""

import pytest
from django.urls import reverse

from civiccenter.models import User
from opinions.models.petitions import Petition
from tests.consultation.test_consultation_languages import check


@pytest.mark.django_db
def test_petition_pages_have_no_english_left_in_chinese(client, demo):
    check(client, [reverse("opinions:petitions")])
    citizen = User.objects.get(email="citizen@demo.civiccenter.example")
    final = Petition.objects.get(petitioner=citizen, status=Petition.Status.FINAL)
    client.force_login(citizen)
    urls = [reverse("opinions:petition-new"), reverse("opinions:my-petitions")]
    urls += [p.get_absolute_url() for p in Petition.objects.filter(petitioner=citizen)]
    urls += [
        reverse("opinions:petition-opinion", args=[final.pk, stage]) for stage in ("handling", "review", "rereview")
    ]
    check(client, urls)
    head = User.objects.get(email="head@demo.civiccenter.example")
    client.force_login(head)
    urls = [reverse("admin:opinions_petition_changelist"), reverse("admin:opinions_petition_register")]
    for status in (Petition.Status.REGISTERED, Petition.Status.ACCEPTED, Petition.Status.REREVIEW_REQUESTED):
        petition = Petition.objects.filter(status=status).first()
        urls.append(reverse("admin:opinions_petition_move", args=[petition.pk]))
    check(client, urls)


@pytest.mark.django_db
def test_demo_shows_every_stage_and_is_idempotent(demo):
    from demo.opinions.petitions import seed

    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses == set(Petition.Status.values)
    assert Petition.objects.filter(extension_days__gt=0).exists()
    assert 25 <= Petition.objects.count() <= 35
    assert seed() == 0
