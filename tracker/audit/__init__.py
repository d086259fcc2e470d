"""The timeline and audit trail: hash-chained events."""
