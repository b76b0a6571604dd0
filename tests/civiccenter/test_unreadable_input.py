"""A NUL character anywhere in a request is refused with a 400 in the visitor's language, never a server error,
and nothing is saved (PostgreSQL cannot store NUL in text)."""

import pytest
from django.core import mail
from django.urls import reverse

from civiccenter.models import User


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/licensing/matters/%00/",
        "/opinions/cases/%00/",
        "/consultation/knowledge/?q=abc%00def",
        "/disclosure/?q=%00",
        "/track/?number=XK%00&code=ABCD",
        "/documents/%00/",
    ],
)
def test_a_nul_in_the_address_is_a_400_not_a_server_error(client, url, settings):
    settings.ADMINS = [("Ops", "ops@example.cn")]
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert mail.outbox == []  # no message to the operators for it


@pytest.mark.django_db
def test_a_nul_in_the_admin_address_is_a_400(admin_client):
    assert admin_client.get("/admin/licensing/application/1%00/change/").status_code == 400


@pytest.mark.django_db
def test_the_400_page_is_in_chinese_by_default(client):
    response = client.get("/opinions/cases/%00/")
    assert response.status_code == 400 and "无法读取" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_a_field_error_and_saves_nothing(client):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:signup"),
        {"email": "nul@example.cn", "full_name": "张\x00三", "password1": "x", "password2": "x"},
    )
    assert response.status_code == 200 and "Null characters are not allowed." in response.content.decode()
    assert not User.objects.filter(email="nul@example.cn").exists()


@pytest.mark.django_db
def test_ordinary_input_passes(client):
    assert client.get("/consultation/knowledge/?q=营业执照").status_code == 200
