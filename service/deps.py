"""What routes share: the loaded knowledge and settings, read from the app's state.

The dependencies are ``async``: FastAPI runs a plain ``def`` dependency in a thread pool, and
three thread hops per request cost more than the work they do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from engine.knowledge import Knowledge
from engine.loader import LoadedTree
from service.settings import Settings

__all__ = ["KnowledgeDep", "SettingsDep", "TreeDep", "log_extra"]


async def _knowledge(request: Request) -> Knowledge:
    knowledge: Knowledge = request.app.state.knowledge
    return knowledge


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _tree(request: Request) -> LoadedTree:
    tree: LoadedTree = request.app.state.tree
    return tree


def log_extra(request: Request, **fields: Any) -> None:
    """Add counts and versions (never student data) to this request's access-log line."""
    extra = getattr(request.state, "log_extra", None) or {}
    extra.update(fields)
    request.state.log_extra = extra


KnowledgeDep = Annotated[Knowledge, Depends(_knowledge)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TreeDep = Annotated[LoadedTree, Depends(_tree)]
