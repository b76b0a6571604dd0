"""The hearings admin, one module per part."""

from hearings.admin import drafts, hearings  # noqa: F401
