"""The audit trail: the hash-chained log, its verification, the records cross-check."""
