"""Bookmarks: the schema, the store (atomic, locked, merged), re-anchoring and export."""
