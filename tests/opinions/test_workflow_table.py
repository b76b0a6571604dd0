"""Both workflow tables walked move by move: each move is taken from every state it lists, and its model method
refuses it from every other state with a sentence naming the move and the status, in Chinese and in English.

A record is put in a state directly (the case first: the record's status always follows its case's), with the
fields the database requires of that state; the move is then called through the real model method, with
everything else it needs in order, so that only the table can refuse it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition
from civiccenter.workflow import Workflow
from opinions.models import Category, Kind, Opinion
from opinions.models.petitions import Petition
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")


def put(record, state, **fields):
    """`record` in `state`: the case's status, then the record's (which the database takes from the case)."""
    Case.objects.filter(pk=record.case_id).update(status=state)
    type(record).objects.filter(pk=record.pk).update(status=state, **fields)
    record.refresh_from_db()
    return record


def refused_in_every_language(workflow, name, state, call):
    for language in LANGUAGES:
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                call()
            message = str(refused.value)
            assert f"“{workflow[name].label}”" in message, (language, name, state, message)
            assert f"“{workflow.label(state)}”" in message, (language, name, state, message)
            assert message == str(workflow.refusal(name, state))


def taken(workflow, name, state, call, record):
    """The state check passes, and the real method takes the move: the record reaches the move's target."""
    workflow.check(name, state)
    call()
    record.refresh_from_db()
    assert record.status == (workflow[name].target or state), (name, state)


def test_both_tables_are_registered_and_every_move_is_a_method():
    tables = {workflow.name: workflow for workflow in Workflow.registry}
    assert tables["opinions.opinion"] is Opinion.WORKFLOW
    assert tables["opinions.petition"] is Petition.WORKFLOW
    for model in (Opinion, Petition):
        for move in model.WORKFLOW:
            assert callable(getattr(model, move.name)), move.name
            assert move.label, move.name


# --- Suggestions, complaints, reports ----------------------------------------------------------------------


@pytest.fixture
def people(department, other_department, applicant, staff_user, supervisor):
    category = Category.objects.create(
        slug="walk", name="食品安全", name_en="Food safety", lead_department=department, time_limit_days=10
    )
    return {
        "category": category,
        "applicant": applicant,
        "handler": staff_user,
        "supervisor": supervisor,
        "department": department,
        "other_department": other_department,
    }


def new_opinion(people, title="餐馆出售过期食品"):
    return Opinion.submit(
        by=people["applicant"],
        submitter=people["applicant"],
        kind=Kind.COMPLAINT,
        category=people["category"],
        title=title,
        description="文汇路一家餐馆出售过期的牛奶和面包，请尽快检查。",
    )


def opinion_in(people, state):
    opinion = new_opinion(people)
    fields = {"transferred_from": people["other_department"]}
    if state == Opinion.Status.REPLIED:
        fields.update(reply="经查，该店已整改。", replied_at=timezone.now())
    if state == Opinion.Status.MERGED:
        fields["merged_into"] = new_opinion(people, title="同一事项")
    return put(opinion, state, **fields)


def opinion_call(opinion, name, people):
    handler, applicant = people["handler"], people["applicant"]
    calls = {
        "accept": lambda: opinion.accept(by=handler),
        "transfer": lambda: opinion.transfer(
            by=handler, department=people["other_department"], reason="属于民政局职责"
        ),
        "dispute_transfer": lambda: opinion.dispute_transfer(by=handler, reason="不是我们的职责"),
        "decide_transfer": lambda: opinion.decide_transfer(by=people["supervisor"], department=people["department"]),
        "request_information": lambda: opinion.request_information(by=handler, question="请提供购物小票"),
        "answer_information": lambda: opinion.answer_information(by=applicant, text="小票已上传"),
        "reply_to": lambda: opinion.reply_to(by=handler, text="经查，该店已整改。"),
        "reopen": lambda: opinion.reopen(by=applicant, reason="该店仍在出售过期食品"),
        "merge_into": lambda: opinion.merge_into(new_opinion(people, title="同一事项"), by=handler),
        "set_urgency": lambda: opinion.set_urgency(by=handler, urgency="urgent", reason="涉及婴幼儿食品"),
    }
    return calls[name]


def test_opinion_table_matches_its_methods(people):
    assert {move.name for move in Opinion.WORKFLOW} == {
        "accept",
        "transfer",
        "dispute_transfer",
        "decide_transfer",
        "request_information",
        "answer_information",
        "reply_to",
        "reopen",
        "merge_into",
        "set_urgency",
    }


