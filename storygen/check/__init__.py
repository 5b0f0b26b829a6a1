"""Checking stories against social-story, sensory-story and task-analysis guidance.

The engine (engine.py) runs the rules; each family of rules is a module that registers its own
when imported here, so any import of the wing has every rule, in this order (the order
`storygen check --list-rules` and the findings list them).
"""

# isort: off
from . import social  # noqa: F401
from . import sensory  # noqa: F401
from . import task  # noqa: F401
from . import general  # noqa: F401

# isort: on
