"""The overview's scorecard: one row per target, with progress and time used, sorted by urgency."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tracker.formatting import format_deadline, format_value
from tracker.periods import date_to_t
from tracker.status import AT_RISK, STATUS_ICONS, STATUS_LABELS, URGENCY


def time_left(deadline: date, as_of: date) -> str:
    """'1 yr 1 mo left', '3 mo left', 'due 11 mo ago'."""
    months = (deadline.year - as_of.year) * 12 + deadline.month - as_of.month - (deadline.day < as_of.day)
    ago = months < 0 or (months == 0 and deadline < as_of)
    months = abs(months)
    years, rest = divmod(months, 12)
    text = " ".join(p for p in (f"{years} yr" if years else "", f"{rest} mo" if rest else "") if p) or "< 1 mo"
    return f"due {text} ago" if ago else f"{text} left"


def build_scorecard(assessed: pd.DataFrame, targets: pd.DataFrame, as_of: date, lang: str = "en") -> pd.DataFrame:
    """Join assessments with target and policy details and add the columns the overview shows."""
    t = targets.set_index("id")
    a = assessed.set_index("id")
    df = a.join(t[["title", "title_zh", "policy_id", "policy_title", "policy_title_zh", "issuer", "tags",
                   "indicator_name_zh", "source"]], how="left")  # fmt: skip
    zh = lang == "zh"
    pick = lambda en, cn: np.where(zh & df[cn].notna(), df[cn], df[en])  # noqa: E731
    df["title"] = pick("title", "title_zh")
    df["policy_label"] = pick("policy_title", "policy_title_zh")
    now_t = date_to_t(as_of)
    with np.errstate(all="ignore"):
        way = (df["latest_value"] - df["base_value"]) / (df["target_value"] - df["base_value"])
        df["progress"] = np.where(df["status"] == "achieved", 1.0, way)
        df["time_used"] = (now_t - df["base_t"]) / (df["deadline_t"] - df["base_t"])
    df["status_label"] = [f"{STATUS_ICONS[s]} {STATUS_LABELS[s]}" for s in df["status"]]
    df["latest"] = [
        "" if pd.isna(v) else f"{format_value(v, u)} ({p})"
        for v, u, p in zip(df["latest_value"], df["unit"], df["latest_period"], strict=True)
    ]
    df["goal"] = [
        f"{c} {format_value(v, u)}" for c, v, u in zip(df["comparator"], df["target_value"], df["unit"], strict=True)
    ]
    deadlines = [pd.Timestamp(d).date() for d in df["deadline"]]
    df["due"] = [format_deadline(d) for d in deadlines]
    df["time_left"] = [time_left(d, as_of) for d in deadlines]
    df["projected"] = [
        "" if pd.isna(v) else format_value(v, u) for v, u in zip(df["projected_value"], df["unit"], strict=True)
    ]
    df["deadline_year"] = [d.year for d in deadlines]
    df["urgency"] = df["status"].map(URGENCY)
    # At risk before the rest; a passed deadline still waiting for its figure after the open ones.
    at_risk = df["status"].isin(AT_RISK)
    passed = pd.to_datetime(df["deadline"]) < pd.Timestamp(as_of)
    df["settled"] = np.select(
        [df["status"] == "achieved", df["status"] == "missed", passed, df["status"] == "no_data", ~at_risk],
        [6, 5, 4, 3, 2],
        default=1,
    )
    df = df.reset_index().sort_values(["settled", "deadline", "urgency", "id"], kind="stable")
    return df.reset_index(drop=True)
