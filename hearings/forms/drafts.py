"""Forms of the drafts part: the citizen's comment, and the staff's moderation, disposition, report and decision forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib import scrub
from civiccenter.lib.uploads import PDF, UploadValidator
from civiccenter.lib.validators import validate_plain_text
from hearings.models.drafts import COMMENT_MAX_LENGTH, Article, Comment


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        heading = f" {obj.heading}" if obj.heading else ""
        return f"{obj.label_text}{heading}"


class CommentForm(CrispyFormMixin, forms.Form):
    """A comment on the whole draft or one article; it is published only after moderation."""

    submit_label = _("Send my comment")

    article = ArticleChoiceField(
        label=_("Your comment is about"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("The whole draft"),
    )
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "At most %(max)d characters. Phone numbers, identity numbers, e-mail addresses and your name are masked "
            "before publication, and a moderator reads every comment first."
        )
        % {"max": COMMENT_MAX_LENGTH},
    )
    display_name = forms.CharField(
        label=_("Name shown with your comment"),
        max_length=40,
        validators=[validate_plain_text],
        help_text=_("Any name you choose, e.g. “A resident of Xinhua Street”. Your account details are never shown."),
    )

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.filter(draft=draft)
        self.helper.form_action = "#comment-form"

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Please write at least 5 characters."), code="too_short")
        return text

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if scrub.contains_personal_details(name):
            raise forms.ValidationError(
                _("The name shown must not contain a phone number, identity number or e-mail address."),
                code="personal",
            )
        return name


class WithholdForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withholding"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the commenter, e.g. “abusive language” or “advertising”."),
    )


class ModerateForm(forms.Form):
    public_text = forms.CharField(
        label=_("Wording to publish"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Personal details are scrubbed again when you publish."),
    )


class DispositionForm(forms.Form):
    """One comment's disposition on the draft's disposition page (prefix = the comment's id)."""

    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=[("", "—"), *Comment.Disposition.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("disposition") and not (data.get("reason") or "").strip():
            self.add_error("reason", forms.ValidationError(_("Give the reason for the disposition."), code="required"))
        if (data.get("reason") or "").strip() and not data.get("disposition"):
            self.add_error("disposition", forms.ValidationError(_("Choose a disposition."), code="required"))
        return data


class ReportTextForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Final decision"), widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("Decision document (PDF, optional)"),
        required=False,
        validators=[UploadValidator(kinds=(PDF,), max_bytes=10 * 1024 * 1024)],
    )
