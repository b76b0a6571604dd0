"""The opinions demo: loaders (`seed`) and their data files."""
