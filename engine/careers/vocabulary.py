"""The national names careers are written in: clusters, programs of study, goal ids, education.

These mirror ``docs/vocabulary.md`` (a test keeps the two in step), so a career file can be
checked without any state's catalog: a misspelt program or cluster is an error with
``file:line:col`` and a did-you-mean, and a route naming a rule set that is in the vocabulary
but not bundled yet is reported as pending instead of failing every load.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "CLUSTERS",
    "CLUSTERS_2024",
    "CLUSTER_TITLES",
    "ENTRY_EDUCATION",
    "GOAL_IDS",
    "NATIONAL_ATTRIBUTES",
    "NATIONAL_ATTRIBUTE_PREFIXES",
    "PROGRAMS",
    "ClusterSlug",
    "EntryEducation",
    "ProgramSlug",
    "RouteKind",
]

#: The 16 National Career Clusters (2002-2024 framework, Advance CTE), as ``cte:`` slugs.
ClusterSlug = Literal[
    "agriculture",
    "architecture-construction",
    "arts-av-communications",
    "business-management",
    "education-training",
    "finance",
    "government-public-administration",
    "health-science",
    "hospitality-tourism",
    "human-services",
    "information-technology",
    "law-public-safety",
    "manufacturing",
    "marketing",
    "stem",
    "transportation-logistics",
]

#: Official names of the 16 clusters (../shared/reference/data/career_clusters_2002_16.csv).
CLUSTER_TITLES: Final[dict[str, str]] = {
    "agriculture": "Agriculture, Food & Natural Resources",
    "architecture-construction": "Architecture & Construction",
    "arts-av-communications": "Arts, A/V Technology & Communications",
    "business-management": "Business Management & Administration",
    "education-training": "Education & Training",
    "finance": "Finance",
    "government-public-administration": "Government & Public Administration",
    "health-science": "Health Science",
    "hospitality-tourism": "Hospitality & Tourism",
    "human-services": "Human Services",
    "information-technology": "Information Technology",
    "law-public-safety": "Law, Public Safety, Corrections & Security",
    "manufacturing": "Manufacturing",
    "marketing": "Marketing",
    "stem": "Science, Technology, Engineering & Mathematics",
    "transportation-logistics": "Transportation, Distribution & Logistics",
}
CLUSTERS: Final[tuple[str, ...]] = tuple(CLUSTER_TITLES)

#: Names in the 2024 framework, only where a source confirmed them (see each careers/ file):
#: mncte.org's October 2024 summary (mergers and the cross-cutting clusters), Advance CTE's
#: cluster page (Hospitality, Events & Tourism) and CareerOneStop (Supply Chain & Transportation).
#: The others (e.g. "Advanced Manufacturing", "Financial Services") are unconfirmed: left out.
CLUSTERS_2024: Final[dict[str, str]] = {
    "business-management": "Management & Entrepreneurship",
    "government-public-administration": "Public Service & Safety",
    "health-science": "Healthcare & Human Services",
    "hospitality-tourism": "Hospitality, Events & Tourism",
    "human-services": "Healthcare & Human Services",
    "information-technology": "Digital Technology",
    "law-public-safety": "Public Service & Safety",
    "marketing": "Marketing & Sales",
    "transportation-logistics": "Supply Chain & Transportation",
}

#: Programs of study (``pos:<program>``), named once nationally, by cluster.
ProgramSlug = Literal[
    "animal-science",
    "plant-science",
    "agricultural-mechanics",
    "construction-trades",
    "architectural-design",
    "digital-media",
    "graphic-design",
    "audio-video-production",
    "business-management",
    "entrepreneurship",
    "teaching-training",
    "early-childhood",
    "accounting-finance",
    "public-administration",
    "health-science",
    "nursing-science",
    "biomedical-science",
    "emergency-medical-services",
    "culinary-arts",
    "hospitality-management",
    "cosmetology",
    "family-consumer-services",
    "programming-software",
    "networking-cybersecurity",
    "law-enforcement",
    "fire-science",
    "welding",
    "advanced-manufacturing",
    "marketing-sales",
    "engineering",
    "automotive-technology",
    "logistics",
]

PROGRAMS: Final[dict[str, tuple[str, ...]]] = {
    "agriculture": ("animal-science", "plant-science", "agricultural-mechanics"),
    "architecture-construction": ("construction-trades", "architectural-design"),
    "arts-av-communications": ("digital-media", "graphic-design", "audio-video-production"),
    "business-management": ("business-management", "entrepreneurship"),
    "education-training": ("teaching-training", "early-childhood"),
    "finance": ("accounting-finance",),
    "government-public-administration": ("public-administration",),
    "health-science": (
        "health-science",
        "nursing-science",
        "biomedical-science",
        "emergency-medical-services",
    ),
    "hospitality-tourism": ("culinary-arts", "hospitality-management"),
    "human-services": ("cosmetology", "family-consumer-services"),
    "information-technology": ("programming-software", "networking-cybersecurity"),
    "law-public-safety": ("law-enforcement", "fire-science"),
    "manufacturing": ("welding", "advanced-manufacturing"),
    "marketing": ("marketing-sales",),
    "stem": ("engineering",),
    "transportation-logistics": ("automotive-technology", "logistics"),
}

#: Goal ids of the shared vocabulary (rule sets bundled now or being written).
GOAL_IDS: Final[frozenset[str]] = frozenset(
    {
        "ncaa-d1",
        "ncaa-d1-redshirt",
        "ncaa-d2",
        "ncaa-d2-partial",
        "uc-ag",
        "uc-ag-nonresident",
        "csu-ag",
        "csu-ag-nonresident",
        "tx-fhsp",
        "tx-endorsement-stem",
        "tx-endorsement-business-industry",
        "tx-endorsement-public-services",
        "tx-endorsement-arts-humanities",
        "tx-endorsement-multidisciplinary",
        "tx-dla",
        "ca-grad",
        "wa-grad",
        "ny-regents",
        "fl-standard",
    }
)

#: Attributes every state's catalog spells the same way (docs/vocabulary.md, national table).
NATIONAL_ATTRIBUTES: Final[frozenset[str]] = frozenset({"lab-science"})
NATIONAL_ATTRIBUTE_PREFIXES: Final[tuple[str, ...]] = ("ncaa-core:", "uc-ag:", "cte:", "pos:")

#: BLS "typical education needed for entry" categories (Employment Projections).
EntryEducation = Literal[
    "doctoral-or-professional",
    "masters",
    "bachelors",
    "associates",
    "postsecondary-nondegree-award",
    "some-college-no-degree",
    "high-school-diploma",
    "no-formal-credential",
]
ENTRY_EDUCATION: Final[dict[str, str]] = {
    "doctoral-or-professional": "Doctoral or professional degree",
    "masters": "Master's degree",
    "bachelors": "Bachelor's degree",
    "associates": "Associate's degree",
    "postsecondary-nondegree-award": "Postsecondary nondegree award",
    "some-college-no-degree": "Some college, no degree",
    "high-school-diploma": "High school diploma or equivalent",
    "no-formal-credential": "No formal educational credential",
}

#: How a student gets from high school to the career.
RouteKind = Literal[
    "bachelor", "associate", "certificate", "apprenticeship", "military", "on-the-job"
]
