#!/usr/bin/env python3
"""Build the timeline site: `python build.py [build|check] --help` for the options."""

import sys

from timeline.cli import main

if __name__ == "__main__":
    sys.exit(main())
