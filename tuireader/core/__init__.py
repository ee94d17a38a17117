"""The core of tuireader: everything that works without a terminal.

Nothing in this package may import textual; ``tests/unit/test_core_imports.py``
checks that.
"""
