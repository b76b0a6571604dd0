"""The consultation demo: loaders (`seed`) and their data files."""
