"""Proactive disclosure: documents, their categories and topics, attachments, and the disclosure guide."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import InvalidTransition, next_sequence
from civiccenter.lib import clock, textsearch
from civiccenter.lib.i18n import localized
from civiccenter.lib.uploads import CheckedFileField
from civiccenter.lib.validators import validate_plain_text
from civiccenter.models import Department, DepartmentScopedQuerySet


class Category(models.Model):
    """The 15 items of Art. 20 and the district items of Art. 21; rows made by a data migration."""

    code = models.SlugField(_("category code"), max_length=10, unique=True, help_text=_("e.g. 20-1 or 21-3"))
    article = models.PositiveSmallIntegerField(_("article"))
    item = models.PositiveSmallIntegerField(_("item"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")

    class Meta:
        ordering = ["order", "article", "item"]
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")
        constraints = [models.UniqueConstraint(fields=["article", "item"], name="category_article_item")]

    def __str__(self):
        return self.display_name


class Topic(models.Model):
    """A subject heading (主题分类) that cuts across categories: education, health, market regulation..."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=80, blank=True, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    display_name = localized("name")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.display_name


class DocumentQuerySet(DepartmentScopedQuerySet):
    def published(self, today=None):
        return self.filter(published_on__isnull=False, published_on__lte=today or clock.today())

    def drafts(self):
        return self.filter(published_on__isnull=True)

    def late(self, today=None):
        """Not yet published and past the 20 working days of Art. 26."""
        return self.drafts().filter(publish_by__lt=today or clock.today())

    def due_soon(self, until, today=None):
        """Not yet published, due between today and `until` (the caller counts the working days)."""
        return self.drafts().filter(publish_by__gte=today or clock.today(), publish_by__lte=until)

    def published_late(self):
        return self.filter(published_on__isnull=False, published_on__gt=models.F("publish_by"))

    def for_list(self):
        return self.select_related("department", "category", "topic")

    def search(self, text):
        """Documents whose title, document number, summary or body contain every word of `text`, best first.

        The token index finds candidates; the `icontains` recheck keeps only exact matches of each word.
        """
        from django.contrib.postgres.search import SearchRank

        query = textsearch.search_query(text)
        if query is None:
            return self.none().annotate(rank=models.Value(0.0, output_field=models.FloatField()))
        matches = self.filter(search=query)
        for word in textsearch.words(text):
            if len(textsearch.tokens(word)) < 2:
                continue  # one token (a pair, a lone character, a Latin word): the index match is already exact
            matches = matches.filter(
                Q(title__icontains=word)
                | Q(document_number__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
            )
        return matches.annotate(rank=SearchRank(models.F("search"), query))

    def search_top(self, text, candidates=1000):
        """Like search(), but ranking only the newest `candidates` matches.

        Ranking every match of a very common word (通知 is in most documents) means scoring
        the whole table; capping the candidates keeps any search's cost bounded. The public
        list shows at most a few hundred results anyway and asks the reader to refine.
        """
        from django.contrib.postgres.search import SearchRank

        query = textsearch.search_query(text)
        if query is None:
            return self.none().annotate(rank=models.Value(0.0, output_field=models.FloatField()))
        newest = self.search(text).order_by("-published_on", "-pk").values("pk")[:candidates]
        return self.filter(pk__in=newest).annotate(rank=SearchRank(models.F("search"), query))


class Document(models.Model):
    """A piece of government information published proactively (Art. 19-26)."""

    class Kind(models.TextChoices):
        # Table 二 of the annual report counts these two apart.
        REGULATION = "regulation", _("Government rule")
        NORMATIVE = "normative", _("Administrative normative document")
        OTHER = "other", _("Other information")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")

    index_number = models.CharField(
        _("index number"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Given when the document is published (索引号)."),
    )
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("The issuing number, e.g. 区政发〔2026〕3号.")
    )
    department = models.ForeignKey(
        Department, verbose_name=_("issuing department"), on_delete=models.PROTECT, related_name="documents"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="documents"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=12, choices=Kind, default=Kind.OTHER)
    formed_on = models.DateField(_("date formed"), help_text=_("The day the information was formed or changed."))
    publish_by = models.DateField(
        _("to be published by"), null=True, blank=True, editable=False, help_text=_("20 working days (Article 26).")
    )
    published_on = models.DateField(_("date published"), null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), max_length=2000)
    body = models.TextField(_("body"), blank=True)
    validity = models.CharField(_("validity"), max_length=10, choices=Validity, default=Validity.IN_FORCE)
    validity_changed_on = models.DateField(_("validity changed on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    related = models.ManyToManyField("self", verbose_name=_("related documents"), blank=True, symmetrical=True)
    search = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("publish_document", _("Can publish, amend and repeal documents"))]
        indexes = [
            GinIndex(fields=["search"], name="document_search_gin"),
            # The public list, newest first, read page by page with a keyset (never a deep OFFSET).
            models.Index(
                fields=["-published_on", "-id"],
                name="document_published_keyset",
                condition=Q(published_on__isnull=False),
            ),
            models.Index(fields=["category", "-published_on", "-id"], name="document_category_keyset"),
            models.Index(fields=["department", "-published_on", "-id"], name="document_department_keyset"),
            models.Index(
                fields=["publish_by"], name="document_unpublished_due", condition=Q(published_on__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity__in=["in_force", "amended", "repealed"]), name="document_validity_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["regulation", "normative", "other"]), name="document_kind_valid"
            ),
            # Amended or repealed: on which day.
            models.CheckConstraint(
                condition=Q(validity="in_force") | Q(validity_changed_on__isnull=False),
                name="document_validity_change_dated",
            ),
            # Published documents carry their index number; drafts may not have one yet.
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(index_number__isnull=False),
                name="document_published_has_index",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=models.F("formed_on")),
                name="document_published_after_formed",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from civiccenter.lib import workdays
        from civiccenter.models import CalendarDay

        self.search = self.search_vector()
        if self.formed_on:
            # Art. 26: within 20 working days of being formed or changed.
            self.publish_by = workdays.compute(CalendarDay.objects.work_calendar(), self.formed_on, 20).due
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search", "publish_by"}
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["search"])

    def get_absolute_url(self):
        return reverse("disclosure:document", args=[self.pk])

    def clean(self):
        # The database refuses these too (document_published_after_formed); here they become form errors.
        if self.formed_on and self.published_on and self.formed_on > self.published_on:
            raise ValidationError(
                {"formed_on": _("A published document cannot have been formed after it was published.")},
                code="formed_after_published",
            )
        if self.formed_on and self.formed_on.year < 1949:
            raise ValidationError({"formed_on": _("Enter a real date.")}, code="formed_too_early")

    @property
    def is_published(self):
        return self.published_on is not None

    def is_public(self, today=None):
        return self.published_on is not None and self.published_on <= (today or clock.today())

    def next_index_number(self):
        """The next 索引号: organ code / year formed - sequence, by DISCLOSURE_INDEX_FORMAT."""
        organ = self.department.code.upper()
        year = self.formed_on.year
        seq = next_sequence(f"IDX-{organ}", year)
        return settings.DISCLOSURE_INDEX_FORMAT.format(organ=organ, year=year, seq=seq)

    @transaction.atomic
    def publish(self, *, by=None, today=None):
        """Publish the document on `today` (default: today): it gets its index number and appears publicly.

        A date after today schedules the publication: the document stays out of public pages until then.
        """
        today = today or clock.today()
        document = type(self).objects.select_for_update().select_related("department").get(pk=self.pk)
        if document.published_on is not None:
            raise InvalidTransition(_("This document is already published."))
        if today < document.formed_on:
            raise InvalidTransition(_("A document cannot be published before the day it was formed."))
        document.index_number = document.index_number or document.next_index_number()
        document.published_on = today
        super(Document, document).save(update_fields=["index_number", "published_on", "updated_at"])
        self.index_number, self.published_on = document.index_number, document.published_on
        return self

    publish.alters_data = True

    def _change_validity(self, validity, *, on, replaced_by, today):
        document = type(self).objects.select_for_update().get(pk=self.pk)
        if document.published_on is None:
            raise InvalidTransition(_("Only a published document can be amended or repealed."))
        if document.validity != self.Validity.IN_FORCE:
            raise InvalidTransition(_("This document is no longer in force."))
        if on < document.formed_on or on < document.published_on:
            raise InvalidTransition(_("The date of the change cannot be before the document was formed and published."))
        if on > (today or clock.today()):
            raise InvalidTransition(_("The date of the change cannot be in the future."))
        if replaced_by is not None:
            replacement = type(self).objects.select_for_update().get(pk=replaced_by.pk)
            if replacement.pk == document.pk:
                raise InvalidTransition(_("A document cannot replace itself."))
            if replacement.published_on is None or replacement.published_on > on:
                raise InvalidTransition(_("The replacement must be published by the date of the change."))
            if replacement.validity != self.Validity.IN_FORCE:
                raise InvalidTransition(_("The replacement must itself be in force."))
        document.validity, document.validity_changed_on, document.replaced_by = validity, on, replaced_by
        super(Document, document).save(update_fields=["validity", "validity_changed_on", "replaced_by", "updated_at"])
        self.validity, self.validity_changed_on, self.replaced_by = validity, on, replaced_by
        return self

    @transaction.atomic
    def amend(self, *, by=None, replaced_by, on, today=None):
        """The document was amended on `on`: `replaced_by` (published, in force) is the text now in force."""
        if replaced_by is None:
            raise InvalidTransition(_("Name the document that amends this one."))
        return self._change_validity(self.Validity.AMENDED, on=on, replaced_by=replaced_by, today=today)

    amend.alters_data = True

    @transaction.atomic
    def repeal(self, *, by=None, on, replaced_by=None, today=None):
        """The document was repealed on `on`, replaced by `replaced_by` if a new document took its place."""
        return self._change_validity(self.Validity.REPEALED, on=on, replaced_by=replaced_by, today=today)

    repeal.alters_data = True

    def search_vector(self):
        """Title and document number weigh most, then the summary, then the body."""
        return textsearch.search_vector(
            (f"{self.title} {self.document_number}", "A"), (self.summary, "B"), (self.body, "C")
        )


