"""The written vouchers and decisions of a licence application (Art. 32, 38, 42, 44): each issued once by its move,
on its own date, with a document number and the organ's electronic seal, and printable for as long as the
application exists."""

from datetime import date

import pytest
from django.urls import reverse

from civiccenter import roles
from civiccenter.models import IssuedDocument
from licensing.models import Application
from tests.conftest import make_staff
from tests.licensing.test_applications import make_application

FRI_18_SEP, TUE_20_OCT = date(2026, 9, 18), date(2026, 10, 20)


@pytest.fixture
def head(department):
    return make_staff("head-d@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈主任")


@pytest.fixture
def accepted(matter, applicant, staff_user):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    application.accept(by=staff_user, today=FRI_18_SEP)
    return application


def kinds(application):
    return [document.kind for document in application.case.issued_documents.all()]


def zh(client, url):
    client.cookies["django_language"] = "zh-hans"
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_the_acceptance_notice_carries_its_own_date_not_the_latest_event_art_32(
    client, accepted, applicant, head, department
):
    """Art. 32: the voucher is dated the day it is issued; a later extension neither re-dates nor hides it."""
    department.document_prefix = "示范市监许"
    department.save()
    accepted.extend(by=head, reason="需要现场核查", today=TUE_20_OCT)
    notice = accepted.case.issued_documents.get(kind="licensing.acceptance")
    assert notice.issued_on == FRI_18_SEP
    assert notice.number.startswith("SCJG〔2026〕")  # numbered when issued, before the prefix was set
    client.force_login(applicant)
    html = zh(client, reverse("licensing:acceptance-notice", args=[accepted.pk]))
    assert "2026年9月18日" in html and "2026年10月20日" not in html
    assert notice.number in html and 'class="document-seal"' in html and notice.verification_code in html
    # The extension got its own notice, under the new prefix, with the reason the applicant is told (Art. 42).
    extension = accepted.case.issued_documents.get(kind="licensing.extension")
    assert extension.issued_on == TUE_20_OCT and extension.number.startswith("示范市监许〔2026〕")
    assert any("需要现场核查" in line for line in extension.lines)


@pytest.mark.django_db
def test_every_move_that_owes_a_written_document_issues_exactly_one_art_32_38_42(matter, applicant, staff_user, head):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    assert kinds(application) == []  # the receipt is not a decision
    material = matter.current_version.materials.first()
    application.request_correction(by=staff_user, items=[(material, "缺少签字")], today=FRI_18_SEP)
    application.resubmit(by=applicant, today=date(2026, 9, 21))
    application.accept(by=staff_user, today=date(2026, 9, 22))
    application.extend(by=head, reason="需要专家评审", today=date(2026, 9, 23))
    application.approve(by=staff_user, scope="热食类食品制售", valid_until=date(2031, 10, 19), today=TUE_20_OCT)
    assert kinds(application) == [
        "licensing.correction",
        "licensing.acceptance",
        "licensing.extension",
        "licensing.licence",
    ]
    numbers = [document.serial for document in application.case.issued_documents.all()]
    assert numbers == [1, 2, 3, 4]  # one sequence for the organ's year, whatever the kind
    assert all(document.seal_valid() for document in IssuedDocument.objects.all())
    licence = application.case.issued_documents.get(kind="licensing.licence")
    assert any(application.licence.number in line for line in licence.lines)
    assert any("热食类食品制售" in line for line in licence.lines)


@pytest.mark.django_db
def test_refusal_and_denial_issue_their_written_decisions_art_32_38(matter, applicant, staff_user):
    refused = make_application(matter, applicant)
    refused.submit(by=applicant, today=FRI_18_SEP)
    refused.refuse(by=staff_user, reason="不属于本部门职权", competent_organ="市卫健委", today=FRI_18_SEP)
    assert kinds(refused) == ["licensing.non_acceptance"]
    text = "\n".join(refused.case.issued_documents.get().lines)
    assert "不属于本部门职权" in text and "市卫健委" in text and "60" in text

    denied = make_application(matter, applicant)
    denied.submit(by=applicant, today=FRI_18_SEP)
    denied.accept(by=staff_user, today=FRI_18_SEP)
    denied.deny(by=staff_user, reasons="经营场所与污染源距离不足25米。", today=TUE_20_OCT)
    denial = denied.case.issued_documents.get(kind="licensing.denial")
    assert denial.issued_on == TUE_20_OCT and "经营场所与污染源距离不足25米。" in denial.lines


@pytest.mark.django_db
def test_a_deemed_acceptance_is_dated_when_issued_and_accepts_as_of_the_day_received_art_32(matter, applicant):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=FRI_18_SEP)
    application.deem_accepted(today=date(2026, 10, 12))
    notice = application.case.issued_documents.get(kind="licensing.acceptance")
    assert notice.issued_on == date(2026, 10, 12)
    assert any("2026年9月18日" in line for line in notice.lines)  # accepted as of the day received


@pytest.mark.django_db
def test_all_documents_stay_printable_after_the_case_moves_on(client, accepted, applicant, staff_user):
    accepted.approve(by=staff_user, scope="热食类食品制售", valid_until=date(2031, 10, 19), today=TUE_20_OCT)
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    assert client.get(reverse("licensing:acceptance-notice", args=[accepted.pk])).status_code == 200
    detail = client.get(reverse("licensing:application-detail", args=[accepted.pk])).content.decode()
    for document in accepted.case.issued_documents.all():
        url = reverse("licensing:application-document", args=[accepted.pk, document.pk])
        assert url in detail
        page = client.get(url).content.decode()
        # In English: the reading, the number, and where the sealed Chinese text is.
        assert document.number in page and "The document of record is in Chinese" in page
        copy = client.get(reverse("document-copy", args=[document.pk]))
        assert copy["Content-Type"] == "application/pdf" and copy.content == document.pdf()


@pytest.mark.django_db
def test_the_printed_text_in_chinese_is_the_sealed_text(client, accepted, applicant):
    client.force_login(applicant)
    html = zh(client, reverse("licensing:acceptance-notice", args=[accepted.pk]))
    notice = accepted.case.issued_documents.get()
    for line in notice.lines:
        assert line.replace("“", "&ldquo;") in html or line in html, line


@pytest.mark.django_db
def test_documents_of_another_application_are_not_reachable(client, accepted, applicant, matter):
    from tests.conftest import make_user

    other = make_user("li@example.cn", full_name="李四")
    document = accepted.case.issued_documents.get()
    client.force_login(other)
    assert client.get(reverse("licensing:application-document", args=[accepted.pk, document.pk])).status_code == 404
    assert client.get(reverse("document-copy", args=[document.pk])).status_code == 404
    # Nor through another application's address.
    own = make_application(matter, other)
    own.submit(by=other, today=FRI_18_SEP)
    assert client.get(reverse("licensing:application-document", args=[own.pk, document.pk])).status_code == 404
    assert Application.objects.count() == 2
