"""Passage search: text normalisation, passages, the on-disk index, building and querying."""
