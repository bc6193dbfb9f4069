"""What the registry does, as functions named for it; views stay thin over these."""
