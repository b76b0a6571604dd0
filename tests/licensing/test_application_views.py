"""Applying online: drafts, uploads, submission, receipt, correction, private files."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civiccenter.lib.simplepdf import text_pdf
from civiccenter.models import Notification
from licensing.models import Application, ApplicationFile
from tests.licensing.test_applications import make_application


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, text_pdf("材料", ["一页"]), content_type="application/pdf")


def details(**overrides):
    data = {
        "applicant_type": "individual",
        "applicant_name": "张明",
        "id_number": "1101 0519 4912 31002x",
        "credit_code": "",
        "contact_phone": "138 0013 8000",
    }
    data.update(overrides)
    return data


def materials_of(matter):
    return list(matter.current_version.materials.all())


@pytest.fixture
def draft(client, applicant, matter):
    client.force_login(applicant)
    response = client.post(reverse("licensing:apply", args=[matter.code]))
    application = Application.objects.get()
    assert response.url == reverse("licensing:application-edit", args=[application.pk])
    return application


@pytest.mark.django_db
def test_apply_creates_one_draft_and_reuses_it(client, draft, matter):
    client.post(reverse("licensing:apply", args=[matter.code]))
    assert Application.objects.count() == 1
    assert (draft.status, draft.applicant_name, draft.contact_phone) == ("draft", "张明", "13800138000")


@pytest.mark.django_db
def test_apply_needs_sign_in_and_post(client, matter, applicant):
    url = reverse("licensing:apply", args=[matter.code])
    assert client.post(url).status_code == 302 and not Application.objects.exists()
    html = client.get(matter.get_absolute_url()).content.decode()
    assert f"/accounts/login/?next={matter.get_absolute_url()}" in html.replace("%2F", "/")
    client.force_login(applicant)
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_save_a_draft_with_some_files_and_come_back(client, draft, matter):
    first = materials_of(matter)[0]
    url = reverse("licensing:application-edit", args=[draft.pk])
    response = client.post(url, {**details(), "action": "save", f"material_{first.pk}": pdf()})
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.id_number == "11010519491231002X"
    stored = ApplicationFile.objects.get()
    assert stored.material == first and stored.file.name.endswith(".pdf")
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Received:" in page and "Choose a file only to replace it." in page


@pytest.mark.django_db
def test_submit_needs_the_declaration_and_every_required_material(client, draft, matter):
    url = reverse("licensing:application-edit", args=[draft.pk])
    response = client.post(url, {**details(), "action": "submit"})
    errors = response.context["form"].errors
    required = [m for m in materials_of(matter) if m.required]
    assert "declaration" in errors and all(f"material_{m.pk}" in errors for m in required)
    draft.refresh_from_db()
    assert draft.status == "draft" and not ApplicationFile.objects.exists()


@pytest.mark.django_db
def test_submit_opens_the_case_and_shows_a_dated_receipt(client, draft, matter, mailoutbox):
    uploads = {f"material_{m.pk}": pdf() for m in materials_of(matter) if m.required}
    url = reverse("licensing:application-edit", args=[draft.pk])
    response = client.post(url, {**details(), "declaration": "on", "action": "submit", **uploads})
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.case.number.startswith("XK-")
    assert response.url == reverse("licensing:application-receipt", args=[draft.pk])
    receipt = client.get(response.url).content.decode()
    assert draft.case.number in receipt and draft.case.query_code in receipt
    assert "申请书" in receipt
    assert Notification.objects.filter(recipient=draft.applicant).exists()
    assert client.get(url).status_code == 404  # a submitted application is no longer editable


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "36042619910102009X"}, "id_number"),
        ({"id_number": ""}, "id_number"),
        ({"applicant_type": "organization", "credit_code": "91110000600037341N"}, "credit_code"),
        ({"applicant_type": "organization", "credit_code": ""}, "credit_code"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"applicant_name": "<script>x</script>"}, "applicant_name"),
        ({"applicant_name": "张\x00明"}, "applicant_name"),
        ({"applicant_name": "张" * 101}, "applicant_name"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"applicant_type": "alien"}, "applicant_type"),
    ],
)
def test_bad_details_get_field_errors_and_save_nothing(client, draft, overrides, field):
    url = reverse("licensing:application-edit", args=[draft.pk])
    response = client.post(url, {**details(**overrides), "action": "save"})
    assert response.status_code == 200 and field in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.applicant_name == "张明" and draft.id_number == ""


@pytest.mark.django_db
def test_a_credit_code_whose_check_character_fails_is_saved_once_confirmed_gb_32100(client, draft):
    # prc-rules §8: early pilot codes fail the check and are still legal: warn, don't hard-reject.
    url = reverse("licensing:application-edit", args=[draft.pk])
    pilot = {"applicant_type": "organization", "applicant_name": "示范科技有限公司", "id_number": ""}
    response = client.post(url, {**details(**pilot, credit_code="91110000600037341N"), "action": "save"})
    form = response.context["form"]
    assert form.uscc_warning and form.has_error("credit_code", "uscc_check")
    confirmed = {**details(**pilot, credit_code="91110000600037341N", credit_code_confirmed="on"), "action": "save"}
    assert client.post(url, confirmed).status_code == 302
    draft.refresh_from_db()
    assert draft.credit_code == "91110000600037341N"


@pytest.mark.django_db
def test_a_disguised_upload_is_refused(client, draft, matter):
    first = materials_of(matter)[0]
    url = reverse("licensing:application-edit", args=[draft.pk])
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 this is an executable")
    response = client.post(url, {**details(), "action": "save", f"material_{first.pk}": fake})
    assert f"material_{first.pk}" in response.context["form"].errors
    assert not ApplicationFile.objects.exists()


@pytest.mark.django_db
def test_another_applicant_gets_404_everywhere(client, draft, matter, other_applicant):
    first = materials_of(matter)[0]
    client.post(
        reverse("licensing:application-edit", args=[draft.pk]),
        {**details(), "action": "save", f"material_{first.pk}": pdf()},
    )
    stored = ApplicationFile.objects.get()
    client.force_login(other_applicant)
    for name, args in [
        ("licensing:application-edit", [draft.pk]),
        ("licensing:application-detail", [draft.pk]),
        ("licensing:application-receipt", [draft.pk]),
        ("licensing:correction-notice", [draft.pk]),
        ("licensing:application-file", [draft.pk, stored.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    client.logout()
    assert client.get(reverse("licensing:application-file", args=[draft.pk, stored.pk])).status_code == 404


@pytest.mark.django_db
def test_private_files_reach_the_owner_and_the_departments_staff_only(
    client, matter, applicant, staff_user, other_department
):
    from civiccenter import roles
    from tests.conftest import make_staff

    application = make_application(matter, applicant)
    stored = ApplicationFile.objects.create(application=application, material=materials_of(matter)[0], file=pdf())
    application.submit(by=applicant, today=date(2026, 9, 24))
    url = reverse("licensing:application-file", args=[application.pk, stored.pk])
    assert stored.file.path.startswith(str(__import__("django.conf").conf.settings.PRIVATE_MEDIA_ROOT))
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    client.force_login(make_staff("other@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    assert client.get(url).status_code == 404
    assert "/media/" not in stored.file.path


@pytest.mark.django_db
def test_correct_and_resubmit_after_the_notice(client, matter, applicant, staff_user):
    application = make_application(matter, applicant)
    ApplicationFile.objects.create(application=application, material=materials_of(matter)[0], file=pdf())
    application.submit(by=applicant, today=date(2026, 9, 24))
    application.request_correction(
        by=staff_user, items=[(materials_of(matter)[0], "缺少签字")], today=date(2026, 9, 25)
    )
    client.force_login(applicant)
    notice = client.get(reverse("licensing:correction-notice", args=[application.pk])).content.decode()
    assert "缺少签字" in notice and application.case.number in notice
    edit = reverse("licensing:application-edit", args=[application.pk])
    assert "缺少签字" in client.get(edit).content.decode()
    response = client.post(
        edit,
        {**details(), "declaration": "on", "action": "submit", f"material_{materials_of(matter)[0].pk}": pdf()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert ApplicationFile.objects.filter(application=application).count() == 1  # replaced, not added


@pytest.mark.django_db
def test_my_applications_lists_own_drafts_and_submissions(client, draft, other_applicant, matter):
    make_application(matter, other_applicant, applicant_name="李华")
    html = client.get(reverse("licensing:application-list")).content.decode()
    assert reverse("licensing:application-edit", args=[draft.pk]) in html
    assert "李华" not in html


@pytest.mark.django_db
def test_the_form_offers_one_upload_per_material_and_the_art_78_warning(client, draft, matter):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("licensing:application-edit", args=[draft.pk])).content.decode()
    for material in materials_of(matter):
        assert f'type="file" name="material_{material.pk}"' in html
    assert "Article 78" in html and 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_citizen_pages_are_fully_chinese(client, matter, applicant, staff_user):
    from tests.civiccenter.test_translations import untranslated_words

    application = make_application(matter, applicant, id_number="11010519491231002X")
    ApplicationFile.objects.create(application=application, material=materials_of(matter)[0], file=pdf())
    draft = make_application(matter, applicant)
    application.submit(by=applicant, today=date(2026, 9, 24))
    application.request_correction(
        by=staff_user, items=[(materials_of(matter)[0], "缺少签字")], today=date(2026, 9, 25)
    )
    client.force_login(applicant)
    for url in [
        matter.get_absolute_url(),
        reverse("licensing:index"),
        reverse("licensing:application-list"),
        reverse("licensing:application-edit", args=[draft.pk]),
        reverse("licensing:application-edit", args=[application.pk]),
        reverse("licensing:application-detail", args=[application.pk]),
        reverse("licensing:application-receipt", args=[application.pk]),
        reverse("licensing:correction-notice", args=[application.pk]),
        reverse("accounts:cases"),
        reverse("track") + f"?number={application.case.number}&code={application.case.query_code}",
    ]:
        assert untranslated_words(client.get(url).content.decode()) == set(), url


@pytest.mark.django_db
def test_dated_acceptance_and_non_acceptance_notices_art_32(client, matter, applicant, staff_user):
    """Art. 32: acceptance and non-acceptance both get a dated written notice."""
    accepted = make_application(matter, applicant)
    accepted.submit(by=applicant, today=date(2026, 9, 24))
    url = reverse("licensing:acceptance-notice", args=[accepted.pk])
    client.force_login(applicant)
    assert client.get(url).status_code == 404  # nothing decided yet
    accepted.accept(by=staff_user, today=date(2026, 9, 28))
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "is accepted as of" in html and accepted.case.number in html
    refused = make_application(matter, applicant)
    refused.submit(by=applicant, today=date(2026, 9, 24))
    refused.refuse(by=staff_user, reason="不属于本部门职权", competent_organ="市卫健委")
    html = client.get(reverse("licensing:acceptance-notice", args=[refused.pk])).content.decode()
    assert "不属于本部门职权" in html and "市卫健委" in html and "60 days" in html
