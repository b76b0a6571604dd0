"""The disclosure request's workflow table (`DisclosureRequest.WORKFLOW`), walked move by move.

Every move is accepted from each state it lists, and refused from every other state by the REAL model
method, with the table's sentence naming the move and the status, in Chinese (the default) and in English.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from civiccenter.cases import Case, InvalidTransition
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.workflow import SYSTEM, Workflow
from disclosure.models.requests import Consultation, DisclosureRequest
from tests.disclosure.test_requests_common import MON_14_SEP, clerk_of, head_of, online, received

Status = DisclosureRequest.Status
WORKFLOW = DisclosureRequest.WORKFLOW
TODAY = date(2026, 9, 16)


@pytest.fixture
def people(applicant, department):
    return {"applicant": applicant, "clerk": clerk_of(department), "head": head_of(department)}


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _in_state(state, people, department):
    """A request brought to `state` through the real moves (received Mon 14 Sep 2026)."""
    applicant, clerk = people["applicant"], people["clerk"]
    if state == Status.SUBMITTED:
        return online(applicant, department, today=MON_14_SEP)
    request = received(applicant, clerk, department, on=MON_14_SEP)
    if state == Status.CORRECTION_REQUESTED:
        request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 9, 30), today=date(2026, 9, 15))
    elif state == Status.CONSULTING:
        consultation = request.consult(by=clerk, kind="third_party", party="张三", today=date(2026, 9, 15))
        request.record_answer(
            by=clerk,
            consultation=consultation,
            answered_on=date(2026, 9, 15),
            objects_to_disclosure=False,
            today=date(2026, 9, 15),
        )
    elif state == Status.REPLIED:
        request.reply(by=clerk, reply_type="disclosed", today=date(2026, 9, 15))
    elif state == Status.WITHDRAWN:
        request.withdraw(by=applicant)
    elif state == Status.ABANDONED:
        request.request_correction(by=clerk, items=["年份"], deadline=date(2026, 9, 30), today=date(2026, 9, 15))
        request.abandon(today=date(2026, 10, 1))
    elif state in (Status.AWAITING_FEE, Status.FEE_NOT_PAID):
        # Art. 42: 40 pages, ¥100, to be paid within 20 working days of Tue 15 Sep: by Mon 19 Oct 2026.
        request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=40, today=date(2026, 9, 15))
        if state == Status.FEE_NOT_PAID:
            request.close_unpaid(today=date(2026, 10, 24))
    request = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert request.status == request.case.status == state
    return request


def _open_consultation(request):
    """An unanswered consultation on file (data, not a move), for `record_answer`."""
    return Consultation.objects.create(
        request=request, kind="organ", party="区财政局", sent_on=date(2026, 9, 15), answer_due=date(2026, 10, 13)
    )


def _take(move, request, people):
    """Call the model's own method for `move`, with arguments its legal rules accept."""
    clerk = people["clerk"]
    calls = {
        "confirm": lambda: request.confirm(by=clerk, today=TODAY),
        "request_correction": lambda: request.request_correction(
            by=clerk, items=["文号"], deadline=date(2026, 9, 30), today=TODAY
        ),
        "correct": lambda: request.correct(by=people["applicant"], today=TODAY),
        "abandon": lambda: request.abandon(today=date(2026, 10, 8)),
        "consult": lambda: request.consult(by=clerk, kind="organ", party="区财政局", today=TODAY),
        "record_answer": lambda: request.record_answer(
            by=clerk,
            consultation=_open_consultation(request),
            answered_on=TODAY,
            objects_to_disclosure=False,
            today=TODAY,
        ),
        "end_consultation": lambda: request.end_consultation(by=clerk, today=TODAY),
        "extend": lambda: request.extend(by=people["head"], reason="需调取档案", days=5, today=TODAY),
        "add_reply_file": lambda: request.add_reply_file(
            by=clerk,
            title="项目清单",
            pages=1,
            file=SimpleUploadedFile("list.pdf", text_pdf("项目清单", ["示范小区"]), content_type="application/pdf"),
        ),
        "send_fee_notice": lambda: request.send_fee_notice(by=clerk, fee_schedule="pages", fee_units=40, today=TODAY),
        "record_payment": lambda: request.record_payment(by=clerk, today=TODAY),
        "close_unpaid": lambda: request.close_unpaid(today=date(2026, 11, 30)),
        "reply": lambda: request.reply(by=clerk, reply_type="disclosed", today=TODAY),
        "withdraw": lambda: request.withdraw(by=people["applicant"]),
    }
    assert set(calls) == set(WORKFLOW.moves), "every move of the table is walked"
    return calls[move]()


ACCEPTED = [(move.name, state) for move in WORKFLOW for state in move.sources]


