"""Security parts outside the database: private files, keys kept apart from the data."""
