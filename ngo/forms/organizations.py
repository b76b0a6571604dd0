"""Organizations: registration and editing by their administrators, invitations, the directory's filters."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from civiccenter import submissions
from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import uscc as uscc_rule
from ngo.models.organizations import Membership, Organization


class OrganizationForm(uscc_rule.CheckCharacterConfirmation, forms.ModelForm):
    """Registration and correction. A check character that fails is a warning: ticking the box accepts it."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "type",
            "uscc",
            "certificate",
            "field",
            "area",
            "description",
            "logo",
            "contact_person",
            "contact_phone",
            "show_phone",
            "contact_email",
        ]
        labels = {
            "name": _("Name of the organization"),
            "type": _("Type"),
            "uscc": _("Unified social credit code"),
            "certificate": _("Registration certificate"),
            "field": _("Field of service"),
            "area": _("Area served"),
            "description": _("Description"),
            "logo": _("Logo (optional)"),
            "contact_person": _("Contact person"),
            "contact_phone": _("Contact phone"),
            "show_phone": _("Show the contact phone in the public directory"),
            "contact_email": _("The organization's public e-mail (optional)"),
        }
        help_texts = {
            "name": _("The full name as on the registration certificate."),
            "uscc": _(
                "18 characters, as on the certificate. Social groups' codes begin with 51, private non-enterprise "
                "units' with 52, foundations' with 53."
            ),
            "certificate": _(
                "A PDF, PNG or JPEG scan of at most 10 MB. Only the verifying staff and your administrators see it."
            ),
            "area": _("E.g. a street, a community or the whole district."),
            "description": _("What the organization does, for whom, and how to take part."),
            "logo": _("A PNG or JPEG image; it is shown in the public directory."),
            "show_phone": _(
                "Leave unticked to keep the phone private: it is then used only by the center's staff. Tick only "
                "with the contact person's agreement."
            ),
            "contact_email": _("Shown in the public directory. Use the organization's address, not a person's."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            # A private file has no URL to show as the current one; leaving the input empty keeps it.
            "certificate": forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The confirmation is asked for only when the code typed fails the check.
        self.add_uscc_confirmation()
        # Typed with spaces or hyphens it may be longer than 18 characters; the model checks the normalised code.
        uscc = self.fields["uscc"]
        uscc.max_length = 30
        uscc.validators = [v for v in uscc.validators if not isinstance(v, MaxLengthValidator)]
        uscc.widget.attrs.update({"maxlength": "30", "autocapitalize": "characters", "spellcheck": "false"})
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", submit_label or _("Register the organization")))
        submissions.add_token_to(self.helper)

    def clean_uscc(self):
        return uscc_rule.normalize(self.cleaned_data["uscc"])

    def clean(self):
        cleaned = super().clean()
        self.check_uscc_confirmation(cleaned)
        return cleaned


class InvitationForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send the invitation")

    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_("Administrators act for the organization: they book venues, publish and manage members."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class DirectoryFilterForm(forms.Form):
    """The directory's filters; the areas offered are those of verified organizations."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    field = forms.ChoiceField(label=_("Field of service"), required=False)
    area = forms.ChoiceField(label=_("Area served"), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["type"].choices = everything + list(Organization.Type.choices)
        self.fields["field"].choices = everything + list(Organization.Field.choices)
        self.fields["area"].choices = everything + [(area, area) for area in areas]

    def filters(self):
        """The valid filters only: a value not offered is ignored rather than refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data[key] for key in ("type", "field", "area") if data.get(key)}
