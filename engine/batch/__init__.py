"""Batch audits: every student of a district or state, nightly, on one machine or a Dask cluster.

Readers (:mod:`engine.batch.readers`) turn JSON Lines, course-history CSV, Parquet or a folder
of Ed-Fi bundles into work items; a backend (:class:`LocalBackend`, :class:`DaskBackend`)
audits them in chunks; :func:`run_batch` commits each chunk atomically (so a rerun resumes),
merges them in input order into JSON Lines, CSV or Parquet, writes the errors file and the
summary. ``docs/batch.md`` is the operator's guide.
"""

from engine.batch.fingerprint import knowledge_files
from engine.batch.items import BatchOptions, WorkItem
from engine.batch.local import BackendError, LocalBackend
from engine.batch.readers import InputError, InputFormat, count_students, detect_format
from engine.batch.runner import Backend, BatchReport, OutputExistsError, parts_folder, run_batch
from engine.batch.store import ManifestMismatchError
from engine.batch.writers import OutputFormat, detect_output

__all__ = [
    "Backend",
    "BackendError",
    "BatchOptions",
    "BatchReport",
    "InputError",
    "InputFormat",
    "LocalBackend",
    "ManifestMismatchError",
    "OutputExistsError",
    "OutputFormat",
    "WorkItem",
    "count_students",
    "detect_format",
    "detect_output",
    "knowledge_files",
    "parts_folder",
    "run_batch",
]
