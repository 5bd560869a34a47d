"""Data protection: retention, subject access and its rendering, erasure, backup and restore."""
