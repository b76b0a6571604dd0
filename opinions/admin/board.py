"""The moderation queue of the public board: moderators review the scrubbed copy and publish or unpublish it.

The queue lists only what may ever be published (replied, consented, never a
report), for the whole center: publication is the moderators' job, not the
departments'. Whoever lacks the publish permission (the supervisor) reads the
queue of the departments they see. Publishing goes through
`opinions.publishing`, which locks the row and scrubs again.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiccenter.admin import CaseRecordAdmin
from civiccenter.admin_workflow import default_filter, object_or_404
from civiccenter.cases import Case, InvalidTransition
from opinions import publishing
from opinions.models import BoardEntry


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Published title"), max_length=120, widget=forms.TextInput(attrs={"size": 80}))
    description = forms.CharField(
        label=_("Published description"), widget=forms.Textarea(attrs={"rows": 6, "cols": 80})
    )
    reply = forms.CharField(label=_("Published reply"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))


# Waiting for review by default: that is the moderator's work.
BoardStateFilter = default_filter(
    _("board"),
    "board",
    [
        (None, _("To review"), lambda qs: qs.filter(pk__in=BoardEntry.objects.to_review().values("pk"))),
        ("published", _("Published"), lambda qs: qs.filter(pk__in=BoardEntry.objects.published().values("pk"))),
    ],
)


@admin.register(BoardEntry)
class BoardEntryAdmin(CaseRecordAdmin):
    list_display = ("number", "title", "kind", "category", "department", "replied_on", "is_published")
    list_filter = (BoardStateFilter, "kind", "category")
    list_select_related = ("case", "case__department", "category")
    search_fields = ("case__number", "title", "public_title")
    list_per_page = 50

    def get_queryset(self, request):
        queryset = BoardEntry.objects.publishable().select_related("case", "case__department", "category")
        if not self.has_publish_permission(request):
            queryset = queryset.filter(case__in=Case.objects.visible_to(request.user))
        return queryset

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("opinions.publish_opinion")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the review page publishes, through opinions.publishing

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("department"), ordering="case__department__order")
    def department(self, obj):
        return obj.case.department

    @admin.display(description=_("replied on"), ordering="replied_at")
    def replied_on(self, obj):
        return timezone.localdate(obj.replied_at) if obj.replied_at else "—"

    @admin.display(description=_("on the board"), boolean=True)
    def is_published(self, obj):
        return obj.published_at is not None and obj.published_at >= obj.replied_at

    def get_urls(self):
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="opinions_boardentry_review"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:opinions_boardentry_review", object_or_404(self, request, object_id).pk)

    def review_view(self, request, pk):
        """The scrubbed copy of title, description and reply, editable; publish, update or unpublish."""
        entry = get_object_or_404(self.get_queryset(request).select_related("submitter"), pk=pk)
        can_publish = self.has_publish_permission(request)
        draft, findings = publishing.publication_draft(entry)
        action = request.POST.get("action") if request.method == "POST" else None
        form = PublishForm(request.POST if action == "publish" else None, initial=draft)
        if action in ("publish", "unpublish"):
            if not can_publish:
                raise PermissionDenied
            if action == "unpublish" or form.is_valid():
                try:
                    if action == "publish":
                        publishing.publish_opinion(entry, by=request.user, **form.cleaned_data)
                        self.message_user(request, _("Published on the public board."), messages.SUCCESS)
                    else:
                        publishing.unpublish_opinion(entry, by=request.user)
                        self.message_user(request, _("Removed from the public board."), messages.SUCCESS)
                except InvalidTransition as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    return redirect("admin:opinions_boardentry_review", entry.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publication of %(number)s") % {"number": entry.case.number},
            "entry": entry,
            "form": form,
            "findings": findings,
            "can_publish": can_publish,
            "public_url": reverse("opinions:board-entry", args=[entry.pk]) if entry.published_at else "",
            "opts": self.model._meta,
        }
        return render(request, "opinions/board/admin_review.html", context)
