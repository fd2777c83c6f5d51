"""Decrees: the office decree, its file format and the pure policy engine that applies it."""
