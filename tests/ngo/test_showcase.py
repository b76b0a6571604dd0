"""The citizen showcase: moderation transitions, consent (PIPL Art. 25), images stored without metadata with
their thumbnails, the submission form's refusals, the gallery and its fixed query count, exhibitions."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from ngo.models.showcase import Exhibition, ExhibitionEntry, Work, WorkImage
from tests.lib.test_images import bomb_png, has_gps, jpeg_with_gps
from tests.ngo.board_helpers import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def moderator(db):
    return make_moderator()


def png_bytes(colour="navy", size=(900, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def make_work(author, *, images=1, approve_by=None, **fields):
    fields.setdefault("category", Work.Category.PAINTING)
    fields.setdefault("title", "西湖春色")
    fields.setdefault("description", "水彩，四开。")
    fields.setdefault("consent_to_publish", True)
    work = Work.objects.create(author=author, **fields)
    for n in range(images):
        WorkImage.objects.create(work=work, image=SimpleUploadedFile(f"w{n}.png", png_bytes()), order=n)
    if approve_by is not None:
        work.approve(by=approve_by)
    return work


# Transitions --------------------------------------------------------------------------


def test_approve_publishes_and_notifies_the_author(applicant, moderator):
    work = make_work(applicant)
    work.approve(by=moderator)
    assert work.status == Work.Status.APPROVED and work.published_at
    assert Notification.objects.filter(recipient=applicant, url=work.get_absolute_url()).exists()
    assert list(Work.objects.approved()) == [work]


def test_return_requires_a_reason_notifies_and_resubmit(applicant, moderator):
    work = make_work(applicant)
    with pytest.raises(InvalidTransition):
        work.return_to_author(by=moderator, reason="")
    work.return_to_author(by=moderator, reason="图片模糊，请重新拍摄")
    assert work.status == Work.Status.RETURNED
    assert Notification.objects.filter(recipient=applicant, body__contains="图片模糊").exists()
    with pytest.raises(InvalidTransition):
        work.resubmit(by=moderator)
    work.resubmit(by=applicant)
    assert work.status == Work.Status.PENDING


@pytest.mark.parametrize("start", ["approved", "withdrawn"])
def test_refused_moves(applicant, moderator, start):
    work = make_work(applicant, approve_by=moderator)
    if start == "withdrawn":
        work.withdraw(by=applicant)
        with pytest.raises(InvalidTransition):
            work.return_to_author(by=moderator, reason="x")
    with pytest.raises(InvalidTransition):
        work.approve(by=moderator)
    with pytest.raises(InvalidTransition):
        work.resubmit(by=applicant)


def test_withdraw_takes_the_work_out_of_the_gallery(applicant, moderator, other_applicant):
    """PIPL Art. 15: consent can be withdrawn at any time."""
    work = make_work(applicant, approve_by=moderator)
    with pytest.raises(InvalidTransition):
        work.withdraw(by=other_applicant)
    work.withdraw(by=applicant)
    assert work.status == Work.Status.WITHDRAWN and work.published_at is None
    assert not Work.objects.approved().exists()


def test_no_publication_without_consent_pipl_art_25(applicant, moderator):
    """PIPL Art. 25: publishing needs the person's separate consent; the method and the database both refuse."""
    work = make_work(applicant, consent_to_publish=False)
    with pytest.raises(InvalidTransition):
        work.approve(by=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.filter(pk=work.pk).update(status="approved", published_at=timezone.now())


def test_a_work_without_images_cannot_be_approved_but_a_performance_can(applicant, moderator):
    work = make_work(applicant, images=0)
    with pytest.raises(InvalidTransition):
        work.approve(by=moderator)
    show = make_work(applicant, images=0, category=Work.Category.PERFORMANCE, video_url="https://video.example.cn/v/1")
    show.approve(by=moderator)
    assert show.status == Work.Status.APPROVED


def test_database_refuses_a_performance_without_video_and_http_links(applicant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(author=applicant, category="performance", title="t", description="d")
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(
            author=applicant, category="performance", title="t", description="d", video_url="http://x.example/v"
        )


# Images ---------------------------------------------------------------------------------


def test_stored_image_and_thumbnails_have_no_gps_and_the_right_sizes(applicant):
    work = Work.objects.create(author=applicant, category="photography", title="晨光", description="d")
    image = WorkImage.objects.create(work=work, image=SimpleUploadedFile("gps.jpg", jpeg_with_gps((2000, 1500))))
    image.refresh_from_db()
    for field in (image.image, image.small, image.medium):
        with field.open("rb") as stored:
            assert not has_gps(stored.read()), field.name
    assert image.image.name.endswith(".jpg") and "gps" not in image.image.name
    assert (image.width, image.height) == (1600, 1200)
    assert (image.small_width, image.small_height) == (320, 240)
    assert (image.medium_width, image.medium_height) == (800, 600)
    assert image.small.url.startswith("/media/")


# The submission form --------------------------------------------------------------------


def submit(client, **overrides):
    data = {
        "category": "painting",
        "title": "西湖春色",
        "description": "水彩，四开。",
        "consent_to_publish": "on",
        "images": [SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")],
    }
    data.update(overrides)
    return client.post(reverse("ngo:showcase-submit"), data)


def test_submit_a_work_happy_path(client, applicant):
    client.force_login(applicant)
    response = submit(client)
    work = Work.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert work.status == Work.Status.PENDING and work.images.count() == 1
    assert work.images.get().small


def test_submit_needs_sign_in(client):
    response = client.get(reverse("ngo:showcase-submit"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"images": [SimpleUploadedFile("fake.jpg", b"GIF89a not really", content_type="image/jpeg")]}, "images"),
        ({"images": [SimpleUploadedFile("bomb.png", bomb_png(), content_type="image/png")]}, "images"),
        ({"images": []}, "images"),
        ({"consent_to_publish": ""}, "consent_to_publish"),
        ({"category": "performance", "images": [], "video_url": ""}, "video_url"),
        ({"category": "performance", "images": [], "video_url": "http://video.example.cn/1"}, "video_url"),
        ({"category": "performance", "images": [], "video_url": "javascript:alert(1)"}, "video_url"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, applicant, overrides, field):
    client.force_login(applicant)
    response = submit(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Work.objects.exists() and not WorkImage.objects.exists()


def test_another_users_work_cannot_be_edited_or_seen_before_approval(client, applicant, other_applicant):
    work = make_work(applicant)
    client.force_login(other_applicant)
    assert client.get(reverse("ngo:showcase-edit", args=[work.pk])).status_code == 404
    assert client.post(reverse("ngo:showcase-withdraw", args=[work.pk])).status_code == 404
    assert client.get(work.get_absolute_url()).status_code == 404
    client.force_login(applicant)
    assert client.get(work.get_absolute_url()).status_code == 200


def test_edit_a_returned_work_sends_it_back_to_moderation(client, applicant, moderator):
    work = make_work(applicant)
    work.return_to_author(by=moderator, reason="请补充说明")
    client.force_login(applicant)
    response = client.post(
        reverse("ngo:showcase-edit", args=[work.pk]),
        {"category": "painting", "title": "西湖春色（修改）", "description": "水彩，四开，2026年作。",
         "consent_to_publish": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == Work.Status.PENDING and work.title == "西湖春色（修改）"


# The gallery ----------------------------------------------------------------------------


def test_gallery_shows_approved_works_with_thumbnails_and_filters(client, applicant, moderator):
    shown = make_work(applicant, approve_by=moderator)
    make_work(applicant, title="待审作品")
    make_work(applicant, approve_by=moderator, title="书法一幅", category="calligraphy")
    html = client.get(reverse("ngo:showcase")).content.decode()
    image = shown.images.get()
    assert "西湖春色" in html and "待审作品" not in html
    assert f'srcset="{image.small.url} 320w, {image.medium.url} 800w"' in html
    assert 'alt="西湖春色"' in html and 'loading="lazy"' in html and 'width="320"' in html
    filtered = client.get(reverse("ngo:showcase"), {"category": "calligraphy"}).content.decode()
    assert "书法一幅" in filtered and "西湖春色" not in filtered
    assert client.get(reverse("ngo:showcase"), {"category": "nonsense"}).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_gallery_keeps_a_fixed_number_of_queries(client, applicant, moderator, django_assert_num_queries, count):
    for n in range(count):
        make_work(applicant, approve_by=moderator, title=f"作品{n}")
    Exhibition.objects.create(
        title="当前展览", introduction="介绍", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
        published=True,
    )  # fmt: skip
    # session-less visitor: works, their images, current exhibitions
    with django_assert_num_queries(3):
        response = client.get(reverse("ngo:showcase"))
    assert response.status_code == 200


def test_gallery_pages_by_keyset(client, applicant, moderator):
    from ngo.views import showcase

    for n in range(showcase.PER_PAGE + 3):
        make_work(applicant, approve_by=moderator, title=f"作品{n:02d}")
    first = client.get(reverse("ngo:showcase"))
    assert len(first.context["works"]) == showcase.PER_PAGE and first.context["older_query"]
    second = client.get(reverse("ngo:showcase") + "?" + first.context["older_query"])
    assert len(second.context["works"]) == 3
    assert not {w.pk for w in first.context["works"]} & {w.pk for w in second.context["works"]}


# Exhibitions ----------------------------------------------------------------------------


def test_exhibition_pages_show_only_published_works_and_current_ones_on_the_gallery(client, applicant, moderator):
    today = timezone.localdate()
    current = Exhibition.objects.create(
        title="秋日书画展", introduction="金秋时节", starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=20), published=True,
    )  # fmt: skip
    past = Exhibition.objects.create(
        title="夏日摄影展", introduction="夏天", starts_on=today - timedelta(days=90),
        ends_on=today - timedelta(days=60), published=True,
    )  # fmt: skip
    shown = make_work(applicant, approve_by=moderator)
    withdrawn = make_work(applicant, approve_by=moderator, title="已撤回作品")
    ExhibitionEntry.objects.create(exhibition=current, work=shown, order=1)
    ExhibitionEntry.objects.create(exhibition=current, work=withdrawn, order=2)
    withdrawn.withdraw(by=applicant)
    gallery = client.get(reverse("ngo:showcase")).content.decode()
    assert "秋日书画展" in gallery and "夏日摄影展" not in gallery
    page = client.get(current.get_absolute_url()).content.decode()
    assert "西湖春色" in page and "已撤回作品" not in page
    assert client.get(past.get_absolute_url()).status_code == 200
    assert "夏日摄影展" in client.get(reverse("ngo:showcase-exhibitions")).content.decode()
    hidden = Exhibition.objects.create(title="未发布", introduction="x", starts_on=today, ends_on=today)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_exhibition_dates_in_order_in_the_database():
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        Exhibition.objects.create(title="x", introduction="x", starts_on=today, ends_on=today - timedelta(days=1))
