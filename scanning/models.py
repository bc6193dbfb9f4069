"""Models arrive with the scanning issue."""
