"""storygen: social stories, sensory stories and task analyses for children."""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE = Path(__file__).parent  # storygen's own files (data/, locale/; templates/ and docs/ in a wheel)