def test_the_table_is_registered_and_names_the_models_methods():
    assert WORKFLOW in Workflow.registry and WORKFLOW.name == "disclosure.request"
    assert not hasattr(DisclosureRequest, "ALLOWED")  # the graph comes from the table
    for move in WORKFLOW:
        assert callable(getattr(DisclosureRequest, move.name)), move.name
        assert move.label and move.by
        assert move.by == SYSTEM or move.permission or move.by in ("anyone", "applicant"), move.name
    closed = {Status.REPLIED, Status.ABANDONED, Status.FEE_NOT_PAID, Status.WITHDRAWN}
    assert not closed & set(WORKFLOW.allowed), "nothing leaves a closed request"
    assert WORKFLOW.allowed[Status.SUBMITTED] == {Status.RECEIVED, Status.WITHDRAWN}


@pytest.mark.django_db
@pytest.mark.parametrize("move,state", ACCEPTED)
def test_each_move_is_accepted_from_each_state_it_lists(people, department, move, state):
    request = _in_state(state, people, department)
    events = request.case.events.count()
    _take(move, request, people)
    after = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    target = WORKFLOW[move].target
    assert after.status == after.case.status == (target or state)
    if move != "add_reply_file":  # a file for the reply is not a step of the timeline
        assert after.case.events.count() > events


@pytest.mark.django_db
@pytest.mark.parametrize("state", Status.values)
def test_every_other_move_is_refused_naming_the_move_and_the_status(people, department, state):
    request = _in_state(state, people, department)
    events = request.case.events.count()
    refused = [move for move in WORKFLOW if state not in move.sources]
    assert refused or state == Status.RECEIVED
    for move in refused:
        with pytest.raises(InvalidTransition) as error:
            _take(move.name, request, people)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                message = str(error.value)
                assert message == str(WORKFLOW.refusal(move.name, state))
                assert str(move.label) in message, (language, move.name, message)
                assert str(WORKFLOW.label(state)) in message, (language, state, message)
        with translation.override("en"):
            assert "is not possible while the status is" in str(error.value)
            assert str(Status(state).label) in str(error.value)
    after = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert after.status == after.case.status == state
    assert after.case.events.count() == events
    assert not after.files.exists()


@pytest.mark.django_db
def test_the_applicant_is_offered_only_their_own_moves(people, department):
    request = _in_state(Status.CORRECTION_REQUESTED, people, department)
    assert [m.name for m in request.available_moves(people["applicant"])] == ["correct", "withdraw"]
    staff = [m.name for m in request.available_moves(people["clerk"])]
    assert "abandon" not in staff  # the nightly sweep's, never offered on a page
    assert staff == ["correct", "withdraw"]


@pytest.mark.django_db
def test_only_one_extension_is_checked_on_the_case_art_33(people, department):
    """Art. 33: once. An extension already on the case (whoever wrote it) refuses a second one."""
    request = _in_state(Status.RECEIVED, people, department)
    request.case.extend(by=people["head"], days=3, note="已延长", today=TODAY)
    with translation.override("en"), pytest.raises(InvalidTransition, match=r"only once \(Article 33\)"):
        request.extend(by=people["head"], reason="需调取档案", days=5, today=TODAY)
    after = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert after.case.clock_extension == 3 and after.extended_by is None
    assert "extend" not in {m.name for m in after.available_moves(people["head"])}


@pytest.mark.django_db
def test_the_extension_record_is_written_with_the_cases_extension_art_33(people, department):
    request = _in_state(Status.CONSULTING, people, department)
    request.extend(by=people["head"], reason="需会商", days=10, today=TODAY)
    after = DisclosureRequest.objects.select_related("case").get(pk=request.pk)
    assert after.case.clock_extension == 10
    assert (after.extended_by, after.extension_reason) == (people["head"], "需会商")
    event = after.case.events.last()
    assert event.kind == "extended" and "需会商" in event.note and event.public


@pytest.mark.django_db
def test_consultation_events_have_their_kinds_art_32(people, department):
    """Art. 32, 34: the first consultation moves the request and pauses the clock; a second one and an answer
    are status-less events of their own kind."""
    request = _in_state(Status.RECEIVED, people, department)
    first = request.consult(by=people["clerk"], kind="third_party", party="张三", today=TODAY)
    assert request.case.events.last().kind == "status"
    assert request.case.pauses.get().starts_on == date(2026, 9, 17)  # the day it is sent still counts
    request.consult(by=people["clerk"], kind="organ", party="区财政局", today=TODAY)
    assert request.case.events.last().kind == "consulted"
    request.record_answer(
        by=people["clerk"], consultation=first, answered_on=TODAY, objects_to_disclosure=True, today=TODAY
    )
    last = request.case.events.last()
    assert last.kind == "answer_recorded" and not last.public
    assert Case.objects.get(pk=request.case_id).pauses.count() == 1
