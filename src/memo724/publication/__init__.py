"""Publication: tables become files, documentation and releases."""
