"""The opinions admin: one module per part."""

from opinions.admin import board, cases, petitions, surveys  # noqa: F401
