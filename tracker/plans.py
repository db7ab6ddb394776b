"""Plans as a hierarchy: the plan each policy belongs to, and each plan's verdicts at its deadlines.

A policy names the plan it implements with ``parent``; its plan is its top ancestor (a policy without a
parent is a plan of its own). A plan's scorecard sorts its judged targets (commitments and expectations)
by verdict: met or missed on the figure for the deadline; met before the deadline with that figure not
out yet; no figure for the deadline yet; still open. Readings and reference levels are counted apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from tracker.assess.explain import deciding_figure
from tracker.escape import ITEM_SEPARATOR as SEP
from tracker.escape import html_text as esc
from tracker.escape import html_with_whole
from tracker.i18n import t
from tracker.i18n.numbers import goal_due

VERDICTS: tuple[str, ...] = ("met", "missed", "met_awaiting_final", "no_final_figure", "open", "not_judged")


def plan_of(policies: pd.DataFrame) -> dict[str, str]:
    """Each policy id -> the id of its top ancestor (itself when it has no parent)."""
    parent = {p: (q if isinstance(q, str) else None) for p, q in zip(policies["id"], policies["parent"], strict=True)}
    roots = {}
    for policy in parent:
        seen, node = {policy}, policy
        while parent.get(node) in parent and parent[node] not in seen:  # the catalogue refuses cycles; be safe
            node = parent[node]
            seen.add(node)
        roots[policy] = node
    return roots


def verdict(status: str, flags: list[str], judged: bool, deadline: object, as_of: date) -> str:
    if not judged:
        return "not_judged"
    if pd.isna(deadline) or pd.Timestamp(deadline).date() >= as_of:
        return "open"
    if status == "missed":
        return "missed"
    if status == "achieved":
        return "met_awaiting_final" if "awaiting_final_data" in flags else "met"
    return "no_final_figure"


def plan_targets(assessed: pd.DataFrame, targets: pd.DataFrame, policies: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per target: its plan, policy, deadline year, verdict and the figure that decides it."""
    roots = plan_of(policies)
    policy_of = dict(zip(targets["id"], targets["policy_id"], strict=True))
    rows = []
    for r in assessed.itertuples(index=False):
        deadline = pd.Timestamp(r.deadline) if not pd.isna(r.deadline) else None
        rows.append(
            {
                "id": r.id,
                "policy_id": policy_of[r.id],
                "plan_id": roots.get(policy_of[r.id], policy_of[r.id]),
                "deadline_year": deadline.year if deadline is not None else None,
                "kind": r.kind,
                "status": r.status,
                "verdict": verdict(r.status, list(r.flags), bool(r.judged), r.deadline, as_of),
                "figure": deciding_figure(r),
                "figure_zh": deciding_figure(r, "zh"),
            }
        )
    return pd.DataFrame(rows, columns=["id", "policy_id", "plan_id", "deadline_year", "kind", "status", "verdict",
                                       "figure", "figure_zh"])  # fmt: skip


def plan_summary(plan_rows: pd.DataFrame) -> pd.DataFrame:
    """Per plan and deadline year: how many targets have each verdict (judged ones, and the rest apart)."""
    if plan_rows.empty:
        return pd.DataFrame(columns=["plan_id", "deadline_year", "judged", *VERDICTS])
    counts = (
        plan_rows.assign(deadline_year=plan_rows["deadline_year"].fillna(0).astype(int))
        .groupby(["plan_id", "deadline_year", "verdict"])
        .size()
        .unstack("verdict", fill_value=0)
        .reindex(columns=list(VERDICTS), fill_value=0)
        .reset_index()
    )
    counts["judged"] = counts[[v for v in VERDICTS if v != "not_judged"]].sum(axis=1)
    return counts[["plan_id", "deadline_year", "judged", *VERDICTS]]


def goal_due_html(goal: str, due: object, lang: str) -> str:
    """``goal_due`` as HTML, the deadline kept on one line (no "end-/2025" on a phone); the goal alone without one."""
    if not isinstance(due, str) or not due:
        return esc(goal)
    return html_with_whole(goal_due(goal, "\x00", lang), due)


def verdict_lists(plans: pd.DataFrame, card: pd.DataFrame, lang: str, href: Callable[[str], str]) -> dict[str, list]:
    """What a reader sees of each plan that gathers two or more policies (a single notice is shown with its
    policy): per deadline year with judged targets, a heading with the year's counts, and the list of those targets
    as HTML, each linked to ``href(id)`` with its verdict, goal and the figure that decides it (and the pace an open
    one needs). ``plans`` from :func:`plan_targets`, ``card`` the scorecard in ``lang``. The dashboard and the
    static site show the same lists; every text is escaped here."""
    by_id = card.set_index("id")
    summary = plan_summary(plans)
    out: dict[str, list] = {}
    for plan_id in dict.fromkeys(summary["plan_id"]):
        if plans.loc[plans["plan_id"] == plan_id, "policy_id"].nunique() < 2:
            continue
        years = summary[(summary["plan_id"] == plan_id) & (summary["deadline_year"] > 0) & (summary["judged"] > 0)]
        for s in years.itertuples(index=False):
            heading = t("plans.due", lang, year=s.deadline_year) + t("value.colon", lang) + t(
                "plans.summary", lang, judged=s.judged, met=s.met, missed=s.missed, early=s.met_awaiting_final,
                pending=s.no_final_figure, open=s.open,
            )  # fmt: skip
            items = []
            chosen = (plans["plan_id"] == plan_id) & (plans["deadline_year"] == s.deadline_year)
            listed = plans[chosen & (plans["verdict"] != "not_judged")]
            titles = by_id.loc[listed["id"], "title"]
            repeated = set(titles[titles.duplicated(keep=False)])  # one goal set by several documents: say which
            for v in listed.itertuples(index=False):
                r = by_id.loc[v.id]
                figure = v.figure_zh if lang == "zh" else v.figure
                extra = [figure] if figure else []
                if v.verdict == "open" and isinstance(r.get("needed_text"), str):
                    extra.append(t("plans.needs", lang, pace=r["needed_text"]))
                if r["title"] in repeated:
                    extra.append(t("plans.set_by", lang, policy=r["policy_label"]))
                items.append(
                    f'<li><a href="{esc(href(v.id))}" target="_self">{esc(r["title"])}</a>{SEP}'
                    f"<b>{esc(t(f'plans.verdict.{v.verdict}', lang))}</b>{SEP}"
                    + goal_due_html(r["goal"], r["due"], lang)
                    + "".join(f"{SEP}{esc(text)}" for text in extra)
                    + "</li>"
                )
            out.setdefault(plan_id, []).append((heading, "<ul>" + "".join(items) + "</ul>"))
    return out
