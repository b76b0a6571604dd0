"""Every disclosure page reads in Chinese (the default) with no English left, and in English on request.

The whole demo is loaded so that every page shows real content: documents of every kind, requests
in every state with their timelines (stored in Chinese, the language of record), the annual reports.
"""

import re

import pytest
from django.urls import reverse

from civiccenter.models import User
from disclosure.models import AnnualReport, DisclosureRequest, Document
from tests.civiccenter.test_translations import untranslated_words


def public_urls():
    document = Document.objects.published().filter(attachments__isnull=False).first()
    replaced = Document.objects.published().exclude(validity="in_force").first()
    report = AnnualReport.objects.published().filter(department__isnull=True).first()
    return [
        reverse("disclosure:index"),
        reverse("disclosure:documents"),
        reverse("disclosure:documents") + "?q=营业执照",
        reverse("disclosure:documents") + "?validity=repealed",
        document.get_absolute_url(),
        replaced.get_absolute_url(),
        reverse("disclosure:catalogue"),
        reverse("disclosure:guide"),
        reverse("disclosure:report-list"),
        reverse("disclosure:report", args=[report.year, "district"]),
    ]


def citizen_urls(citizen):
    urls = [reverse("disclosure:request-new"), reverse("disclosure:request-list")]
    for request in DisclosureRequest.objects.filter(applicant=citizen):
        urls.append(reverse("disclosure:request-detail", args=[request.pk]))
        if request.status == "replied":
            urls.append(reverse("disclosure:request-reply", args=[request.pk]))
    return urls


@pytest.mark.django_db
def test_disclosure_pages_have_no_english_left_in_chinese(client, demo):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert untranslated_words(response.content.decode()) == set(), url
    citizen = User.objects.get(email="citizen@demo.civiccenter.example")
    client.force_login(citizen)
    for url in citizen_urls(citizen):
        response = client.get(url)
        assert response.status_code == 200, url
        assert untranslated_words(response.content.decode()) == set(), url


@pytest.mark.django_db
def test_disclosure_staff_pages_have_no_english_left_in_chinese(client, demo):
    clerk = User.objects.get(email="head@demo.civiccenter.example")
    client.force_login(clerk)
    request = DisclosureRequest.objects.visible_to(clerk).filter(status="received").first()
    urls = [
        reverse("admin:disclosure_document_changelist"),
        reverse("admin:disclosure_disclosurerequest_changelist"),
        reverse("admin:disclosure_disclosurerequest_change", args=[request.pk]),
        reverse("admin:disclosure_annualreport_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # The sidebar's hidden table headings ("Model name", "Add link") are Django's, untranslated
        # in Django's own Chinese catalogue; everything of ours must be Chinese.
        html = re.sub(r'<thead class="visually-hidden">.*?</thead>', " ", response.content.decode(), flags=re.S)
        assert untranslated_words(html) == set(), (url, untranslated_words(html))


@pytest.mark.django_db
def test_disclosure_pages_in_english(client, demo):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("disclosure:index")).content.decode()
    assert "Disclosure guide" in html and "Request information" in html
    report = AnnualReport.objects.published().filter(department__isnull=True).first()
    html = client.get(reverse("disclosure:report", args=[report.year, "district"])).content.decode()
    assert "New requests received this year" in html


@pytest.mark.django_db
def test_a_refusal_reads_in_the_language_of_whoever_sees_it(department):
    """Transitions run in Chinese (the language of record), but a refusal with details is formatted when shown."""
    from datetime import date

    from django.utils import translation

    from civiccenter.cases import InvalidTransition
    from tests.disclosure.test_requests_common import clerk_of, registered

    clerk = clerk_of(department)
    request = registered(clerk, department, received_on=date(2026, 9, 14))
    with pytest.raises(InvalidTransition) as refused:
        request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 11, 30), today=date(2026, 11, 2))
    with translation.override("en"):
        assert "7 working days" in str(refused.value) and "2026-09-22" in str(
            refused.value
        )  # Sun 20 Sep is a working day
    with translation.override("zh-hans"):
        assert "7个工作日" in str(refused.value)
