"""The package list, found rather than written out: a new subpackage of generator/ cannot be left out
of the wheel (generator.scorm once was, and `pip install .` gave a tool that could not start).

Everything else is in pyproject.toml. The list is made here because pyproject.toml can either
list packages or find them, not both, and the themes (themes/ at the top of the repository,
installed as generator/themes/ through package-dir) are not where a search for generator.* looks.
"""

from setuptools import find_namespace_packages, setup

setup(packages=find_namespace_packages(include=["generator", "generator.*"], exclude=["*.__pycache__"])
      + ["generator.themes"])
