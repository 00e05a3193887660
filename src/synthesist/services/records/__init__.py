"""Records: importing exports, naming records, reading them, the event log."""
