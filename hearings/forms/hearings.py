"""Forms of the hearings part: the citizen's registration, and the staff's decision forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import formfields
from civiccenter.lib.formfields import IdentifierField, PhoneField
from civiccenter.lib.uploads import PDF, UploadValidator
from civiccenter.lib.validators import validate_person_name, validate_phone, validate_resident_id
from civiccenter.models import User
from hearings.models.hearings import Hearer, HearingCategory, HearingRegistration, id_digest


class RegistrationForm(CrispyFormMixin, forms.ModelForm):
    """Name, ID number (checked), category with its eligibility, contact, statement and a separate consent."""

    one_submission = True

    submit_label = _("Register")
    id_number = IdentifierField(
        label=_("resident identity number"),
        max_length=40,
        validators=[validate_resident_id],
        help_text=_(
            "The 18-character number on your resident identity card. It is stored encrypted and never published."
        ),
    )
    contact = PhoneField(label=_("contact phone"), max_length=40, validators=[validate_phone])

    class Meta:
        model = HearingRegistration
        fields = ["category", "name", "id_number", "contact", "statement", "publish_consent"]
        widgets = {
            "category": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "statement": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }
        labels = {"category": _("participant category"), "name": _("full name")}
        help_texts = {
            "statement": _("In a few sentences: your views on the matter, or why you wish to take part (optional)."),
            "publish_consent": _(
                "Optional. Without it, the list shows you as “participant N” (Personal Information Protection Law, "
                "Article 25)."
            ),
        }

    def __init__(self, *args, hearing, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.hearing, self.user = hearing, user
        self.fields["category"].queryset = HearingCategory.objects.filter(hearing=hearing)
        self.fields["category"].empty_label = None
        self.fields["category"].label_from_instance = self.category_label
        self.fields["name"].validators.append(validate_person_name)
        if not self.is_bound and user.is_authenticated:
            self.initial.setdefault("name", user.full_name)
            self.initial.setdefault("contact", user.phone)

    @staticmethod
    def category_label(category):
        conditions = []
        if category.adults_only:
            conditions.append(str(_("18 or older")))
        if category.residents_only:
            conditions.append(str(_("district residents")))
        places = _("%(quota)d places") % {"quota": category.quota}
        return f"{category.display_name} ({places}{'; ' if conditions else ''}{', '.join(conditions)})"

    def clean(self):
        cleaned = super().clean()
        category, id_number = cleaned.get("category"), cleaned.get("id_number")
        if category and id_number:
            for error in category.eligibility_errors(id_number, self.hearing.hearing_date):
                self.add_error("category", error)
        if HearingRegistration.objects.filter(hearing=self.hearing, user=self.user).exists():
            raise ValidationError(_("You are already registered for this hearing."))
        if (
            id_number
            and HearingRegistration.objects.filter(hearing=self.hearing, id_digest=id_digest(id_number)).exists()
        ):
            self.add_error("id_number", _("This person is already registered for this hearing."))
        return cleaned


class LateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason the materials are sent late"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the materials go out later than the rule allows; it is recorded and published."),
    )


class ConcludeForm(forms.Form):
    record = forms.FileField(
        label=_("record (PDF)"),
        validators=[UploadValidator(kinds=(PDF,))],
        help_text=_("The record signed by the participants."),
    )
    record_signed = forms.BooleanField(label=_("The participants confirmed and signed the record."), required=True)
    report = forms.CharField(label=_("hearing report"), widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.CharField(label=_("decision after the hearing"), widget=forms.Textarea(attrs={"rows": 4}))
    adoption = forms.CharField(
        label=_("how the participants' main opinions were adopted, with reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def __init__(self, *args, hearing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if hearing is not None and hearing.is_price:
            # NDRC Order 21: the hearers write and sign the report; the opinions go in the table of rows.
            self.fields["signed_by"] = forms.ModelMultipleChoiceField(
                label=_("hearers who signed the hearing report"),
                queryset=Hearer.objects.filter(hearing=hearing),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("The table of the main opinions is filled in on the hearing's page in the admin."),
            )
            del self.fields["adoption"]


class OpenSessionForm(forms.Form):
    present = forms.IntegerField(label=_("participants present"), min_value=0, max_value=1000)


class PostponeForm(forms.Form):
    present = forms.IntegerField(label=_("participants present"), min_value=0, max_value=1000)
    starts_at = formfields.DateTimeField(
        label=_("new time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reason = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawItemForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the item."),
    )


class NotifyRightForm(forms.Form):
    reviewing_officer = forms.ModelChoiceField(label=_("reviewing officer"), queryset=User.objects.none())
    interested_parties = forms.CharField(
        label=_("interested parties notified"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewing_officer"].queryset = staff


class RequestForm(forms.Form):
    requested_by = forms.CharField(label=_("requested by"), max_length=200, required=False)


class ScheduleForm(forms.Form):
    starts_at = formfields.DateTimeField(
        label=_("time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("place"), max_length=200)
    presiding_officer = forms.ModelChoiceField(label=_("presiding officer"), queryset=User.objects.none())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding_officer"].queryset = staff
