"""Replies to disclosure requests (Art. 36-39): the reply types, their rows of the annual report, and the files provided.

`DisclosureRequest` (requests.py) stores one reply type; `ReplyFile` is what the applicant downloads once replied.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civiccenter.lib import clock
from civiccenter.lib.uploads import CheckedFileField, private_storage
from civiccenter.lib.validators import validate_plain_text


class ReplyType(models.TextChoices):
    """Exactly one per reply (Art. 36-39), each mapped to one row of table 三 of the annual report."""

    # (一) 予以公开
    ALREADY_PUBLISHED = "already_published", _("Already published: where to find it (Art. 36(1))")
    DISCLOSED = "disclosed", _("Disclosed (Art. 36(2))")
    # (二) 部分公开
    PARTIAL = "partial", _("Partly disclosed, with reasons for what is withheld (Art. 37)")
    # (三) 不予公开
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("Withheld: state secret (Art. 14)")
    WITHHELD_LAW = "withheld_law", _("Withheld: a law or regulation forbids disclosure (Art. 14)")
    WITHHELD_SECURITY = "withheld_security", _("Withheld: would endanger security or stability (Art. 14)")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("Withheld: protects a third party's rights (Art. 15)")
    WITHHELD_INTERNAL = "withheld_internal", _("Withheld: internal affairs (Art. 16)")
    WITHHELD_PROCESS = "withheld_process", _("Withheld: process information (Art. 16)")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("Withheld: administrative enforcement file (Art. 16)")
    WITHHELD_QUERY = "withheld_query", _("Withheld: an administrative query matter")
    # (四) 无法提供
    NOT_HELD = "not_held", _("Cannot be provided: not held by this organ (Art. 36(4)-(5))")
    NEW_ANALYSIS = "new_analysis", _("Cannot be provided: would need new analysis or production (Art. 38)")
    STILL_UNCLEAR = "still_unclear", _("Cannot be provided: still unclear after correction (Art. 30)")
    # (五) 不予处理
    PETITION = "petition", _("Not processed: a petition, report or complaint (Art. 39)")
    REPEAT = "repeat", _("Not processed: repeat request (Art. 36(6))")
    PUBLICATION = "publication", _("Not processed: asks for public publications (Art. 39)")
    EXCESSIVE = "excessive", _("Not processed: excessive requests without good reason (Art. 35)")
    CONFIRMATION = "confirmation", _("Not processed: asks to confirm or reissue information obtained (Art. 39)")
    # (六) 其他处理
    OTHER = "other", _("Other handling")


# Row of table 三 (国办公开办函〔2021〕30号) per reply type, and for requests closed without a reply.
REPORT_ROWS = {
    ReplyType.ALREADY_PUBLISHED: "3.1",
    ReplyType.DISCLOSED: "3.1",
    ReplyType.PARTIAL: "3.2",
    ReplyType.WITHHELD_STATE_SECRET: "3.3.1",
    ReplyType.WITHHELD_LAW: "3.3.2",
    ReplyType.WITHHELD_SECURITY: "3.3.3",
    ReplyType.WITHHELD_THIRD_PARTY: "3.3.4",
    ReplyType.WITHHELD_INTERNAL: "3.3.5",
    ReplyType.WITHHELD_PROCESS: "3.3.6",
    ReplyType.WITHHELD_ENFORCEMENT: "3.3.7",
    ReplyType.WITHHELD_QUERY: "3.3.8",
    ReplyType.NOT_HELD: "3.4.1",
    ReplyType.NEW_ANALYSIS: "3.4.2",
    ReplyType.STILL_UNCLEAR: "3.4.3",
    ReplyType.PETITION: "3.5.1",
    ReplyType.REPEAT: "3.5.2",
    ReplyType.PUBLICATION: "3.5.3",
    ReplyType.EXCESSIVE: "3.5.4",
    ReplyType.CONFIRMATION: "3.5.5",
    "abandoned_no_correction": "3.6.1",
    "abandoned_no_fee": "3.6.2",
    ReplyType.OTHER: "3.6.3",
    "withdrawn": "3.6.3",
}

# Every reply type except a full disclosure refuses something, and must say why (Art. 36-39).
NEEDS_REASONS = [t for t in ReplyType.values if t not in (ReplyType.ALREADY_PUBLISHED, ReplyType.DISCLOSED)]


class ReplyFile(models.Model):
    """Information provided with a reply: private, downloadable by the applicant (and the department) only."""

    request = models.ForeignKey("disclosure.DisclosureRequest", on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    file = CheckedFileField(_("file"), folder="disclosure-replies", storage=private_storage)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("file provided")
        verbose_name_plural = _("files provided")

    def __str__(self):
        return self.title
