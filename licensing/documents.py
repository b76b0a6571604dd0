"""The written vouchers and decisions of a licence application, issued through civiccenter/documents.py.

Each move that owes the applicant a document in writing issues it here, inside
its transaction: the correction notice and the notices of acceptance or
non-acceptance (Art. 32), the notice of extension (Art. 42), the licence and the
decision to deny (Art. 38, 44). The signed text is rendered from
templates/licensing/documents/<kind>.txt in the language of record, with the
same sentences as the printed pages.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from civiccenter import documents

TITLES = {
    "correction": _("One-time notice of materials to correct"),
    "acceptance": _("Notice of acceptance of a licence application"),
    "non_acceptance": _("Notice of non-acceptance of a licence application"),
    "extension": _("Notice of extension of the time limit"),
    "licence": _("Administrative licence"),
    "denial": _("Decision to deny a licence"),
}
# Which printed page shows a kind, and which kinds each page may show.
ACCEPTANCE_KINDS = ("licensing.acceptance", "licensing.non_acceptance")
DECISION_KINDS = ("licensing.licence", "licensing.denial")


def text_lines(text: str) -> list[str]:
    """Lines of the rendered text, trimmed, without empty ones (paragraphs are lines)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def issue(application, kind, *, on, **context):
    """Issue the `kind` document of `application` on `on`; call inside the move, in the language of record."""
    text = render_to_string(
        f"licensing/documents/{kind}.txt", {"application": application, "case": application.case, **context}
    )
    return documents.issue(
        department=application.case.department,
        kind=f"licensing.{kind}",
        title=TITLES[kind],
        lines=text_lines(text),
        case=application.case,
        on=on,
    )


def titled(documents):
    """(document, its title in the reader's language) for each document of an application."""
    return [(document, TITLES.get(document.kind.removeprefix("licensing."), document.title)) for document in documents]
