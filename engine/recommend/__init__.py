"""Recommendations: which careers fit a student, how far each is, and which courses keep them open.

An individual learning plan starts with exploration: a 7th grader has no goal yet. The
recommender ranks every bundled career for a student from what they like (Holland/RIASEC
codes, clusters, subjects) and what they have done (the audit of each career goal, their
grades), each score made of parts a counselor can read and trace to data
(:func:`recommend`); shows the routes to one career and the gap to each (:func:`pathway`);
and names the next courses that keep the most of the top careers open
(:func:`leverage_courses`). No learned model: the same input always gives the same answer.
"""

from engine.recommend.inputs import Interests, Preferences
from engine.recommend.interests import riasec_match
from engine.recommend.leverage import leverage_courses
from engine.recommend.pathways import pathway
from engine.recommend.rank import WEIGHTS, recommend
from engine.recommend.results import (
    CareerFit,
    LeverageCourse,
    Part,
    PathwayResult,
    RecommendResult,
    RouteView,
)

__all__ = [
    "WEIGHTS",
    "CareerFit",
    "Interests",
    "LeverageCourse",
    "Part",
    "PathwayResult",
    "Preferences",
    "RecommendResult",
    "RouteView",
    "leverage_courses",
    "pathway",
    "recommend",
    "riasec_match",
]
