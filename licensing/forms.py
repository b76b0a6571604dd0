from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import formfields
from civiccenter.lib import uscc as uscc_rule
from civiccenter.lib.formfields import IdentifierField, PhoneField
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator
from civiccenter.lib.validators import validate_phone
from licensing.models import Application, Licence

UPLOAD_KINDS = (PDF, PNG, JPEG)


class ApplicationForm(uscc_rule.CheckCharacterConfirmation, CrispyFormMixin, forms.ModelForm):
    """The applicant's details, the declaration, and one upload per item of the materials list."""

    id_number = IdentifierField(label=_("resident identity number"), max_length=40, required=False)
    credit_code = IdentifierField(label=_("unified social credit code"), max_length=40, required=False)
    contact_phone = PhoneField(label=_("contact phone"), max_length=40, validators=[validate_phone])

    uscc_field = "credit_code"

    class Meta:
        model = Application
        fields = [
            "applicant_type",
            "applicant_name",
            "id_number",
            "credit_code",
            "contact_phone",
            "claims_business_secret",
            "declaration",
        ]
        widgets = {
            "applicant_type": forms.RadioSelect,
            "applicant_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "applicant_name": _("The person's full name, or the name of the enterprise or organization."),
            "id_number": _("Individuals: the 18-character number on the resident identity card."),
            "credit_code": _("Enterprises and organizations: the 18-character code on the business licence."),
        }

    def __init__(self, *args, materials, existing, submitting=False, require_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials, self.existing, self.submitting = list(materials), existing, submitting
        self.require_files = require_files
        self.fields["declaration"].label = _(
            "I declare that the information and materials I submit are true, complete and valid."
        )
        self.fields["declaration"].help_text = _(
            "Administrative Licensing Law, Article 78: an applicant who hides facts or gives false information is "
            "refused and warned; for matters of public safety, the applicant may not apply again for one year."
        )
        for material in self.materials:
            have = existing.get(material.pk)
            help_text = f"{material.get_form_display()} · {material.copies}"
            if have:
                help_text += " · " + str(_("Received: %(name)s. Choose a file only to replace it.") % {"name": have})
            self.fields[f"material_{material.pk}"] = forms.FileField(
                label=material.display_name
                if material.required
                else _("%(name)s (if applicable)") % {"name": material.display_name},
                required=False,
                help_text=help_text,
                validators=[UploadValidator(kinds=UPLOAD_KINDS)],
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
            )

        # GB 32100: a code whose check character fails is accepted once the applicant confirms it.
        self.add_uscc_confirmation()
        # Built after the upload fields exist, so that crispy renders them too.
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_type")
        if (
            kind == Application.ApplicantType.INDIVIDUAL
            and not data.get("id_number")
            and "id_number" not in self.errors
        ):
            self.add_error("id_number", _("Individuals give their resident identity number."))
        if (
            kind == Application.ApplicantType.ORGANIZATION
            and not data.get("credit_code")
            and "credit_code" not in self.errors
        ):
            self.add_error("credit_code", _("Enterprises and organizations give their unified social credit code."))
        self.check_uscc_confirmation(data)
        if self.submitting:
            if not data.get("declaration"):
                self.add_error("declaration", _("Confirm the declaration to submit (Article 78)."))
            for material in self.materials:
                name = f"material_{material.pk}"
                if self.require_files and material.required and not data.get(name) and material.pk not in self.existing:
                    self.add_error(name, _("This material is required."))
        return data

    def uploads(self):
        """(material, uploaded file) for every file chosen in this request."""
        return [
            (material, self.cleaned_data[f"material_{material.pk}"])
            for material in self.materials
            if self.cleaned_data.get(f"material_{material.pk}")
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for not accepting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    competent_organ = forms.CharField(
        label=_("Competent organ"),
        required=False,
        max_length=200,
        help_text=_("Where the matter is not this department's: the organ the applicant should apply to (Article 32)."),
    )
    false_information = forms.BooleanField(
        label=_("The applicant concealed information or gave false materials (Article 78)"),
        required=False,
        help_text=_(
            "The applicant is warned; for a matter of public safety, health or life, no new application for one year."
        ),
    )


class CorrectionForm(forms.Form):
    """Every item to correct at once (Art. 32(4)): a note per material that needs one."""

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"note_{material.pk}"] = forms.CharField(
                label=material.display_name,
                required=False,
                max_length=300,
                help_text=_("Leave empty if this material is in order."),
            )
        self.fields["other"] = forms.CharField(label=_("Anything else"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if not self.items():
            raise forms.ValidationError(_("Name at least one thing to correct."), code="empty")
        return data

    def items(self):
        data = getattr(self, "cleaned_data", {})
        items = [(m, data[f"note_{m.pk}"].strip()) for m in self.materials if data.get(f"note_{m.pk}", "").strip()]
        if data.get("other", "").strip():
            items.append((None, data["other"].strip()))
        return items

    def move_arguments(self):
        return {"items": self.items()}


class SuspendForm(forms.Form):
    kind = forms.ChoiceField(label=_("Waiting for"), choices=Application.SuspensionKind.choices)
    expected_days = forms.IntegerField(
        label=_("Expected time (days)"),
        min_value=1,
        max_value=365,
        help_text=_("The applicant is told in writing how long it is expected to take (Article 45)."),
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("The applicant sees it (Article 42)."),
    )


class ApproveForm(forms.Form):
    scope = forms.CharField(
        label=_("What the licence permits"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    confidentiality = forms.ChoiceField(
        label=_("Public register"),
        choices=[("", _("Publish in the register"))] + [(k, v) for k, v in Licence.Confidentiality.choices if k],
        required=False,
        help_text=_(
            "Approvals are public except those involving state secrets, business secrets or personal privacy (Article 5)."
        ),
    )
    valid_until = formfields.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a licence without expiry."),
    )


class DenyForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for the denial"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("The notice of the rights to reconsideration and litigation is added (Article 38)."),
    )
    false_information = forms.BooleanField(
        label=_("The applicant concealed information or gave false materials (Article 78)"),
        required=False,
        help_text=_(
            "The applicant is warned; for a matter of public safety, health or life, no new application for one year."
        ),
    )
