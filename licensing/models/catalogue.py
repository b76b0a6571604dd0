"""The catalogue of licensing matters (Administrative Licensing Law Art. 30).

A `Matter` is the stable identity of a licensing item; its rules live in
numbered `MatterVersion`s. A published version is never edited: staff start a
new draft version, edit it, and publish it, so an application filed under
version 2 keeps version 2's rules and time limits while new applications get
version 3 (gemma-zaken #887's lesson).
"""

from decimal import Decimal

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.lib.i18n import localized
from civiccenter.lib.uploads import CheckedFileField
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet
from civiccenter.stateful import StatefulModel
from civiccenter.workflow import SYSTEM, Move, Workflow


class LifeEvent(models.Model):
    """A situation in a person's or company's life that several matters belong to ("opening a restaurant")."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=80, blank=True, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self):
        return self.display_name


class MatterQuerySet(DepartmentScopedQuerySet):
    def published(self):
        return self.filter(current_version__isnull=False)

    def for_list(self):
        return self.select_related("department", "current_version").prefetch_related("life_events")

    def search(self, text):
        query = Q()
        for word in text.split():
            query &= Q(name__icontains=word) | Q(name_en__icontains=word) | Q(code__iexact=word)
        return self.filter(query)


class Matter(models.Model):
    class Audience(models.TextChoices):
        INDIVIDUAL = "individual", _("Individuals")
        ENTERPRISE = "enterprise", _("Enterprises and organizations")
        BOTH = "both", _("Individuals and enterprises")

    code = models.CharField(
        _("matter code"),
        max_length=30,
        unique=True,
        help_text=_("The code in the provincial catalogue, e.g. XK-SCJG-001."),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("handling department"), on_delete=models.PROTECT, related_name="matters"
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=150, blank=True, validators=[validate_plain_text])
    audience = models.CharField(_("for"), max_length=12, choices=Audience, default=Audience.BOTH)
    life_events = models.ManyToManyField(LifeEvent, verbose_name=_("life events"), blank=True, related_name="matters")
    current_version = models.OneToOneField(
        "MatterVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = MatterQuerySet.as_manager()
    display_name = localized("name")

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("licensing matter")
        verbose_name_plural = _("licensing matters")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["individual", "enterprise", "both"]), name="matter_audience_valid"
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z0-9][A-Z0-9-]*$"), name="matter_code_format"),
        ]

    def __str__(self):
        return f"{self.code} {self.display_name}"

    def get_absolute_url(self):
        return reverse("licensing:matter-detail", args=[self.code])

    @property
    def draft(self):
        return self.versions.filter(status=MatterVersion.Status.DRAFT).first()

    @transaction.atomic
    def start_new_version(self, *, by):
        """A draft copied from the current version (or an empty first one), with its materials."""
        matter = type(self).objects.select_for_update(of=("self",)).get(pk=self.pk)
        if matter.versions.filter(status=MatterVersion.Status.DRAFT).exists():
            raise InvalidTransition(_("This matter already has a draft version."))
        number = (matter.versions.aggregate(models.Max("number"))["number__max"] or 0) + 1
        current = matter.current_version
        if current is None:
            return MatterVersion.objects.create(matter=matter, number=number, created_by=by)
        materials = list(current.materials.all())
        current.pk, current.id = None, None
        current._state.adding = True
        current.number, current.status, current.published_at, current.created_by = number, "draft", None, by
        current.created_at = clock.now()
        current.save()
        for material in materials:
            material.pk, material.id, material.version = None, None, current
            material._state.adding = True
        Material.objects.bulk_create(materials)
        return current

    start_new_version.alters_data = True


class MatterVersion(StatefulModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("In force")
        RETIRED = "retired", _("Replaced")

    WORKFLOW = Workflow(
        "licensing.matterversion",
        Status,
        [
            Move(
                "publish",
                (Status.DRAFT,),
                Status.PUBLISHED,
                label=_("Put in force"),
                requires=_("Its materials (Article 30), legal basis and procedure; the version in force is replaced."),
            ),
            Move("retire", (Status.PUBLISHED,), Status.RETIRED, label=_("Replace"), by=SYSTEM),
        ],
    )

    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    legal_basis_en = models.TextField(_("legal basis in English"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    conditions_en = models.TextField(_("conditions in English"), blank=True)
    quantity_limit = models.CharField(
        _("quantity limit"), max_length=200, blank=True, help_text=_("Leave empty when there is none.")
    )
    procedure = models.TextField(_("procedure"), blank=True, help_text=_("One step per line."))
    procedure_en = models.TextField(_("procedure in English"), blank=True)
    statutory_limit = models.PositiveSmallIntegerField(_("statutory time limit (working days)"), default=20)
    promised_limit = models.PositiveSmallIntegerField(_("promised time limit (working days)"), default=20)
    two_officers = models.BooleanField(
        _("verified by two officers"),
        default=False,
        help_text=_(
            "Article 34: the substance of the materials is verified (on site where needed) by two officers, both "
            "named on the decision."
        ),
    )
    safety_related = models.BooleanField(
        _("concerns public safety, health or life"),
        default=False,
        help_text=_(
            "Article 78: an applicant who concealed information or gave false materials may not apply for this "
            "matter again for one year."
        ),
    )
    renewal_lead_days = models.PositiveSmallIntegerField(
        _("renewal asked at least (days before expiry)"),
        default=30,
        help_text=_("Article 50: 30 days, unless a law, regulation or rule sets another period for this matter."),
    )
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    fee_basis = models.CharField(
        _("legal basis of the fee"),
        max_length=300,
        blank=True,
        help_text=_("Required when there is a fee: a licence is free unless a law or regulation says otherwise."),
    )
    window = models.CharField(_("window"), max_length=100, blank=True, validators=[validate_plain_text])
    window_en = models.CharField(_("window in English"), max_length=150, blank=True, validators=[validate_plain_text])
    on_the_spot = models.BooleanField(_("can be decided on the spot"), default=False)
    hearing_possible = models.BooleanField(_("a hearing may be needed"), default=False)
    joint_handling = models.BooleanField(_("joint handling by several departments"), default=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    created_by = models.ForeignKey(
        "civiccenter.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    display_legal_basis = localized("legal_basis")
    display_conditions = localized("conditions")
    display_procedure = localized("procedure")
    display_window = localized("window")

    class Meta:
        ordering = ["matter", "-number"]
        verbose_name = _("matter version")
        verbose_name_plural = _("matter versions")
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="matterversion_number_unique"),
            # One draft and one version in force per matter, whatever the concurrency.
            models.UniqueConstraint(fields=["matter"], condition=Q(status="draft"), name="matterversion_one_draft"),
            models.UniqueConstraint(
                fields=["matter"], condition=Q(status="published"), name="matterversion_one_published"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]), name="matterversion_status_valid"
            ),
            # Art. 42: the promise may be shorter than the law, never longer.
            models.CheckConstraint(
                condition=Q(promised_limit__lte=models.F("statutory_limit")) & Q(promised_limit__gte=1),
                name="matterversion_promise_within_law",
                violation_error_message=_("The promised time limit cannot be longer than the statutory one."),
            ),
            # Art. 58: no fee without a legal basis.
            models.CheckConstraint(
                condition=Q(fee=0) | ~Q(fee_basis=""),
                name="matterversion_fee_has_basis",
                violation_error_message=_("A fee needs its legal basis (Administrative Licensing Law, Article 58)."),
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="matterversion_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.matter} · v{self.number}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def procedure_steps(self):
        return [line.strip() for line in self.display_procedure.splitlines() if line.strip()]

    def retire(self, *, by):
        """Replaced by a newer version in force; kept for the applications filed under it."""
        self.move("retire", by=by)

    @transaction.atomic
    def publish(self, *, by):
        """Put this draft in force; the version it replaces is retired but kept for the applications filed under it."""
        version = type(self).objects.select_for_update(of=("self",)).get(pk=self.pk)
        matter = Matter.objects.select_for_update().get(pk=version.matter_id)
        if version.status != self.Status.DRAFT:
            raise InvalidTransition(_("Only a draft version can be published."))
        if not version.materials.exists():
            raise InvalidTransition(_("A version needs its list of materials before it is published (Article 30)."))
        if not version.legal_basis or not version.procedure:
            raise InvalidTransition(_("A version needs its legal basis and procedure before it is published."))
        for replaced in type(self).objects.filter(matter=matter, status=self.Status.PUBLISHED):
            replaced.retire(by=by)
        version.move("publish", by=by, fields={"published_at": clock.now()})
        matter.current_version = version
        matter.save(update_fields=["current_version"])
        self.refresh_from_db(fields=["status", "published_at"])
        return version

    publish.alters_data = True


class Material(models.Model):
    """One item of the full list of materials (Art. 30), with its blank form and a filled-in sample."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "both", _("Original and copy")

    version = models.ForeignKey(
        MatterVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=200, blank=True, validators=[validate_plain_text])
    required = models.BooleanField(_("required"), default=True)
    form = models.CharField(_("original or copy"), max_length=10, choices=Form, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    notes_en = models.CharField(_("notes in English"), max_length=400, blank=True)
    blank_form = CheckedFileField(_("blank form"), folder="licensing/forms", kinds=("pdf",), blank=True)
    sample = CheckedFileField(_("filled-in sample"), folder="licensing/samples", kinds=("pdf",), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")
    display_notes = localized("notes")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(condition=Q(form__in=["original", "copy", "both"]), name="material_form_valid"),
            models.CheckConstraint(condition=Q(copies__gte=1, copies__lte=20), name="material_copies_range"),
        ]

    def __str__(self):
        return self.display_name
