"""Reading input bytes with progress: how many bytes of the inputs were consumed, as they are."""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import Messages
from ..records import Article
from .articles import rejected

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["Progress", "ignore_progress", "counted_open", "read_bytes"]

Progress = Callable[[int], None]  # told how many input bytes were consumed, as they are


def ignore_progress(_: int) -> None:
    """A ``Progress`` that ignores what it is told."""
    return None


class _Counted(io.RawIOBase):
    """A raw binary file that reports every read to ``progress``."""

    def __init__(self, raw: io.FileIO, progress: Progress) -> None:
        self.raw, self.progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.progress(n)
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def counted_open(path: Path, progress: Progress) -> BinaryIO:
    """Open ``path`` for binary reading, reporting bytes read to ``progress``."""
    return io.BufferedReader(_Counted(open(path, "rb", buffering=0), progress), 1 << 16)


def read_bytes(path: Path, source: str, progress: Progress) -> bytes | Article:
    """A file's bytes (their size reported to ``progress``), or a rejected record saying why not."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return rejected(source, "CG108", Messages.CG108.format(source=source, detail=e))
    progress(len(data))
    return data