@pytest.mark.parametrize("move", [move.name for move in Opinion.WORKFLOW])
def test_every_opinion_move_is_taken_from_its_states(people, move):
    workflow = Opinion.WORKFLOW
    for state in workflow[move].sources:
        opinion = opinion_in(people, state)
        taken(workflow, move, state, opinion_call(opinion, move, people), opinion)


@pytest.mark.parametrize("state", Opinion.Status.values)
def test_every_opinion_move_is_refused_from_every_other_state(people, state):
    workflow = Opinion.WORKFLOW
    opinion = opinion_in(people, state)
    for move in workflow:
        if state not in move.sources:
            refused_in_every_language(workflow, move.name, state, opinion_call(opinion, move.name, people))
    opinion.refresh_from_db()
    assert opinion.status == state  # nothing moved


# --- Petitions -----------------------------------------------------------------------------------------------


@pytest.fixture
def office(department, applicant, staff_user):
    head = make_staff("walk-head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    office = {"department": department, "applicant": applicant, "handler": staff_user, "head": head, "count": [0]}
    office["earlier"] = petition_in(office, Petition.Status.ACCEPTED)  # what a later petition may restate
    return office


def petition_in(office, state):
    office["count"][0] += 1
    petition = Petition.file(
        by=office["applicant"],
        petitioner=office["applicant"],
        department=office["department"],
        name="张明",
        address="示范区文三路 100 号",
        request=f"请求责令餐馆整改油烟直排问题（第 {office['count'][0]} 件）",
        facts="楼下餐馆每天油烟直排。",
        reasons="《大气污染防治法》规定应当安装油烟净化设施。",
    )
    fields = {}
    if state == Petition.Status.TRANSFERRED:
        fields["transferred_to"] = "文三街道办事处"
    if state == Petition.Status.REDIRECTED:
        fields["route"] = Petition.Route.LITIGATION
    return put(petition, state, **fields)


def petition_call(petition, name, office):
    handler, today = office["handler"], timezone.localdate()
    opinion = {"outcome": "explained", "facts": "经现场核查属实。", "legal_basis": "《信访工作条例》第三十二条"}
    opinion["text"] = "已责令整改。"

    def end_hearing():
        if petition.status == Petition.Status.REREVIEW_REQUESTED and not petition.case.is_paused:
            petition.start_hearing(by=handler, on=today)
        petition.end_hearing(by=handler, on=today + timedelta(days=2))

    calls = {
        "link_same_matter": lambda: petition.link_same_matter(by=handler, earlier=office["earlier"]),
        "accept": lambda: petition.accept(by=handler),
        "transfer": lambda: petition.transfer(by=handler, organ="文三街道办事处", reason="属地管理"),
        "redirect": lambda: petition.redirect(by=handler, route="litigation", explanation="请向人民法院起诉。"),
        "refuse": lambda: petition.refuse(by=handler, reason="同一事项正由上级机关办理。"),
        "extend": lambda: petition.extend(by=office["head"], days=10, reason="需要现场勘验"),
        "issue_handling_opinion": lambda: petition.issue_handling_opinion(by=handler, **opinion),
        "request_review": lambda: petition.request_review(by=office["applicant"], reason="整改没有落实"),
        "issue_review_opinion": lambda: petition.issue_review_opinion(by=handler, **opinion),
        "request_rereview": lambda: petition.request_rereview(by=office["applicant"], reason="仍不服"),
        "start_hearing": lambda: petition.start_hearing(by=handler, on=today),
        "end_hearing": end_hearing,
        "issue_rereview_opinion": lambda: petition.issue_rereview_opinion(by=handler, **opinion),
    }
    return calls[name]


def test_petition_table_matches_its_methods():
    assert {move.name for move in Petition.WORKFLOW} == {
        "link_same_matter",
        "accept",
        "transfer",
        "redirect",
        "refuse",
        "extend",
        "issue_handling_opinion",
        "request_review",
        "issue_review_opinion",
        "request_rereview",
        "start_hearing",
        "end_hearing",
        "issue_rereview_opinion",
    }


@pytest.mark.parametrize("move", [move.name for move in Petition.WORKFLOW])
def test_every_petition_move_is_taken_from_its_states(office, move):
    workflow = Petition.WORKFLOW
    for state in workflow[move].sources:
        petition = petition_in(office, state)
        taken(workflow, move, state, petition_call(petition, move, office), petition)


@pytest.mark.parametrize("state", Petition.Status.values)
def test_every_petition_move_is_refused_from_every_other_state(office, state):
    workflow = Petition.WORKFLOW
    petition = petition_in(office, state)
    for move in workflow:
        if state not in move.sources:
            refused_in_every_language(workflow, move.name, state, petition_call(petition, move.name, office))
    petition.refresh_from_db()
    assert petition.status == state  # nothing moved
