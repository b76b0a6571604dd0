"""One staff work surface for every workflow: the transition page, the bulk action and the default list filter.

A `WorkflowAdmin` reads its model's `WORKFLOW` table: the transition page
(`<pk>/move/`) shows the moves open to this user from the object's status, a
form per move (`move_forms`, a move without one is a button), takes the move
by calling the model's method with the form's cleaned data and `by=`, and
shows a refusal as the form's error in the user's language. Moves that need
nothing but the actor are also offered as one bulk action on the list.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from civiccenter.workflow import SYSTEM, InvalidTransition


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DefaultListFilter(admin.SimpleListFilter):
    """A list filter whose first option is what staff see by default (djangoproject's StatusFilter).

    `options` are (value, label, Q); the first one's value is None, the default; "All" is added last.
    """

    options = []

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _q in self.options] + [("all", _("All"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}, []),
                "display": title,
            }

    def queryset(self, request, queryset):
        for value, _label, condition in self.options:
            if self.value() == value:
                return queryset.filter(condition) if condition is not None else queryset
        return queryset


def default_filter(title, parameter, options):
    """A `DefaultListFilter` class: `default_filter(_("handling"), "handling", [(None, _("Open"), Q(...)), ...])`."""
    return type(
        "DefaultFilter", (DefaultListFilter,), {"title": title, "parameter_name": parameter, "options": options}
    )


def open_cases_filter(title=None):
    """Open cases by default, then closed ones: the same filter on every case record's list."""
    return default_filter(
        title or _("open or closed"),
        "state",
        [(None, _("Open"), Q(case__closed_at__isnull=True)), ("closed", _("Closed"), Q(case__closed_at__isnull=False))],
    )


class WorkflowAdmin(admin.ModelAdmin):
    """The transition page, bulk moves and refusals of a model with a `WORKFLOW` table."""

    move_forms = {}
    transition_template = "admin/workflow/transition.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # The list's action bar gets a "step" choice: the moves that need nothing but the actor.
        choices = [("", "---------")] + [(m.name, m.label) for m in self.bare_moves()]
        self.action_form = type(
            "MoveActionForm",
            (helpers.ActionForm,),
            {"move": forms.ChoiceField(label=_("Step"), required=False, choices=choices)},
        )

    def bare_moves(self):
        workflow = getattr(self.model, "WORKFLOW", None)
        return [m for m in workflow if m.name not in self.move_forms and m.by != SYSTEM] if workflow else []

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/move/", self.admin_site.admin_view(self.transition_view), name="{}_{}_move".format(*info)),
            *super().get_urls(),
        ]

    def moves_for(self, request, obj):
        """The table's moves open from the object's status to this user (and only if they may change it)."""
        if not self.has_change_permission(request, obj):
            return []
        return obj.WORKFLOW.available(obj.status, user=request.user)

    def move_form(self, move, data=None):
        form_class = self.move_forms.get(move.name)
        return form_class(data, prefix=move.name) if form_class else None

    def take(self, request, obj, move, cleaned):
        return getattr(obj, move.name)(by=request.user, **cleaned)

    def history(self, obj):
        case = getattr(obj, "case", None)
        if case is not None:
            return case.events.select_related("actor", "case")
        return obj.history

    def transition_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        moves = self.moves_for(request, obj)
        forms_by_move = {move.name: self.move_form(move) for move in moves}
        if request.method == "POST":
            chosen = next((m for m in moves if m.name == request.POST.get("move")), None)
            if chosen is None:
                raise PermissionDenied
            form = self.move_form(chosen, request.POST)
            forms_by_move[chosen.name] = form
            if form is None or form.is_valid():
                try:
                    self.take(request, obj, chosen, form.cleaned_data if form is not None else {})
                except InvalidTransition as error:
                    if form is None:
                        self.message_user(request, str(error), messages.WARNING)
                    else:
                        form.add_error(None, str(error))
                else:
                    self.message_user(request, _("Done: %(move)s.") % {"move": chosen.label}, messages.SUCCESS)
                    return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Steps for %(object)s") % {"object": obj},
            "status_label": obj.WORKFLOW.label(obj.status),
            "moves": [(move, forms_by_move[move.name]) for move in moves],
            "history": self.history(obj),
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]),
        }
        return TemplateResponse(request, self.transition_template, context)

    # --- One bulk action for the moves that need nothing but the actor ---------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.bare_moves():
            actions["take_move"] = (WorkflowAdmin.take_move, "take_move", _("Take a step on the selected"))
        return actions

    def take_move(self, request, queryset):
        """Take the chosen step (`move` in the action form) on each selected row; refusals are listed."""
        name = request.POST.get("move", "")
        workflow = self.model.WORKFLOW
        if name not in {m.name for m in self.bare_moves()}:
            self.message_user(request, _("Choose a step that needs no form."), messages.WARNING)
            return
        done, refused = 0, []
        for obj in queryset:
            if not self.has_change_permission(request, obj) or not workflow.permitted(name, request.user):
                refused.append(f"{obj}: {_('not allowed')}")
                continue
            try:
                getattr(obj, name)(by=request.user)
                done += 1
            except InvalidTransition as error:
                refused.append(f"{obj}: {error}")
        if done:
            self.message_user(request, _("%(count)d done.") % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
