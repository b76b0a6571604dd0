"""Board pages: the list (filters, keyset, fixed query count), posting, responding, accepting, contact details on
the page only for the two parties, another user's post (404), anonymous visitors, bad input; the admin queues."""

import pytest
from django.urls import reverse

from ngo.models.board import Post, Report, Response
from tests.conftest import make_user
from tests.ngo.board_helpers import make_moderator, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def helper(db):
    return make_user("helper@example.cn", full_name="王芳", phone="13700137000")


POST_DATA = {
    "kind": "need",
    "category": "errands",
    "title": "帮忙买菜",
    "description": "腿脚不便，每周六需要有人帮忙去菜市场买菜。",
    "area": "城南街道",
    "when_text": "每周六上午",
    "contact_phone": "138 0013 8000",
}


def test_post_create_happy_path_waits_for_moderation(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("ngo:board-new"), POST_DATA)
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert post.status == Post.Status.PENDING and post.contact_phone == "13800138000"
    assert "帮忙买菜" not in client.get(reverse("ngo:board")).content.decode()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"contact_phone": "", "contact_email": ""}, "contact_phone"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"title": "<script>"}, "title"),
        ({"kind": "sell"}, "kind"),
        ({"starts_on": "2026-12-10", "ends_on": "2026-12-01"}, "ends_on"),
    ],
)
def test_post_bad_input_is_a_form_error_and_nothing_saved(client, applicant, overrides, field):
    client.force_login(applicant)
    response = client.post(reverse("ngo:board-new"), {**POST_DATA, **overrides})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Post.objects.exists()


