"""Curation: the curated records and the memo become rows with located evidence."""
