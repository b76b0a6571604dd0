"""The public board's moderation queue: a proxy of `Opinion`, so moderators get their own admin and permission.

What a moderator may publish is narrower than what a department handles:
replied cases whose submitters consented, never reports of wrongdoing
(Letters and Visits Regulations Art. 30; PIPL Art. 25). The rules live in
`opinions.publishing`; this model only gives the queue a name and a permission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opinions.models.cases import Kind, Opinion

__all__ = ["BoardEntry"]


class BoardQuerySet(models.QuerySet):
    def publishable(self):
        """Handled cases the submitter agreed to publish; reports never."""
        return self.filter(status=Opinion.Status.REPLIED, consent_to_publish=True).exclude(kind=Kind.REPORT)

    def published(self):
        """On the board: consent and kind checked again (and held by a constraint), and the copy reviewed after
        the current reply (a case reopened and replied again waits for the moderator before it shows again)."""
        return self.publishable().filter(published_at__isnull=False, published_at__gte=models.F("replied_at"))

    def to_review(self):
        return self.publishable().filter(
            models.Q(published_at__isnull=True) | models.Q(published_at__lt=models.F("replied_at"))
        )

    def for_board(self):
        return self.select_related("category", "case__department")


class BoardEntry(Opinion):
    objects = BoardQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("publication on the board")
        verbose_name_plural = _("publications on the board")
        permissions = [("publish_opinion", _("Can publish handled opinions on the public board"))]
