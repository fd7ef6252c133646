"""What Qujat ships beside the back office to show it working, never needed to run it.

- ``qujat_demo.pki``: a demo PKI shaped like Kazakhstan's (``qujat pki init DIR``);
- ``qujat_demo.portal``: the portal simulator, a client of the public API (``qujat portal``);
- ``qujat_demo.samples`` and ``sample_data``: realistic sample documents of every kind;
- ``qujat_demo.demo`` and ``road``: ``qujat demo``, a working desk in one command.

It imports ``app``; ``app`` never imports it (tests/test_layout.py). Its commands join
``qujat`` through the ``qujat.commands`` entry points in pyproject.toml.
"""
