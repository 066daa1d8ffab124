"""Bundled sample students (synthetic, opaque ids): read-only, for demos and the counselor page.

The counselor page offers these so a counselor can try the workbench without real records. They
are the files under ``samples/students/`` next to the bundled rules; nothing here reads or keeps
anything a caller sends.
"""

from __future__ import annotations

import json
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from service.auth import Reader
from service.deps import SettingsDep
from service.openapi_doc import problem_responses
from service.problems import ProblemError

__all__ = ["SampleSummary", "router", "samples_folder"]

router = APIRouter(prefix="/v1", tags=["reference"])

NAME = r"^[a-z0-9][a-z0-9-]{0,79}$"


#: Sample students listed at most (the bundled folder holds 13).
MAX_SAMPLES = 1000


class SampleSummary(BaseModel):
    """One bundled sample student, described by the facts in its record."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=80, description="fetch it with GET /v1/samples/{name}")
    student: str = Field(max_length=64, description="the record's opaque id")
    jurisdiction: str = Field(max_length=8)
    grade_level: int
    cohort: int
    catalog_year: int | None = None
    goals: list[Annotated[str, Field(max_length=80)]] = Field(max_length=50)
    rows: int = Field(description="transcript rows")


def samples_folder(root: FilePath | None) -> FilePath:
    """``samples/students`` under the data root (the repository when none is configured)."""
    return (root or FilePath(__file__).resolve().parents[2]) / "samples" / "students"


def _read(path: FilePath) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@router.get(
    "/samples",
    response_model=Annotated[list[SampleSummary], Field(max_length=MAX_SAMPLES)],
    summary="Bundled sample students",
    description="Synthetic students shipped with GradPath (opaque ids, no personal data), for "
    "trying the audit, plan and what-if without real records.",
)
def list_samples(settings: SettingsDep, _caller: Reader) -> list[SampleSummary]:
    folder = samples_folder(settings.root)
    out = []
    found = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path in found[:MAX_SAMPLES]:  # a folder of samples, not of students: the first suffice
        data = _read(path)
        out.append(
            SampleSummary(
                name=path.stem,
                student=str(data.get("id", "")),
                jurisdiction=str(data.get("jurisdiction", "")),
                grade_level=int(data.get("grade_level", 0)),
                cohort=int(data.get("cohort", 0)),
                catalog_year=data.get("catalog_year"),
                goals=[str(g) for g in data.get("goals", [])],
                rows=len(data.get("transcript", [])),
            )
        )
    return out


@router.get(
    "/samples/{name}",
    summary="One bundled sample student",
    description="The student record, ready to send as `student` to audit, plan or what-if.",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}},
        **problem_responses(404),
    },
)
def get_sample(
    name: Annotated[str, Path(pattern=NAME, max_length=80, description="e.g. tx-junior-on-track")],
    settings: SettingsDep,
    _caller: Reader,
) -> dict[str, Any]:
    path = samples_folder(settings.root) / f"{name}.json"
    if not path.is_file():
        raise ProblemError(404, "Not found", f"No sample student {name!r}; see GET /v1/samples.")
    return _read(path)
