"""The citizen's pages: the landing form, the receipt, my opinions, the case page, answering, reopening, files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civiccenter import roles
from opinions.models import Kind, Opinion, OpinionFile
from tests.conftest import make_staff
from tests.opinions.test_cases import make_category, submit


def jpeg_with_gps(name="photo.jpg"):
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(department):
    return make_category(department)


def form_data(category, **overrides):
    data = {
        "kind": "complaint",
        "category": category.pk,
        "title": "餐馆出售过期食品",
        "description": "文汇路一家餐馆出售过期的牛奶和面包。",
        "place": "文汇路12号",
        "contact_name": "张明",
        "contact_phone": "13800138000",
        "contact_email": "zhang@example.cn",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_landing_page_anonymous_sees_kinds_and_a_sign_in_link(client):
    response = client.get(reverse("opinions:index") + "?kind=report")
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("accounts:login") + "?next=" in content
    assert 'name="title"' not in content
    assert reverse("track") in content


@pytest.mark.django_db
def test_anonymous_post_redirects_to_sign_in(client, category):
    response = client.post(reverse("opinions:index"), form_data(category))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_form_is_prefilled_and_consent_unticked(client, applicant, category):
    client.force_login(applicant)
    response = client.get(reverse("opinions:index") + "?kind=complaint")
    form = response.context["form"]
    assert form["contact_name"].value() == applicant.full_name
    assert form["contact_email"].value() == applicant.email
    assert "consent_to_publish" in form.fields and not form["consent_to_publish"].value()
    assert "reported_department" not in form.fields


@pytest.mark.django_db
def test_report_form_never_offers_consent_and_asks_for_the_unit(client, applicant, category):
    client.force_login(applicant)
    form = client.get(reverse("opinions:index") + "?kind=report").context["form"]
    assert "consent_to_publish" not in form.fields
    assert form.fields["reported_department"].required


@pytest.mark.django_db
def test_submit_with_a_photo_shows_the_receipt(client, applicant, category, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(applicant)
    response = client.post(reverse("opinions:index"), {**form_data(category), "files": [jpeg_with_gps()]})
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "opinions:receipt", args=[opinion.case.number]
    )
    assert opinion.kind == Kind.COMPLAINT and opinion.submitter == applicant and opinion.consent_to_publish is False
    stored = opinion.files.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert image.getexif().get(0x8825) is None  # the location is gone
    receipt = client.get(response["Location"]).content.decode()
    assert opinion.case.number in receipt and opinion.case.query_code in receipt and reverse("track") in receipt


@pytest.mark.django_db
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, applicant, category):
    client.force_login(applicant)
    response = client.post(reverse("opinions:index"), form_data(category, description="短", contact_phone="123"))
    assert response.status_code == 200
    assert "description" in response.context["form"].errors and "contact_phone" in response.context["form"].errors
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_a_non_image_renamed_jpg_is_refused(client, applicant, category):
    client.force_login(applicant)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is not a picture", content_type="image/jpeg")
    response = client.post(reverse("opinions:index"), {**form_data(category), "files": [fake]})
    assert response.status_code == 200 and "files" in response.context["form"].errors
    assert not Opinion.objects.exists() and not OpinionFile.objects.exists()


@pytest.mark.django_db
def test_report_naming_the_lead_department_is_a_form_error(client, applicant, category, department):
    client.force_login(applicant)
    data = form_data(category, kind="report", reported_department=department.pk)
    response = client.post(reverse("opinions:index"), data)
    assert "reported_department" in response.context["form"].errors
    assert not Opinion.objects.exists()


@pytest.mark.django_db
def test_changed_hidden_kind_is_refused(client, applicant, category):
    client.force_login(applicant)
    # The page of a complaint, but the hidden kind says "report": it would skip the unit reported.
    response = client.post(reverse("opinions:index") + "?kind=complaint", {**form_data(category), "kind": "nonsense"})
    assert response.status_code == 200 and not Opinion.objects.exists()


@pytest.mark.django_db
def test_my_opinions_and_case_page(client, applicant, other_applicant, category, django_assert_num_queries):
    for i in range(2):
        submit(applicant, category, title=f"意见{i}")
    client.force_login(applicant)
    url = reverse("opinions:my-opinions")
    client.get(url)
    with django_assert_num_queries(5) as two:
        client.get(url)
    for i in range(18):
        submit(applicant, category, title=f"更多意见{i}")
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(url)
    assert len(response.context["opinions"]) == 20
    opinion = Opinion.objects.filter(submitter=applicant).first()
    page = client.get(opinion.get_absolute_url())
    assert page.status_code == 200 and opinion.title in page.content.decode()
    client.force_login(other_applicant)
    assert client.get(opinion.get_absolute_url()).status_code == 404
    assert client.get(reverse("opinions:receipt", args=[opinion.case.number])).status_code == 404
    assert not client.get(url).context["opinions"]


@pytest.mark.django_db
def test_own_pages_need_sign_in(client, applicant, category):
    opinion = submit(applicant, category)
    for url in (opinion.get_absolute_url(), reverse("opinions:my-opinions")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_answer_information_on_the_case_page(
    client, applicant, other_applicant, category, staff_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    opinion = submit(applicant, category)
    opinion.accept(by=staff_user)
    opinion.request_information(by=staff_user, question="请提供购物小票")
    url = reverse("opinions:answer", args=[opinion.case.number])
    client.force_login(other_applicant)
    assert client.post(url, {"text": "我来答"}).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 405
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert "请提供购物小票" in page and url in page
    response = client.post(url, {"text": ""})
    assert response.status_code == 200 and response.context["answer_form"].errors
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.INFO_REQUESTED
    response = client.post(url, {"text": "小票见附件", "files": [jpeg_with_gps("receipt.jpg")]})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ACCEPTED and opinion.files.count() == 1


@pytest.mark.django_db
def test_reply_rate_and_reopen_on_the_case_page(client, applicant, category, staff_user):
    opinion = submit(applicant, category)
    opinion.accept(by=staff_user)
    opinion.reply_to(by=staff_user, text="经查，该店已整改。")
    client.force_login(applicant)
    page = client.get(opinion.get_absolute_url()).content.decode()
    assert "经查，该店已整改。" in page and reverse("accounts:rate", args=[opinion.case.number]) in page
    url = reverse("opinions:reopen", args=[opinion.case.number])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["reopen_form"].errors
    assert client.post(url, {"reason": "该店仍在出售过期食品"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REOPENED
    assert url not in client.get(opinion.get_absolute_url()).content.decode()  # once only


@pytest.mark.django_db
def test_files_are_private(
    client, applicant, other_applicant, category, staff_user, other_department, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    opinion = submit(applicant, category, files=[jpeg_with_gps()])
    url = reverse("opinions:file", args=[opinion.files.get().pk])
    assert client.get(url).status_code == 404
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_REVIEWER, other_department))
    assert client.get(url).status_code == 404
    for user in (applicant, staff_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_art_30_reported_unit_cannot_download_the_reporters_files(
    client, applicant, category, other_department, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    category.co_departments.set([other_department])
    report = submit(
        applicant, category, kind=Kind.REPORT, reported_department=other_department, files=[jpeg_with_gps()]
    )
    client.force_login(make_staff("mz@example.cn", roles.DEPARTMENT_HEAD, other_department))
    assert client.get(reverse("opinions:file", args=[report.files.get().pk])).status_code == 404
