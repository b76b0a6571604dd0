"""One staff work surface for every workflow: the transition page, the bulk action and the default list filter.

A `WorkflowAdmin` reads its model's `WORKFLOW` table: the transition page
(`<pk>/move/`) shows the moves open to this user from the object's status, a
form per move (`move_forms`, a move without one is a button) under the move's
`help`, takes the move by calling the model's method with the form's
arguments and `by=`, and shows a refusal as the form's error in the user's
language. Moves that need nothing but the actor are also offered as one bulk
action on the list. An app's admin overrides only hooks: `can_move`,
`move_allowed` (object-level rules), `get_move_form` (a form that needs the
object), `take` (an unusual mapping), `transition_template` (its summary block)
and `transition_context`.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civiccenter.workflow import ANYONE, STAFF, InvalidTransition


def object_or_404(model_admin, request, object_id):
    """The object a change page's address names, or a 404.

    A change page's address takes any text as the object's id (`<path:object_id>`): a change view that redirects
    to, or links, a page of its own (whose address takes a number) reads the object first, never the raw text,
    which could be no number at all and fail the redirect with a server error.
    """
    from django.contrib.admin.utils import unquote
    from django.http import Http404

    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404
    return obj


def _add_validation_error(form, error):
    """A model's ValidationError on the move's form: by field where the form has it, else for the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DefaultListFilter(admin.SimpleListFilter):
    """A list filter whose first option is what staff see by default (djangoproject's StatusFilter).

    `options` are (value, label, Q or function of the queryset); the first one's value is None, the default;
    "All" is added last.
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
        if self.value() == "all":
            return queryset
        # An unknown value (a hand-typed address) shows what the list shows by default.
        chosen = next((o for o in self.options if o[0] == self.value()), self.options[0] if self.options else None)
        condition = chosen[2] if chosen else None
        if condition is None:
            return queryset
        # A Q, or a function of the queryset for what a Q cannot say (`lambda qs: qs.stale()`).
        return queryset.filter(condition) if isinstance(condition, Q) else condition(queryset)


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
    # The admin offers the moves staff take (and those anyone may); the applicant's own moves stay on the site.
    acting_as = STAFF
    # Moves taken on another page, because they make another object ({move: URL name taking the pk}).
    move_pages = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # The list's action bar gets a "step" choice: the moves that need nothing but the actor.
        if not self.bare_moves():
            return
        choices = [("", "---------")] + [(m.name, m.label) for m in self.bare_moves()]
        self.action_form = type(
            "MoveActionForm",
            (helpers.ActionForm,),
            {"move": forms.ChoiceField(label=_("Step"), required=False, choices=choices)},
        )

    def bare_moves(self):
        workflow = getattr(self.model, "WORKFLOW", None)
        if not workflow:
            return []
        staff_moves = {m.name for m in workflow.available_anywhere(by=self.acting_as)}
        return [
            m
            for m in workflow
            if m.name in staff_moves and m.name not in self.move_forms and m.name not in self.move_pages
        ]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/move/", self.admin_site.admin_view(self.transition_view), name="{}_{}_move".format(*info)),
            *super().get_urls(),
        ]

    # --- Hooks an app's admin overrides ---------------------------------------------------------

    def can_move(self, request, obj):
        """Whether this user may take steps on this object at all (default: may change it)."""
        return self.has_change_permission(request, obj)

    def move_allowed(self, request, obj, move):
        """An object-level rule for one move (the handling department, a supervisor-only move)."""
        return True

    def get_move_form(self, request, obj, move, data=None, files=None):
        """The move's form (`move_forms`), bound with `prefix=move.name`; None for a move that is a button."""
        form_class = self.move_forms.get(move.name)
        return form_class(data, files, prefix=move.name) if form_class else None

    def take(self, request, obj, move, form):
        """Take the move by the model's method: `form.move_arguments()` or the form's cleaned data, and `by=`."""
        arguments = {}
        if form is not None:
            arguments = form.move_arguments() if hasattr(form, "move_arguments") else form.cleaned_data
        return getattr(obj, move.name)(by=request.user, **arguments)

    # --- The transition page ----------------------------------------------------------------------

    def moves_for(self, request, obj):
        """The table's moves open from the object's status to this user."""
        if not self.can_move(request, obj):
            return []
        moves = obj.WORKFLOW.available(obj.status, user=request.user, by=self.acting_as)
        if hasattr(obj, "available_moves"):
            # The model's own rules of the moment (publication needs consent, a follow-up has a period).
            open_now = {m if isinstance(m, str) else m.name for m in obj.available_moves(request.user)}
            moves = [move for move in moves if move.name in open_now]
        return [move for move in moves if self.move_allowed(request, obj, move)]

    def move_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_move", args=[obj.pk])

    @admin.display(description=_("steps"))
    def steps_link(self, obj):
        """A list column or read-only field: the link to the object's transition page."""
        return format_html('<a class="button" href="{}">{}</a>', self.move_url(obj), _("Steps"))

    def history(self, obj):
        case = getattr(obj, "case", None)
        if case is not None:
            return case.events.select_related("actor", "case")
        return obj.history

    def preview(self, request, obj, move, form):
        """Context to show instead of taking the move, when its form is posted with `preview` (a fee to compute)."""
        return None

    def transition_context(self, request, obj):
        """More context for an app's `transition_template` (its summary block)."""
        return {}

    def transition_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.can_move(request, obj) and not self.has_view_permission(request, obj):
            raise PermissionDenied
        moves = self.moves_for(request, obj)
        extra_preview = {}
        forms_by_move = {
            move.name: None if move.name in self.move_pages else self.get_move_form(request, obj, move)
            for move in moves
        }
        if request.method == "POST":
            name = request.POST.get("move", "")
            chosen = next((m for m in moves if m.name == name and m.name not in self.move_pages), None)
            if chosen is None:
                return self._not_open(request, obj, name)
            form = self.get_move_form(request, obj, chosen, request.POST, request.FILES)
            forms_by_move[chosen.name] = form
            previewed = form is not None and "preview" in request.POST and form.is_valid()
            preview = self.preview(request, obj, chosen, form) if previewed else None
            if preview is not None:
                extra_preview = preview  # shown above the form; nothing is taken or saved
            elif form is None or form.is_valid():
                try:
                    with transaction.atomic():
                        self.take(request, obj, chosen, form)
                except InvalidTransition as error:
                    if form is None:
                        self.message_user(request, str(error), messages.WARNING)
                    else:
                        form.add_error(None, str(error))
                except ValidationError as error:
                    if form is None:
                        self.message_user(request, " ".join(error.messages), messages.WARNING)
                    else:
                        _add_validation_error(form, error)
                else:
                    obj.refresh_from_db()
                    self.message_user(
                        request,
                        _("%(object)s: %(move)s done; the status is now “%(status)s”.")
                        % {"object": obj, "move": chosen.label, "status": obj.WORKFLOW.label(obj.status)},
                        messages.SUCCESS,
                    )
                    if self.get_queryset(request).filter(pk=obj.pk).exists():
                        return redirect(request.path)
                    return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Steps for %(object)s") % {"object": obj},
            "status_label": obj.WORKFLOW.label(obj.status),
            "moves": [(move, forms_by_move[move.name], self.move_page_url(obj, move)) for move in moves],
            "history": self.history(obj),
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]),
            **self.transition_context(request, obj),
            **extra_preview,
        }
        return TemplateResponse(request, self.transition_template, context)

    def move_page_url(self, obj, move):
        """The page where a move listed in `move_pages` is taken (it makes another object: a hearing)."""
        name = self.move_pages.get(move.name)
        return reverse(name, args=[obj.pk]) if name else ""

    def _not_open(self, request, obj, name):
        """A posted step that is not open here: forbidden to this user, or refused by the status, never a crash."""
        workflow = obj.WORKFLOW
        if name not in workflow.moves:
            self.message_user(request, _("Choose one of the steps offered."), messages.WARNING)
        elif (
            not self.can_move(request, obj)
            or not workflow.permitted(name, request.user)
            or workflow[name].by not in (self.acting_as, ANYONE)
            or not self.move_allowed(request, obj, workflow[name])
        ):
            raise PermissionDenied
        elif name in self.move_pages:
            return redirect(self.move_page_url(obj, workflow[name]))
        else:
            self.message_user(request, workflow.refusal(name, obj.status), messages.WARNING)
        return redirect(request.path)

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
            if (
                not self.can_move(request, obj)
                or not workflow.permitted(name, request.user)
                or not self.move_allowed(request, obj, workflow[name])
            ):
                not_allowed = _("not allowed")  # outside the f-string, where makemessages finds it
                refused.append(f"{obj}: {not_allowed}")
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
