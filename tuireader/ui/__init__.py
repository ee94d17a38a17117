"""The Textual user interface (imported only when the reader opens)."""
