from django.contrib import admin, messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin, DepartmentScopedAdmin, StatusHistoryInline
from civiccenter.admin_workflow import WorkflowAdmin, default_filter
from civiccenter.cases import Case, InvalidTransition
from civiccenter.models import Department
from civiccenter.stateful import log_status
from consultation.forms import DraftForm, PublishForm, SendBackForm, TransferForm
from consultation.models import (
    Guest,
    Interpretation,
    InterpretationImage,
    Interview,
    InterviewPhoto,
    InterviewQuestion,
    KnowledgeEntry,
    Lecture,
    Question,
    Registration,
    Topic,
    Turn,
)


@admin.register(Topic)
class TopicAdmin(DepartmentScopedAdmin):
    list_display = ("name", "name_en", "department", "reply_days", "active", "order")
    list_filter = ("department", "active")
    list_select_related = ("department",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


# Open questions by default, like djangoproject's StatusFilter.
OpenFilter = default_filter(
    _("handling"),
    "handling",
    [
        (None, _("Open"), Q(status__in=Question.OPEN)),
        ("answered", _("Answered"), Q(status=Question.Status.ANSWERED)),
    ],
)


class PublishedFilter(admin.SimpleListFilter):
    title = _("public Q&A")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("published", _("Published")), ("to_review", _("Consented, answered, not yet published"))]

    def queryset(self, request, queryset):
        if self.value() == "published":
            return queryset.filter(published_at__isnull=False)
        if self.value() == "to_review":
            return queryset.filter(consent_to_publish=True, answered_at__isnull=False, published_at__isnull=True)
        return queryset


