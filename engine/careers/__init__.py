"""Careers: occupations authored as data, searchable, compiled into requirement sets.

``careers/<cluster>.yaml`` holds the careers of one National Career Cluster (SOC code, typical
entry education, programs of study, recommended coursework, postsecondary routes, sources);
``careers/routes.yaml`` says which rule sets lead to each kind of route in each state. Loading
(:mod:`engine.loader`) validates them; :func:`build_book` checks them against the loaded
catalogs and rule sets and compiles each career into the goal ``career-<slug>``.
"""

from engine.careers.book import CareerBook, CareerEntry, Pending, build_book, career_set_id
from engine.careers.model import Career, CareerFile, Coursework, Route, RouteDefaults
from engine.careers.search import Hit, search_careers
from engine.careers.vocabulary import CLUSTER_TITLES, CLUSTERS, ENTRY_EDUCATION, PROGRAMS

__all__ = [
    "CLUSTERS",
    "CLUSTER_TITLES",
    "ENTRY_EDUCATION",
    "PROGRAMS",
    "Career",
    "CareerBook",
    "CareerEntry",
    "CareerFile",
    "Coursework",
    "Hit",
    "Pending",
    "Route",
    "RouteDefaults",
    "build_book",
    "career_set_id",
    "search_careers",
]
