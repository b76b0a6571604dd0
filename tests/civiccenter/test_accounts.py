"""Sign-up, e-mail confirmation, sign-in, password reset and the profile."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from civiccenter.models import Notification, User
from tests.conftest import PASSWORD, make_user

SIGNUP = reverse("accounts:signup")
LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")

REQUIRED_ZH = "这个字段是必填项。"
REQUIRED_EN = "This field is required."


def signup_data(**overrides):
    data = {
        "account_type": "citizen",
        "full_name": "张明",
        "email": "Zhang.Ming@Example.cn",
        "phone": "138 0013 8000",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def post(client):
    """POST, then let the notification worker deliver what the view queued."""

    def _post(url, data):
        response = client.post(url, data)
        Notification.deliver_due()
        return response

    return _post


def link_from(message):
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("account_type", ["citizen", "organization"])
def test_signup_creates_an_unconfirmed_account_and_mails_a_link(client, post, mailoutbox, account_type):
    response = post(SIGNUP, signup_data(account_type=account_type))

    assert response.status_code == 302
    assert response.url == reverse("accounts:confirmation-sent")
    user = User.objects.get()
    assert user.email == "zhang.ming@example.cn"  # stored lower-case
    assert user.account_type == account_type
    assert user.phone == "13800138000"  # spaces dropped
    assert user.language == "zh-hans"
    assert not user.email_confirmed
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zhang.ming@example.cn"]
    assert "/accounts/confirm/" in mailoutbox[0].body
    page = client.get(response.url)
    assert "zhang.ming@example.cn" in page.content.decode()


@pytest.mark.django_db
def test_signup_page_offers_both_account_types_with_none_preselected(client):
    html = client.get(SIGNUP).content.decode()
    assert 'value="citizen"' in html and 'value="organization"' in html
    assert "checked" not in re.search(r'<input[^>]*value="citizen"[^>]*>', html).group(0)


@pytest.mark.django_db
def test_signup_in_english_mails_in_english(client, post, mailoutbox):
    client.cookies["django_language"] = "en"
    post(SIGNUP, signup_data())
    user = User.objects.get()
    assert user.language == "en"
    assert mailoutbox[0].subject == "Confirm your e-mail address"


@pytest.mark.django_db
def test_confirmation_link_confirms_and_signs_in_once(client, post, mailoutbox):
    post(SIGNUP, signup_data())
    link = link_from(mailoutbox[0])

    response = client.get(link)

    assert response.status_code == 302 and response.url == PROFILE
    user = User.objects.get()
    assert user.email_confirmed
    assert client.session[SESSION_KEY] == str(user.pk)
    client.logout()
    # A used link is dead: the token covers the confirmation time.
    again = client.get(link)
    assert again.status_code == 400


@pytest.mark.django_db
def test_tampered_confirmation_link_is_refused(client, post, mailoutbox):
    post(SIGNUP, signup_data())
    link = link_from(mailoutbox[0])
    response = client.get(link.rstrip("/")[:-3] + "abc/")
    assert response.status_code == 400
    assert not User.objects.get().email_confirmed
    assert client.get("/accounts/confirm/not-base64/bad-token/").status_code == 400


@pytest.mark.django_db
def test_unconfirmed_account_cannot_sign_in(client):
    make_user(confirmed=False)
    response = client.post(LOGIN, {"username": "zhang@example.cn", "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].errors["__all__"]


@pytest.mark.django_db
def test_resend_confirmation_answers_the_same_for_unknown_addresses(post, mailoutbox):
    make_user(confirmed=False)
    url = reverse("accounts:resend-confirmation")
    known = post(url, {"email": "ZHANG@example.cn"})
    unknown = post(url, {"email": "nobody@example.cn"})
    assert known.status_code == unknown.status_code == 302
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_sign_in_by_email_in_any_case_and_sign_out(client, applicant):
    response = client.post(LOGIN, {"username": "ZHANG@Example.CN", "password": PASSWORD})
    assert response.status_code == 302 and response.url == PROFILE
    assert client.session[SESSION_KEY] == str(applicant.pk)
    client.post(reverse("accounts:logout"))
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_wrong_password_gets_a_message_in_the_pages_language(client, applicant):
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"username": "zhang@example.cn", "password": "wrong"})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_logout_is_post_only(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("accounts:logout")).status_code == 405


@pytest.mark.django_db
def test_password_reset_by_email(client, post, applicant, mailoutbox):
    response = post(reverse("accounts:password-reset"), {"email": "zhang@example.cn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = link_from(mailoutbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "a-new-long-passphrase-9", "new_password2": "a-new-long-passphrase-9"}
    )

    assert done.status_code == 302 and done.url == reverse("accounts:password-reset-complete")
    applicant.refresh_from_db()
    assert applicant.check_password("a-new-long-passphrase-9")


@pytest.mark.django_db
def test_password_reset_confirms_an_unconfirmed_address(client, post, mailoutbox):
    user = make_user(confirmed=False)
    post(reverse("accounts:password-reset"), {"email": user.email})
    form_page = client.get(link_from(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-9", "new_password2": "a-new-long-passphrase-9"},
    )
    user.refresh_from_db()
    assert user.email_confirmed


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(post, mailoutbox):
    response = post(reverse("accounts:password-reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_profile_requires_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_profile_shows_and_saves_own_details(client, applicant, other_applicant):
    client.force_login(applicant)
    page = client.get(PROFILE).content.decode()
    assert applicant.email in page and other_applicant.email not in page

    response = client.post(PROFILE, {"full_name": "张小明", "phone": "010-12345678", "language": "en"})

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.phone, applicant.language) == ("张小明", "010-12345678", "en")
    assert response.cookies["django_language"].value == "en"
    other_applicant.refresh_from_db()
    assert other_applicant.full_name == "李华"


@pytest.mark.django_db
def test_password_change(client, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("another-long-passphrase-7")


# Bad input: a field error in the page's language, nothing saved, never a 500.

BAD_SIGNUPS = {
    "empty": ({key: "" for key in signup_data()}, ["account_type", "full_name", "email", "phone", "password1"]),
    "too long": (signup_data(full_name="张" * 51, email="a" * 250 + "@example.cn"), ["full_name", "email"]),
    "nul bytes": (signup_data(full_name="张\x00明", phone="138\x0000138000"), ["full_name", "phone"]),
    "script tags": (signup_data(full_name="<script>alert(1)</script>"), ["full_name"]),
    "wrong e-mail": (signup_data(email="zhang@"), ["email"]),
    "bad phone": (signup_data(phone="12345"), ["phone"]),
    "unknown account type": (signup_data(account_type="staff"), ["account_type"]),
    "passwords differ": (signup_data(password2="something-else-entirely-1"), ["password2"]),
    "no consent": (signup_data(privacy_consent=None), ["privacy_consent"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_SIGNUPS)
def test_bad_signup_input_gets_field_errors_and_saves_nothing(post, mailoutbox, case):
    data, fields = BAD_SIGNUPS[case]
    response = post(SIGNUP, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    for field in fields:
        assert field in errors, f"{case}: no error on {field}: {errors}"
    assert User.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_signup_errors_are_in_chinese_by_default_and_english_when_chosen(client):
    assert REQUIRED_ZH in client.post(SIGNUP, {}).content.decode()
    client.cookies["django_language"] = "en"
    assert REQUIRED_EN in client.post(SIGNUP, {}).content.decode()


@pytest.mark.django_db
def test_signup_with_an_existing_address_says_the_same_and_mails_the_owner(client, applicant, mailoutbox):
    """Sign-up reveals nothing: the same page whether or not the address has an account; its owner is told."""
    taken = client.post(SIGNUP, signup_data(email="ZHANG@example.cn"))
    new = client.post(SIGNUP, signup_data(email="new.person@example.cn"))
    assert taken.status_code == new.status_code == 302
    assert taken.url == new.url == reverse("accounts:confirmation-sent")
    assert "已注册" not in client.get(taken.url).content.decode()
    assert User.objects.filter(email__iexact="zhang@example.cn").count() == 1
    Notification.deliver_due()
    owner_mail = [m for m in mailoutbox if m.to == ["zhang@example.cn"]]
    assert len(owner_mail) == 1 and "/accounts/password/reset/" in owner_mail[0].body
    assert "/accounts/confirm/" not in owner_mail[0].body  # no link that would confirm anything


@pytest.mark.django_db
def test_signup_again_with_an_unconfirmed_address_sends_a_new_link(client, mailoutbox):
    make_user("wang@example.cn", confirmed=False)
    response = client.post(SIGNUP, signup_data(email="Wang@example.cn"))
    assert response.status_code == 302 and User.objects.filter(email="wang@example.cn").count() == 1
    Notification.deliver_due()
    assert "/accounts/confirm/" in mailoutbox[-1].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "phone": "", "language": ""},
        {"full_name": "张" * 51, "phone": "1" * 21, "language": "en"},
        {"full_name": "张\x00明", "phone": "13800138000", "language": "en"},
        {"full_name": "<script>alert(1)</script>", "phone": "13800138000", "language": "en"},
        {"full_name": "张明", "phone": "13800138000", "language": "fr"},
    ],
)
def test_bad_profile_input_saves_nothing(client, applicant, data):
    client.force_login(applicant)
    response = client.post(PROFILE, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.phone, applicant.language) == ("张明", "13800138000", "zh-hans")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("accounts:login", {"username": "", "password": ""}),
        ("accounts:login", {"username": "zhang\x00@example.cn", "password": "x"}),
        ("accounts:login", {"username": "<script>@x", "password": "x" * 5000}),
        ("accounts:password-reset", {"email": ""}),
        ("accounts:password-reset", {"email": "not-an-address"}),
        ("accounts:password-reset", {"email": "a\x00@example.cn"}),
        ("accounts:resend-confirmation", {"email": "<script>"}),
        ("accounts:resend-confirmation", {"email": "a" * 300 + "@example.cn"}),
    ],
)
def test_bad_input_on_other_account_forms_gets_errors_not_500(post, mailoutbox, url_name, data):
    response = post(reverse(url_name), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert mailoutbox == []


@pytest.mark.django_db
def test_long_forms_summarise_field_errors_but_a_wrong_password_is_not_a_field_error(client, applicant):
    summary = "Please correct the fields marked below."
    client.cookies["django_language"] = "en"
    assert summary in client.post(SIGNUP, {"email": "x"}).content.decode()
    wrong = client.post(LOGIN, {"username": applicant.email, "password": "wrong"}).content.decode()
    assert summary not in wrong


@pytest.mark.django_db
def test_personal_fields_declare_their_purpose_for_autofill(client):
    """WCAG 2.1 SC 1.3.5 Identify Input Purpose."""
    html = client.get(SIGNUP).content.decode()
    for name, purpose in [("full_name", "name"), ("email", "email"), ("phone", "tel"), ("password1", "new-password")]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'autocomplete="{purpose}"' in tag, tag
