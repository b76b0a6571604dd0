"""What each app contributes to the portal-wide commands and pages, declared on its AppConfig.

The core imports no app: `seed_demo`, `sweep_deadlines` and the sitemap read
these attributes of the installed apps' configs and import the dotted paths
they name.

- `demo_order` (int) and `demo_parts` (dotted paths of `seed(stdout=None) -> int`):
  the demo data, loaded in `demo_order` (an app whose demo links to another's
  comes after it), each part in the order listed.
- `sweeps`: (dotted path of `sweep(today) -> int`, what it does), run nightly.
- `sitemaps`: dotted path of a {section: Sitemap} dict for `/sitemap.xml`.
- `calendar_dates`: (dotted path of `recompute(calendar) -> int`, what it holds): dates an app stored from the
  work calendar (beside the cases' due dates), recomputed whenever the calendar changes.
"""

from django.apps import apps
from django.utils.module_loading import import_string


def _configs():
    return [config for config in apps.get_app_configs() if config.name.split(".")[0] != "django"]


def demo_parts():
    configs = sorted(
        (c for c in _configs() if getattr(c, "demo_parts", None)), key=lambda c: (getattr(c, "demo_order", 100), c.name)
    )
    return [(config.label, import_string(path)) for config in configs for path in config.demo_parts]


def sweeps():
    return [(import_string(path), label) for config in _configs() for path, label in getattr(config, "sweeps", ())]


def calendar_dates():
    return [
        (import_string(path), label) for config in _configs() for path, label in getattr(config, "calendar_dates", ())
    ]


def sitemaps():
    merged = {}
    for config in _configs():
        if getattr(config, "sitemaps", None):
            merged.update(import_string(config.sitemaps))
    return merged
