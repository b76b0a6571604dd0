"""The disclosure demo: loaders (`seed`) and their data files."""
