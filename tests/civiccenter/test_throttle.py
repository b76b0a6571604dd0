"""Throttling (civiccenter/throttle.py): sign-in per account and per address, the account e-mails, every
form that creates something, the real client address behind trusted proxies."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory, override_settings
from django.urls import reverse

from civiccenter import roles
from civiccenter.lib.clientip import client_ip
from civiccenter.models import Notification, User
from tests.conftest import PASSWORD, make_staff, make_user

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def sign_in(client, email, password, address="203.0.113.10", url=LOGIN):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_an_account_is_locked_after_five_wrong_passwords_even_for_the_right_one_and_from_elsewhere(client):
    make_user("zhang@example.cn")
    for attempt in range(4):
        assert sign_in(client, "zhang@example.cn", "wrong-password").status_code == 200, attempt
    assert sign_in(client, "zhang@example.cn", "wrong-password").status_code == 429  # the fifth locks
    locked = sign_in(client, "Zhang@Example.cn", PASSWORD, address="198.51.100.7")  # case does not split counts
    assert locked.status_code == 429 and SESSION_KEY not in client.session
    page = locked.content.decode()
    assert "登录暂停" in page or "请等待" in page
    assert int(locked["Retry-After"]) == 15 * 60


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_one_address_trying_many_accounts_is_locked_but_another_address_signs_in(client):
    make_user("zhang@example.cn")
    for number in range(5):
        sign_in(client, f"guess{number}@example.cn", "wrong-password", address="203.0.113.66")
    assert sign_in(client, "zhang@example.cn", PASSWORD, address="203.0.113.66").status_code == 429
    assert sign_in(client, "zhang@example.cn", PASSWORD, address="198.51.100.7").status_code == 302
    assert client.session[SESSION_KEY]


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_guesser_signing_in_to_an_own_account_between_guesses_does_not_reset_the_count(client):
    make_user("zhang@example.cn")
    make_user("guesser@example.cn", phone="13900139000")
    for _ in range(2):
        for _ in range(2):
            sign_in(client, "zhang@example.cn", "wrong-password")
        assert sign_in(client, "guesser@example.cn", PASSWORD).status_code == 302
        client.logout()
    assert sign_in(client, "zhang@example.cn", "wrong-password").status_code == 429  # the fifth failure locks
    assert sign_in(client, "zhang@example.cn", PASSWORD, address="198.51.100.7").status_code == 429


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_wait_doubles_with_each_further_lockout(client):
    make_user("zhang@example.cn")
    for _ in range(3):
        sign_in(client, "zhang@example.cn", "wrong-password")
    first = sign_in(client, "zhang@example.cn", "wrong-password")
    for _ in range(3):
        sign_in(client, "zhang@example.cn", "wrong-password")
    second = sign_in(client, "zhang@example.cn", "wrong-password")
    assert first.status_code == second.status_code == 429
    assert int(second["Retry-After"]) >= 2 * int(first["Retry-After"])


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_the_admin_login_is_locked_too_and_the_staff_member_is_told_once(client, department, mailoutbox):
    staff = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    for _ in range(8):
        sign_in(client, "reviewer@example.cn", "wrong-password", url=ADMIN_LOGIN)
    locked = sign_in(client, "reviewer@example.cn", PASSWORD, url=ADMIN_LOGIN)
    assert locked.status_code == 429 and SESSION_KEY not in client.session
    assert "errornote" in locked.content.decode()
    told = Notification.objects.filter(recipient=staff, subject__contains="登录")
    assert told.count() == 1
    Notification.deliver_due()
    assert "203.0.113.10" in mailoutbox[-1].body


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_citizen_account_being_guessed_is_locked_without_a_staff_notice(client):
    make_user("zhang@example.cn")
    for _ in range(6):
        sign_in(client, "zhang@example.cn", "wrong-password")
    assert AccessAttempt.objects.filter(username="zhang@example.cn").exists()
    assert not Notification.objects.filter(subject__contains="登录").exists()


@pytest.mark.django_db
def test_the_locked_page_speaks_english_to_an_english_visitor(client):
    make_user("zhang@example.cn")
    client.cookies["django_language"] = "en"
    for _ in range(6):
        response = sign_in(client, "zhang@example.cn", "wrong-password")
    assert response.status_code == 429 and "Too many unsuccessful sign-ins" in response.content.decode()


# The client's address ------------------------------------------------------------------------------------


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    assert client_ip(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_the_client_and_what_the_client_wrote_is_not_believed():
    assert client_ip(request_from("10.0.0.2", "198.51.100.9")) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"  # spoofed left part
    assert client_ip(request_from("10.0.0.2", "garbage")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert client_ip(request_from("10.0.0.3", "1.2.3.4, 198.51.100.9, 10.0.0.2")) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.3", "[2001:db8::7]:443, 10.0.0.2")) == "2001:db8::7"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=5)
def test_behind_the_proxy_one_visitor_locked_out_leaves_the_others_signing_in(client):
    make_user("zhang@example.cn")
    for number in range(6):
        client.post(
            LOGIN,
            {"username": f"guess{number}@example.cn", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    other = client.post(
        LOGIN,
        {"username": "zhang@example.cn", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302


# Account e-mails and forms that create something ---------------------------------------------------------


@pytest.mark.django_db
@override_settings(
    THROTTLE_RATES={"account-mail": "3/h", "submit": "30/h", "track": "10/15m", "document-check": "10/15m"}
)
def test_sign_up_is_throttled_per_address_and_the_refusal_saves_nothing(client):
    from tests.civiccenter.test_accounts import signup_data

    for number in range(3):
        assert client.post(reverse("accounts:signup"), signup_data(email=f"p{number}@example.cn")).status_code == 302
    refused = client.post(reverse("accounts:signup"), signup_data(email="p9@example.cn"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "请等待" in refused.content.decode()
    assert not User.objects.filter(email="p9@example.cn").exists()
    elsewhere = client.post(reverse("accounts:signup"), signup_data(email="p9@example.cn"), REMOTE_ADDR="198.51.100.3")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
@override_settings(
    THROTTLE_RATES={"account-mail": "2/h", "submit": "30/h", "track": "10/15m", "document-check": "10/15m"}
)
def test_password_reset_is_throttled(client, applicant):
    url = reverse("accounts:password-reset")
    for _ in range(2):
        assert client.post(url, {"email": applicant.email}).status_code == 302
    assert client.post(url, {"email": applicant.email}).status_code == 429
    assert client.get(url).status_code == 200  # reading the form is never throttled


@pytest.mark.django_db
@override_settings(
    THROTTLE_RATES={"account-mail": "5/h", "submit": "2/h", "track": "10/15m", "document-check": "10/15m"}
)
def test_a_signed_in_person_is_throttled_per_account_whatever_the_address(client, applicant):
    """Forms that create something count per account too: a new address does not reset the count."""
    client.force_login(applicant)
    url = reverse("opinions:index")
    for number in range(2):
        client.post(url, {"kind": "suggestion"}, REMOTE_ADDR=f"198.51.100.{number + 1}")
    refused = client.post(url, {"kind": "suggestion"}, REMOTE_ADDR="198.51.100.99")
    assert refused.status_code == 429
