"""Licensing (Administrative Licensing Law): the models, one module per part.

- `catalogue`: life events, matters, their numbered versions and materials (Art. 30);
- `applications`: applications and their table of moves (Art. 29-45), correction notices, uploaded materials;
- `licences`: licences, the public register and renewal reminders (Art. 38, 40, 44, 50);
- `appointments`: window slots and appointments.

Every model is importable from `licensing.models`. The two validators (from civiccenter.lib) are
named here too: migrations refer to them by this path.
"""

# The shared validators, named here too: migrations refer to them by this path.
from civiccenter.lib.uscc import validate as validate_uscc  # noqa: F401
from civiccenter.lib.validators import validate_resident_id  # noqa: F401
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
