"""The old import path of content/demo/imports.py (the open-data flows written for the demo
and the import tests)."""

from content.demo.imports import *  # noqa: F403
