"""Forms of suggestions, requests for help, complaints and reports: the citizen's and the staff's.

Forms validate; the views call the model methods.
"""

import copy

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case
from civiccenter.forms import CrispyFormMixin
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator
from civiccenter.lib.validators import normalize_phone, validate_person_name, validate_phone
from civiccenter.models import Department
from opinions.models import Category, Kind, Opinion
from opinions.models.categories import URGENT_KINDS, Urgency

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
check_upload = UploadValidator(kinds=(PDF, PNG, JPEG), max_bytes=MAX_FILE_BYTES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content (PNG, JPEG or PDF), not by its name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)d files.") % {"count": MAX_FILES}, code="too_many")
        errors = []
        for upload in files:
            super().clean(upload, initial)
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} · {obj.lead_department.display_name}"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


FILES_HELP = _(
    "Up to 5 photos (PNG or JPEG) or PDF documents of at most 10 MB each. Photos are redrawn without their "
    "location and camera data. Only the staff handling the case see them."
)


URGENCY_HELP = _(
    "Leave “Normal” for most matters. Urgent: it cannot wait the usual time (no water or heating, wages owed); it "
    "is answered within a shorter time. Emergency: a present danger to people or their livelihood; the "
    "department's duty officer is told at once. For a fire, a crime or a medical emergency, call 119, 110 or 120."
)


