"""The ngo demo: loaders (`seed`) and their data files."""
