"""The one staff work surface generated from a workflow table, shown on the follow-ups of poor ratings."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import Case, FollowUp, InvalidTransition, Rating
from civiccenter.workflow import Workflow
from tests.conftest import make_staff

CLOSED = {"received": {"closed"}}


def rated_poorly(department, applicant):
    with transaction.atomic():
        case = Case.open_case(
            kind="followup", prefix="TEST", department=department, status="received", by=None, applicant=applicant
        )
        case.transition("closed", allowed=CLOSED, by=None, close=True)
    return Rating.give(case=case, level=1, comment="很不满意", by=applicant).followup


@pytest.fixture
def followup(department, applicant):
    return rated_poorly(department, applicant)


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


def url(followup):
    return reverse("admin:civiccenter_followup_move", args=[followup.pk])


@pytest.mark.django_db
def test_the_page_offers_the_moves_of_the_table_and_takes_one(client, followup, head):
    client.force_login(head)
    page = client.get(url(followup)).content.decode()
    assert "很不满意" in page and 'value="contact"' in page and 'value="close"' not in page
    response = client.post(url(followup), {"move": "contact", "contact-note": "已电话联系"})
    assert response.status_code == 302
    followup.case.refresh_from_db()
    assert followup.case.status == "contacted" and followup.case.due_date is not None
    page = client.get(url(followup)).content.decode()
    assert 'value="close"' in page and 'value="contact"' not in page


@pytest.mark.django_db
def test_bad_input_is_a_form_error_and_changes_nothing(client, followup, head):
    client.force_login(head)
    response = client.post(url(followup), {"move": "contact", "contact-note": "  "})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    followup.case.refresh_from_db()
    assert followup.case.status == "opened"


@pytest.mark.django_db
def test_a_move_not_open_from_the_status_is_refused_with_the_reason_in_the_users_language(client, followup, head):
    client.force_login(head)
    response = client.post(url(followup), {"move": "close", "close-note": "x"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert "不能" in str(list(response.context["messages"])[0])  # the table's refusal, in Chinese
    response = client.post(url(followup), {"move": "no-such-move"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and [m.level_tag for m in response.context["messages"]] == ["warning"]
    followup.case.refresh_from_db()
    assert followup.case.status == "opened"


@pytest.mark.django_db
def test_anonymous_and_other_departments_get_nothing(client, followup, other_department):
    response = client.get(url(followup))
    assert response.status_code == 302 and reverse("admin:login") in response.url
    client.force_login(make_staff("other@example.cn", roles.DEPARTMENT_HEAD, other_department, full_name="李四"))
    assert client.get(url(followup)).status_code == 404


@pytest.mark.django_db
def test_the_page_keeps_a_fixed_number_of_queries(client, department, applicant, head, django_assert_num_queries):
    """Whatever the length of the history: a follow-up with one event costs what one with more costs."""
    first = rated_poorly(department, applicant)
    second = rated_poorly(department, applicant)
    second.contact(by=head, note="已联系")
    client.force_login(head)
    client.get(url(first))
    with CaptureQueriesContext(connection) as one:
        client.get(url(first))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url(second))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_followup_table_walk_every_move_refused_from_other_states(followup, head, language):
    """Every move of the table is taken from its listed states and refused, by the real method, from the others."""
    flow = FollowUp.WORKFLOW
    for move in flow:
        for state in flow.states.values:
            Case.objects.filter(pk=followup.case_id).update(status=state)
            followup.case.refresh_from_db()
            if state in move.sources:
                flow.check(move.name, state)
                continue
            with translation.override(language), pytest.raises(InvalidTransition) as refused:
                getattr(followup, move.name)(by=head, note="说明")
            with translation.override(language):
                message = str(refused.value)
                assert str(move.label) in message and str(flow.label(state)) in message


def test_every_table_refuses_in_chinese_and_english():
    """Each registered table's refusal reads in the reader's language (the move and the status named)."""
    assert Workflow.registry
    for flow in Workflow.registry:
        move = next(iter(flow))
        outside = next((s for s in flow.states.values if s not in move.sources), None)
        if outside is None:
            continue
        for language in ("zh-hans", "en"):
            with translation.override(language):
                message = str(flow.refusal(move.name, outside))
                assert str(move.label or move.name) in message and str(flow.label(outside)) in message
        with translation.override("en"):
            assert "is not possible while the status is" in str(flow.refusal(move.name, outside))


@pytest.fixture
def followup_admin():
    from django.contrib import admin

    return admin.site._registry[FollowUp]


@pytest.mark.django_db
def test_an_object_level_rule_hides_the_move_and_refuses_its_post(client, followup, head, followup_admin, monkeypatch):
    monkeypatch.setattr(followup_admin, "move_allowed", lambda request, obj, move: move.name != "contact")
    client.force_login(head)
    assert 'value="contact"' not in client.get(url(followup)).content.decode()
    assert client.post(url(followup), {"move": "contact", "contact-note": "已电话联系"}).status_code == 403
    followup.case.refresh_from_db()
    assert followup.case.status == "opened"


@pytest.mark.django_db
def test_a_validation_error_of_the_model_is_the_forms_error_and_nothing_is_saved(
    client, followup, head, followup_admin, monkeypatch
):
    from django.core.exceptions import ValidationError

    def take(request, obj, move, form):
        obj.contact(by=request.user, **form.cleaned_data)
        raise ValidationError({"note": "联系记录不完整"})

    monkeypatch.setattr(followup_admin, "take", take)
    client.force_login(head)
    response = client.post(url(followup), {"move": "contact", "contact-note": "已电话联系"})
    assert response.status_code == 200 and "联系记录不完整" in response.content.decode()
    followup.case.refresh_from_db()
    assert followup.case.status == "opened"  # the move's writes were rolled back with the error


@pytest.mark.django_db
def test_after_a_move_that_takes_the_object_out_of_the_users_list_the_page_goes_to_the_list(
    client, followup, head, followup_admin, monkeypatch
):
    base = type(followup_admin).get_queryset

    def get_queryset(request):
        return base(followup_admin, request).exclude(case__status="contacted")

    monkeypatch.setattr(followup_admin, "get_queryset", get_queryset)
    client.force_login(head)
    response = client.post(url(followup), {"move": "contact", "contact-note": "已电话联系"})
    assert response.status_code == 302 and response.url == reverse("admin:civiccenter_followup_changelist")


@pytest.mark.django_db
def test_the_moves_help_is_shown_above_its_form(client, followup, head, monkeypatch):
    import dataclasses

    workflow = FollowUp.WORKFLOW
    monkeypatch.setitem(
        workflow.moves, "contact", dataclasses.replace(workflow["contact"], help="一个工作日内联系评价人")
    )
    client.force_login(head)
    assert "一个工作日内联系评价人" in client.get(url(followup)).content.decode()
