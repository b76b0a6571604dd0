"""The licensing hearing (Administrative Licensing Law Art. 46-48), where hearings and licence applications meet.

A hearing on a licence application is run by the hearings app (its notice,
request, schedule, record); what it does to the application happens here, and
only here: the application's timeline, its clock (Art. 45: the hearing's time
is not counted) and the notices to its applicant. `hearings.models.hearings`
calls these functions inside its own transaction; the application's side
goes through the application's moves (`suspend`, `resume`) and its case
(`case.log`, `case.notify_applicant`).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import CaseEvent


def lock_for_hearing(application):
    """The application, locked, if a hearing may be offered on it: during the review (the table's `offer_hearing`)."""
    from licensing.models import Application

    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("case", "version__matter")
        .get(pk=application.pk)
    )
    Application.WORKFLOW.check("offer_hearing", locked.status)
    return locked


def has_hearing(application):
    """Art. 47: one hearing per application (a waived or cancelled one does not count)."""
    return application.hearings.exclude(status__in=("waived", "cancelled")).exists()


def offer_hearing(hearing, *, by):
    """Art. 47: the applicant is told of the right to a hearing and of the day to request it by."""
    case = hearing.application.case
    case.log(
        CaseEvent.Kind.HEARING,
        by=by,
        note=_("You may request a hearing by %(date)s (Administrative Licensing Law, Article 47).")
        % {"date": hearing.request_deadline.isoformat()},
    )
    _tell_applicant(hearing, "hearings/hearings/email/licensing_right")


def hearing_requested(hearing, *, by, hold_by, today):
    """Art. 45, 47: the hearing is requested; the review is suspended (the clock stops) while it runs."""
    from licensing.models import Application

    hearing.application.suspend(
        by=by,
        kind=Application.SuspensionKind.HEARING,
        expected_days=max((hold_by - today).days, 1),
        today=today,
    )


def hearing_scheduled(hearing):
    """Art. 48: the applicant is told the hearing's time and place (the notice itself is the hearing's)."""
    _tell_applicant(hearing, "hearings/hearings/email/licensing_scheduled")


def hearing_concluded(hearing, *, by, today):
    """Art. 45: the review runs again; Art. 48: the decision is made on the basis of the hearing's record."""
    application = hearing.application
    application.resume(by=by, today=today)
    application.case.log(
        CaseEvent.Kind.HEARING,
        by=by,
        note=_("Hearing held; the licensing decision will be made on the basis of its record: %(url)s")
        % {"url": settings.SITE_URL + hearing.get_absolute_url()},
    )


def _tell_applicant(hearing, template):
    application = hearing.application
    application.case.notify_applicant(
        template,
        {"hearing": hearing},
        url=reverse("licensing:application-detail", args=[application.pk]),
    )
