"""Signatures beyond Harbor: the keys a project trusts, and verifying cosign and Notation
signatures against them (see docs/signatures.md)."""
