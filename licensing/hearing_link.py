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
from civiccenter.lib.i18n import lazy_format


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


# A hearing still to come: the right to request it is running, or it was requested and has no signed record yet.
WAITING = ("notified", "requested", "announced")


def hearing_to_come(application, today):
    """Art. 47-48: the hearing a decision must wait for, or None.

    The right notified is open until its request deadline (after it, the right has lapsed even if the nightly
    sweep has not yet written so); a requested or scheduled hearing is waited for until concluded with its
    signed record.
    """
    for hearing in application.hearings.filter(status__in=WAITING).order_by("pk"):
        if hearing.status != "notified" or hearing.request_deadline >= today:
            return hearing
    return None


def check_decision(application, today):
    """Art. 47-48: no approval or denial while a hearing is to come; returns the held hearing it rests on, or None."""
    from civiccenter.cases import InvalidTransition

    waiting = hearing_to_come(application, today)
    if waiting is not None and waiting.status == "notified":
        raise InvalidTransition(
            lazy_format(
                _(
                    "The applicant may still request a hearing, until %(date)s: decide after that day "
                    "(Administrative Licensing Law, Article 47)."
                ),
                {"date": waiting.request_deadline.isoformat()},
            )
        )
    if waiting is not None:
        raise InvalidTransition(
            _(
                "A hearing was requested: decide once it is held and its signed record is in "
                "(Administrative Licensing Law, Article 48)."
            )
        )
    return held_hearing(application)


def held_hearing(application):
    """The concluded hearing whose record a decision rests on (Art. 48), or None."""
    return application.hearings.filter(status="concluded").order_by("-pk").first()


def decision_basis(hearing):
    """The sentence a decision on the timeline and in print gives for the record it rests on."""
    return _("Decided on the basis of the record of the hearing held on %(date)s: %(url)s") % {
        "date": hearing.hearing_date.isoformat() if hearing.hearing_date else hearing.concluded_on.isoformat(),
        "url": settings.SITE_URL + hearing.get_absolute_url(),
    }


def check_resume(application):
    """Art. 45, 48: a review suspended for a requested hearing resumes when the hearing is concluded, not by hand."""
    from civiccenter.cases import InvalidTransition

    if application.hearings.filter(status__in=("requested", "announced")).exists():
        raise InvalidTransition(
            _(
                "The review waits for the requested hearing: it resumes by itself when the hearing is concluded "
                "with its signed record (Administrative Licensing Law, Article 48)."
            )
        )


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
