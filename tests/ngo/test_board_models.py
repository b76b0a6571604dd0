"""The mutual assistance board's rules: moderation before publication, responses, acceptance, contact disclosure
only after acceptance (PIPL, prc-rules.md §10), closing, thanks, and reports once per user and item."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civiccenter.cases import InvalidTransition
from civiccenter.models import Notification
from ngo.models.board import Post, Report, Response
from ngo.models.organizations import Membership, Organization
from tests.conftest import make_user
from tests.ngo.board_helpers import make_moderator, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def helper(db):
    return make_user("helper@example.cn", full_name="王芳", phone="13700137000")


@pytest.fixture
def stranger(db):
    return make_user("stranger@example.cn", full_name="赵强", phone="13600136000")


def open_post(applicant, moderator):
    return make_post(applicant, approve_by=moderator)


# Moderation -------------------------------------------------------------------------


def test_new_post_waits_for_moderation_and_is_not_public(applicant):
    post = make_post(applicant)
    assert post.status == Post.Status.PENDING
    assert not Post.objects.public().filter(pk=post.pk).exists()


def test_approve_publishes_and_tells_the_poster(applicant, moderator):
    post = make_post(applicant)
    post.approve(by=moderator)
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN and post.published_at and post.moderated_by == moderator
    assert Post.objects.public().filter(pk=post.pk).exists()
    assert Notification.objects.filter(recipient=applicant, url=post.get_absolute_url()).exists()


def test_reject_requires_a_reason_and_the_poster_can_resubmit(applicant, moderator):
    post = make_post(applicant)
    with pytest.raises(InvalidTransition):
        post.reject(by=moderator, reason="  ")
    post.reject(by=moderator, reason="请勿在描述中填写手机号")
    assert post.status == Post.Status.REJECTED and post.moderation_reason
    post.resubmit(by=applicant)
    assert post.status == Post.Status.PENDING and post.moderation_reason == ""


@pytest.mark.parametrize(
    "start, move",
    [
        ("open", "approve"),
        ("rejected", "approve"),
        ("pending", "hide"),
        ("pending", "close"),
        ("closed", "close"),
        ("open", "resubmit"),
    ],
)
def test_refused_moves(applicant, moderator, start, move):
    post = make_post(applicant)
    if start in ("open", "closed"):
        post.approve(by=moderator)
    if start == "rejected":
        post.reject(by=moderator, reason="内容不完整")
    if start == "closed":
        post.close(by=applicant)
    with pytest.raises(InvalidTransition):
        if move == "approve":
            post.approve(by=moderator)
        elif move == "hide":
            post.hide(by=moderator, reason="广告")
        elif move == "close":
            post.close(by=applicant)
        else:
            post.resubmit(by=applicant)


def test_hide_needs_a_reason_and_resolves_open_reports(applicant, moderator, stranger):
    post = open_post(applicant, moderator)
    post.report(by=stranger, reason="这是广告")
    with pytest.raises(InvalidTransition):
        post.hide(by=moderator, reason="")
    post.hide(by=moderator, reason="商业广告，不属于邻里互助")
    assert post.status == Post.Status.HIDDEN
    report = Report.objects.get(post=post)
    assert report.outcome == Report.Outcome.HIDDEN and report.resolved_by == moderator
    assert not Post.objects.public().filter(pk=post.pk).exists()


def test_a_post_needs_a_phone_or_an_email(applicant):
    with pytest.raises(ValidationError) as error:
        make_post(applicant, contact_phone="", contact_email="")
    assert "contact_phone" in error.value.message_dict


def test_database_refuses_a_post_without_contact(applicant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(author=applicant, kind="need", category="other", area="城南", title="t", description="d")


def test_contact_phone_is_encrypted_at_rest(applicant):
    """PIPL: phone numbers are stored encrypted (prc-rules.md §10)."""
    from django.db import connection

    post = make_post(applicant)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM ngo_post WHERE id = %s", [post.pk])
        stored = cursor.fetchone()[0]
    assert "13800138000" not in stored


def test_posting_for_an_organization_needs_it_verified_and_administered(applicant, stranger):
    from django.utils import timezone

    organization = Organization.objects.create(
        name="城南邻里互助会",
        type=Organization.Type.MUTUAL_AID,
        uscc="53330100MJ0000000X",
        certificate="ngo/certificates/x.pdf",
        field=Organization.Field.COMMUNITY,
        area="城南街道",
        contact_person="张明",
        contact_phone="13800138000",
        description="社区互助",
        created_by=applicant,
    )
    Membership.objects.create(organization=organization, user=applicant, role=Membership.Role.ADMINISTRATOR)
    with pytest.raises(ValidationError):
        make_post(applicant, organization=organization)  # not verified yet
    Organization.objects.filter(pk=organization.pk).update(status="verified", verified_at=timezone.now())
    organization.refresh_from_db()
    with pytest.raises(ValidationError):
        make_post(stranger, organization=organization)  # not an administrator
    post = make_post(applicant, organization=organization)
    assert post.poster_name == "城南邻里互助会"


# Responses, acceptance and contact disclosure ------------------------------------------


def test_respond_only_to_open_posts_not_ones_own_and_once(applicant, moderator, helper):
    pending = make_post(applicant)
    with pytest.raises(InvalidTransition):
        pending.respond(by=helper, message="我可以帮忙", contact_phone="13700137000")
    post = open_post(applicant, moderator)
    with pytest.raises(InvalidTransition):
        post.respond(by=applicant, message="自己回应", contact_phone="13800138000")
    post.respond(by=helper, message="我周二上午有空", contact_phone="13700137000")
    with pytest.raises(InvalidTransition):
        post.respond(by=helper, message="再来一次", contact_phone="13700137000")
    assert Response.objects.filter(post=post).count() == 1
    assert Notification.objects.filter(recipient=applicant, subject__contains=post.title).count() >= 1


def test_contact_details_are_disclosed_only_after_acceptance_and_only_to_the_two(
    applicant, moderator, helper, stranger, other_applicant
):
    """PIPL (prc-rules.md §10): contact details reach only the poster and the accepted responder, after acceptance."""
    post = open_post(applicant, moderator)
    chosen = post.respond(by=helper, message="我周二上午有空", contact_phone="13700137000")
    other = post.respond(by=other_applicant, message="我也可以", contact_email="li@example.cn")
    from django.contrib.auth.models import AnonymousUser

    # Before acceptance: nobody but the owner of the details sees them.
    assert chosen.contact_for(applicant) is None
    assert post.poster_contact_for(helper) is None
    assert chosen.contact_for(helper) == {"phone": "13700137000", "email": ""}
    post.accept(by=applicant, response=chosen)
    post = Post.objects.get(pk=post.pk)
    chosen, other = Response.objects.get(pk=chosen.pk), Response.objects.get(pk=other.pk)
    # The poster sees the accepted responder's details, not the other responder's.
    assert chosen.contact_for(applicant) == {"phone": "13700137000", "email": ""}
    assert other.contact_for(applicant) is None
    # The accepted responder sees the poster's; the not-accepted responder, a stranger and the anonymous do not.
    assert post.poster_contact_for(helper)["phone"] == "13800138000"
    assert post.poster_contact_for(other_applicant) is None
    assert post.poster_contact_for(stranger) is None
    assert post.poster_contact_for(AnonymousUser()) is None
    assert chosen.contact_for(stranger) is None and chosen.contact_for(other_applicant) is None


def test_only_the_poster_accepts_and_only_one_response(applicant, moderator, helper, other_applicant):
    post = open_post(applicant, moderator)
    first = post.respond(by=helper, message="我可以", contact_phone="13700137000")
    second = post.respond(by=other_applicant, message="我也可以", contact_phone="13900139000")
    with pytest.raises(InvalidTransition):
        post.accept(by=helper, response=first)
    post.accept(by=applicant, response=first)
    assert post.status == Post.Status.ACCEPTED
    with pytest.raises(InvalidTransition):
        post.accept(by=applicant, response=second)
    assert Response.objects.filter(post=post, accepted=True).count() == 1


def test_database_keeps_one_accepted_response_per_post(applicant, moderator, helper, other_applicant):
    from django.utils import timezone

    post = open_post(applicant, moderator)
    first = post.respond(by=helper, message="我可以", contact_phone="13700137000")
    second = post.respond(by=other_applicant, message="我也可以", contact_phone="13900139000")
    Response.objects.filter(pk=first.pk).update(accepted=True, accepted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=second.pk).update(accepted=True, accepted_at=timezone.now())


def test_close_and_thank_each_other_once(applicant, moderator, helper, stranger):
    post = open_post(applicant, moderator)
    response = post.respond(by=helper, message="我可以", contact_phone="13700137000")
    post.accept(by=applicant, response=response)
    with pytest.raises(InvalidTransition):
        post.thank(by=applicant, text="谢谢")  # not closed yet
    with pytest.raises(InvalidTransition):
        post.close(by=helper)  # only the poster closes
    post.close(by=applicant)
    assert post.status == Post.Status.CLOSED and post.closed_at
    post.thank(by=applicant, text="感谢王阿姨每周的陪伴！")
    post.thank(by=helper, text="能帮上忙很开心。")
    with pytest.raises(InvalidTransition):
        post.thank(by=applicant, text="再次感谢")
    with pytest.raises(InvalidTransition):
        post.thank(by=stranger, text="路过")
    post.refresh_from_db()
    assert post.poster_thanks == "感谢王阿姨每周的陪伴！" and post.responder_thanks == "能帮上忙很开心。"


def test_thanks_are_scrubbed_of_phone_numbers(applicant, moderator, helper):
    post = open_post(applicant, moderator)
    response = post.respond(by=helper, message="我可以", contact_phone="13700137000")
    post.accept(by=applicant, response=response)
    post.close(by=applicant)
    post.thank(by=applicant, text="谢谢，有事打我13800138000")
    assert "13800138000" not in post.poster_thanks


# Reports -------------------------------------------------------------------------------


def test_report_once_per_user_and_item(applicant, moderator, helper, stranger):
    post = open_post(applicant, moderator)
    response = post.respond(by=helper, message="加我微信买保健品", contact_phone="13700137000")
    post.report(by=stranger, reason="广告")
    with pytest.raises(InvalidTransition):
        post.report(by=stranger, reason="还是广告")
    response.report(by=applicant, reason="推销保健品")
    with pytest.raises(InvalidTransition):
        response.report(by=applicant, reason="again")
    post.report(by=helper, reason="另一位用户也举报")
    assert Report.objects.filter(post=post).count() == 2
    assert Report.objects.filter(response=response).count() == 1
    assert list(Post.objects.reported()) == [post]


def test_database_refuses_a_second_report_by_the_same_user(applicant, moderator, stranger):
    post = open_post(applicant, moderator)
    Report.objects.create(reporter=stranger, post=post, reason="广告")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=stranger, post=post, reason="广告")


def test_report_needs_a_reason(applicant, moderator, stranger):
    post = open_post(applicant, moderator)
    with pytest.raises(InvalidTransition):
        post.report(by=stranger, reason=" ")


def test_hiding_a_response_resolves_its_reports_and_dismissing_a_report(applicant, moderator, helper, stranger):
    post = open_post(applicant, moderator)
    response = post.respond(by=helper, message="推销", contact_phone="13700137000")
    response.report(by=applicant, reason="推销保健品")
    with pytest.raises(InvalidTransition):
        response.hide(by=moderator, reason="")
    response.hide(by=moderator, reason="推销")
    assert Report.objects.get(response=response).outcome == Report.Outcome.HIDDEN
    with pytest.raises(InvalidTransition):
        response.hide(by=moderator, reason="again")
    with pytest.raises(InvalidTransition):
        post.accept(by=applicant, response=response)  # a hidden response cannot be accepted
    report = post.report(by=stranger, reason="看不懂")
    report.dismiss(by=moderator)
    assert report.outcome == Report.Outcome.DISMISSED
    with pytest.raises(InvalidTransition):
        report.dismiss(by=moderator)
