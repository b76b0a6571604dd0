"""The board post's table (`Post.WORKFLOW`), walked with the real methods."""

import pytest
from django.utils import timezone

from civiccenter.stateful import StatusEvent
from ngo.models.board import Post, Response
from tests.conftest import make_user
from tests.ngo.board_helpers import make_moderator, make_post
from tests.ngo.workflow_walk import assert_walk, cases

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "state"), cases(Post.WORKFLOW))
def test_each_move_of_the_table_from_each_status(applicant, name, state):
    post = make_post(applicant)
    helper = make_user("helper@example.cn", full_name="王芳", phone="13700137000")
    response = Response.objects.create(post=post, responder=helper, message="我周二有空。", contact_phone="13700137000")
    Post.objects.filter(pk=post.pk).update(status=state, published_at=timezone.now(), moderation_reason="含有广告")
    post.refresh_from_db()
    moderator = make_moderator()
    calls = {
        "approve": lambda: post.approve(by=moderator),
        "reject": lambda: post.reject(by=moderator, reason="请删去电话以外的个人信息"),
        "resubmit": lambda: post.resubmit(by=applicant),
        "accept": lambda: post.accept(by=applicant, response=response),
        "close": lambda: post.close(by=applicant),
        "hide": lambda: post.hide(by=moderator, reason="含有广告"),
    }
    assert set(calls) == set(Post.WORKFLOW.moves)
    assert_walk(post, name, state, calls[name])


def test_a_new_post_logs_its_first_status(applicant):
    post = make_post(applicant)
    [event] = StatusEvent.objects.of(post)
    assert (event.move, event.old_status, event.new_status, event.actor) == ("submit", "", "pending", applicant)
