from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib.uploads import JPEG, PDF, PNG, UploadValidator
from civiccenter.models import Department
from consultation.models import Question, Topic


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} · {obj.department.display_name}"


class AskForm(forms.ModelForm):
    """The question, its topic (which routes it), an optional attachment and the separate, unticked consent."""

    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        empty_label=_("Choose a topic"),
        help_text=_("The topic decides which department answers, and within how many working days."),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB. It is seen only by the staff who answer."),
        validators=[UploadValidator(kinds=(PDF, PNG, JPEG), max_bytes=5 * 1024 * 1024)],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that my question and its answer may be published in the public Q&A."),
        required=False,
        help_text=_(
            "Optional and separate from your question. Your name is masked and phone numbers, identity numbers "
            "and e-mail addresses are removed before publication; staff review the text first. You can withdraw "
            "this consent at any time."
        ),
    )

    class Meta:
        model = Question
        fields = ["topic", "title", "body", "attachment", "consent_to_publish"]
        labels = {"title": _("Title"), "body": _("Your question")}
        help_texts = {
            "title": _("A short summary, e.g. “How do I renew a food business licence?”"),
            "body": _(
                "Describe your situation and what you want to know. Do not include personal details you do not want the staff to see."
            ),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.active().select_related("department")
        self.fields["title"].widget.attrs.update({"data-similar-source": "title"})
        self.fields["body"].widget.attrs.update({"data-similar-source": "body"})
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) < 10:
            raise forms.ValidationError(_("Please describe your question in at least 10 characters."), code="too_short")
        return body


class FollowUpForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send the follow-up question")
    text = forms.CharField(
        label=_("Your follow-up question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can ask one follow-up on this question; it is answered the same way."),
    )


class QuestionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.all(),
        to_field_name="code",
        empty_label=_("All departments"),
    )


class InterviewQuestionForm(CrispyFormMixin, forms.Form):
    one_submission = True
    submit_label = _("Send my question")
    text = forms.CharField(
        label=_("Your question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A moderator reads every question first; your name is shown masked."),
    )


# Staff forms (admin handle page) ---------------------------------------------------


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10, "cols": 80}), max_length=10000)


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Transfer to"), queryset=Department.objects.all())
    reason = forms.CharField(
        label=_("Reason (the asker sees it)"), widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, widget=forms.TextInput(attrs={"size": 80}))
    body = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80}))
    follow_up = forms.CharField(
        label=_("Follow-up question"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80})
    )
    follow_up_answer = forms.CharField(
        label=_("Answer to the follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80})
    )
