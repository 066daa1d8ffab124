"""GradPath's command line: a thin adapter over :mod:`engine`."""
