"""Entry point for ``python -m tuireader``."""

import sys

from tuireader.cli import main

if __name__ == "__main__":
    sys.exit(main())
