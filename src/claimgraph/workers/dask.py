"""Scale-out on Dask distributed: the only module that imports dask (the ``dask`` extra).

The batch driver stays the single writer: it submits chunks of articles to the cluster and
stores the results in input order, so a run on Dask stores exactly what a single-process run
stores. Each worker process loads the model once (``tasks.load_worker``, called by a worker
plugin when the client connects) and runs the same ``tasks.process_records`` as local workers.

    claimgraph batch corpus.jsonl.gz --dask-scheduler tcp://10.0.0.5:8786
    claimgraph batch corpus.jsonl.gz --dask --workers 4      # a local cluster of 4 processes
"""
from __future__ import annotations

from concurrent.futures import Future
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, Messages
from .tasks import PARSE_BATCH, load_worker, process_records

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # the extra is missing: DaskExecutor says so (CG403)
    WorkerPlugin = object  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

__all__ = ["DaskExecutor"]


def _dask() -> ModuleType:
    try:
        import distributed
    except ImportError as e:
        raise ConfigError(Messages.CG403.format(package="dask[distributed]", extra="dask")) from e
    return distributed


class _LoadPipeline(WorkerPlugin):
    """Worker plugin: load claimgraph's pipeline when a worker starts (or joins), not on its first task."""

    name = "claimgraph-pipeline"
    idempotent = True

    def setup(self, worker: Any) -> None:
        load_worker()

    def teardown(self, worker: Any) -> None:
        return None


class DaskExecutor:
    """Submit chunks to a Dask cluster: the one at ``address``, or a local one of ``workers`` processes.

    ``processes=False`` runs a local cluster's workers as threads of this process (tests).
    """

    def __init__(self, *, workers: int = 1, address: str | None = None, processes: bool = True,
                 threads_per_worker: int = 1) -> None:
        distributed = _dask()
        self.client: Client
        self.cluster: LocalCluster | None = None
        try:
            if address:
                self.client = distributed.Client(address, timeout="30s")
            else:
                self.cluster = distributed.LocalCluster(n_workers=max(workers, 1), processes=processes,
                                                        threads_per_worker=threads_per_worker,
                                                        dashboard_address=None)
                self.client = distributed.Client(self.cluster)
        except OSError as e:
            raise ConfigError(Messages.CG404.format(address=address or "local cluster", detail=e)) from e
        self.client.register_plugin(_LoadPipeline())
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = 2 * threads
        self._seq = 0

    def submit(self, records: list[dict[str, Any]], batch_size: int = PARSE_BATCH) -> Future[list[dict[str, Any]]]:
        """A concurrent.futures Future of the chunk's results (pure=False: every chunk runs)."""
        self._seq += 1
        dask_future = self.client.submit(process_records, records, batch_size, pure=False,
                                         key=f"claimgraph-chunk-{self._seq}-{id(records):x}")
        future: Future[list[dict[str, Any]]] = Future()

        def done(f: Any) -> None:
            try:
                future.set_result(f.result())
            except BaseException as e:  # noqa: BLE001 - handed to the driver, which re-raises it
                future.set_exception(e)

        dask_future.add_done_callback(done)
        future._dask = dask_future  # type: ignore[attr-defined]  # keep it alive until consumed
        return future

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
