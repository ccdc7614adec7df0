"""Use: loading the data, and checking a vendored copy's files."""
