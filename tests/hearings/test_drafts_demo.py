"""The drafts demo: an open draft with comments in every state, a closed major draft with report and decision; idempotent."""

from datetime import timedelta

import pytest

from civiccenter import roles
from demo.hearings import drafts as demo_drafts
from hearings.models import Comment, Draft
from tests.conftest import make_department, make_staff


@pytest.mark.django_db
def test_seed_is_idempotent_and_covers_every_state():
    market = make_department(code="SCJG")
    housing = make_department(code="ZJ", name="区住房和城乡建设局", phone="0571-86010303")
    make_staff("head@demo.civiccenter.example", roles.DEPARTMENT_HEAD, market)
    make_staff("zj@demo.civiccenter.example", roles.DEPARTMENT_HEAD, housing, full_name="孙立")
    assert demo_drafts.seed() == 2
    assert demo_drafts.seed() == 0
    open_draft = Draft.objects.get(title=demo_drafts.OPEN_TITLE)
    closed = Draft.objects.get(title=demo_drafts.CLOSED_TITLE)
    assert open_draft.is_open() and not open_draft.major
    assert set(open_draft.comments.values_list("state", flat=True)) == {"published", "pending", "withheld"}
    assert open_draft.comments.filter(article__isnull=False).values("article").distinct().count() >= 3
    assert closed.major and closed.status == Draft.Status.DECIDED and closed.report_published
    # Order 713 Art. 3: the major draft is an item of its year's published catalogue, published before the draft.
    item = closed.catalogue_item
    assert item.status == "published" and item.year == (closed.opens_on - timedelta(days=3)).year
    assert item.published_on < closed.opens_on
    assert not closed.comments.filter(disposition="").exists()
    assert closed.report.totals == {"adopted": 2, "partly": 2, "not_adopted": 1, "out_of_scope": 1, "total": 6}
    assert not Comment.objects.filter(public_text__contains="13812345678").exists()
