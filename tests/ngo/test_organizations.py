"""Organizations: USCC rules (prc-rules §8, GB 32100-2015), the verification gate and its transitions,
invitations and the last-administrator rule, the private certificate, the pages and the admin queue."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.lib.uscc import check_ok as uscc_check_ok
from civiccenter.lib.uscc import normalize as normalize_uscc
from civiccenter.models import Notification
from demo.ngo.organizations import CERTIFICATE_PDF, uscc_for
from ngo.models.organizations import Invitation, Membership, Organization
from tests.conftest import make_department, make_staff, make_user

pytestmark = pytest.mark.django_db

VALID_SOCIAL_GROUP = uscc_for("social_group", 1)  # 51…, check character right
PILOT_SOCIAL_GROUP = uscc_for("social_group", 2, valid=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """These tests read messages on pages in English (Chinese is the default; the languages test reads it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def png_bytes(colour="red", size=(300, 300)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def representative(db):
    return make_user("rep@example.cn", full_name="刘芳", account_type="organization")


@pytest.fixture
def other_representative(db):
    return make_user("rep2@example.cn", full_name="王磊", account_type="organization", phone="13900139001")


def make_organization(by, *, name="示范区青少年成长促进会", uscc=VALID_SOCIAL_GROUP, type="social_group", **fields):
    data = {
        "name": name,
        "type": type,
        "uscc": uscc,
        "field": "children",
        "area": "全区",
        "contact_person": "刘芳",
        "contact_phone": "0571-86200001",
        "description": "开展青少年课后托管和心理辅导。",
        "certificate": ContentFile(CERTIFICATE_PDF, name="cert.pdf"),
        **fields,
    }
    return Organization.register(by=by, **data)


@pytest.fixture
def verifier(db):
    return make_staff("mz-reviewer@example.cn", roles.DEPARTMENT_REVIEWER, make_department(code="MZ", name="区民政局"))


# USCC (prc-rules §8, GB 32100-2015) ------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["91110000600037341L", "91440300708461136T", "121200004013590816", "91310115MA1K3BTP2B"]
)
def test_uscc_examples_of_prc_rules_section_8_pass_the_check(code):
    assert uscc_check_ok(code)


def test_uscc_example_of_prc_rules_section_8_that_fails_the_check():
    assert not uscc_check_ok("91110000600037341N")


def test_uscc_is_normalised_spaces_hyphens_and_case():
    assert normalize_uscc(" 9144-0300 7084 6113 6t ") == "91440300708461136T"


def form_data(**overrides):
    return {
        "name": "示范区青少年成长促进会",
        "type": "social_group",
        "uscc": VALID_SOCIAL_GROUP,
        "field": "children",
        "area": "全区",
        "contact_person": "刘芳",
        "contact_phone": "0571-86200001",
        "contact_email": "info@youth.example.cn",
        "description": "开展青少年课后托管和心理辅导。",
        **overrides,
    }


def files(**overrides):
    return {
        "certificate": SimpleUploadedFile("证书.pdf", CERTIFICATE_PDF, content_type="application/pdf"),
        "logo": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
        **overrides,
    }


def post_register(client, data=None, file_data=None):
    return client.post(reverse("ngo:organization-register"), {**(data or form_data()), **(file_data or files())})


def test_register_happy_path_makes_the_registrant_first_administrator_with_thumbnail(client, representative):
    client.force_login(representative)
    response = post_register(client, form_data(uscc=VALID_SOCIAL_GROUP.lower()[:4] + " " + VALID_SOCIAL_GROUP[4:]))
    organization = Organization.objects.get()
    assert response.status_code == 302 and response["Location"] == organization.get_manage_url()
    assert organization.uscc == VALID_SOCIAL_GROUP  # normalised
    assert organization.status == "pending" and not organization.uscc_check_failed
    assert organization.memberships.get().user == representative
    assert organization.memberships.get().role == "admin"
    assert organization.logo_thumbnail.name.endswith(".png")
    with Image.open(organization.logo_thumbnail.path) as thumb:
        assert max(thumb.size) <= 160
    assert organization.certificate.name.endswith(".pdf") and "证书" not in organization.certificate.name


def test_uscc_wrong_shape_is_refused(client, representative):
    client.force_login(representative)
    response = post_register(client, form_data(uscc="51330106MJ00010O"))
    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_uscc_check_failure_warns_then_is_accepted_with_the_flag(client, representative):
    """prc-rules §8: early pilot codes fail the check and are still legal: warn, don't hard-reject."""
    client.force_login(representative)
    response = post_register(client, form_data(uscc=PILOT_SOCIAL_GROUP))
    form = response.context["form"]
    assert form.uscc_warning and "uscc_confirmed" in form.fields
    assert form.errors["uscc"][0].startswith("The last character of this code")
    assert not Organization.objects.exists()
    response = post_register(client, form_data(uscc=PILOT_SOCIAL_GROUP, uscc_confirmed="on"))
    assert response.status_code == 302
    assert Organization.objects.get().uscc_check_failed is True


def test_the_confirmation_box_is_not_offered_for_a_right_code(client, representative):
    client.force_login(representative)
    response = client.get(reverse("ngo:organization-register"))
    assert "uscc_confirmed" not in response.context["form"].fields


@pytest.mark.parametrize(
    "kind,prefix", [("social_group", "51"), ("private_non_enterprise", "52"), ("foundation", "53")]
)
def test_uscc_prefix_per_type_gb_32100(client, representative, kind, prefix):
    """GB 32100-2015 / prc-rules §8: social groups 51, private non-enterprise units 52, foundations 53."""
    client.force_login(representative)
    wrong = uscc_for("other", 5)  # begins with Y1
    response = post_register(client, form_data(type=kind, uscc=wrong))
    assert "uscc" in response.context["form"].errors
    assert prefix in str(response.context["form"].errors["uscc"])
    assert not Organization.objects.exists()
    right = uscc_for(kind, 5)
    assert right.startswith(prefix)
    assert post_register(client, form_data(type=kind, uscc=right)).status_code == 302


def test_uscc_prefix_is_a_database_constraint(representative):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_organization(representative, type="foundation", uscc=uscc_for("social_group", 9))


def test_duplicate_name_or_code_is_a_form_error_not_a_500(client, representative, other_representative):
    make_organization(other_representative)
    client.force_login(representative)
    response = post_register(client, form_data(uscc=uscc_for("social_group", 77)))
    assert "name" in response.context["form"].errors
    response = post_register(client, form_data(name="另一个协会"))
    assert "uscc" in response.context["form"].errors
    assert Organization.objects.count() == 1


def test_a_non_image_logo_and_a_non_pdf_certificate_are_refused(client, representative):
    client.force_login(representative)
    response = post_register(
        client,
        file_data=files(
            logo=SimpleUploadedFile("logo.jpg", b"not an image at all", content_type="image/jpeg"),
            certificate=SimpleUploadedFile("c.pdf", b"MZ executable", content_type="application/pdf"),
        ),
    )
    assert set(response.context["form"].errors) >= {"logo", "certificate"}
    assert not Organization.objects.exists()


def test_a_citizen_account_is_told_how_to_get_a_representative_account(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("ngo:organization-register"))
    assert response.templates[0].name == "ngo/organizations/register_needs_account.html"
    post_register(client)
    assert not Organization.objects.exists()
    with pytest.raises(ValidationError):
        make_organization(applicant)


def test_register_anonymous_redirects_to_sign_in(client):
    response = client.get(reverse("ngo:organization-register"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Verification --------------------------------------------------------------------------


def test_verify_from_pending_notifies_the_administrators(representative, verifier):
    organization = make_organization(representative)
    organization.verify(by=verifier)
    organization.refresh_from_db()
    assert organization.is_verified and organization.verified_by == verifier and organization.verified_at
    assert Notification.objects.filter(recipient=representative, subject__contains=organization.name).exists()
    assert list(organization.history.values_list("old_status", "new_status")) == [
        ("", "pending"),
        ("pending", "verified"),
    ]


def test_return_requires_a_reason_and_notifies(representative, verifier):
    organization = make_organization(representative)
    with pytest.raises(ValidationError):
        organization.return_for_correction(by=verifier, reason="  ")
    organization.return_for_correction(by=verifier, reason="证书不清晰")
    organization.refresh_from_db()
    assert organization.status == "returned" and organization.return_reason == "证书不清晰"
    assert Notification.objects.filter(recipient=representative).count() == 1


def test_resubmit_after_return_goes_back_to_pending(representative, verifier):
    organization = make_organization(representative)
    organization.return_for_correction(by=verifier, reason="证书不清晰")
    organization.resubmit(by=representative)
    organization.refresh_from_db()
    assert organization.status == "pending"


@pytest.mark.parametrize(
    "setup,move",
    [
        ("verified", "verify"),
        ("verified", "return"),
        ("verified", "resubmit"),
        ("pending", "resubmit"),
        ("returned", "verify"),
        ("returned", "return"),
    ],
)
def test_refused_transitions(representative, verifier, setup, move):
    organization = make_organization(representative)
    if setup == "verified":
        organization.verify(by=verifier)
    elif setup == "returned":
        organization.return_for_correction(by=verifier, reason="请补充")
    with pytest.raises(InvalidTransition):
        {
            "verify": lambda: organization.verify(by=verifier),
            "return": lambda: organization.return_for_correction(by=verifier, reason="x"),
            "resubmit": lambda: organization.resubmit(by=representative),
        }[move]()
    organization.refresh_from_db()
    assert organization.status == setup


def test_only_an_administrator_resubmits(representative, other_representative, verifier):
    organization = make_organization(representative)
    organization.return_for_correction(by=verifier, reason="请补充")
    with pytest.raises(ValidationError):
        organization.resubmit(by=other_representative)


def test_the_verification_gate_directory_and_querysets(client, representative, other_representative, verifier):
    pending = make_organization(representative)
    verified = make_organization(other_representative, name="示范区环保志愿者协会", uscc=uscc_for("social_group", 3))
    verified.verify(by=verifier)
    assert list(Organization.objects.verified()) == [verified]
    assert list(Organization.objects.administered_by(representative)) == [pending]
    assert list(Organization.objects.of_member(other_representative)) == [verified]
    response = client.get(reverse("ngo:organizations"))
    assert list(response.context["organizations"]) == [verified]
    assert client.get(reverse("ngo:organization", args=[pending.pk])).status_code == 404
    page = client.get(reverse("ngo:organization", args=[verified.pk]))
    assert page.status_code == 200 and page.context["organization"] == verified


def test_editing_what_was_verified_sends_it_back(client, representative, verifier):
    organization = make_organization(representative)
    organization.verify(by=verifier)
    client.force_login(representative)
    url = reverse("ngo:organization-edit", args=[organization.pk])
    client.post(url, form_data(name=organization.name, description="新的介绍，内容更完整。"))
    organization.refresh_from_db()
    assert organization.status == "verified" and organization.description == "新的介绍，内容更完整。"
    client.post(url, form_data(name="示范区青少年发展促进会"))
    organization.refresh_from_db()
    assert organization.status == "pending" and organization.name == "示范区青少年发展促进会"


def test_phone_is_public_only_with_consent(client, representative, verifier):
    organization = make_organization(representative, contact_phone="13712345678")
    organization.verify(by=verifier)
    assert "13712345678" not in client.get(organization.get_absolute_url()).content.decode()
    Organization.objects.filter(pk=organization.pk).update(show_phone=True)
    assert "13712345678" in client.get(organization.get_absolute_url()).content.decode()


# Members and invitations -----------------------------------------------------------------


def test_invitation_accepted_by_the_invited_address(representative, applicant):
    organization = make_organization(representative)
    invitation, token = organization.invite(by=representative, email="ZHANG@example.cn", role="member")
    assert Invitation.for_token(token) == invitation and invitation.token_hash != token
    notice = Notification.objects.get(email="zhang@example.cn")
    assert token in notice.url and notice.sensitive
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    invitation.accept(by=applicant)
    assert organization.memberships.get(user=applicant).role == "member"


def test_invitation_wrong_email_refused(representative, other_applicant):
    organization = make_organization(representative)
    invitation, _ = organization.invite(by=representative, email="zhang@example.cn", role="admin")
    with pytest.raises(ValidationError, match="zhang@example.cn"):
        invitation.accept(by=other_applicant)
    assert not organization.memberships.filter(user=other_applicant).exists()


def test_invitation_expired_refused(representative, applicant):
    organization = make_organization(representative)
    invitation, _ = organization.invite(by=representative, email=applicant.email, role="member")
    with pytest.raises(ValidationError, match="expired"):
        invitation.accept(by=applicant, now=timezone.now() + timedelta(days=14, seconds=1))


def test_invitation_role_admin_lets_the_new_member_act(representative, applicant):
    organization = make_organization(representative)
    invitation, _ = organization.invite(by=representative, email=applicant.email, role="admin")
    invitation.accept(by=applicant)
    assert organization in Organization.objects.administered_by(applicant)


def test_only_administrators_invite(representative, applicant, other_applicant):
    organization = make_organization(representative)
    Membership.objects.create(organization=organization, user=applicant, role="member")
    with pytest.raises(ValidationError):
        organization.invite(by=applicant, email=other_applicant.email, role="member")


def test_last_administrator_cannot_leave_be_removed_or_demoted(representative, applicant):
    organization = make_organization(representative)
    only = organization.memberships.get(user=representative)
    with pytest.raises(ValidationError, match="at least one administrator"):
        only.remove(by=representative)
    with pytest.raises(ValidationError, match="at least one administrator"):
        only.change_role(by=representative, role="member")
    member = Membership.objects.create(organization=organization, user=applicant, role="member")
    member.change_role(by=representative, role="admin")
    only.change_role(by=representative, role="member")  # another administrator now
    only.remove(by=representative)
    assert list(organization.memberships.values_list("user", "role")) == [(applicant.pk, "admin")]


def test_a_member_cannot_change_roles(representative, applicant, other_applicant):
    organization = make_organization(representative)
    member = Membership.objects.create(organization=organization, user=applicant, role="member")
    with pytest.raises(ValidationError):
        member.change_role(by=applicant, role="admin")
    member.remove(by=applicant)  # leaving is allowed
    assert not organization.memberships.filter(user=applicant).exists()


def test_invite_and_accept_through_the_pages(client, representative, applicant):
    organization = make_organization(representative)
    client.force_login(representative)
    response = client.post(
        reverse("ngo:organization-invite", args=[organization.pk]), {"email": applicant.email, "role": "member"}
    )
    assert response.status_code == 302
    url = Notification.objects.get(email=applicant.email).url
    client.force_login(applicant)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert organization.memberships.filter(user=applicant).exists()


def test_invite_bad_input_is_a_form_error(client, representative):
    organization = make_organization(representative)
    client.force_login(representative)
    response = client.post(
        reverse("ngo:organization-invite", args=[organization.pk]), {"email": "not-an-address", "role": "boss"}
    )
    assert response.status_code == 400 and set(response.context["invite_form"].errors) == {"email", "role"}
    assert not Invitation.objects.exists()


def test_unknown_invitation_token_is_404(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("ngo:invitation", args=["nope"])).status_code == 404


# Another user's organization, anonymous, POST only -----------------------------------------


@pytest.mark.parametrize("name", ["organization-manage", "organization-edit"])
def test_another_users_organization_edit_pages_are_404(client, representative, other_representative, name):
    organization = make_organization(representative)
    client.force_login(other_representative)
    assert client.get(reverse(f"ngo:{name}", args=[organization.pk])).status_code == 404


@pytest.mark.parametrize("name", ["organization-resubmit", "organization-invite"])
def test_another_users_organization_actions_are_404(client, representative, other_representative, name):
    organization = make_organization(representative)
    client.force_login(other_representative)
    assert client.post(reverse(f"ngo:{name}", args=[organization.pk]), {"email": "a@b.cn"}).status_code == 404
    assert not Invitation.objects.exists()


def test_member_pages_of_another_organization_are_404(client, representative, other_representative):
    organization = make_organization(representative)
    membership = organization.memberships.get()
    client.force_login(other_representative)
    url = reverse("ngo:organization-member-remove", args=[organization.pk, membership.pk])
    assert client.post(url).status_code == 404
    assert organization.memberships.exists()


@pytest.mark.parametrize("name", ["organization-manage", "organization-edit"])
def test_manage_pages_anonymous_redirect_to_sign_in(client, representative, name):
    organization = make_organization(representative)
    response = client.get(reverse(f"ngo:{name}", args=[organization.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_resubmit_is_post_only(client, representative):
    organization = make_organization(representative)
    client.force_login(representative)
    assert client.get(reverse("ngo:organization-resubmit", args=[organization.pk])).status_code == 405


def test_my_organizations_and_manage_pages(client, representative, verifier):
    organization = make_organization(representative)
    organization.return_for_correction(by=verifier, reason="证书不清晰")
    client.force_login(representative)
    response = client.get(reverse("ngo:organizations-mine"))
    assert organization.name in response.content.decode() and "证书不清晰" in response.content.decode()
    response = client.get(organization.get_manage_url())
    assert response.status_code == 200 and "证书不清晰" in response.content.decode()
    assert client.get(reverse("ngo:organization-edit", args=[organization.pk])).status_code == 200
    client.post(reverse("ngo:organization-resubmit", args=[organization.pk]))
    organization.refresh_from_db()
    assert organization.status == "pending"


# The private certificate --------------------------------------------------------------------


def test_certificate_served_to_administrators_and_verifiers_only(
    client, representative, other_representative, verifier, staff_user
):
    organization = make_organization(representative)
    url = reverse("ngo:organization-certificate", args=[organization.pk])
    assert client.get(url).status_code == 404
    client.force_login(other_representative)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)  # a reviewer of another department
    assert client.get(url).status_code == 404
    for user in (representative, verifier):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_certificate_is_not_under_media_url(client, settings, representative):
    organization = make_organization(representative)
    assert not str(organization.certificate.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        organization.certificate.url  # noqa: B018
    settings.SERVE_MEDIA = True
    assert client.get(settings.MEDIA_URL + organization.certificate.name).status_code == 404


# Directory queries ----------------------------------------------------------------------------


def _verified_organizations(count, verifier, start=0):
    for index in range(start, start + count):
        owner = make_user(f"o{index}@example.cn", account_type="organization")
        organization = make_organization(owner, name=f"组织{index}", uscc=uscc_for("social_group", 500 + index))
        organization.verify(by=verifier)


def test_directory_query_count_is_fixed(client, verifier, django_assert_num_queries):
    _verified_organizations(2, verifier)
    with django_assert_num_queries(3):
        response = client.get(reverse("ngo:organizations") + "?type=social_group&area=全区")
    assert len(response.context["organizations"]) == 2
    _verified_organizations(28, verifier, start=2)
    with django_assert_num_queries(3):
        response = client.get(reverse("ngo:organizations") + "?type=social_group&area=全区&page=2")
    assert len(response.context["organizations"]) == 6


def test_directory_bad_filters_are_ignored_not_500(client, verifier):
    _verified_organizations(1, verifier)
    response = client.get(reverse("ngo:organizations") + "?type=evil&field=nope&area=x&page=abc")
    assert response.status_code == 200 and len(response.context["organizations"]) == 1
    # A NUL never reaches the view: the request is refused as unreadable.
    assert client.get(reverse("ngo:organizations") + "?type=%00evil").status_code == 400
    assert client.get(reverse("ngo:organizations") + "?page=999999").status_code == 200


# Admin queue ----------------------------------------------------------------------------------


def test_admin_queue_pending_first_and_query_count_fixed(client, verifier, representative, django_assert_num_queries):
    client.force_login(verifier)
    url = reverse("admin:ngo_organization_changelist") + "?queue=all"
    make_organization(representative, uscc=PILOT_SOCIAL_GROUP)
    _verified_organizations(1, verifier)
    client.get(url)  # warm the session and permission caches
    with django_assert_num_queries(12) as context:
        response = client.get(url)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows[0].status == "pending"
    assert "does not match" in response.content.decode()
    _verified_organizations(18, verifier, start=1)
    with django_assert_num_queries(len(context.captured_queries)):
        client.get(url)


def test_admin_queue_only_for_the_verifying_department(client, staff_user, representative):
    make_organization(representative)
    client.force_login(staff_user)  # a reviewer of market regulation
    assert client.get(reverse("admin:ngo_organization_changelist")).status_code == 403


def test_admin_actions_verify_and_return_with_reason(client, verifier, representative, other_representative):
    one = make_organization(representative)
    two = make_organization(other_representative, name="示范区环保志愿者协会", uscc=uscc_for("social_group", 3))
    client.force_login(verifier)
    url = reverse("admin:ngo_organization_changelist")
    client.post(url, {"action": "verify_selected", "_selected_action": [one.pk], "index": 0})
    one.refresh_from_db()
    assert one.is_verified
    response = client.post(url, {"action": "return_selected", "_selected_action": [two.pk], "index": 0})
    assert response.status_code == 200 and "reason" in response.content.decode()
    response = client.post(url, {"action": "return_selected", "_selected_action": [two.pk], "reason": ""})
    two.refresh_from_db()
    assert two.status == "pending"
    client.post(url, {"action": "return_selected", "_selected_action": [two.pk], "reason": "名称与证书不一致"})
    two.refresh_from_db()
    assert two.status == "returned" and two.return_reason == "名称与证书不一致"
