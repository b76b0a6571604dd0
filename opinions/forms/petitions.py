"""Petition forms: the petitioner's (Art. 19 fields all required, Art. 20 at most 5 representatives) and the staff's."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.cases import Case
from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import formfields
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator
from civiccenter.lib.validators import validate_resident_id
from civiccenter.models import Department
from opinions.models.concerned_unit import is_concerned_unit
from opinions.models.petitions import MAX_EXTENSION_DAYS, MAX_REPRESENTATIVES, Petition, PetitionOpinion


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PetitionForm(forms.ModelForm):
    """What Art. 19 requires (name, address, request, facts, reasons), whom it speaks for, and an attachment."""

    department = DepartmentChoiceField(
        label=_("Addressed to"),
        queryset=Department.objects.none(),
        empty_label=_("Choose the organ"),
        help_text=_("The department whose work your petition concerns. If unsure, choose the center's office."),
    )
    unit_concerned = DepartmentChoiceField(
        label=_("Unit concerned (optional)"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("None, or not a department here"),
        help_text=_(
            "If your petition is about a department here or its staff: that department never handles it, never "
            "receives it and its staff never see it (Letters and Visits Regulations, Art. 30)."
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    representatives = forms.CharField(
        label=_("Representatives (for a group)"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line; a group elects at most 5 representatives (Art. 20)."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 10 MB. Only the staff handling your petition see it."),
        validators=[UploadValidator(kinds=(PDF, PNG, JPEG), max_bytes=10 * 1024 * 1024)],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = Petition
        fields = ["department", "unit_concerned", "name", "address", "phone", "request", "facts", "reasons"]
        fields += ["represented_count", "represented_names", "representatives", "attachment"]
        labels = {
            "name": _("Your name"),
            "address": _("Your address"),
            "request": _("Your request"),
            "facts": _("Facts"),
            "reasons": _("Reasons"),
            "represented_count": _("Number of people you speak for, yourself included"),
            "represented_names": _("Names of the people you speak for (optional)"),
        }
        help_texts = {
            "address": _("Where written replies can reach you."),
            "request": _("What you ask the government to do."),
            "facts": _("What happened, when and where."),
            "reasons": _("Why you think your request is justified."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "request": forms.Textarea(attrs={"rows": 3}),
            "facts": forms.Textarea(attrs={"rows": 6}),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "represented_names": forms.Textarea(attrs={"rows": 2}),
            "represented_count": forms.NumberInput(attrs={"min": 1}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["unit_concerned"].queryset = Department.objects.all()
        self.fields["represented_count"].min_value = 1
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_represented_count(self):
        count = self.cleaned_data["represented_count"]
        if count is None or count < 1:
            raise forms.ValidationError(_("At least one person: yourself."), code="min")
        return count

    def clean_representatives(self):
        names = [line.strip() for line in self.cleaned_data["representatives"].splitlines() if line.strip()]
        if len(names) > MAX_REPRESENTATIVES:
            raise forms.ValidationError(_("A group elects at most 5 representatives (Art. 20)."), code="too_many")
        return names

    def clean(self):
        data = super().clean()
        if data.get("representatives") and data.get("represented_count", 1) < 2:
            self.add_error("represented_count", _("Representatives speak for a group of two or more people."))
        unit = data.get("unit_concerned")
        if unit is not None and is_concerned_unit(data.get("department"), unit.pk):
            self.add_error("unit_concerned", Petition.CONCERNED_UNIT_REFUSAL)
        return data

    def _post_clean(self):
        # The petition is created by Petition.file(), not by saving this form.
        pass


class StaffPetitionForm(PetitionForm):
    """A letter, visit or call registered by staff (Art. 19: oral requests are recorded)."""

    channel = forms.ChoiceField(label=_("How it was received"), choices=Case.Channel.choices)
    email = forms.EmailField(label=_("E-mail"), required=False)
    # Typed with the spaces or dashes of the card (18 characters once they are removed).
    id_number = forms.CharField(
        label=_("Resident identity number (optional)"),
        max_length=24,
        required=False,
        help_text=_("From the identity card shown at a visit: finds the same person's earlier petitions."),
    )

    class Meta(PetitionForm.Meta):
        fields = ["channel", "email", *PetitionForm.Meta.fields[:4], "id_number", *PetitionForm.Meta.fields[4:]]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["department"].queryset = Department.objects.visible_to(user)

    def clean_id_number(self):
        number = "".join(self.cleaned_data.get("id_number", "").replace("-", " ").split()).upper()
        if number:
            validate_resident_id(number)
        return number


class ReasonForm(CrispyFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why you disagree with the opinion"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)


# Staff (admin handle page) -------------------------------------------------------------


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("How it will be handled (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SameMatterForm(forms.Form):
    """The earlier petition, by its tracking number, among those the staff member sees (`petitions`)."""

    number = forms.CharField(label=_("Tracking number of the earlier petition"), max_length=24)

    def __init__(self, *args, petitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.petitions = petitions if petitions is not None else Petition.objects.none()

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        self.earlier = self.petitions.filter(case__number=number).first()
        if self.earlier is None:
            raise forms.ValidationError(
                _("No petition of your department has the number %(number)s."),
                code="unknown",
                params={"number": number},
            )
        return number

    def move_arguments(self):
        return {"earlier": self.earlier}


class TransferForm(forms.Form):
    organ = forms.CharField(label=_("Organ with jurisdiction"), max_length=200)
    reason = forms.CharField(label=_("Reason told to the petitioner"), widget=forms.Textarea(attrs={"rows": 2}))


class RedirectForm(forms.Form):
    route = forms.ChoiceField(label=_("Where to go instead"), choices=Petition.Route.choices)
    explanation = forms.CharField(
        label=_("Explanation told to the petitioner"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not accepted (told to the petitioner)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = forms.CharField(label=_("Reason told to the petitioner"), widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PetitionOpinion.Outcome.choices)
    facts = forms.CharField(label=_("Facts found"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 6}))


class HearingForm(forms.Form):
    on = formfields.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
