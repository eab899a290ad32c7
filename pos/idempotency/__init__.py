"""Writes a till may send again safely: the same Idempotency-Key gets the first answer."""
