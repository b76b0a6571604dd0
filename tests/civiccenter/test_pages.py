"""Public pages, language, care mode and the health check."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter.models import User
from tests.conftest import make_department

CENTER_ZH = "示范区市民服务中心"
CENTER_EN = "Model District Citizen Service Center"
SECTION_URLS = ["/disclosure/", "/consultation/", "/hearings/", "/opinions/", "/ngo/", "/licensing/"]
PUBLIC_URLS = ["/", "/about/", "/contact/", "/privacy/", *SECTION_URLS]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_anonymous_visitors(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert CENTER_ZH in response.content.decode()


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-CN"' in html
    assert CENTER_ZH in html
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_language_switch_sets_english_and_comes_back(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": "/about/"})
    assert response.status_code == 302 and response.url == "/about/"
    html = client.get("/about/").content.decode()
    assert '<html lang="en"' in html
    assert CENTER_EN in html
    client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-CN"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_remembers_a_signed_in_users_choice(client, applicant):
    client.force_login(applicant)
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    applicant.refresh_from_db()
    assert applicant.language == "en"


@pytest.mark.django_db
def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post(reverse("set-language"), {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url
    assert '<html lang="zh-CN"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_is_post_only(client):
    assert client.get(reverse("set-language")).status_code == 405


@pytest.mark.django_db
def test_english_pages_contain_no_untranslated_chinese(client):
    """Everything but the language's own name and contact data reads in English."""
    make_department()
    client.cookies["django_language"] = "en"
    for url in PUBLIC_URLS + [reverse("accounts:signup"), reverse("accounts:login")]:
        html = client.get(url).content.decode()
        html = html.replace("简体中文", "")
        text = re.sub(r"<[^>]+>", " ", html)
        han = re.findall(r"[\u4e00-\u9fff]+", text)
        assert han == [], f"{url}: {han[:5]}"


@pytest.mark.django_db
def test_home_presents_the_eight_functions_and_the_affairs_center(client):
    html = client.get("/").content.decode()
    for href in SECTION_URLS:
        assert f'href="{href}' in html
    for fragment in ("#services", "#development", "#mutual-aid", "#showcase"):
        assert f'href="/ngo/{fragment}"' in html
    ngo = client.get("/ngo/").content.decode()
    for anchor in ("services", "development", "mutual-aid", "showcase"):
        assert f'id="{anchor}"' in ngo


@pytest.mark.django_db
def test_pages_have_landmarks_skip_link_and_labelled_language_switch(client):
    html = client.get("/").content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and '<nav class="mainnav"' in html
    assert '<label for="language-select"' in html


@pytest.mark.django_db
def test_care_mode_switches_on_persists_and_switches_off(client):
    response = client.post(reverse("care-mode"), {"care_mode": "1", "next": "/about/"})
    assert response.status_code == 302 and response.url == "/about/"
    assert 'class="care-mode"' in client.get("/").content.decode()
    client.post(reverse("care-mode"), {"care_mode": "0"})
    assert 'class="care-mode"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_does_not_redirect_off_site(client):
    response = client.post(reverse("care-mode"), {"care_mode": "1", "next": "//evil.example/"})
    assert response.url == "/"


@pytest.mark.django_db
def test_contact_lists_departments_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    make_department("A1", "甲局")
    with CaptureQueriesContext(connection) as one:
        client.get("/contact/")
    for index in range(20):
        make_department(f"D{index}", f"第{index}局")
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/contact/").content.decode()
    assert "第19局" in html


@pytest.mark.django_db
def test_contact_shows_english_department_names_in_english(client):
    make_department()
    client.cookies["django_language"] = "en"
    assert "District Administration for Market Regulation" in client.get("/contact/").content.decode()


@pytest.mark.django_db
def test_unknown_url_is_a_404_page_not_an_error(client):
    assert client.get("/no-such-page/").status_code == 404


# /healthz ---------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"status": "ok", "due": 0, "oldest_due_seconds": 0},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_while_the_database_is_unreachable_and_recovers(client):
    """A real failed connection (a port nothing listens on), then the real server again."""
    User.objects.count()  # an open, working connection first
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1", OPTIONS={**saved["OPTIONS"], "connect_timeout": 2})
    try:
        down = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert down.status_code == 503
    assert down.json() == {"status": "error", "database": "unavailable"}

    up = client.get("/healthz")
    assert up.status_code == 200


@pytest.mark.django_db
def test_not_found_page_is_the_portals_own_and_in_chinese(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert CENTER_ZH in html and 'href="/"' in html


@pytest.mark.django_db
def test_form_sent_without_csrf_token_gets_a_clear_403(applicant):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": applicant.email, "password": "x"})
    assert response.status_code == 403
    assert 'lang="zh-CN"' in response.content.decode()
