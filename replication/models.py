"""Models arrive with the replication issue."""
