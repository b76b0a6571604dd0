"""Walking a workflow table against the real model methods (no tests here: imported by the test modules).

For a move and a status: from a status the table lists, the method passes the status check, the row reaches
the move's target and one `StatusEvent` is written; from any other status, the method refuses with
`InvalidTransition`, naming the move and the status as rendered in the reader's language (Chinese, the
default, and English), and nothing is written.
"""

import pytest
from django.conf import settings
from django.utils import translation

from civiccenter.stateful import StatusEvent
from civiccenter.workflow import InvalidTransition


def cases(workflow):
    """Every (move, status) pair of the table: the parametrisation of a walk."""
    return [pytest.param(move.name, state, id=f"{move.name}-{state}") for move in workflow for state in workflow.states]


def assert_walk(obj, name, state, call):
    workflow = type(obj).WORKFLOW
    move = workflow[name]
    before = StatusEvent.objects.of(obj).count()
    if state in move.sources:
        call()
        obj.refresh_from_db()
        assert obj.status == (move.target or state)
        history = list(StatusEvent.objects.of(obj))
        assert len(history) == before + 1  # one move, one line of history
        last = history[-1]
        assert (last.move, last.old_status, last.new_status) == (name, state, obj.status)
        return
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                call()
            message = str(refused.value)
            assert f"“{move.label}”" in message, message
            assert f"“{workflow.label(state)}”" in message, message
    obj.refresh_from_db()
    assert obj.status == state
    assert StatusEvent.objects.of(obj).count() == before
