"""``python3 -m lakebench`` (from ``bench/``): the same as ``scripts/bench`` without the build."""

import sys

from .cli import main

sys.exit(main())