class OpinionForm(forms.ModelForm):
    """One kind at a time (chosen on the page), so a report never offers the consent to publish."""

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=_("Choose a category"),
        help_text=_("The category decides which department handles your matter, and within what time."),
    )
    reported_department = DepartmentChoiceField(
        label=_("Unit reported"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Choose the unit"),
        help_text=_("The unit your report is about. Its staff never see your name, your contacts or your files."),
    )
    # Complaints and requests for help only (prc-rules §7); “normal” unless the person chooses otherwise.
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        required=False,
        widget=forms.RadioSelect,
        help_text=URGENCY_HELP,
    )
    files = MultipleFileField(label=_("Photos and documents (optional)"), help_text=FILES_HELP)
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("A mobile number (11 digits) or a landline with its area code."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that this matter and its reply may be published once it is handled."),
        required=False,
        help_text=_(
            "Optional and separate from your submission. Your name is masked and phone numbers, identity numbers, "
            "addresses and e-mail addresses are removed before publication; a moderator reviews the text first."
        ),
    )

    class Meta:
        model = Opinion
        fields = ["kind", "category", "title", "description", "place", "reported_department", "consent_to_publish"]
        labels = {"title": _("Title"), "description": _("What happened, and what you ask for"), "place": _("Place")}
        help_texts = {
            "title": _("A short summary, e.g. “Restaurant on Wenhui Road sells expired food”."),
            "place": _("Street, building or landmark, if it helps (optional)."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, kind=Kind.SUGGESTION, user=None, staff=False, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("kind", kind)
        if user is not None and user.is_authenticated and not staff:
            initial.setdefault("contact_name", user.full_name)
            initial.setdefault("contact_phone", user.phone)
            initial.setdefault("contact_email", user.email)
        super().__init__(*args, **kwargs)
        self.chosen_kind = kind
        self.fields["category"].queryset = Category.objects.active().select_related("lead_department")
        if kind == Kind.REPORT:
            del self.fields["consent_to_publish"]
            self.fields["reported_department"].required = True
        else:
            del self.fields["reported_department"]
        if kind not in URGENT_KINDS and not staff:
            # Not offered for suggestions and reports; a value sent anyway is refused (clean()).
            self.fields["urgency"].widget = forms.HiddenInput()
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_kind(self):
        # The kind is the one of the page the form was shown on; a changed hidden field is refused.
        if self.cleaned_data["kind"] != self.chosen_kind:
            raise ValidationError(_("Choose the kind of opinion on the page and fill in the form again."))
        return self.cleaned_data["kind"]

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise ValidationError(_("Please describe the matter in at least 10 characters."), code="too_short")
        return text

    def clean_urgency(self):
        return self.cleaned_data.get("urgency") or Urgency.NORMAL

    def clean_contact_phone(self):
        phone = normalize_phone(self.cleaned_data["contact_phone"])
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category is not None and "kind" in data:
            try:
                Opinion.check_report(data["kind"], category, data.get("reported_department"))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        if "kind" in data and "urgency" in data:
            try:
                Opinion.check_urgency(data["kind"], data["urgency"])
            except ValidationError as error:
                shown = not self.fields["urgency"].widget.is_hidden
                self.add_error("urgency" if shown else None, error.message_dict["urgency"])
        if not data.get("contact_phone") and not data.get("contact_email"):
            self.add_error("contact_phone", _("Give a phone number or an e-mail address, so we can reach you."))
        return data

    def submission(self):
        """The keyword arguments of `Opinion.submit` from the cleaned data."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "category": data["category"],
            "title": data["title"],
            "description": data["description"],
            "place": data.get("place", ""),
            "reported_department": data.get("reported_department"),
            "urgency": data.get("urgency") or Urgency.NORMAL,
            "consent_to_publish": data.get("consent_to_publish", False),
            "files": data.get("files", []),
            "contact_name": data["contact_name"],
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
        }


class RegisterForm(OpinionForm):
    """Staff register what came by phone, at the window or by post: the channel is recorded."""

    channel = forms.ChoiceField(
        label=_("Received by"), choices=[c for c in Case.Channel.choices if c[0] != Case.Channel.WEB]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)

    field_order = ["channel", "kind", "urgency"]

    def __init__(self, *args, **kwargs):
        data = args[0] if args else kwargs.get("data")
        kind = (data or {}).get("kind") or Kind.COMPLAINT
        kind = kind if kind in Kind.values else Kind.COMPLAINT
        super().__init__(*args, kind=kind, staff=True, **kwargs)
        if "reported_department" not in self.fields:
            # One form for every kind: the unit reported is asked for, and required for reports only.
            self.fields["reported_department"] = copy.deepcopy(OpinionForm.base_fields["reported_department"])
            self.fields["reported_department"].required = False
        if "consent_to_publish" not in self.fields:
            self.fields["consent_to_publish"] = forms.BooleanField(
                label=OpinionForm.base_fields["consent_to_publish"].label, required=False
            )
        self.fields["consent_to_publish"].help_text = _(
            "Tick only if the person said yes when asked (never for a report)."
        )

    def clean_kind(self):
        return self.cleaned_data["kind"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.REPORT and data.get("consent_to_publish"):
            self.add_error("consent_to_publish", _("A report of wrongdoing is never published."))
        return data

    def submission(self):
        return {**super().submission(), "channel": self.cleaned_data["channel"]}


class AnswerForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send my answer")
    text = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("Photos and documents (optional)"), help_text=FILES_HELP)


class ReopenForm(CrispyFormMixin, forms.Form):
    submit_label = _("Reopen the case")
    reason = forms.CharField(
        label=_("Why the reply does not settle your matter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The case goes back to the department with a new time limit. It can be reopened once only."),
    )


# Staff forms (admin handle page) ---------------------------------------------------


class StaffTextForm(forms.Form):
    """One text a move takes: `argument` names it for the model's method (reason, question, text)."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}), max_length=10000)

    def __init__(self, *args, label, argument="text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.argument = argument

    def move_arguments(self):
        return {self.argument: self.cleaned_data["text"]}


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Transfer to"), queryset=Department.objects.all())
    reason = forms.CharField(
        label=_("Reason (the submitter sees it)"), widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )


class DecideForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department that handles the case"), queryset=Department.objects.all())
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label=_("New urgency"), choices=Urgency.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (on the timeline)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:
            self.fields["urgency"].choices = [c for c in Urgency.choices if c[0] != current]


class MergeForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number of the main case"),
        max_length=24,
        help_text=_("An open case of your department about the same matter, e.g. YJ-2026-000123."),
    )
