"""The form a citizen submits a work with. Images are checked here by content (the shared validator), so a
renamed non-image or a decompression bomb is a form error, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civiccenter.forms import CrispyFormMixin
from civiccenter.lib.uploads import JPEG, PNG, UploadValidator
from ngo.models.showcase import MAX_IMAGES, Work

IMAGE_MAX_BYTES = 10 * 1024 * 1024


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files in one field (Django's documented pattern), each checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": ".jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class WorkForm(CrispyFormMixin, forms.ModelForm):
    submit_label = _("Submit the work")

    images = MultipleImageField(
        label=_("Images"),
        required=False,
        validators=[],
        help_text=_(
            "One to six JPEG or PNG images of at most 10 MB each. Location and camera data are removed. "
            "Not needed for a performance."
        ),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("For a performance: the https address of the video."),
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that this work, its title, description and images may be published in the showcase."),
        required=True,
        help_text=_(
            "Required for publication. Your name is shown masked (e.g. 张*). You can withdraw the work at any time."
        ),
    )

    class Meta:
        model = Work
        fields = ["category", "title", "description", "video_url", "images", "consent_to_publish"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["images"].help_text = _(
                "Add more images if you wish (at most six in all); the images already sent are kept."
            )

    def clean_images(self):
        files = self.cleaned_data.get("images") or []
        validator = UploadValidator(kinds=(PNG, JPEG), max_bytes=IMAGE_MAX_BYTES)
        errors = []
        for file in files:
            try:
                validator(file)
            except forms.ValidationError as error:
                errors.extend(f"{file.name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors, code="bad_image")
        existing = self.instance.images.count() if self.instance.pk else 0
        if existing + len(files) > MAX_IMAGES:
            raise forms.ValidationError(_("A work has at most %(max)d images.") % {"max": MAX_IMAGES}, code="too_many")
        return files

    def clean(self):
        data = super().clean()
        category = data.get("category")
        existing = self.instance.images.exists() if self.instance.pk else False
        # A performance without its video link is refused by Work.clean().
        if (
            category
            and category != Work.Category.PERFORMANCE
            and not data.get("images")
            and not existing
            and not self.has_error("images")
        ):
            self.add_error("images", _("Add at least one image of the work."))
        return data
