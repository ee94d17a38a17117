"""The Textual user interface of tuireader."""
