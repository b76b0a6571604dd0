"""The opinions admin: one module per part."""

from opinions.admin import cases, petitions, surveys  # noqa: F401
