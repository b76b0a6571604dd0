"""The disclosure admin, one module per part: documents, requests, annual reports."""

from disclosure.admin import documents, reports, requests  # noqa: F401