@pytest.mark.parametrize("name", ["ngo:board-new", "ngo:board-mine"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_anonymous_cannot_respond_or_report(client, applicant, moderator):
    post = make_post(applicant, approve_by=moderator)
    response = client.post(
        reverse("ngo:board-respond", args=[post.pk]), {"message": "x", "contact_phone": "13700137000"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("ngo:board-report", args=[post.pk])).status_code == 302
    assert not Response.objects.exists()


def test_pending_post_is_404_to_others_and_visible_to_its_author(client, applicant, other_applicant):
    post = make_post(applicant)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(other_applicant)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(applicant)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_another_users_post_edit_accept_close_are_404(client, applicant, other_applicant, moderator, helper):
    pending = make_post(applicant)
    post = make_post(applicant, approve_by=moderator)
    answer = post.respond(by=helper, message="我可以", contact_phone="13700137000")
    client.force_login(other_applicant)
    assert client.get(reverse("ngo:board-edit", args=[pending.pk])).status_code == 404
    assert client.post(reverse("ngo:board-accept", args=[post.pk, answer.pk])).status_code == 404
    assert client.post(reverse("ngo:board-close", args=[post.pk])).status_code == 404
    assert client.get(reverse("ngo:board-report-response", args=[post.pk, answer.pk])).status_code == 404
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN


def test_actions_are_post_only(client, applicant, moderator):
    post = make_post(applicant, approve_by=moderator)
    client.force_login(applicant)
    assert client.get(reverse("ngo:board-close", args=[post.pk])).status_code == 405


def test_full_flow_contact_shown_on_the_page_only_after_acceptance(
    client, applicant, moderator, helper, other_applicant
):
    post = make_post(applicant, approve_by=moderator, contact_email="zhang@example.cn")
    client.force_login(helper)
    response = client.post(
        reverse("ngo:board-respond", args=[post.pk]), {"message": "我周六有空", "contact_phone": "13700137000"}
    )
    assert response.status_code == 302
    assert "13800138000" not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(other_applicant)
    client.post(reverse("ngo:board-respond", args=[post.pk]), {"message": "我也行", "contact_email": "li@example.cn"})
    client.force_login(applicant)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "我周六有空" in page and "13700137000" not in page and "li@example.cn" not in page
    chosen = Response.objects.get(responder=helper)
    client.post(reverse("ngo:board-accept", args=[post.pk, chosen.pk]))
    page = client.get(post.get_absolute_url()).content.decode()
    assert "13700137000" in page and "li@example.cn" not in page
    client.force_login(helper)
    assert "13800138000" in client.get(post.get_absolute_url()).content.decode()
    client.force_login(other_applicant)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "13800138000" not in page and "zhang@example.cn" not in page
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "13800138000" not in page and "13700137000" not in page
    # close and thank
    client.force_login(applicant)
    client.post(reverse("ngo:board-close", args=[post.pk]))
    client.post(reverse("ngo:board-thank", args=[post.pk]), {"text": "非常感谢！"})
    client.logout()
    assert "非常感谢！" in client.get(post.get_absolute_url()).content.decode()


def test_respond_bad_input_is_a_form_error(client, applicant, moderator, helper):
    post = make_post(applicant, approve_by=moderator)
    client.force_login(helper)
    response = client.post(reverse("ngo:board-respond", args=[post.pk]), {"message": "", "contact_phone": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Response.objects.exists()


def test_report_a_post_once(client, applicant, moderator, helper):
    post = make_post(applicant, approve_by=moderator)
    client.force_login(helper)
    assert client.get(reverse("ngo:board-report", args=[post.pk])).status_code == 200
    client.post(reverse("ngo:board-report", args=[post.pk]), {"reason": "广告"})
    client.post(reverse("ngo:board-report", args=[post.pk]), {"reason": "广告"})
    assert Report.objects.filter(post=post).count() == 1
    response = client.post(reverse("ngo:board-report", args=[post.pk]), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors


def test_board_filters(client, applicant, moderator):
    make_post(applicant, approve_by=moderator, title="陪老人散步")
    make_post(applicant, approve_by=moderator, kind="offer", category="repairs", title="免费修理小家电", area="城北")
    page = client.get(reverse("ngo:board"), {"kind": "offer"}).content.decode()
    assert "免费修理小家电" in page and "陪老人散步" not in page
    page = client.get(reverse("ngo:board"), {"area": "城北"}).content.decode()
    assert "免费修理小家电" in page and "陪老人散步" not in page
    assert client.get(reverse("ngo:board"), {"kind": "bogus", "older": "x"}).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_board_list_keeps_a_fixed_number_of_queries(client, applicant, moderator, django_assert_num_queries, count):
    for n in range(count):
        make_post(applicant, approve_by=moderator, title=f"互助{n}")
    with django_assert_num_queries(1):
        response = client.get(reverse("ngo:board"))
    assert len(response.context["posts"]) == count


def test_mine_lists_own_posts_and_responses(client, applicant, moderator, helper):
    post = make_post(applicant, approve_by=moderator)
    make_post(helper, title="我的需求")
    post.respond(by=helper, message="我可以", contact_phone="13700137000")
    client.force_login(helper)
    page = client.get(reverse("ngo:board-mine")).content.decode()
    assert "我的需求" in page and post.title in page


# Admin ------------------------------------------------------------------------------------


ADMIN_QUERIES = {
    "admin:ngo_post_changelist": 12,
    "admin:ngo_response_changelist": 10,
    "admin:ngo_report_changelist": 10,
}


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("name", list(ADMIN_QUERIES))
def test_admin_queues_keep_a_fixed_number_of_queries(
    client, applicant, moderator, helper, django_assert_num_queries, count, name
):
    for n in range(count):
        post = make_post(applicant, approve_by=moderator, title=f"互助{n}")
        post.report(by=helper, reason="广告")
        post.respond(by=helper, message="回应", contact_phone="13700137000").report(by=applicant, reason="骚扰")
    client.force_login(moderator)
    client.get(reverse(name))  # the session and the user's permissions are cached after the first page
    with django_assert_num_queries(ADMIN_QUERIES[name]):
        response = client.get(reverse(name))
    per_post = 2 if name == "admin:ngo_report_changelist" else 1  # a report on the post and one on its response
    assert response.status_code == 200 and response.context["cl"].result_count == count * per_post


def test_admin_actions_call_the_model_methods(client, applicant, moderator, helper):
    pending = make_post(applicant)
    client.force_login(moderator)
    url = reverse("admin:ngo_post_changelist")
    client.post(url, {"action": "approve_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Post.Status.OPEN
    pending.report(by=helper, reason="广告")
    page = client.post(url + "?queue=all", {"action": "hide_selected", "_selected_action": [pending.pk]})
    assert page.status_code == 200  # asks for the reason
    client.post(
        url + "?queue=all", {"action": "hide_selected", "_selected_action": [pending.pk], "apply": "1", "reason": ""}
    )
    pending.refresh_from_db()
    assert pending.status == Post.Status.OPEN
    client.post(
        url + "?queue=all",
        {"action": "hide_selected", "_selected_action": [pending.pk], "apply": "1", "reason": "商业广告"},
    )
    pending.refresh_from_db()
    assert pending.status == Post.Status.HIDDEN and pending.moderation_reason == "商业广告"


def test_citizen_cannot_reach_the_admin_queue(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("admin:ngo_post_changelist")).status_code == 302


@pytest.mark.django_db
def test_the_new_post_form_logs_no_warning_for_a_person_without_an_organization(client, caplog):
    """A normal page leaves nothing in the operators' logs (crispy-forms warned of a removed field)."""
    import logging

    from tests.conftest import make_user

    client.force_login(make_user("solo@example.cn", full_name="独立居民"))
    with caplog.at_level(logging.WARNING):
        assert client.get("/ngo/board/new/").status_code == 200
    assert [record.getMessage() for record in caplog.records] == []
