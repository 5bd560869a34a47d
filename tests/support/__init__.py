"""Shared test helpers: schools, door drivers, PDF reading."""
