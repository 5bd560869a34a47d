"""The whole audit check: the hash chains (kiosk.audit.log) and the records they describe.

It sits above both: the chain check imports no service, the records cross-check
(kiosk.audit.records) imports the services' vocabulary; this joins their answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.audit.log import ChainReport, verify_chains
from kiosk.audit.records import check_records
from kiosk.store import Store


@dataclass
class AuditReport(ChainReport):
    """What `verify` found: the chain report plus the records compared and their mismatches."""

    records_checked: dict[str, int] = field(default_factory=dict)
    record_problems: list[str] = field(default_factory=list)

    @property
    def records_ok(self) -> bool:
        """True when every check-in and violation still says what the log recorded."""
        return not self.record_problems

    @property
    def ok(self) -> bool:
        """True when the chains and the records they describe both check out."""
        return self.chain_ok and self.records_ok


def verify(store: Store) -> AuditReport:
    """Check every kiosk's chain, then compare check-ins and violations with their entries."""
    chains = verify_chains(store)
    records = check_records(store)
    return AuditReport(
        entries=chains.entries, heads=chains.heads, first_release=chains.first_release,
        broken_before_upgrade=chains.broken_before_upgrade,
        personal_kept=chains.personal_kept,
        personal_purged=chains.personal_purged, problems=chains.problems,
        records_checked=records.checked, record_problems=records.problems,
    )
