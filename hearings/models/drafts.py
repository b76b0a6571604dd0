"""Drafts open for public comment, their comments, dispositions and adoption reports."""
