"""Live searches of free sources and citation searching."""
