"""The analyst questions of EXAMPLES.md: each query runs exactly as written in the docs (the
`answers` fixture of conftest.py) and gives the answer expected from reading the memo."""

from __future__ import annotations

import datetime

import pandas as pd


def test_timeline_of_russias_actions_toward_the_taliban_since_2021(answers: dict) -> None:
    timeline = answers["timeline"]
    # The immediate reaction to the August 2021 takeover (anchored to it), then the late-October
    # Moscow talks; nothing from before 2021 (the 2003 listing, the mid-2010s contacts).
    assert list(timeline["event_id"]) == [
        "deputy-foreign-minister-remark-on-afghan-counterterrorism",
        "kremlin-calls-for-recognizing-taliban-control",
        "moscow-message-ball-on-taliban-side",
        "russian-embassy-ready-to-interact",
        "moscow-regional-talks-on-afghanistan",
    ]
    starts = list(timeline["time_start"])
    assert starts == sorted(starts) and starts[0] == datetime.date(2021, 8, 1)
    assert set(timeline["time_basis"]) == {"anchored", "stated"}


def test_whom_russia_works_with_and_in_which_forums(answers: dict) -> None:
    assert answers["partners"] == [
        "afghan-de-facto-authorities",  # the embassy's readiness to interact
        "csto",  # member, leader, co-agent of the drill
        "intra-afghan-dialogue",  # Moscow-initiated
        "regional-multilateral-frameworks",  # collective action
        "regional-peace-consultation-format",  # Moscow-initiated
        "regional-powers",  # "in cooperation with regional powers"
        "russias-central-asian-allies",
        "tajikistan",  # "Moscow's CSTO ally Tajikistan"
        "taliban",  # invited to the negotiations, party to the Moscow talks
        "uzbekistan",  # "Moscow's rapprochement with Tashkent"
        "valdai-discussion-club",  # the venue of Putin's remark (review D2: venue, not host)
    ]
    assert answers["forums"] == [
        "csto",
        "intra-afghan-dialogue",
        "regional-multilateral-frameworks",
        "regional-peace-consultation-format",
        "valdai-discussion-club",
    ]


def test_risks_russia_perceives_ranked_by_hedge(answers: dict) -> None:
    ranked = answers["ranked"]
    assert list(ranked["risk_id"]) == [
        "isis-presence-in-afghanistan",
        "islamist-militant-milieu-risk",
        "narcotics-from-afghanistan",
        "overlap-of-threats-in-northern-afghanistan",
        "tajikistan-afghanistan-tensions",
        "terrorism-from-afghanistan",
        "afghan-authorities-potential-links-to-radical-groups",
        "destabilization-spilling-across-borders",
        "state-failure-in-afghanistan",
    ]
    # The strife in the north "runs against Russia's security interests": Russia is exposed to it,
    # and the memo does not say Moscow holds that concern (review D1).
    assert "intra-afghan-strife-in-the-north" not in set(ranked["risk_id"])
    possible = ranked[ranked["certainty"] == "possible"]
    assert set(possible["hedge"]) == {"potential", "could"}


def test_russias_stances_before_and_after_the_takeover(answers: dict) -> None:
    stances = answers["stances"].set_index("position_id")
    after = set(stances.index[stances["period"] == "after the takeover"])
    # The stances the memo ties to the new authorities or to the takeover itself.
    assert {
        "russia-on-recognizing-the-taliban",
        "russia-on-delisting-the-taliban",
        "russia-accepts-taliban-as-interim-caretaker",
        "kremlin-accepts-reality-of-taliban-control",
    } <= after
    # The terrorist listing is stated: "Since then" (the 2003 ruling), open until the memo.
    listing = stances.loc["russia-keeps-taliban-on-terrorist-list"]
    assert listing["period"] == "since before the takeover"
    assert listing["time_start"] == datetime.date(2003, 1, 1) and listing["time_basis"] == "stated"
    # A stance placed only by the memo's date has no start: never an invented one.
    undated = stances[stances["period"] == "start not given"]
    assert len(undated) > 0
    assert set(undated["time_basis"]) <= {"document-date", "expressed-by-event"}
    assert (undated["time_end"] == datetime.date(2021, 11, 30)).all()


def test_since_when_tajikistan_is_russias_ally(answers: dict) -> None:
    alliance = answers["alliance"]
    assert list(alliance["relation_id"]) == ["tajikistan-ally-of-russia"]
    row = alliance.iloc[0]
    assert pd.isna(row["time_start"])  # the memo gives no start
    assert row["time_end"] == datetime.date(2021, 11, 30)
    assert row["time_basis"] == "document-date"
    assert len(answers["placing"]) >= 1
