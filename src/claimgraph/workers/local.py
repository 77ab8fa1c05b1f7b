"""Chunks processed in this process, or in a pool of local worker processes."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .tasks import PARSE_BATCH, init_worker_process, process_records

__all__ = ["LocalExecutor"]


class LocalExecutor:
    """Chunks processed in this process (workers=1) or in a pool of local processes."""

    def __init__(self, workers: int, *, start_method: str = "spawn", mode: str = "fast"):
        self.workers = workers
        self.mode = mode  # the extraction mode of the default steps (steps.MODES)
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method),
                                            initializer=init_worker_process, initargs=(mode,))

    @property
    def slots(self) -> int:
        return 2 * self.workers  # chunks in flight: enough to keep every worker busy, bounded

    def submit(self, records: list[dict[str, Any]], batch_size: int = PARSE_BATCH) -> Future[list[dict[str, Any]]]:
        if self.pool is not None:
            return self.pool.submit(process_records, records, batch_size, self.mode)
        future: Future[list[dict[str, Any]]] = Future()
        try:
            future.set_result(process_records(records, batch_size, self.mode))
        except Exception as e:  # noqa: BLE001 - handed over like a worker's failure
            future.set_exception(e)
        return future

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
