"""Staff forms of proactive disclosure: amending or repealing a published document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import formfields
from disclosure.models import Document


class ValidityForm(forms.Form):
    """Amended or repealed on a date, naming the document now in force by its index number."""

    change = forms.ChoiceField(
        label=_("What happened"),
        choices=[("amend", _("Amended: a new text replaces it")), ("repeal", _("Repealed"))],
        widget=forms.RadioSelect,
    )
    on = formfields.DateField(label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"}))
    replacement = forms.CharField(
        label=_("Index number of the document now in force"),
        max_length=60,
        required=False,
        help_text=_("Required when amended; optional when repealed. The document must be published."),
    )

    def __init__(self, *args, document, **kwargs):
        self.document = document
        super().__init__(*args, **kwargs)

    def clean_replacement(self):
        number = self.cleaned_data["replacement"].strip()
        if not number:
            return None
        replacement = Document.objects.filter(index_number=number).first()
        if replacement is None:
            raise forms.ValidationError(_("No published document has this index number."), code="unknown")
        if replacement.pk == self.document.pk:
            raise forms.ValidationError(_("A document cannot replace itself."), code="self")
        return replacement

    def clean(self):
        data = super().clean()
        if data.get("change") == "amend" and not data.get("replacement") and "replacement" not in self.errors:
            self.add_error(
                "replacement", forms.ValidationError(_("Name the document that amends this one."), code="required")
            )
        return data
