"""The committed fuzz corpus: manifest entries and file bytes (scripts/make_fuzz_corpus.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
MANIFEST = HERE / "manifest.json"
CORPUS = HERE / "corpus"


@dataclass(frozen=True)
class Entry:
    """One corpus file: what it is, where it goes in a request, and what may come back."""

    file: str
    role: str
    what: str
    expect: str
    decode: str | None = None
    endpoint: str | None = None
    content_type: str | None = None
    message: list[str] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return (HERE / self.file).read_bytes()

    @property
    def name(self) -> str:
        return self.file.removeprefix("corpus/")


def entries(role: str | None = None) -> list[Entry]:
    """Manifest entries, all of them or those of one ``role`` (image, mask, body)."""
    rows = [Entry(**row) for row in json.loads(MANIFEST.read_text())]
    return [row for row in rows if role is None or row.role == role]


def base_photo() -> bytes:
    """The PNG that mask entries are sent with."""
    return (CORPUS / "base" / "photo.png").read_bytes()


def base_mask() -> bytes:
    """A valid mask for ``base_photo``."""
    return (CORPUS / "base" / "mask.png").read_bytes()


def entry_id(entry: Entry) -> str:
    """A readable pytest id: the file's path inside the corpus."""
    return entry.name


def centre_hole(size: tuple[int, int]) -> np.ndarray:
    """The hole requests send with a photo of ``size`` (width, height): its middle third."""
    width, height = size
    hole = np.zeros((height, width), bool)
    hole[height // 3 : max(height // 3 + 1, 2 * height // 3), width // 3 : 2 * width // 3 + 1] = 1
    if hole.all():
        hole[0, 0] = False
    return hole
