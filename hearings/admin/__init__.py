"""The hearings admin, one module per part."""

from hearings.admin import catalogue, drafts, hearings  # noqa: F401
