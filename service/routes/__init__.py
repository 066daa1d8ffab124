"""The v1 routes, one module per resource.

A route that answers in a few milliseconds of CPU (audit, reference data, health) is ``async``
and runs on the event loop: FastAPI runs a plain ``def`` route, and its response validation, in
the thread pool, two hops that cost about 0.2-0.5 ms here, more than a lookup. Work that may
take tens of milliseconds or more (plan, what-if, recommendations, rule validation, Ed-Fi
import) stays a plain ``def``, so the loop keeps accepting requests meanwhile.
"""
