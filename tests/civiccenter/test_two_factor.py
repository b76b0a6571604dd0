"""Staff sign in with a second factor (civiccenter/two_factor.py) and staff sessions end when idle."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civiccenter import roles
from tests.civiccenter.test_deploy import ROOT, example_environment
from tests.conftest import PASSWORD, make_staff

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")
TWO_FACTOR = reverse("admin:two-factor")


def code_for(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def reviewer(department):
    return make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)


def password_sign_in(client):
    return client.post(LOGIN, {"username": "reviewer@example.cn", "password": PASSWORD, "next": ADMIN})


def enrol(client):
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post(TWO_FACTOR, {"code": code_for(device), "next": ADMIN})
    return device, page


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_the_password_alone_does_not_open_the_admin(client, reviewer):
    response = password_sign_in(client)
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)
    assert client.get(ADMIN).status_code == 302  # to the login, which sends on to the second factor
    assert client.get(reverse("admin:civiccenter_notification_changelist")).status_code == 302


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_first_sign_in_links_an_app_with_a_qr_code_then_shows_ten_recovery_codes_once(client, reviewer):
    password_sign_in(client)
    page = client.get(TWO_FACTOR).content.decode()
    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = client.post(TWO_FACTOR, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "errornote" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    throttled = client.post(TWO_FACTOR, {"code": code_for(device)})  # at once: django-otp makes one wait
    assert "wait 1 seconds" in throttled.content.decode() or "等待 1 秒" in throttled.content.decode()
    time.sleep(1.1)
    right = client.post(TWO_FACTOR, {"code": code_for(device), "next": ADMIN})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", right.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=reviewer).count() == 10
    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_later_sign_ins_need_the_code_and_a_recovery_code_works_once(client, reviewer):
    password_sign_in(client)
    device, page = enrol(client)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())
    client.post(reverse("admin:logout"))

    password_sign_in(client)
    assert client.get(ADMIN).status_code == 302
    assert "errornote" in client.post(TWO_FACTOR, {"code": "12345"}).content.decode()
    time.sleep(1.1)  # the wait after a wrong code
    response = client.post(TWO_FACTOR, {"code": code_for(device, steps_ahead=1), "next": ADMIN})
    assert response.status_code == 302 and client.get(ADMIN).status_code == 200
    client.post(reverse("admin:logout"))

    password_sign_in(client)
    assert client.post(TWO_FACTOR, {"code": codes[0], "next": ADMIN}).status_code == 302
    assert client.get(ADMIN).status_code == 200
    client.post(reverse("admin:logout"))
    password_sign_in(client)
    again = client.post(TWO_FACTOR, {"code": codes[0]})
    assert again.status_code == 200 and client.get(ADMIN).status_code == 302


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=False)
def test_without_the_setting_the_password_opens_the_admin(client, reviewer):
    password_sign_in(client)
    assert client.get(ADMIN).status_code == 200
    assert client.get(TWO_FACTOR).status_code == 302


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_a_citizen_or_a_visitor_has_no_two_factor_page(client, applicant):
    assert client.get(TWO_FACTOR)["Location"].startswith(LOGIN)
    client.force_login(applicant)
    assert client.get(TWO_FACTOR)["Location"].startswith(LOGIN)


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=True)
def test_the_two_factor_pages_speak_english_too(client, reviewer):
    client.cookies["django_language"] = "en"
    password_sign_in(client)
    assert "Set up your second factor" in client.get(TWO_FACTOR).content.decode()


def test_the_second_factor_is_on_by_default_when_debug_is_off():
    env = {**example_environment(), "SECRET_KEY": "x" * 60}
    env.pop("STAFF_TWO_FACTOR", None)
    command = "import civiccenter.settings as s; print(s.STAFF_TWO_FACTOR, s.STAFF_IDLE_MINUTES)"
    result = subprocess.run([sys.executable, "-c", command], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "30"], result.stderr
    debug = subprocess.run(
        [sys.executable, "-c", command], cwd=ROOT, env={**os.environ, "DEBUG": "1"}, capture_output=True, text=True
    )
    assert debug.stdout.split()[0] == "False"  # make run: the demo staff accounts sign in with the password


@pytest.mark.django_db
@override_settings(STAFF_TWO_FACTOR=False, STAFF_IDLE_MINUTES=30)
def test_a_staff_session_ends_after_thirty_idle_minutes(client, reviewer):
    client.force_login(reviewer)
    assert client.get(ADMIN).status_code == 200
    session = client.session
    session["staff_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
@override_settings(STAFF_IDLE_MINUTES=30)
def test_a_citizen_session_is_not_cut_by_the_staff_timeout(client, applicant):
    client.force_login(applicant)
    session = client.session
    session["staff_seen"] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_no_one_reads_another_persons_key_in_the_admin(admin_client, reviewer):
    """django-otp's admin pages showing a device's key and QR code are closed, to administrators too."""
    device = TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    for pk in (device.pk, 0, 2147483648):
        for page in ("config", "qrcode"):
            assert admin_client.get(f"/admin/otp_totp/totpdevice/{pk}/{page}/").status_code == 403
