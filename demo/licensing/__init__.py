"""The licensing demo: loaders (`seed`) and their data files."""
