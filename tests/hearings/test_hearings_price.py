"""Price hearings (NDRC Order 21, prc-rules.md §5): hearers, lists 15 days before, quorum at the opening, the
table of the main opinions on the public page. §5 gives the rules without article numbers: the tests name the
order and the rule. Dates: the hearing on Fri 20 Nov 2026 (test_hearings_rules.HEARING_DAY)."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.models import Notification
from civiccenter.stateful import StatusEvent
from hearings.models import Hearer, Hearing, OpinionAdoption
from tests.conftest import make_staff
from tests.hearings.test_hearings_rules import (
    ANNOUNCED,
    HEARING_DAY,
    PDF,
    add_hearers,
    at,
    drawn_hearing,
    make_hearing,
    register,
)

LISTS_DUE = date(2026, 11, 5)  # 20 Nov - 15 days


@pytest.fixture
def staff(department):
    return make_staff("organizer@example.cn", roles.DEPARTMENT_REVIEWER, department)


def refused_in_both_languages(take, chinese, english):
    for language, words in (("zh-hans", chinese), ("en", english)):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                take()
            assert words in str(refused.value), (language, str(refused.value))


def sent_hearing(department, staff, day=HEARING_DAY, per_category=(7, 3, 1)):
    """A price hearing on `day` with its lists published 17 days before and the materials sent 16 days before.

    Quotas 4/2/2 and (7, 3, 1) applicants: 7 participants selected (4 consumers, 2 operators, 1 expert)."""
    hearing = make_hearing(
        department,
        starts_at=at(day),
        registration_opens=day - timedelta(days=30),
        registration_closes=day - timedelta(days=19),
    )
    add_hearers(hearing)
    hearing.announce(by=staff, today=day - timedelta(days=30))
    for category, count in zip(hearing.categories.all(), per_category, strict=True):
        for _i in range(count):
            register(hearing, category, today=day - timedelta(days=29))
    hearing.close_registration(by=staff, today=day - timedelta(days=18))
    hearing.draw(by=staff)
    hearing.publish_list(by=staff, today=day - timedelta(days=17))
    hearing.materials_summary = "调价方案、成本监审报告。"
    hearing.save(update_fields=["materials_summary"])
    hearing.send_materials(by=staff, today=day - timedelta(days=16))
    return hearing


def add_opinions(hearing):
    rows = [
        ("建议分档递增，减轻低收入家庭负担。", True, "已设置低收入家庭每月免费气量。"),
        ("维持现行价格不变。", False, "购气成本已上涨三成，现行价格低于成本。"),
    ]
    return [
        OpinionAdoption.objects.create(hearing=hearing, opinion=o, adopted=a, reason=r, order=i)
        for i, (o, a, r) in enumerate(rows)
    ]


def conclude_kwargs(**overrides):
    return {
        "record": ContentFile(PDF, name="record.pdf"),
        "record_signed": True,
        "report": "听证报告：多数参加人同意调整方案。",
        "decision": "居民用气价格调整为每立方米3.2元。",
        "today": HEARING_DAY,
        **overrides,
    }


# --- The lists: hearers and participants, 15 days before ---------------------------------------------


@pytest.mark.django_db
def test_order21_lists_published_15_days_before_the_hearing(department, staff):
    hearing = drawn_hearing(department, staff)
    assert hearing.lists_due == LISTS_DUE
    refused_in_both_languages(
        lambda: hearing.publish_list(by=staff, today=LISTS_DUE + timedelta(days=1)),
        "15日前",
        "at least 15 days before it (by 2026-11-05",
    )
    assert Hearing.objects.get(pk=hearing.pk).status == "drawn"
    hearing.publish_list(by=staff, today=LISTS_DUE)
    assert hearing.status == "list_published" and hearing.lists_published_on == LISTS_DUE
    assert hearing.lists_published_in_time
    event = StatusEvent.objects.of(hearing).get(new_status="list_published")
    assert event.actor == staff


@pytest.mark.django_db
def test_order21_the_lists_days_are_a_setting(department, staff, settings):
    settings.HEARING_PRICE_LISTS_DAYS = 20
    hearing = drawn_hearing(department, staff)
    with pytest.raises(InvalidTransition, match="20 days"):
        hearing.publish_list(by=staff, today=date(2026, 11, 3))  # 17 days before
    hearing.publish_list(by=staff, today=date(2026, 10, 31))
    assert hearing.status == "list_published"


@pytest.mark.django_db
def test_order21_three_to_five_hearers_one_presiding_before_the_lists(department, staff):
    hearing = drawn_hearing(department, staff)
    hearing.hearers.exclude(presiding=True).first().delete()  # 2 left
    refused_in_both_languages(lambda: hearing.publish_list(by=staff, today=LISTS_DUE), "听证人", "3 to 5 hearers")
    for i in range(4):  # 6
        Hearer.objects.create(hearing=hearing, name=f"听证人{i}", role="专家")
    with pytest.raises(InvalidTransition, match="3 to 5 hearers"):
        hearing.publish_list(by=staff, today=LISTS_DUE)
    hearing.hearers.filter(name__in=["听证人0", "听证人1", "听证人2"]).delete()  # 3, none presiding
    hearing.hearers.update(presiding=False)
    refused_in_both_languages(lambda: hearing.publish_list(by=staff, today=LISTS_DUE), "主持", "presiding hearer")
    assert Hearing.objects.get(pk=hearing.pk).status == "drawn"
    hearing.hearers.filter(name="陈志强").update(presiding=True)
    hearing.publish_list(by=staff, today=LISTS_DUE)
    assert hearing.status == "list_published"


@pytest.mark.django_db
def test_order21_the_database_keeps_one_presiding_hearer_and_reasons_in_the_table(department, staff):
    hearing = drawn_hearing(department, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hearer.objects.create(hearing=hearing, name="另一位主持人", role="专家", presiding=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpinionAdoption.objects.create(hearing=hearing, opinion="意见", adopted=False, reason="")


@pytest.mark.django_db
def test_other_hearings_publish_their_list_without_hearers(department, staff):
    hearing = drawn_hearing(department, staff, kind="major_decision")
    hearing.publish_list(by=staff, today=date(2026, 11, 15))  # 5 days before: no 15-day rule
    assert hearing.status == "list_published" and not hearing.hearers.exists()


# --- The opening: lists in time, attendance against the quorum ----------------------------------------


@pytest.mark.django_db
def test_order21_quorum_two_thirds_of_the_participants_at_the_opening(department, staff):
    hearing = sent_hearing(department, staff)
    assert hearing.selected().count() == 7 and Hearing.quorum(7) == 5
    assert {m.name for m in hearing.available_moves()} >= {"open_session", "postpone"}
    assert "conclude" not in {m.name for m in hearing.available_moves()}
    refused_in_both_languages(
        lambda: hearing.open_session(by=staff, present=4, today=HEARING_DAY),
        "到会",
        "Only 4 of 7 participants are present",
    )
    fresh = Hearing.objects.get(pk=hearing.pk)
    assert fresh.status == "materials_sent" and fresh.participants_present is None
    hearing.open_session(by=staff, present=5, today=HEARING_DAY)
    assert hearing.status == "opened" and hearing.participants_present == 5 and hearing.participants_expected == 7
    assert hearing.opened_on == HEARING_DAY
    event = StatusEvent.objects.of(hearing).get(new_status="opened")
    assert event.move == "open_session" and "5" in event.note and event.actor == staff


@pytest.mark.django_db
def test_order21_the_quorum_is_a_setting(department, staff, settings):
    settings.HEARING_QUORUM_RATIO = "1/2"
    hearing = sent_hearing(department, staff)
    hearing.open_session(by=staff, present=4, today=HEARING_DAY)
    assert hearing.status == "opened"


@pytest.mark.django_db
def test_order21_opening_refused_before_the_day_or_with_an_impossible_count(department, staff):
    hearing = sent_hearing(department, staff)
    with pytest.raises(InvalidTransition, match="not been held yet"):
        hearing.open_session(by=staff, present=7, today=HEARING_DAY - timedelta(days=1))
    with pytest.raises(InvalidTransition, match="from 0 to 7"):
        hearing.open_session(by=staff, present=8, today=HEARING_DAY)
    assert Hearing.objects.get(pk=hearing.pk).status == "materials_sent"


@pytest.mark.django_db
def test_order21_hearing_not_held_when_the_lists_were_not_published_in_time(department, staff, settings):
    hearing = sent_hearing(department, staff)  # lists on 3 Nov: 17 days before
    settings.HEARING_PRICE_LISTS_DAYS = 20  # by that rule, they came 3 days late
    refused_in_both_languages(
        lambda: hearing.open_session(by=staff, present=7, today=HEARING_DAY),
        "20日前",
        "were not published 20 days before the hearing",
    )
    assert Hearing.objects.get(pk=hearing.pk).status == "materials_sent"


@pytest.mark.django_db
def test_order21_below_the_quorum_the_hearing_is_postponed_with_its_attendance(department, staff):
    hearing = sent_hearing(department, staff)
    later = at(HEARING_DAY + timedelta(days=14))
    with pytest.raises(InvalidTransition, match="quorum is reached"):
        hearing.postpone(by=staff, present=5, starts_at=later, today=HEARING_DAY)
    with pytest.raises(InvalidTransition, match="new time"):
        hearing.postpone(by=staff, present=3, starts_at=at(HEARING_DAY), today=HEARING_DAY)
    hearing.postpone(by=staff, present=3, starts_at=later, reason="暴雨红色预警", today=HEARING_DAY)
    assert hearing.status == "materials_sent" and hearing.starts_at == later
    assert hearing.participants_present == 3 and hearing.opened_on is None
    event = StatusEvent.objects.of(hearing).get(move="postpone")
    assert "3" in event.note and "暴雨红色预警" in event.note
    # Each selected participant is told the new time.
    notices = Notification.objects.filter(subject__contains=hearing.matter, body__contains="2026-12-04")
    assert notices.count() == 7
    # On the new day, with its quorum, it opens.
    hearing.open_session(by=staff, present=6, today=HEARING_DAY + timedelta(days=14))
    assert hearing.status == "opened" and hearing.participants_present == 6


@pytest.mark.django_db
def test_other_hearings_have_no_quorum_step(department, staff):
    hearing = drawn_hearing(department, staff, kind="major_decision")
    hearing.publish_list(by=staff, today=date(2026, 11, 3))
    hearing.materials_summary = "草案。"
    hearing.save(update_fields=["materials_summary"])
    hearing.send_materials(by=staff, today=date(2026, 11, 5))
    names = {m.name for m in hearing.available_moves()}
    assert "conclude" in names and not names & {"open_session", "postpone"}
    with pytest.raises(InvalidTransition):
        hearing.open_session(by=staff, present=1, today=HEARING_DAY)


# --- The report signed by hearers, the table of the main opinions ----------------------------------


@pytest.mark.django_db
def test_order21_concluded_after_the_opening_with_signing_hearers_and_the_adoption_table(department, staff):
    hearing = sent_hearing(department, staff)
    presiding, second, third = hearing.hearers.all()
    refused_in_both_languages(
        lambda: hearing.conclude(by=staff, signed_by=[presiding], **conclude_kwargs()),
        "法定人数",
        "after it opened with its quorum",
    )
    hearing.open_session(by=staff, present=7, today=HEARING_DAY)
    with pytest.raises(InvalidTransition, match="signed the hearing report"):
        hearing.conclude(by=staff, signed_by=[], **conclude_kwargs())
    other = sent_hearing(department, staff, day=HEARING_DAY + timedelta(days=7)).hearers.first()
    with pytest.raises(InvalidTransition, match="signed the hearing report"):
        hearing.conclude(by=staff, signed_by=[presiding, other], **conclude_kwargs())
    refused_in_both_languages(
        lambda: hearing.conclude(by=staff, signed_by=[presiding], **conclude_kwargs()),
        "主要意见",
        "each adopted or not with its reason",
    )
    assert Hearing.objects.get(pk=hearing.pk).status == "opened"
    add_opinions(hearing)
    hearing.conclude(by=staff, signed_by=[presiding, second], **conclude_kwargs())
    assert hearing.status == "concluded" and hearing.adoption == ""
    signed = dict(hearing.hearers.values_list("name", "signed_report"))
    assert signed == {presiding.name: True, second.name: True, third.name: False}


# --- The public page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_order21_public_page_shows_hearers_attendance_and_the_adoption_table(client, department, staff):
    hearing = sent_hearing(department, staff)
    client.cookies["django_language"] = "en"
    page = client.get(hearing.get_absolute_url())  # anonymous
    assert page.status_code == 200
    assert "陈志强" in page.text and "presiding hearer" in page.text and "2026-11-03" in page.text
    hearing.open_session(by=staff, present=6, today=HEARING_DAY)
    add_opinions(hearing)
    hearing.conclude(by=staff, signed_by=list(hearing.hearers.all()[:1]), **conclude_kwargs())
    page = client.get(hearing.get_absolute_url())
    assert "6 of 7 participants present" in page.text
    assert "建议分档递增" in page.text and "Not adopted" in page.text and "购气成本已上涨三成" in page.text
    assert "signed the hearing report" in page.text


@pytest.mark.django_db
def test_a_hearing_not_announced_has_no_public_page_nor_hearers(client, department):
    hearing = make_hearing(department)
    add_hearers(hearing)
    assert client.get(hearing.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_hearers_are_not_shown_before_the_lists_are_published(client, department, staff):
    hearing = make_hearing(department)
    add_hearers(hearing)
    hearing.announce(by=staff, today=ANNOUNCED)
    page = client.get(hearing.get_absolute_url())
    assert page.status_code == 200 and "陈志强" not in page.text


# --- The admin: the steps' forms call the moves ------------------------------------------------------


@pytest.mark.django_db
def test_admin_opening_form_refuses_bad_input_and_saves_nothing(client, department, staff):
    today = clock.today()
    hearing = sent_hearing(department, staff, day=today)
    client.force_login(staff)
    url = reverse("admin:hearings_hearing_move", args=[hearing.pk])
    page = client.get(url)
    assert page.status_code == 200 and "open_session-present" in page.text
    for bad in ("abc", "-1", ""):
        response = client.post(url, {"move": "open_session", "open_session-present": bad})
        assert response.status_code == 200 and response.context["moves"]
        form = dict((m.name, f) for m, f, _u in response.context["moves"])["open_session"]
        assert form.errors
    # Below the quorum: the move's refusal on the form, nothing saved.
    response = client.post(url, {"move": "open_session", "open_session-present": "2"})
    assert response.status_code == 200
    fresh = Hearing.objects.get(pk=hearing.pk)
    assert fresh.status == "materials_sent" and fresh.participants_present is None
    assert not StatusEvent.objects.of(hearing).filter(move="open_session").exists()
    response = client.post(url, {"move": "open_session", "open_session-present": "7"})
    assert response.status_code == 302
    assert Hearing.objects.get(pk=hearing.pk).status == "opened"
    # The conclusion form asks which hearers signed the report, not the free text.
    page = client.get(url)
    assert "conclude-signed_by" in page.text and "conclude-adoption" not in page.text


@pytest.mark.django_db
def test_admin_hearers_inline_refuses_two_presiding_and_saves_nothing(client, department, staff):
    hearing = make_hearing(department)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    url = reverse("admin:hearings_hearing_change", args=[hearing.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key not in ("materials", "record")
    }
    data.update(
        {
            "starts_at_0": "2026-11-20",
            "starts_at_1": "09:00:00",
            "registration_opens": "2026-10-21",
            "registration_closes": "2026-11-01",
            "department": department.pk,
            "draft": "",
            "presiding_officer": "",
        }
    )
    data.pop("starts_at", None)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        data[f"{prefix}-TOTAL_FORMS"] = management.initial["TOTAL_FORMS"]
        data[f"{prefix}-INITIAL_FORMS"] = management.initial["INITIAL_FORMS"]
        for i, form in enumerate(formset.formset.initial_forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[f"{prefix}-{i}-{name}"] = getattr(value, "pk", value)
    hearers = next(f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model is Hearer)
    data[f"{hearers}-TOTAL_FORMS"] = 2
    for i, name in enumerate(("甲", "乙")):
        data.update({f"{hearers}-{i}-name": name, f"{hearers}-{i}-role": "专家", f"{hearers}-{i}-presiding": "on"})
        data[f"{hearers}-{i}-order"] = i
    response = client.post(url, data)
    assert response.status_code == 200, response.headers.get("Location")
    assert "one presiding hearer" in response.text
    assert not Hearer.objects.filter(hearing=hearing).exists()
    # One presiding: saved.
    data[f"{hearers}-1-presiding"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Hearer.objects.filter(hearing=hearing).values_list("name", "presiding")) == [
        ("甲", True),
        ("乙", False),
    ]
