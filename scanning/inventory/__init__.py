"""The built-in scanner's inventory: what an image's layers say is installed.

`inventory_of_layers` reads layer streams (any source); `inventory_of_artifact` reads a stored
image's layers from the blob store. See docs/scanning.md.
"""

from __future__ import annotations

from .model import Inventory, OperatingSystem, Package
from .reader import MAX_FILE_BYTES, InventoryError, inventory_of_layers


def inventory_of_artifact(artifact):  # type: ignore[no-untyped-def]
    """Imported lazily: the reader itself needs no Django (the benchmark runs without it)."""
    from .artifact import inventory_of_artifact as of_artifact

    return of_artifact(artifact)


__all__ = [
    "MAX_FILE_BYTES",
    "Inventory",
    "InventoryError",
    "OperatingSystem",
    "Package",
    "inventory_of_artifact",
    "inventory_of_layers",
]
