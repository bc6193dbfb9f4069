"""`python -m harborctl`, for environments where the console script is not on PATH."""

from harborctl.main import main

main()
