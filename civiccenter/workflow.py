"""Workflows as tables: each app's whole state graph in one readable place.

A `Workflow` lists its `Move`s: the method that takes the move, the states it
leaves from, the state it reaches (or none, for a move that keeps the status:
an extension, a second consultation), who takes it and the permission it
needs, and what it requires in words. The same table gives the model its
`ALLOWED` graph and its from-state checks (`check()`), the citizen's case page
and the staff page their "what can happen next" (`available()`), and the tests
their list of moves to walk. Rules of the law that a table cannot say (a date,
a count, a document that must exist) stay in the move's method, with their
article in a comment.

We keep our own small table rather than a state-machine library: the status
of a case lives on the shared `Case` row and moves under its row lock in
`Case.transition()`, which django-fsm-2 and viewflow's `fsm` cannot drive
(both own the status field of the model they decorate and would need the
status on the app's row); what we need from them is a table and two lookups.
"""

from dataclasses import dataclass, field

from django.db import migrations
from django.utils.translation import gettext_lazy as _

from civiccenter.lib.i18n import lazy_format

# Who takes a move.
STAFF = "staff"
APPLICANT = "applicant"
SYSTEM = "system"  # the nightly sweep or another move; never offered on a page
ANYONE = "anyone"  # staff, or the applicant on their own case


class InvalidTransition(Exception):
    """A move the state graph or the law does not allow; its message is for people."""


@dataclass(frozen=True)
class Move:
    name: str
    sources: tuple
    target: str | None = None
    label: str = ""
    by: str = STAFF
    permission: str = ""
    requires: str = ""
    # Other states the move may reach, decided by its method (answering a request for information returns a case
    # to where it was: accepted, or reopened).
    also_to: tuple = ()
    # What happens when the move is taken, for the person about to take it ("the time limit stops from tomorrow").
    help: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def keeps_status(self):
        return self.target is None


class Workflow:
    """One state graph: states (a `TextChoices`) and the moves between them."""

    registry = []

    def __init__(self, name, states, moves):
        self.name = name
        self.states = states
        self.moves = {}
        for move in moves:
            if move.name in self.moves:
                raise ValueError(f"{name}: move {move.name!r} listed twice")
            unknown = {s for s in (*move.sources, move.target, *move.also_to) if s is not None} - set(states.values)
            if unknown:
                raise ValueError(f"{name}.{move.name}: unknown states {sorted(unknown)}")
            self.moves[move.name] = move
        Workflow.registry.append(self)

    def __repr__(self):
        return f"<Workflow {self.name}>"

    def __iter__(self):
        return iter(self.moves.values())

    def __getitem__(self, name):
        return self.moves[name]

    @property
    def allowed(self):
        """{state: {states reachable in one move}}, the graph `Case.transition()` checks."""
        graph = {}
        for move in self:
            for target in (move.target, *move.also_to):
                if target is not None:
                    for source in move.sources:
                        graph.setdefault(source, set()).add(target)
        return graph

    def label(self, state):
        return dict(self.states.choices).get(state, state)

    def refusal(self, name, state):
        move = self.moves[name]
        return lazy_format(
            _("“%(move)s” is not possible while the status is “%(status)s”."),
            {"move": move.label or move.name, "status": self.label(state)},
        )

    def permitted(self, name, user):
        move = self.moves[name]
        if move.by == SYSTEM:
            return user is None
        if user is None:
            return False
        if move.by == STAFF and not user.is_staff:
            return False
        return not move.permission or user.has_perm(move.permission)

    def check(self, name, state, *, user=None, check_user=False):
        """Refuse `name` from `state` (and, with `check_user`, for a user without the move's permission)."""
        move = self.moves[name]
        if state not in move.sources:
            raise InvalidTransition(self.refusal(name, state))
        if check_user and not self.permitted(name, user):
            raise InvalidTransition(
                lazy_format(_("You may not take the step “%(move)s”."), {"move": move.label or move.name})
            )
        return move

    def can(self, name, state, user=None):
        move = self.moves[name]
        return state in move.sources and (user is None or self.permitted(name, user))

    def available_anywhere(self, *, by):
        """The moves a kind of actor takes from some state (the staff page's bulk steps)."""
        return [m for m in self if m.by != SYSTEM and m.by in (by, ANYONE)]

    def available(self, state, *, user=None, by=None):
        """The moves open from `state`, in table order; for `user` when given, or for a kind of actor."""
        moves = [m for m in self if state in m.sources and m.by != SYSTEM]
        if by is not None:
            moves = [m for m in moves if m.by in (by, ANYONE)]
        if user is not None:
            moves = [m for m in moves if self.permitted(m.name, user)]
        return moves


# --- The database keeps an app record's status equal to its case's ------------------------------

MIRROR_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION civiccenter_case_status_to_record() RETURNS trigger AS $$
BEGIN
    -- Deferred to the commit, when the record's own fields (a decision's date...) are written too;
    -- the case's status is read again, as it may have moved since this row version.
    EXECUTE format(
        'UPDATE %I AS r SET status = c.status FROM civiccenter_case AS c '
        'WHERE c.id = $1 AND r.case_id = c.id AND r.status IS DISTINCT FROM c.status', TG_ARGV[0]
    ) USING NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION civiccenter_record_status_from_case() RETURNS trigger AS $$
BEGIN
    IF NEW.case_id IS NOT NULL THEN
        SELECT status INTO NEW.status FROM civiccenter_case WHERE id = NEW.case_id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def mirror_case_status(table, kind):
    """A migration operation: `table`'s status column always equals its case's status.

    The case owns the status (it moves in `Case.transition()` under the row
    lock); a trigger on the record takes the case's status whatever the
    record's own write says, and a trigger on the case, deferred to the
    commit, copies into the record any status the record was not moved to. A record without a case (a licence application's draft) keeps
    its own.
    """
    # The table and kind are written in migrations, never taken from input.
    forward = f"""
    CREATE TRIGGER {table}_status_from_case BEFORE INSERT OR UPDATE OF status, case_id ON {table}
        FOR EACH ROW EXECUTE FUNCTION civiccenter_record_status_from_case();
    CREATE CONSTRAINT TRIGGER case_status_to_{table} AFTER UPDATE OF status ON civiccenter_case
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.kind = '{kind}' AND OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION civiccenter_case_status_to_record('{table}');
    UPDATE {table} AS r SET status = c.status FROM civiccenter_case AS c
        WHERE c.id = r.case_id AND r.status IS DISTINCT FROM c.status;
    """  # noqa: S608
    backward = f"""
    DROP TRIGGER IF EXISTS {table}_status_from_case ON {table};
    DROP TRIGGER IF EXISTS case_status_to_{table} ON civiccenter_case;
    """
    return migrations.RunSQL(forward, backward)


def take_each(objects, take) -> int:
    """A nightly sweep's move, `take(obj)`, on each object it found due; one that moved meanwhile (its move now
    refused by the table or the rules) is skipped. Returns how many moved."""
    count = 0
    for obj in objects:
        try:
            take(obj)
        except InvalidTransition:
            continue
        count += 1
    return count
