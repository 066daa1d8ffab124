"""Tools for the staff who author rules: test cases, semantic diffs, synthetic students, impact.

Each module is one concept and pure: files come in through the loaders, results go out as
frozen data that the CLI renders. Nothing here changes how an audit judges a student.

* :mod:`~engine.authoring.ruletests`: ``<rule>.tests.yaml`` case files and their runner
* :mod:`~engine.authoring.diff`: the semantic diff of two versions of a rule set
* :mod:`~engine.authoring.roots`: the tree a rule file belongs to; a draft swapped into a tree
* :mod:`~engine.authoring.synth`: a seeded synthetic student population
* :mod:`~engine.authoring.impact`: status changes across a population between two versions
"""

from engine.authoring.diff import Change, changed_sets, diff_sets
from engine.authoring.impact import ImpactReport, Transition, measure_impact
from engine.authoring.roots import Side, find_root, load_side, load_sides
from engine.authoring.ruletests import CaseFile, FileReport, discover_case_files, run_case_file
from engine.authoring.synth import SynthOptions, synthesize

__all__ = [
    "CaseFile",
    "Change",
    "FileReport",
    "ImpactReport",
    "Side",
    "SynthOptions",
    "Transition",
    "changed_sets",
    "diff_sets",
    "discover_case_files",
    "find_root",
    "load_side",
    "load_sides",
    "measure_impact",
    "run_case_file",
    "synthesize",
]
