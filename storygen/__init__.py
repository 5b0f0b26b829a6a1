"""storygen: social stories, sensory stories and task analyses for children."""

__version__ = "0.1.0"
