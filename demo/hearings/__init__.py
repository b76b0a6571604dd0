"""The hearings demo: loaders (`seed`) and their data files."""
