"""What web pages need beyond the other services: one read model per page (``pages_<area>.py``: a
frozen dataclass of everything the page shows, read from one unit of work) and one use-case
function per form post; whole forms checked before anything is written (``forms.py``); the coding
page's span choice, codebook tree and live matrix (``coding.py``)."""
