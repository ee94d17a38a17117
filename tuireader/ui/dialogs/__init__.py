"""Small modal screens (go to, note, contents, help) that any screen may open."""
