"""The survey form, built from the survey's questions, and the admin's question form.

The answer form is a plain Django form with one field per question (`q<pk>`), so answers are validated
against the question's own choices: a forged choice id, even a real one of another question, is
"not one of the available choices".
"""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from opinions.models.surveys import TEXT_ANSWER_MAX_LENGTH, Choice, Question


class SurveyForm(forms.Form):
    def __init__(self, *args, survey, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions if questions is not None else survey.questions.prefetch_related("choices"))
        layout = []
        for question in self.questions:
            name = f"q{question.pk}"
            common = {"label": f"{question.order}. {question.text}", "required": question.required}
            if question.help_text:
                common["help_text"] = question.help_text
            if question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=[(c.pk, c.text) for c in question.choices.all()],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=[(c.pk, c.text) for c in question.choices.all()],
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            elif question.kind == Question.Kind.SCALE:
                field = forms.TypedChoiceField(
                    choices=question.scale_points(), coerce=int, widget=forms.RadioSelect, **common
                )
            else:
                field = forms.CharField(
                    max_length=TEXT_ANSWER_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    strip=True,
                    **common,
                )
            self.fields[name] = field
            layout.append(InlineRadios(name) if question.kind == Question.Kind.SCALE else name)
        self.helper = FormHelper(self)
        self.helper.layout = Layout(*layout)
        # The server's errors, in the form beside each question, rather than the browser's bubbles.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Send my answers")))

    def answers(self):
        """(question, choice, value, text) for every answer given, for `Survey.submit_response`."""
        choices = {c.pk: c for question in self.questions for c in question.choices.all()}
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            if question.kind == Question.Kind.SINGLE:
                result.append((question, choices[value], None, ""))
            elif question.kind == Question.Kind.MULTIPLE:
                result.extend((question, choices[pk], None, "") for pk in value)
            elif question.kind == Question.Kind.SCALE:
                result.append((question, None, value, ""))
            else:
                result.append((question, None, None, value))
        return result


class QuestionAdminForm(forms.ModelForm):
    """A question with its choices typed one per line (saved as Choice rows by the admin)."""

    choices_text = forms.CharField(
        label=_("choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
        help_text=_("For single and multiple choice questions."),
    )

    class Meta:
        model = Question
        fields = [
            "order",
            "text",
            "help_text",
            "kind",
            "required",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(c.text for c in self.instance.choices.all())

    def choice_lines(self):
        return [line.strip() for line in self.cleaned_data.get("choices_text", "").splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lines = self.choice_lines()
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(lines) < 2:
                self.add_error("choices_text", _("A choice question needs at least two choices."))
            elif len(set(lines)) != len(lines):
                self.add_error("choices_text", _("Each choice must appear once."))
            elif any(len(line) > Choice._meta.get_field("text").max_length for line in lines):
                self.add_error("choices_text", _("A choice may have at most 200 characters."))
        elif lines:
            self.add_error("choices_text", _("Only choice questions have choices."))
        if kind == Question.Kind.SCALE:
            scale_max = cleaned.get("scale_max")
            if scale_max is None or not 2 <= scale_max <= 10:
                self.add_error("scale_max", _("A scale goes from 1 to a number between 2 and 10."))
        elif cleaned.get("scale_max") is not None:
            cleaned["scale_max"] = None
        return cleaned

    def save_choices(self):
        """Replace the question's choices by the lines typed (only while the survey has no responses)."""
        question = self.instance
        lines = self.choice_lines() if question.has_choices else []
        if [c.text for c in question.choices.all()] == lines:
            return
        question.choices.all().delete()
        Choice.objects.bulk_create(Choice(question=question, order=i, text=text) for i, text in enumerate(lines, 1))
