"""The NGO admin: one module per part."""

from ngo.admin import board, development, organizations, showcase, venues  # noqa: F401