@admin.register(Question)
class QuestionAdmin(WorkflowAdmin, CaseRecordAdmin):
    """The department's questions, coloured by deadline; every move is taken on the table's transition page."""

    list_display = ("number", "title", "topic", "department", "status", "due", "consent_to_publish", "is_published")
    list_filter = (OpenFilter, "status", PublishedFilter, "topic")
    list_select_related = ("case", "case__department", "topic")
    search_fields = ("case__number", "title")
    readonly_fields = (
        "number",
        "topic",
        "department",
        "status",
        "title",
        "body",
        "attachment_link",
        "consent_to_publish",
        "received_on",
        "due",
        "follow_up",
        "published_at",
        "handle_link",
        "timeline",
    )
    fields = readonly_fields
    actions = ["promote_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(case__in=Case.objects.visible_to(request.user))
            .select_related("case", "case__department", "topic")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record; the handle page moves it

    # The transition page (`<pk>/move/`, from the table): the forms of the moves that take more than the actor.
    move_forms = {
        "draft_answer": DraftForm,
        "send_back": SendBackForm,
        "transfer": TransferForm,
        "publish": PublishForm,
    }
    transition_template = "admin/consultation/question/transition.html"

    def _may(self, request, move):
        return request.user.has_perm(Question.WORKFLOW[move].permission)

    def has_publish_permission(self, request, obj=None):
        return self._may(request, "publish")

    def can_move(self, request, obj):
        # A record, never edited in a form: the reviewer, the head and the publisher act by its moves.
        return any(self._may(request, name) for name in ("draft_answer", "approve", "publish"))

    def get_move_form(self, request, obj, move, data=None, files=None):
        form = super().get_move_form(request, obj, move, data, files)
        if move.name == "draft_answer" and data is None and obj.current_answer:
            form.initial = {"text": obj.current_answer.text}
        elif move.name == "publish" and data is None:
            form.initial = obj.publication_draft()[0]
        elif move.name == "transfer":
            form.fields["department"].queryset = Department.objects.exclude(pk=obj.case.department_id)
        return form

    def transition_context(self, request, obj):
        return {
            "question": obj,
            "current_answer": obj.current_answer,
            "approved_answers": [a for a in obj.answers.all() if a.approved_at],
            "findings": obj.publication_draft()[1],
            "may_promote": obj.published_at is not None and self.has_publish_permission(request),
        }

    @admin.display(description=_("department"))
    def department(self, obj):
        return obj.case.department

    @admin.display(description=_("published"), boolean=True)
    def is_published(self, obj):
        return obj.published_at is not None

    @admin.display(description=_("attachment"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("consultation:attachment", args=[obj.pk]), _("Download"))

    @admin.display(description=_("handle"))
    def handle_link(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a>', self.move_url(obj), _("Answer, approve, transfer or publish")
        )

    @admin.action(
        description=_("Promote the selected published questions to the knowledge base"), permissions=["publish"]
    )
    def promote_selected(self, request, queryset):
        made = []
        for question in queryset:
            try:
                made.append(KnowledgeEntry.promote(question, by=request.user))
            except InvalidTransition as error:
                self.message_user(request, f"{question.case.number}: {error}", messages.WARNING)
            else:
                self.message_user(request, _("%(number)s: draft entry made.") % {"number": question.case.number})
        if len(made) == 1:
            # One question promoted (its transition page's button): on to the entry, to edit and publish it.
            return redirect("admin:consultation_knowledgeentry_change", made[0].pk)
        return None


class StaleFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("stale", _("Not reviewed for a year")), ("current", _("Reviewed within a year"))]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "current":
            return queryset.exclude(pk__in=queryset.stale().values("pk"))
        return queryset


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    list_display = ("question", "topic", "published", "reviewed")
    list_filter = (StaleFilter, "published", "topic")
    list_select_related = ("topic",)
    search_fields = ("question", "answer")
    fields = ("topic", "question", "answer", "legal_basis", "published", "last_reviewed_on", "source")
    readonly_fields = ("source",)
    actions = ["mark_reviewed", "publish_selected", "unpublish_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "topic":
            kwargs["queryset"] = Topic.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("last reviewed"), ordering="last_reviewed_on")
    def reviewed(self, obj):
        if obj.is_stale():
            return format_html('<strong class="cc-late">{} ({})</strong>', obj.last_reviewed_on, _("review due"))
        return obj.last_reviewed_on

    @admin.action(description=_("Mark the selected entries reviewed today"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        for entry in queryset:
            entry.mark_reviewed(by=request.user)
        self.message_user(request, _("%(count)d entries marked reviewed.") % {"count": len(queryset)})

    @admin.action(description=_("Publish the selected entries"), permissions=["change"])
    def publish_selected(self, request, queryset):
        count = queryset.update(published=True)
        self.message_user(request, _("%(count)d entries published.") % {"count": count})

    @admin.action(description=_("Unpublish the selected entries"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        count = queryset.update(published=False)
        self.message_user(request, _("%(count)d entries unpublished.") % {"count": count})


class InterpretationImageInline(admin.StackedInline):
    model = InterpretationImage
    extra = 0
    fields = (("image", "order"), "alt_text", "caption")


@admin.register(Interpretation)
class InterpretationAdmin(DepartmentScopedAdmin):
    list_display = ("title", "department", "published_on")
    list_filter = ("department",)
    list_select_related = ("department",)
    search_fields = ("title", "summary")
    date_hierarchy = "published_on"
    autocomplete_fields = ("documents",)
    filter_horizontal = ("entries",)
    inlines = [InterpretationImageInline]


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ("user", "status", "created_at", "reminded")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lecture)
class LectureAdmin(DepartmentScopedAdmin):
    list_display = ("title", "department", "starts_at", "capacity", "registered", "waiting", "published")
    list_filter = ("department", "published")
    list_select_related = ("department",)
    search_fields = ("title", "topic", "speaker")
    date_hierarchy = "starts_at"
    readonly_fields = ("registered",)
    inlines = [RegistrationInline]

    @admin.display(description=_("waiting"))
    def waiting(self, obj):
        return obj.registrations.filter(status=Registration.Status.WAITLISTED).count()


class GuestInline(admin.TabularInline):
    model = Guest
    extra = 0


class TurnInline(admin.StackedInline):
    model = Turn
    extra = 1
    fields = (("order", "speaker", "guest", "question"), "text")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        interview_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "guest":
            kwargs["queryset"] = Guest.objects.filter(interview_id=interview_id)
        if db_field.name == "question":
            kwargs["queryset"] = InterviewQuestion.objects.filter(
                interview_id=interview_id, status=InterviewQuestion.Status.ACCEPTED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PhotoInline(admin.TabularInline):
    model = InterviewPhoto
    extra = 0


@admin.register(Interview)
class InterviewAdmin(DepartmentScopedAdmin):
    """The transcript is built here as speaker turns; saving a turn publishes it on the live page."""

    list_display = ("title", "department", "starts_at", "status", "pending_questions")
    list_filter = ("status", "department")
    list_select_related = ("department",)
    search_fields = ("title", "topic")
    readonly_fields = ("status",)
    inlines = [GuestInline, TurnInline, PhotoInline, StatusHistoryInline]
    actions = ["announce", "go_live", "finish"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            log_status(obj, by=request.user)

    @admin.display(description=_("questions to moderate"))
    def pending_questions(self, obj):
        count = obj.questions.filter(status=InterviewQuestion.Status.PENDING).count()
        url = (
            reverse("admin:consultation_interviewquestion_changelist")
            + f"?interview__id__exact={obj.pk}&status__exact=pending"
        )
        return format_html('<a href="{}">{}</a>', url, count)

    def _move(self, request, queryset, method):
        """Each action is the model's move of the same name."""
        for interview in queryset:
            try:
                getattr(interview, method)(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, f"{interview}: {error}", messages.WARNING)
            else:
                self.message_user(request, f"{interview}: {interview.get_status_display()}")

    @admin.action(description=_("Announce the selected interviews"), permissions=["change"])
    def announce(self, request, queryset):
        self._move(request, queryset, "announce")

    @admin.action(description=_("Start the selected interviews (live)"), permissions=["change"])
    def go_live(self, request, queryset):
        self._move(request, queryset, "go_live")

    @admin.action(description=_("Finish the selected interviews"), permissions=["change"])
    def finish(self, request, queryset):
        self._move(request, queryset, "finish")


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    """The moderator's queue: accept or reject questions from the public."""

    list_display = ("public_text", "public_asker", "interview", "status", "created_at")
    list_filter = ("status", "interview")
    list_select_related = ("interview",)
    fields = ("interview", "text", "public_text", "public_asker", "status", "created_at")
    readonly_fields = ("interview", "text", "status", "created_at")
    actions = ["accept", "reject"]
    inlines = [StatusHistoryInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.has_moderate_permission(request):
            return queryset  # moderators work for the whole center
        return queryset.filter(interview__in=Interview.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("consultation.moderate_interview")

    def _moderate(self, request, queryset, accept):
        for question in queryset:
            try:
                (question.accept if accept else question.reject)(by=request.user)
            except InvalidTransition as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, _("Done."))

    @admin.action(description=_("Accept the selected questions"), permissions=["moderate"])
    def accept(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description=_("Reject the selected questions"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, False)
