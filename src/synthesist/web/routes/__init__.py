"""One router per area; each handler parses, calls one service function and renders."""
