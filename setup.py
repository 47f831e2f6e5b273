"""Only what pyproject.toml cannot say: the checkout's top-level resources/ is installed as the package
data app/resources, so that a regular `pip install .` carries the fonts and their licences the program
reads at run time (app.paths.resources_dir). The project's metadata stays in pyproject.toml.

pyproject.toml's `packages.find` lists only folders found under app/, and cannot add a package that
lives elsewhere in the tree; setuptools' package_dir can, here.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app", "app.*"]), "app.resources"],
    package_dir={"app.resources": "resources"},
    # Which of its files are installed (the fonts and their licences, not the README's screenshots) is
    # said in pyproject.toml's package-data, which takes the place of a package_data given here.
)
