"""The overview's scorecard: one row per target, with progress and time used, sorted by urgency.

Every reader-facing text column is in the language asked for; the numbers come from the
assessed frame and are never recomputed by a page.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from datetime import date

import numpy as np
import pandas as pd

from tracker.assess.explain import deciding_figure
from tracker.i18n import t
from tracker.i18n.numbers import format_change, format_deadline, format_goal, format_value
from tracker.status import AT_RISK, AWAITING, STATUS_SHAPES, TREND_STATUSES, URGENCY
from tracker.vocabulary import JUDGED_KINDS

__all__ = [
    "AT_RISK",
    "KINDS",
    "STATUS_SHAPES",
    "URGENCY",
    "build_scorecard",
    "pace_points",
    "scorecard_heading",
    "status_counts",
]

KINDS = ("commitment", "expectation", "interpreted", "reference")


def time_left(deadline: date, as_of: date, lang: str = "en") -> str:
    """'1 yr 1 mo left', '3 mo left', 'due 11 mo ago' (and the same in Chinese)."""
    months = (deadline.year - as_of.year) * 12 + deadline.month - as_of.month - (deadline.day < as_of.day)
    ago = months < 0 or (months == 0 and deadline < as_of)
    years, rest = divmod(abs(months), 12)
    parts = [t("time.years", lang, n=years) if years else "", t("time.months", lang, n=rest) if rest else ""]
    text = t("time.join", lang).join(p for p in parts if p) or t("time.under_a_month", lang)
    return t("time.ago" if ago else "time.left", lang, span=text)


def scorecard_heading(shown: int, total: int, lang: str = "en") -> str:
    """ "Scorecard: 12 of 81 targets" when a filter leaves some out; "all 81 targets" when none is (not "81 of 81")."""
    if shown == total:
        return t("overview.scorecard_all", lang, total=f"{total:,}")
    return t("overview.scorecard", lang, shown=f"{shown:,}", total=f"{total:,}")


def no_attention_note(card: pd.DataFrame, lang: str = "en", where: str = "overview.attention_none_passed") -> str:
    """What "Needs attention" says when no target of ``card`` (a scorecard, or the rows a filter keeps) is on it:
    how many judged targets with their deadline to come were looked at and how many of them cannot be judged yet,
    so that an empty list reads as checked, not as "all on course", and where the ones behind pace past their
    deadline are (the counts above list them as awaiting their final figure): ``where``, the key of that sentence
    on the page (the dashboard lists them at its end, the site further down its scorecard; ``<where>_alone`` when no
    target was looked at, without "more"). '' for no target at all."""
    if card.empty:
        return ""
    judged, passed, status = card["judged"], card["passed"], card["status"]
    looked_at = int((judged & ~passed).sum())
    unknown = int((judged & ~passed & status.isin(("insufficient_data", "no_data"))).sum())
    behind = int((judged & passed & _column(card, "trend_status", None).isin(AT_RISK)).sum())
    if not looked_at:
        sentences = [t("overview.attention_none_open", lang)]
    elif unknown == looked_at:
        sentences = [_counted("overview.attention_unjudged", lang, n=looked_at)]
    else:
        sentences = [_counted("overview.attention_none", lang, n=looked_at)]
        if unknown:
            sentences.append(_counted("overview.attention_none_unknown", lang, unknown=unknown))
    if behind:  # "3 more were behind pace ..." after the targets looked at; without them, not "more"
        sentences.append(_counted(where if looked_at else f"{where}_alone", lang, behind=behind))
    return functools.reduce(lambda first, second: t("value.sentences", lang, first=first, second=second), sentences)


def _counted(key: str, lang: str, **count: int) -> str:
    """``key`` filled with its one count, in its singular form (``key_one``) when the count is 1."""
    ((name, number),) = count.items()
    return t(f"{key}_one" if number == 1 else key, lang, **{name: f"{number:,}"})


def _column(df: pd.DataFrame, name: str, default: object) -> pd.Series:
    return df[name] if name in df.columns else pd.Series([default] * len(df), index=df.index, dtype=object)


def build_scorecard(assessed: pd.DataFrame, targets: pd.DataFrame, as_of: date, lang: str = "en") -> pd.DataFrame:
    """Join assessments with target and policy details and add the columns the pages show."""
    t_ = targets.set_index("id")
    a = assessed.set_index("id")
    wanted = ["title", "title_zh", "policy_id", "policy_title", "policy_title_zh", "issuer", "tags",
              "indicator_name_zh", "source", "wording", "interpretation", "proxy_why"]  # fmt: skip
    df = a.join(t_[[c for c in wanted if c in t_.columns and c not in a.columns]], how="left")
    zh = lang == "zh"
    pick = lambda en, cn: np.where(zh & df[cn].notna(), df[cn], df[en])  # noqa: E731
    df["title"] = pick("title", "title_zh")
    df["policy_label"] = pick("policy_title", "policy_title_zh")
    df["kind"] = _column(df, "kind", "commitment").fillna("commitment")
    df["judged"] = df["kind"].isin(JUDGED_KINDS)
    df["progress"] = way_covered(df)
    with np.errstate(all="ignore"):
        df["time_used"] = (df["latest_t"] - df["base_t"]) / (df["deadline_t"] - df["base_t"])
    df["status_label"] = [t(f"status.{s}", lang) for s in df["status"]]
    df["kind_label"] = [t(f"kind.{k}", lang) for k in df["kind"]]
    df["latest"] = _deciding_figures(df, lang)
    df["needed_text"] = [
        None if pd.isna(v) else format_change(v, u, lang)
        for v, u in zip(_column(df, "pace_needed_from_now", np.nan), df["unit"], strict=True)
    ]
    df["goal"] = [format_goal(c, v, u, lang) for c, v, u in zip(df["comparator"], df["target_value"], df["unit"],
                                                                 strict=True)]  # fmt: skip
    deadlines = [None if pd.isna(d) else pd.Timestamp(d).date() for d in df["deadline"]]
    df["due"] = ["" if d is None else format_deadline(d, lang) for d in deadlines]
    df["time_left"] = ["" if d is None else time_left(d, as_of, lang) for d in deadlines]
    df["projected"] = [
        "" if pd.isna(v) else format_value(v, u, lang) for v, u in zip(df["projected_value"], df["unit"], strict=True)
    ]
    df["deadline_year"] = [d.year if d is not None else 0 for d in deadlines]
    # A target awaiting its deadline's figure sorts among the passed ones by the trend it had, the worst first.
    ranked = df["status"].where(df["status"] != AWAITING, _column(df, "trend_status", None))
    df["urgency"] = ranked.map(URGENCY).fillna(9)
    df["passed"] = pd.Series([d is not None and d < as_of for d in deadlines], index=df.index, dtype=bool)
    # At risk before the rest; a passed deadline still waiting for its figure after the open ones;
    # targets that are not judged (interpreted, reference) last.
    at_risk = df["status"].isin(AT_RISK)
    # "Needs attention": judged and behind pace with time left. A passed deadline cannot be caught up
    # on; those wait for their final figure in the list of passed deadlines, whatever their trend said.
    df["attention"] = df["judged"] & at_risk & ~df["passed"]
    df["status_note"] = status_notes(df["status"], _column(df, "trend_status", None), _column(df, "flags", None), lang)
    df["settled"] = np.select(
        [~df["judged"], df["status"] == "achieved", df["status"] == "missed", df["passed"], df["status"] == "no_data",
         ~at_risk],
        [7, 6, 5, 4, 3, 2],
        default=1,
    )  # fmt: skip
    df = df.reset_index().sort_values(["settled", "deadline", "urgency", "id"], kind="stable", na_position="last")
    return df.reset_index(drop=True)


def status_notes(status: object, trend: object, flags: object, lang: str) -> np.ndarray:
    """What each row says under its status, from its columns: for a target awaiting the figure for its passed
    deadline, what the figures up to the deadline pointed to (its ``trend_status``: "On track" is not its status,
    since it can no longer be a forecast); that the latest figure is out of date (flag out_of_date_figure); both;
    for a target achieved past its deadline on a figure from before it (flag awaiting_final_data), that it was met
    before the deadline's own figure is out (the Plans list's "met early", which the badge alone did not tell apart);
    or nothing."""
    said = {s: t("overview.pending", lang, trend=t(f"trend_was.{s}", lang)) for s in TREND_STATUSES}
    waits = np.array([said.get(s, "") if w == AWAITING else "" for w, s in zip(status, trend, strict=True)],
                     dtype=object)  # fmt: skip
    pending = waits != ""
    old = np.fromiter(("out_of_date_figure" in (f if f is not None else ()) for f in flags), dtype=bool,
                      count=len(waits))  # fmt: skip
    early = np.fromiter((s == "achieved" and "awaiting_final_data" in (f if f is not None else ())
                         for s, f in zip(status, flags, strict=True)), dtype=bool, count=len(waits))  # fmt: skip
    dated, join = t("overview.out_of_date", lang), t("overview.note_join", lang)
    return np.select([pending & old, pending, old, early], [waits + join + dated, waits, dated,
                                                            t("overview.met_early", lang)], default="")  # fmt: skip


def average_sentence(scores: pd.Series, judged: int, lang: str) -> str:
    """What a policy says of its score: the average over its scored commitments and expectations (``scores``, one
    per judged target, NaN for none) with how many have none; that none has a score yet ("over the 0 scored targets:
    n/a" read as unfinished); '' for a document of readings and reference levels only. Markdown bold."""
    scored = scores.dropna()
    unscored = judged - len(scored)
    if len(scored):
        return t("policies.average", lang, average=f"{scored.mean():+.1f}", scored=len(scored), unscored=unscored)
    return t("policies.average_none", lang, unscored=unscored) if unscored else ""


def status_rules(lang: str) -> list[tuple[str, str, str]]:
    """Each status with its rule and its score, as the methodology pages of the app and the site list them, from the
    constants the assessment uses."""
    from tracker import assess as A

    rules = {
        "achieved": t("method.rule_achieved", lang),
        "on_track": f"R ≥ {A.ON_TRACK}",
        "acceleration_needed": f"{A.ACCELERATION} ≤ R < {A.ON_TRACK}",
        "limited_progress": f"{A.LIMITED} ≤ R < {A.ACCELERATION}",
        "deteriorating": f"R < {A.LIMITED}",
        "missed": t("method.rule_missed", lang),
        AWAITING: t("method.rule_awaiting", lang),
        "insufficient_data": t("method.rule_insufficient", lang),
        "no_data": t("method.rule_no_data", lang),
        "not_assessed": t("method.rule_not_assessed", lang),
    }
    scores = {"achieved": f"{A.SCORE_ACHIEVED:+.0f}", "missed": f"{A.SCORE_MISSED:+.0f}"}
    graded = ("on_track", "acceleration_needed", "limited_progress", "deteriorating")
    return [(s, rule, scores.get(s, "score(R)" if s in graded else t("method.no_score", lang)))
            for s, rule in rules.items()]  # fmt: skip


def status_note(assessed: pd.Series, lang: str) -> str:
    """:func:`status_notes` of one assessed target, as its scorecard row says it (the target pages' status block)."""
    return str(status_notes([assessed["status"]], [assessed.get("trend_status")], [assessed.get("flags")], lang)[0])


def way_covered(df: pd.DataFrame) -> np.ndarray:
    """Share of the way from base to target covered by the latest figure, in the method's own terms.

    For growth methods (cagr_ratio) the way is measured on logarithms, so that a series growing at
    the required rate is on the diagonal of the Pace chart, as its status says; else in plain units.
    """
    base, latest, target = (df[c].to_numpy(dtype=float, na_value=np.nan)
                            for c in ("base_value", "latest_value", "target_value"))  # fmt: skip
    growth = (df["method"] == "cagr_ratio").to_numpy() & (base > 0) & (latest > 0) & (target > 0)
    with np.errstate(all="ignore"):
        plain = (latest - base) / (target - base)
        logs = np.log(latest / base) / np.log(target / base)
    way = np.where(growth, logs, plain)
    return np.where((df["status"] == "achieved").to_numpy(), 1.0, way)


_FIGURE_FIELDS = ("final_period", "final_value", "final_qualifier", "final_digits", "latest_period", "latest_value",
                  "latest_qualifier", "latest_digits", "unit")  # fmt: skip
_FigureRow = namedtuple("_FigureRow", _FIGURE_FIELDS)


def _deciding_figures(df: pd.DataFrame, lang: str) -> list[str]:
    """The figure beside each status, as ``tracker status`` shows it (``tracker.assess.explain.deciding_figure``,
    the one home of the rule): after the deadline the figure that decided it once it is out, else the latest. (A
    verdict on a figure published after the deadline stood beside an older latest figure: "Achieved" beside "more
    than 80 platforms" for a target of 120.) The rows it reads are made of those columns only: ``itertuples`` of
    the whole scorecard would copy some forty columns a row."""
    columns = [_column(df, name, 3 if name.endswith("digits") else None).tolist() for name in _FIGURE_FIELDS]
    return [deciding_figure(_FigureRow(*row), lang) for row in zip(*columns, strict=True)]


def status_counts(card: pd.DataFrame) -> pd.DataFrame:
    """Targets by kind and status: 'achieved' among commitments is never added to expectations."""
    if card.empty:
        return pd.DataFrame(columns=["kind", "status", "targets"])
    counts = card.groupby(["kind", "status"]).size().reset_index(name="targets")
    counts["kind_order"] = counts["kind"].map({k: i for i, k in enumerate(KINDS)}).fillna(len(KINDS))
    counts["status_order"] = counts["status"].map(URGENCY)
    return counts.sort_values(["kind_order", "status_order"]).drop(columns=["kind_order", "status_order"])


def pace_points(card: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Judged targets for the Pace chart, time and progress both measured at the latest figure.

    Returns (open, passed): targets whose deadline has not passed and that have a base and a
    later figure; and targets whose deadline has passed, which the page lists apart.
    """
    judged = card[card["judged"]]
    passed = judged[judged["passed"]]
    open_ = judged[~judged["passed"] & judged["time_used"].notna() & judged["progress"].notna()]
    open_ = open_[np.isfinite(open_["time_used"].astype(float)) & np.isfinite(open_["progress"].astype(float))]
    open_ = open_[open_["time_used"] > 0]
    return open_.reset_index(drop=True), passed.reset_index(drop=True)
