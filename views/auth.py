"""Optional sign-in: with an [auth] section in the secrets, viewers sign in (OIDC) before they see anything.

Without it the app is public. ``[tracker] allowed_viewers`` may list e-mail
addresses and ``@domain`` entries; when it is set, only those may view.
"""

from __future__ import annotations

import streamlit as st

from tracker.escape import markdown_text


def secrets_section(name: str) -> dict:
    """A secrets section, or {} when there is no secrets file or no such section."""
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets.toml at all raises; the app must still run with no set-up
        return {}
    return dict(section) if section else {}


def viewer_allowed(email: str | None, allowed: list[str]) -> bool:
    """Whether an e-mail address is on the allow-list (exact address or @domain)."""
    if not allowed:
        return True
    if not email:
        return False
    email = email.strip().lower()
    for entry in allowed:
        entry = entry.strip().lower()
        if entry == email or (entry.startswith("@") and email.endswith(entry)):
            return True
    return False


def require_viewer() -> None:
    """Stop the page unless sign-in is off, or the viewer is signed in and allowed."""
    if not secrets_section("auth"):
        return
    if not st.user.get("is_logged_in", False):
        st.title("Policy target tracker")
        st.write("This dashboard is shared with signed-in viewers only.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    allowed = list(secrets_section("tracker").get("allowed_viewers", []))
    if not viewer_allowed(st.user.get("email"), allowed):
        st.title("Policy target tracker")
        st.error(
            f"{markdown_text(st.user.get('email') or 'This account')} is not on the list of viewers of this dashboard."
        )
        st.button("Sign out", on_click=st.logout)
        st.stop()
