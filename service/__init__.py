"""GradPath's HTTP service (FastAPI), a thin adapter over :mod:`engine`.

Nothing is served yet: the v1 API for ILP portals is built by its own issue on top of
:func:`engine.audit`.
"""
