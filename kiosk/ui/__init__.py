"""The Textual front end: the door screen (parents) and, later, staff mode.

The only package that imports textual; every rule lives in the core services.
"""
