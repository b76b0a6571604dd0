"""Consultations of a disclosure request: a third party (Art. 32) or another organ (Art. 34) asked for its view.

The moves that open, answer and end them are `DisclosureRequest.consult`, `record_answer` and `end_consultation`
(request_moves.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civiccenter.lib.validators import validate_plain_text


class Consultation(models.Model):
    """A third party (Art. 32) or another organ (Art. 34) asked for its view; the request's clock pauses."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("Third party (Art. 32)")
        ORGAN = "organ", _("Another administrative organ (Art. 34)")

    request = models.ForeignKey("disclosure.DisclosureRequest", on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("consulted"), max_length=12, choices=Kind)
    party = models.CharField(_("name of the party consulted"), max_length=200, validators=[validate_plain_text])
    sent_on = models.DateField(_("sent on"))
    answer_due = models.DateField(_("answer due"), help_text=_("15 working days (Art. 32, 34)."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    objects_to_disclosure = models.BooleanField(_("objects to disclosure"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # Art. 32: disclosed over a third party's objection in the public interest: the third party is told in writing.
    disclosed_over_objection_notified_on = models.DateField(
        _("told in writing of disclosure over its objection on"), null=True, blank=True
    )

    class Meta:
        ordering = ["sent_on", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["third_party", "organ"]), name="consultation_kind_valid"),
            models.CheckConstraint(condition=Q(answer_due__gte=models.F("sent_on")), name="consultation_due_after"),
        ]

    def __str__(self):
        return self.party
