"""The detectors, in the order a file is offered to them (first that wants it reads it)."""

from __future__ import annotations

from .apk import ApkDetector
from .base import Detector, Findings
from .dpkg import DpkgDetector
from .golang import GoBinaryDetector
from .java import JavaDetector
from .npm import NpmDetector
from .osrelease import OsReleaseDetector
from .python import PythonDetector
from .rpm import RpmDetector
from .ruby import RubyDetector

DETECTORS: tuple[Detector, ...] = (
    OsReleaseDetector(),
    DpkgDetector(),
    ApkDetector(),
    RpmDetector(),
    PythonDetector(),
    NpmDetector(),
    RubyDetector(),
    JavaDetector(),
    GoBinaryDetector(),  # last: it wants every executable
)


def detector_for(path: str, mode: int) -> Detector | None:
    for detector in DETECTORS:
        if detector.wants(path, mode):
            return detector
    return None


__all__ = ["DETECTORS", "Detector", "Findings", "detector_for"]
