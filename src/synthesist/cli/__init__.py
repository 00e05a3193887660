"""The command line: Typer sub-apps per noun over the service functions, loaded lazily (see lazy.py)."""
