"""The drafts' and comments' workflow tables, walked move by move through the real model methods.

Every move is taken from each state it lists (and writes exactly one `StatusEvent`), and refused from every
other state with a refusal that names the move and the status, in Chinese (the default) and in English.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from civiccenter.cases import InvalidTransition
from civiccenter.stateful import StatusEvent
from hearings.models import AdoptionReport, Comment, Draft
from tests.hearings.test_drafts_models import make_draft

OPENS = date(2026, 9, 1)
CLOSES = date(2026, 10, 8)
AFTER = date(2026, 10, 9)

pytestmark = pytest.mark.django_db


def force_draft(department, status):
    """A draft in `status`, forced as a row (the CHECKs hold: a published draft has its date, a decided one its text)."""
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES)
    fields = {"status": status}
    if status != Draft.Status.PREPARING:
        fields["published_at"] = timezone.now()
    if status == Draft.Status.DECIDED:
        fields.update(decided_at=timezone.now(), decision_text="决定全文")
    Draft.objects.filter(pk=draft.pk).update(**fields)
    draft.refresh_from_db()
    return draft


def force_comment(draft, author, state):
    comment = Comment.objects.create(draft=draft, author=author, display_name="居民甲", text="建议增加停车位。")
    fields = {"state": state}
    if state != Comment.State.PENDING:
        fields["moderated_at"] = timezone.now()
    if state == Comment.State.WITHHELD:
        fields["withheld_reason"] = "重复"
    Comment.objects.filter(pk=comment.pk).update(**fields)
    comment.refresh_from_db()
    return comment


def take_draft_move(draft, name, by):
    """Call the move's real method with everything else in order (the period is over, nothing left to do)."""
    if name == "publish":
        return draft.publish(by=by, today=OPENS)
    if name == "generate_report":
        return draft.generate_report(by=by, today=AFTER)
    if name == "publish_report":
        if draft.status in Draft.WORKFLOW["generate_report"].sources:
            draft.generate_report(by=by, today=AFTER)  # a report to publish: its own move, logged before
        return draft.publish_report(by=by, today=AFTER)
    if name == "publish_decision":
        return draft.publish_decision(by=by, text="决定全文", today=AFTER)
    raise AssertionError(f"no method walked for {name}")


def take_comment_move(comment, name, by):
    if name == "publish":
        return comment.publish(by=by)
    if name == "withhold":
        return comment.withhold(by=by, reason="含有广告内容")
    if name == "dispose":
        return comment.dispose(by=by, disposition="adopted", reason="已采纳", today=AFTER)
    raise AssertionError(f"no method walked for {name}")


def events(obj):
    return StatusEvent.objects.of(obj)


def assert_refusal_names_move_and_status(error, workflow, name, state):
    move = workflow[name]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            message = str(error)
            assert message == str(workflow.refusal(name, state))
            assert f"“{move.label}”" in message, (language, message)
            assert f"“{workflow.label(state)}”" in message, (language, message)
    with translation.override("en"):
        assert str(error).endswith(f"is not possible while the status is “{workflow.label(state)}”.")


DRAFT_CASES = [(move.name, state) for move in Draft.WORKFLOW for state in Draft.Status.values]
COMMENT_CASES = [(move.name, state) for move in Comment.WORKFLOW for state in Comment.State.values]


@pytest.mark.parametrize(("name", "state"), DRAFT_CASES)
def test_draft_move_taken_from_its_states_and_refused_from_the_others(name, state, department, staff_user):
    move = Draft.WORKFLOW[name]
    draft = force_draft(department, state)
    before = list(events(draft).values_list("pk", flat=True))
    if state in move.sources:
        Draft.WORKFLOW.check(name, state)
        take_draft_move(draft, name, staff_user)
        new = list(events(draft).exclude(pk__in=before))
        steps = ["generate_report", name] if name == "publish_report" else [name]  # its report is made first
        assert [e.move for e in new] == steps  # one event for the move
        event = new[-1]
        assert (event.move, event.old_status, event.new_status) == (name, state, move.target or state)
        assert event.actor == staff_user
        draft.refresh_from_db()
        assert draft.status == (move.target or state)
    else:
        with pytest.raises(InvalidTransition) as refused:
            take_draft_move(draft, name, staff_user)
        assert_refusal_names_move_and_status(refused.value, Draft.WORKFLOW, name, state)
        assert list(events(draft).values_list("pk", flat=True)) == before
        draft.refresh_from_db()
        assert draft.status == state


