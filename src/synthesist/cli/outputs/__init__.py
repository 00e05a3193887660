"""The plain root commands that write a document or a figure from a whole dataset rather than change a
project: the PRISMA flow diagram, the review report, and the screening simulation's metrics.

- ``prisma.py``: prisma
- ``report.py``: report
- ``simulate.py``: simulate (replays a labelled dataset; it needs no project)

Each module's ``register(app)`` adds its command to the root app; ``cli/command_table.py`` names
the module of each command, so that each imports only its own module.
"""
