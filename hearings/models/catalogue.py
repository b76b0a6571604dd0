"""The yearly catalogue of major administrative decision items (重大行政决策事项目录, Order 713 Art. 3).

The decision organ sets and publishes its catalogue of major decision items, and adjusts it when needed
(prc-rules.md §4, Art. 3). A draft of a major decision is published for comment only as a published item of
the catalogue (`Draft.publish`, drafts.py). An item moves by its table `CatalogueItem.WORKFLOW`: prepared,
published (the day is recorded), withdrawn from the catalogue (with the reason, kept on the public page).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import in_language_of_record, localized
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet
from civiccenter.stateful import StatefulModel
from civiccenter.workflow import STAFF, Move, Workflow

__all__ = ["CatalogueItem", "catalogue_years"]

# Order 713 is in force from 1 September 2019: no catalogue before that year.
FIRST_YEAR = 2019


class CatalogueItemQuerySet(DepartmentScopedQuerySet):
    def public(self):
        """Published items, and those withdrawn from the catalogue after publication."""
        return self.filter(status__in=(CatalogueItem.Status.PUBLISHED, CatalogueItem.Status.WITHDRAWN))

    def for_list(self):
        return self.select_related("department").order_by("-year", "order", "pk")


def catalogue_years():
    """The years with a public catalogue, latest first."""
    return list(CatalogueItem.objects.public().order_by("-year").values_list("year", flat=True).distinct())


class CatalogueItem(StatefulModel):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        PUBLISHED = "published", _("Published in the catalogue")
        WITHDRAWN = "withdrawn", _("Withdrawn from the catalogue")

    WORKFLOW = Workflow(
        "hearings.catalogueitem",
        Status,
        [
            Move(
                "publish",
                (Status.PREPARING,),
                Status.PUBLISHED,
                _("Publish in the catalogue"),
                by=STAFF,
                permission="hearings.publish_catalogueitem",
                requires=_("The year, the item and the department undertaking it (Order 713 Art. 3)."),
            ),
            Move(
                "withdraw",
                (Status.PUBLISHED,),
                Status.WITHDRAWN,
                _("Withdraw from the catalogue"),
                by=STAFF,
                permission="hearings.publish_catalogueitem",
                requires=_("The reason, published with the item (the catalogue is adjusted, Order 713 Art. 3)."),
            ),
        ],
    )

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)], db_index=True
    )
    title = models.CharField(_("decision item"), max_length=200, validators=[validate_plain_text])
    title_en = models.CharField(
        _("decision item in English"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    decision_organ = models.CharField(
        _("decision organ"), max_length=100, default="区人民政府", validators=[validate_plain_text]
    )
    department = models.ForeignKey(
        Department, verbose_name=_("undertaking department"), on_delete=models.PROTECT, related_name="catalogue_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.PREPARING, editable=False, db_index=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = CatalogueItemQuerySet.as_manager()
    display_title = localized("title")

    class Meta:
        ordering = ["-year", "order", "pk"]
        verbose_name = _("major decision item")
        verbose_name_plural = _("catalogue of major decision items")
        permissions = [("publish_catalogueitem", _("Can publish and withdraw major decision items"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "published", "withdrawn"]), name="catalogueitem_status_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR), name="catalogueitem_year_from_2019"),
            models.CheckConstraint(
                condition=Q(status="preparing") | Q(published_on__isnull=False), name="catalogueitem_published_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""), name="catalogueitem_withdrawn_has_reason"
            ),
            models.UniqueConstraint(fields=["year", "title"], name="catalogueitem_title_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.year} · {self.display_title}"

    def get_absolute_url(self):
        return reverse("hearings:catalogue-year", args=[self.year]) + f"#item-{self.pk}"

    @property
    def is_public(self):
        return self.status in (self.Status.PUBLISHED, self.Status.WITHDRAWN)

    @in_language_of_record
    def publish(self, *, by, today=None):
        """Publish the item in its year's catalogue (Order 713 Art. 3)."""
        today = today or clock.today()
        with transaction.atomic():
            self.move("publish", by=by, note=_("Published in the catalogue."), fields={"published_on": today})
        self.refresh_from_db()

    publish.alters_data = True

    @in_language_of_record
    def withdraw(self, *, by, reason):
        """Take the item out of the catalogue (the catalogue is adjusted, Art. 3); the reason is published."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTransition(_("Give the reason the item is withdrawn from the catalogue."))
        with transaction.atomic():
            self.move("withdraw", by=by, note=reason, fields={"withdrawn_reason": reason})
        self.refresh_from_db()

    withdraw.alters_data = True
