"""One module per database syntax family; :mod:`synthesist.search.translate` is the public entry."""
