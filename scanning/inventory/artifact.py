"""The inventory of a stored image: its manifest gives the layers in order, the blob store
gives their bytes (through `registry.storage`, so filesystem and S3 stores read alike)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from registry.models import Artifact
from registry.oci import mediatypes as mt
from registry.oci.manifest import parse_manifest
from registry.storage import blob_store

from .model import Inventory
from .reader import InventoryError, inventory_of_layers
from .streams import ChunkStream

IMAGE_CONFIGS = frozenset({mt.OCI_IMAGE_CONFIG, mt.DOCKER_IMAGE_CONFIG})


@dataclass(frozen=True)
class BlobOpener:
    """Opens one layer blob for a single front-to-back read."""

    digest: str

    @property
    def description(self) -> str:
        return self.digest

    def __call__(self) -> BinaryIO:
        return ChunkStream(blob_store().read_blob(self.digest))  # type: ignore[return-value]


def layer_openers(artifact: Artifact) -> list[BlobOpener]:
    """The image's layers, bottom first; anything that is not a container image is refused."""
    manifest = parse_manifest(bytes(artifact.content), artifact.media_type)
    if manifest.is_index:
        raise InventoryError(f"{artifact.digest} is an index: inventory each of its images instead")
    if manifest.config is None or manifest.config.media_type not in IMAGE_CONFIGS:
        kind = manifest.config.media_type if manifest.config else "none"
        raise InventoryError(f"{artifact.digest} is not a container image (config media type {kind})")
    foreign = [layer.digest for layer in manifest.layers if layer.media_type in mt.FOREIGN_LAYERS]
    if foreign:
        raise InventoryError(f"{artifact.digest} has non-distributable layers, not held here: {foreign}")
    return [BlobOpener(layer.digest) for layer in manifest.layers]


def inventory_of_artifact(artifact: Artifact) -> Inventory:
    return inventory_of_layers(layer_openers(artifact))
