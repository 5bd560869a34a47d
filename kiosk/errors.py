"""Error types whose message is one plain sentence a person can act on."""


class KioskError(Exception):
    """An expected problem: the CLI prints the message and exits 1, the UI shows it."""


class StoreUnavailable(KioskError):
    """The database could not be read or written (read-only, disk full, file gone)."""


class NotFound(KioskError):
    """A named record (event, family, pass, violation...) does not exist."""


class PermissionDenied(KioskError):
    """The signed-in staff member's role does not allow this action."""
