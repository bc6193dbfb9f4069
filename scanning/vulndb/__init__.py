"""The vulnerability database: OSV import (`importer`), severities, and matching (`match`)."""