class Attachment(models.Model):
    """A public file of a document, downloadable by anyone once the document is published (Art. 24)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    file = CheckedFileField(_("file"), folder="disclosure")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class Guide(models.Model):
    """The disclosure guide (公开指南, Art. 12): how information is organised, how to ask, the office's contacts.

    One row, made by a data migration and kept current by editors.
    """

    organisation = models.TextField(_("how information is organised"))
    organisation_en = models.TextField(_("how information is organised, in English"), blank=True)
    how_to_request = models.TextField(_("how to ask for information"))
    how_to_request_en = models.TextField(_("how to ask for information, in English"), blank=True)
    office_name = models.CharField(_("office"), max_length=100)
    office_name_en = models.CharField(_("office, in English"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=200)
    address_en = models.CharField(_("address, in English"), max_length=250, blank=True)
    hours = models.CharField(_("office hours"), max_length=200)
    hours_en = models.CharField(_("office hours, in English"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    updated_on = models.DateField(_("last reviewed"), default=clock.today)

    display_organisation = localized("organisation")
    display_how_to_request = localized("how_to_request")
    display_office_name = localized("office_name")
    display_address = localized("address")
    display_hours = localized("hours")

    class Meta:
        verbose_name = _("disclosure guide")
        verbose_name_plural = _("disclosure guide")

    def __str__(self):
        return str(_("Disclosure guide"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()


def recompute_publication_deadlines(calendar) -> int:
    """Art. 26: an unpublished document's deadline, 20 working days after it was formed, over the new calendar."""
    from civiccenter.lib import workdays

    changed = 0
    for pk, formed_on, publish_by in Document.objects.filter(
        published_on__isnull=True, formed_on__isnull=False
    ).values_list("pk", "formed_on", "publish_by"):
        due = workdays.compute(calendar, formed_on, 20).due
        if due != publish_by:
            Document.objects.filter(pk=pk).update(publish_by=due)
            changed += 1
    return changed
