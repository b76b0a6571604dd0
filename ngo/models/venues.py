"""venues: see the module docstring once built."""

__all__ = []
