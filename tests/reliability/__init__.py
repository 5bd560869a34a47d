"""Reliability suite: crashes, two doors on one file, hostile input, disk faults, clock."""
