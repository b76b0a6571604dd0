"""Licensing (Administrative Licensing Law): the models, one module per part.

- `catalogue`: life events, matters, their numbered versions and materials (Art. 30);
- `applications`: applications and their table of moves (Art. 29-45), correction notices, uploaded materials;
- `licences`: licences, the public register and renewal reminders (Art. 38, 40, 44, 50);
- `appointments`: window slots and appointments.

Every model is importable from `licensing.models`. The two validators stay defined here, before the parts
are imported: migrations refer to them by this path.
"""

from django.utils.translation import gettext_lazy as _


def validate_resident_id(value):
    """GB 11643-1999 resident identity number (kept here: migrations refer to it by this path)."""
    from civiccenter.lib.validators import validate_resident_id as validate

    validate(value)


def validate_uscc(value):
    """GB 32100-2015 unified social credit code, with its check character."""
    from django.core.exceptions import ValidationError
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        uscc.validate(value)
    except StdnumError as error:
        raise ValidationError(_("This is not a valid unified social credit code."), code="invalid_uscc") from error


from licensing.models.applications import (  # noqa: E402
    Application,
    ApplicationFile,
    ApplicationQuerySet,
    CorrectionItem,
    CorrectionNotice,
    InvalidTransition,
    sweep_deemed_acceptances,
)
from licensing.models.appointments import (  # noqa: E402
    Appointment,
    WindowSlot,
    WindowSlotQuerySet,
    sweep_appointment_reminders,
)
from licensing.models.catalogue import LifeEvent, Material, Matter, MatterQuerySet, MatterVersion  # noqa: E402
from licensing.models.licences import Licence, LicenceQuerySet, mask_name, sweep_renewal_reminders  # noqa: E402

__all__ = [
    "Application",
    "ApplicationFile",
    "ApplicationQuerySet",
    "Appointment",
    "CorrectionItem",
    "CorrectionNotice",
    "InvalidTransition",
    "Licence",
    "LicenceQuerySet",
    "LifeEvent",
    "Material",
    "Matter",
    "MatterQuerySet",
    "MatterVersion",
    "WindowSlot",
    "WindowSlotQuerySet",
    "mask_name",
    "sweep_appointment_reminders",
    "sweep_deemed_acceptances",
    "sweep_renewal_reminders",
    "validate_resident_id",
    "validate_uscc",
]
