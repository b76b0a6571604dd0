"""Letters and Visits Regulations Art. 30, once for reports of wrongdoing and petitions: the unit a matter is
about never handles it, never receives it by a transfer, and its staff never see it (the whistleblower's or
petitioner's identity and materials never reach the unit concerned).

`Opinion` (a report names `reported_department`) and `Petition` (`unit_concerned`) inherit `KeptFromConcernedUnit`
and name their field; their querysets call `hidden_from_concerned_unit`.
"""

from civiccenter.cases import InvalidTransition


def hidden_from_concerned_unit(rows, user, field):
    """`rows` without those about `user`'s own unit, whatever the role (a center-wide role in that unit too)."""
    if user.department_id:
        return rows.exclude(**{field: user.department_id})
    return rows


def is_concerned_unit(department, concerned_id):
    return department is not None and concerned_id is not None and department.pk == concerned_id


class KeptFromConcernedUnit:
    """The rule on a record: `CONCERNED_UNIT_FIELD` names the unit; `CONCERNED_UNIT_REFUSAL` is told to staff."""

    CONCERNED_UNIT_FIELD = ""
    CONCERNED_UNIT_REFUSAL = ""

    @property
    def concerned_unit_id(self):
        return getattr(self, f"{self.CONCERNED_UNIT_FIELD}_id")

    def check_not_concerned_unit(self, department):
        """Refuse handing the matter to `department` when it is the unit the matter is about (Art. 30)."""
        if is_concerned_unit(department, self.concerned_unit_id):
            raise InvalidTransition(self.CONCERNED_UNIT_REFUSAL)
