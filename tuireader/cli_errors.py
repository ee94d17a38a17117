"""The command line's one error: bad arguments or unusable input (``cli.py`` prints it, exit 2)."""


class UsageError(Exception):
    """Bad arguments or unusable input: one line on stderr and exit 2."""
