"""The written opinions on a petition: handling (Art. 32-33), review (Art. 35) and re-review (Art. 36).

Issued by the moves `issue_*_opinion` of `Petition` (petition_moves.py); at most one per stage.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PetitionOpinion(models.Model):
    """A written opinion (处理意见书, 复查意见书, 复核意见书): outcome, facts and legal basis (Art. 32)."""

    class Stage(models.TextChoices):
        HANDLING = "handling", _("Handling opinion")
        REVIEW = "review", _("Review opinion")
        REREVIEW = "rereview", _("Re-review opinion")

    class Outcome(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        EXPLAINED = "explained", _("Explained")
        NOT_SUPPORTED = "not_supported", _("Not supported")

    petition = models.ForeignKey(
        "opinions.Petition", verbose_name=_("petition"), on_delete=models.CASCADE, related_name="opinions"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    facts = models.TextField(_("facts found"))
    legal_basis = models.TextField(_("legal basis"))
    text = models.TextField(_("opinion"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("petition opinion")
        verbose_name_plural = _("petition opinions")
        constraints = [
            models.UniqueConstraint(fields=["petition", "stage"], name="petition_one_opinion_per_stage"),
            models.CheckConstraint(
                condition=~Q(facts="") & ~Q(legal_basis="") & ~Q(text=""), name="petition_opinion_complete"
            ),
        ]

    def __str__(self):
        return f"{self.petition.case.number} {self.get_stage_display()}"