@pytest.mark.parametrize(("name", "state"), COMMENT_CASES)
def test_comment_move_taken_from_its_states_and_refused_from_the_others(name, state, department, staff_user, applicant):
    move = Comment.WORKFLOW[name]
    draft = force_draft(department, Draft.Status.CONSULTING)
    comment = force_comment(draft, applicant, state)
    if state in move.sources:
        Comment.WORKFLOW.check(name, state)
        take_comment_move(comment, name, staff_user)
        event = events(comment).get()
        assert (event.move, event.old_status, event.new_status) == (name, state, move.target or state)
        assert event.actor == staff_user
        comment.refresh_from_db()
        assert comment.state == (move.target or state)
    else:
        with pytest.raises(InvalidTransition) as refused:
            take_comment_move(comment, name, staff_user)
        assert_refusal_names_move_and_status(refused.value, Comment.WORKFLOW, name, state)
        assert not events(comment).exists()
        comment.refresh_from_db()
        assert comment.state == state


def test_every_move_says_who_may_take_it_and_what_it_needs():
    for workflow in (Draft.WORKFLOW, Comment.WORKFLOW):
        for move in workflow:
            assert move.label and move.requires, move.name
            app_label, codename = move.permission.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
            assert callable(getattr(Draft if workflow is Draft.WORKFLOW else Comment, move.name))


def test_the_tables_give_the_old_graphs():
    assert Draft.WORKFLOW.allowed == {"preparing": {"consulting"}, "consulting": {"decided"}}
    assert Comment.WORKFLOW.allowed == {
        "pending": {"published", "withheld"},
        "published": {"withheld"},
        "withheld": {"published"},
    }


def test_a_comment_and_a_draft_log_their_creation_and_each_step(department, staff_user, applicant):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, publish_by=staff_user)
    comment = draft.submit_comment(by=applicant, text="建议增加停车位。", display_name="居民甲", today=OPENS)
    comment.moderate(by=staff_user, publish=False, reason="重复")
    comment.moderate(by=staff_user, publish=True)
    assert list(comment.history.values_list("move", "old_status", "new_status", "actor")) == [
        ("", "", "pending", applicant.pk),
        ("withhold", "pending", "withheld", staff_user.pk),
        ("publish", "withheld", "published", staff_user.pk),
    ]
    assert comment.history[1].note == "重复"
    assert [e.move for e in draft.history] == ["publish"]
    comment.dispose(by=staff_user, disposition="adopted", reason="已采纳", today=AFTER)
    assert [e.move for e in comment.history][-1] == "dispose"
    report = draft.generate_report(by=staff_user, today=AFTER)
    report.publish(by=staff_user, today=AFTER)  # the report's own button is the draft's move
    assert AdoptionReport.objects.get(pk=report.pk).published_at
    assert [e.move for e in draft.history] == ["publish", "generate_report", "publish_report"]


def test_the_admin_moves_through_the_table_and_shows_the_history(client, department, applicant):
    from django.urls import reverse

    from civiccenter import roles
    from tests.conftest import make_staff

    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    moderator = make_staff("moderator@example.cn", roles.MODERATOR, department, full_name="赵敏")
    today = timezone.localdate()
    draft = make_draft(department, opens_on=today, closes_on=today + timedelta(days=45), publish_by=head)
    comment = draft.submit_comment(by=applicant, text="建议加装电梯。", display_name="居民")
    client.cookies["django_language"] = "en"
    client.force_login(moderator)
    url = reverse("admin:hearings_comment_moderate", args=[comment.pk])
    assert client.post(url, {"action": "withhold", "reason": "重复提交"}).status_code == 302
    assert [(e.move, e.actor) for e in comment.history] == [("", applicant), ("withhold", moderator)]
    page = client.get(url).content.decode()
    assert 'id="status-history"' in page and "重复提交" in page and "Withheld" in page
    client.force_login(head)
    page = client.get(reverse("admin:hearings_draft_change", args=[draft.pk])).content.decode()
    assert "status history" in page.lower() and "Published for comment" in page
