"""``python3 -m tillit_analysis COMMAND ...``: see ``--help``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
