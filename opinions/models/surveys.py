"""surveys: see the module docstring once built."""

__all__ = []
