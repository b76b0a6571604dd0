"""Demo data: the 2025 annual disclosure reports, generated from whatever documents and requests exist.

Run after the documents' and requests' demo seeds. Idempotent: a report that exists is left as it is.
The district's report and every department's but the last are published; the last stays a draft,
so the admin shows one report still to finish.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import demo
from civiccenter.models import Department, User
from disclosure.models import AnnualReport

YEAR = 2025

_DATA = demo.load("disclosure", "reports")
# The reports' texts; {year} and {name} are filled in.
OVERVIEW, PROACTIVE, REQUESTS, REMEDIES, PROBLEMS, OTHER = (
    _DATA[key] for key in ("overview", "proactive", "requests", "remedies", "problems", "other")
)


def _figures(index):
    """Plausible staff-entered figures, different for each report and the same on every run."""
    return {
        "penalty": 12 + 17 * index,
        "coercion": index % 4,
        "fees": Decimal("0") if index % 3 else Decimal("2.35") * (index + 1),
        "table4": {
            "reconsideration": {
                "upheld": index % 3,
                "corrected": 1 if index % 4 == 1 else 0,
                "other": 0,
                "pending": index % 2,
            },
            "litigation_direct": {"upheld": 1 if index % 5 == 2 else 0, "corrected": 0, "other": 0, "pending": 0},
            "litigation_after": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1 if index == 0 else 0},
        },
    }


def seed(stdout=None) -> int:
    """Generate (and mostly publish) the 2025 reports; returns the number of reports created."""
    publisher = User.objects.filter(email="admin@demo.civiccenter.example").first()
    departments = list(Department.objects.order_by("order", "name"))
    scopes = [None, *departments]
    created = 0
    for index, department in enumerate(scopes):
        if AnnualReport.objects.filter(year=YEAR, department=department).exists():
            continue
        name = department.name if department is not None else "区人民政府"
        report = AnnualReport.generate(YEAR, department)
        report.set_staff_figures(**_figures(index))
        report.overview = OVERVIEW.format(year=YEAR, name=name)
        report.proactive_text = PROACTIVE
        report.requests_text = REQUESTS
        report.remedies_text = REMEDIES
        report.problems = PROBLEMS
        report.other = OTHER.format(year=YEAR)
        report.save()
        last = department is not None and department == departments[-1]
        if not last:
            # Published in time: departments by 31 January, the district by 31 March.
            day = (1, 26) if department is not None else (3, 27)
            report.publish(by=publisher, now=datetime(YEAR + 1, *day, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
        created += 1
        if stdout is not None:
            stdout.write(f"  {report}: {'draft' if last else 'published'}")
    return created
