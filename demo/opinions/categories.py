"""Demo opinion categories: a few for every demo department, some co-handled, in working and calendar days.

Called first by the cases demo (`demo/opinions/cases.py`), which builds its cases over these.
"""

import demo
from opinions.models import Category

_DATA = demo.load("opinions", "categories")
_CATEGORY = ("slug", "name", "name_en", "lead", "co", "days", "unit", "description", "description_en")

# slug, name, English name, lead department code, co-handling codes, days, unit, description, English description
CATEGORIES = [tuple(row[key] for key in _CATEGORY) for row in _DATA["categories"]]


def seed_categories() -> int:
    """Create the demo categories that are missing (idempotent; departments come from `seed_demo`)."""
    from civiccenter.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Category.objects.values_list("slug", flat=True))
    created = 0
    for order, (slug, name, name_en, lead, co, days, unit, description, description_en) in enumerate(
        CATEGORIES, start=1
    ):
        if slug in existing or lead not in departments:
            continue
        category = Category.objects.create(
            slug=slug,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            lead_department=departments[lead],
            time_limit_days=days,
            time_limit_unit=unit,
            order=order * 10,
        )
        category.co_departments.set([departments[code] for code in co if code in departments])
        created += 1
    return created
