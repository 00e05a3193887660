"""The plain root commands about a project as a whole: create it, see where it stands, get records in
and out, build the worked example, serve it on the web.

- ``lifecycle.py``: init, status, log
- ``importing.py``: import
- ``exporting.py``: export
- ``demo.py``: demo
- ``serve.py``: serve

Each module's ``register(app)`` adds its commands to the root app; ``cli/command_table.py`` names
the module of each command, so that ``synthesist status`` imports ``lifecycle.py`` and nothing else.
"""
