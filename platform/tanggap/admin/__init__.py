"""Faces over the features for those who run things: the platform operator's console."""
