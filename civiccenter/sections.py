"""The center's functions as the public site presents them.

One list drives the home page, the navigation and the "About" page, so a new
section is added in one place.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Function:
    key: str
    title: str
    summary: str
    url_name: str
    fragment: str = ""
    in_nav: bool = False
    nav_title: str = ""

    @property
    def app(self) -> str:
        return self.url_name.split(":")[0]

    @property
    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}#{self.fragment}" if self.fragment else url


# The eight functions of the citizen service center, in the order of its
# charter, then the government affairs center.
FUNCTIONS = [
    Function(
        "disclosure",
        _("Government information disclosure"),
        _(
            "Read what the district government publishes, search the catalogue, and request information that is not yet public."
        ),
        "disclosure:index",
        in_nav=True,
        nav_title=_("Disclosure"),
    ),
    Function(
        "consultation",
        _("Online consultation"),
        _(
            "Ask the departments about policies and services; read policy interpretations, lectures and online interviews."
        ),
        "consultation:index",
        in_nav=True,
        nav_title=_("Consultation"),
    ),
    Function(
        "hearings",
        _("Decision-making hearings"),
        _(
            "Comment on draft decisions open for public consultation, register for hearings, and see how opinions were adopted."
        ),
        "hearings:index",
        in_nav=True,
        nav_title=_("Hearings"),
    ),
    Function(
        "opinions",
        _("Social opinion collection"),
        _("Send suggestions, complaints and petitions, take part in surveys, and follow how they are handled."),
        "opinions:index",
        in_nav=True,
        nav_title=_("Opinions"),
    ),
    Function(
        "ngo-services",
        _("NGO services"),
        _("Register your organization, get it verified, and book the center's venues for activities."),
        "ngo:index",
        fragment="services",
        in_nav=True,
        nav_title=_("NGOs"),
    ),
    Function(
        "ngo-development",
        _("NGO development"),
        _("Training, incubation and guidance that help social organizations grow."),
        "ngo:index",
        fragment="development",
    ),
    Function(
        "mutual-aid",
        _("Social autonomy and mutual assistance"),
        _("Community self-governance and a board where neighbours offer and ask for help."),
        "ngo:index",
        fragment="mutual-aid",
    ),
    Function(
        "showcase",
        _("Citizen development showcase"),
        _("Activities, achievements and stories of the district's citizens and organizations."),
        "ngo:index",
        fragment="showcase",
    ),
    Function(
        "licensing",
        _("Government affairs center"),
        _(
            "One-stop administrative licensing: service guides, online applications, window appointments and progress tracking."
        ),
        "licensing:index",
        in_nav=True,
        nav_title=_("Licensing"),
    ),
]

NAV = [function for function in FUNCTIONS if function.in_nav]


def get(key: str) -> Function:
    return next(function for function in FUNCTIONS if function.key == key)
