"""What web pages need beyond the other services (whole forms, the coding page)."""
