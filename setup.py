"""The one thing pyproject.toml cannot say: which packages the wheel holds and where their
folders are. Everything else about the build is in pyproject.toml.

``app``'s packages and ``qujat_demo``'s are found as usual. The page templates and the XML
schemas stay in the repository's top-level ``templates/`` and ``xml_schemas/`` but install
inside ``app``, as ``app/templates`` and ``app/xml_schemas`` (app/shipped.py finds them in
either place): top-level packages named ``templates`` and ``xml_schemas`` in site-packages
would collide with any other distribution that made the same choice. pyproject.toml's
``packages.find`` cannot add a package that lies outside its parent's folder, so the list is
made here. The templates' folders (``templates/registration``, ...) are listed too, as
packages of their own: a folder with data that is no package is what setuptools warns of."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["app*", "qujat_demo*"]),
              "app.templates", "app.xml_schemas",
              *("app.templates." + name for name in find_namespace_packages(where="templates"))],
    package_dir={"app.templates": "templates", "app.xml_schemas": "xml_schemas"},
)
