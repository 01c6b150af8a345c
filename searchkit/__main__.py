"""Run ``python -m searchkit``."""

from searchkit.cli import main

main()
