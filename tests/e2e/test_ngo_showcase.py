"""The citizen showcase in the browser: a citizen submits a work with an image; after a moderator approves it,
the work is in the gallery with its thumbnail."""

import io

import pytest
from playwright.sync_api import expect

from ngo.models.showcase import Work
from tests.conftest import make_user
from tests.e2e.test_consultation import sign_in
from tests.ngo.board_helpers import make_moderator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def photo(tmp_path):
    from PIL import Image

    path = tmp_path / "my-painting.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), (30, 90, 160)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_submit_a_work_and_find_it_in_the_gallery_once_approved(live_server, page, check_page, tmp_path):
    citizen = make_user()
    moderator = make_moderator()
    sign_in(page, live_server.url, citizen, "/ngo/showcase/submit/")
    check_page(page, "submit-form")
    page.locator("select[name=category]").select_option("painting")
    page.locator("input[name=title]").fill("西湖春色")
    page.locator("textarea[name=description]").fill("水彩，四开，2026年春天画于西湖边。")
    page.locator("input[name=images]").set_input_files(str(photo(tmp_path)))
    page.locator("input[name=consent_to_publish]").check()
    page.locator("main form [type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    check_page(page, "work-pending")
    work = Work.objects.get(author=citizen)
    assert work.status == Work.Status.PENDING

    page.goto(f"{live_server.url}/ngo/showcase/")
    expect(page.locator("main")).not_to_contain_text("西湖春色")

    work.approve(by=moderator)
    page.goto(f"{live_server.url}/ngo/showcase/")
    card = page.locator("main article", has_text="西湖春色")
    expect(card).to_be_visible()
    image = card.locator("img")
    expect(image).to_have_attribute("alt", "西湖春色")
    expect(image).to_have_attribute("loading", "lazy")
    assert page.evaluate("(img) => img.complete && img.naturalWidth", image.element_handle()) == 320
    check_page(page, "gallery")
    card.locator("a").click()
    expect(page.locator("h1")).to_have_text("西湖春色")
    check_page(page, "work-detail")
