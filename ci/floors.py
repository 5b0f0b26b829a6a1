"""Print the lowest version of every dependency pyproject.toml allows, as pip constraints.

CI installs these and runs the suite, so a floor that is not true fails CI.
"""

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    sys.exit("ci/floors.py needs Python 3.11 or newer (tomllib)")

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?>=([0-9][0-9.]*)", requirement.replace(" ", ""))
    if not match:
        sys.exit(f"{requirement}: every dependency needs one plain `>=` floor")
    print(f"{match[1]}=={match[3]}")
