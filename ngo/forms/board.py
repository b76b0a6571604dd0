"""Forms of the mutual assistance board. They validate; the views call the model methods."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import formfields
from civiccenter.lib.validators import normalize_phone
from ngo.models.board import THANKS_MAX_LENGTH, Post, Response


class ContactMixin:
    """The phone without spaces (the models require a phone or an e-mail address)."""

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data.get("contact_phone", ""))


class PostForm(ContactMixin, CrispyFormMixin, forms.ModelForm):
    submit_label = _("Send for moderation")

    organization = forms.ModelChoiceField(
        label=_("Post as"),
        queryset=None,
        required=False,
        empty_label=_("Myself (a resident)"),
        help_text=_("Administrators of a verified organization can post on its behalf."),
    )

    class Meta:
        model = Post
        fields = [
            "kind",
            "category",
            "organization",
            "title",
            "description",
            "area",
            "when_text",
            "starts_on",
            "ends_on",
            "contact_phone",
            "contact_email",
        ]
        field_classes = {"starts_on": formfields.DateField, "ends_on": formfields.DateField}
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "description": _("What is needed or offered. Do not write phone numbers or addresses here."),
            "starts_on": _("Optional."),
            "ends_on": _("Optional."),
            "contact_phone": _(
                "Never shown publicly: only the person whose response you accept sees your contact details."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from ngo.models.organizations import Organization

        organizations = Organization.objects.administered_by(user).verified()
        self.fields["organization"].queryset = organizations
        if not organizations.exists():
            del self.fields["organization"]
            self.helper.layout.fields.remove("organization")  # laid out before the field was known to go
        self.fields["kind"].choices = Post.Kind.choices
        if not self.instance.pk:
            self.fields["contact_phone"].initial = user.phone
            self.fields["contact_email"].initial = user.email


class ResponseForm(ContactMixin, CrispyFormMixin, forms.ModelForm):
    submit_label = _("Send my response")

    class Meta:
        model = Response
        fields = ["message", "contact_phone", "contact_email"]
        labels = {"message": _("Your message")}
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "contact_phone": _("The poster sees your contact details only if they accept your response."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.fields["contact_phone"].initial = user.phone
            self.fields["contact_email"].initial = user.email


class ReportForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send the report")
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. abusive language, advertising, a scam, or personal details of someone else."),
    )


class ThanksForm(CrispyFormMixin, forms.Form):
    submit_label = _("Publish my thanks")
    text = forms.CharField(
        label=_("Your thanks"),
        max_length=THANKS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A short note shown publicly on the post."),
    )


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Need or offer"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.CharField(label=_("Area"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Needs and offers")), *Post.Kind.choices]
        self.fields["category"].choices = [("", _("All categories")), *Post.Category.choices]
