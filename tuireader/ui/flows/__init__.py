"""Long-lived UI logic that several screens share (search, bookmarks)."""
