"""The showcase work's table (`Work.WORKFLOW`), walked with the real methods."""

import pytest
from django.utils import timezone

from civiccenter.stateful import StatusEvent
from ngo.models.showcase import Work
from tests.ngo.board_helpers import make_moderator
from tests.ngo.workflow_walk import assert_walk, cases

pytestmark = pytest.mark.django_db


def new_work(author):
    """A performance (a video link, no image needed) with the author's consent to publish."""
    work = Work(
        category=Work.Category.PERFORMANCE,
        title="二胡独奏《良宵》",
        description="社区文艺汇演录像。",
        video_url="https://video.example.cn/v/1",
        consent_to_publish=True,
    )
    work.submit(by=author)
    return work


@pytest.mark.parametrize(("name", "state"), cases(Work.WORKFLOW))
def test_each_move_of_the_table_from_each_status(applicant, name, state):
    work = new_work(applicant)
    Work.objects.filter(pk=work.pk).update(status=state, published_at=timezone.now(), return_reason="画面模糊")
    work.refresh_from_db()
    moderator = make_moderator()
    calls = {
        "approve": lambda: work.approve(by=moderator),
        "return_to_author": lambda: work.return_to_author(by=moderator, reason="画面模糊"),
        "resubmit": lambda: work.resubmit(by=applicant),
        "withdraw": lambda: work.withdraw(by=applicant),
    }
    assert set(calls) == set(Work.WORKFLOW.moves)
    assert_walk(work, name, state, calls[name])


def test_a_new_work_logs_its_first_status(applicant):
    work = new_work(applicant)
    [event] = StatusEvent.objects.of(work)
    assert (event.move, event.old_status, event.new_status, event.actor) == ("submit", "", "pending", applicant)
