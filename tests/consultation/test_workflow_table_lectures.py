"""The lecture registration's table, walked move by move: each move from its listed states, refused from the
others by the real method, the refusal naming the move and the status in Chinese and English; each move logged."""

import pytest
from django.utils import translation

from civiccenter.cases import InvalidTransition
from civiccenter.stateful import StatusEvent
from consultation.models import Registration
from tests.conftest import make_user
from tests.consultation.test_lectures import make_lecture

FLOW = Registration.WORKFLOW


def call(registration, name, lecture, person):
    if name == "cancel":
        return registration.cancel(by=person)
    return registration.promote(lecture=lecture)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_move_is_refused_from_the_states_it_does_not_leave(department, applicant, language):
    lecture = make_lecture(department, capacity=5)
    for move in FLOW:
        for state in FLOW.states.values:
            registration = Registration.register(lecture=lecture, by=make_user(f"{move.name}-{state}@example.cn"))
            Registration.objects.filter(pk=registration.pk).update(status=state)
            registration.refresh_from_db()
            if state in move.sources:
                assert FLOW.can(move.name, state)
                continue
            with translation.override(language), pytest.raises(InvalidTransition) as refused:
                call(registration, move.name, lecture, registration.user)
            with translation.override(language):
                assert str(move.label) in str(refused.value) and str(FLOW.label(state)) in str(refused.value)
            assert Registration.objects.get(pk=registration.pk).status == state


@pytest.mark.django_db
def test_each_move_is_logged_once(department, applicant, other_applicant):
    lecture = make_lecture(department, capacity=1)
    first = Registration.register(lecture=lecture, by=applicant)
    waiting = Registration.register(lecture=lecture, by=other_applicant)
    first.cancel(by=applicant)  # cancels the first and moves the second up
    assert list(StatusEvent.objects.of(first).values_list("move", "old_status", "new_status")) == [
        ("", "", "registered"),
        ("cancel", "registered", "cancelled"),
    ]
    assert list(StatusEvent.objects.of(waiting).values_list("move", "new_status")) == [
        ("", "waitlisted"),
        ("promote", "registered"),
    ]
