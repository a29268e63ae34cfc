"""Print the dependency ranges of pyproject.toml (runtime and dev), for `make lock`."""

import shlex
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
print(" ".join(shlex.quote(requirement) for requirement in requirements))
