"""Optional sign-in: public without [auth]; with it, only signed-in (and allowed) viewers get in."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import shown
from tests.conftest import ROOT
from views.auth import viewer_allowed

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"}  # fmt: skip


def app(secrets=None, user=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at.run()


def test_without_auth_the_app_is_public(shipped_app):
    at = app()
    assert not at.exception
    assert shown(at.title[0].value) == "Policy targets at a glance"


def test_with_auth_a_signed_out_viewer_sees_only_the_sign_in(shipped_app):
    at = app({"auth": AUTH}, {"is_logged_in": False})
    assert not at.exception
    assert shown(at.title[0].value) == "Policy target tracker"
    assert at.button[0].label == "Sign in"
    assert not at.dataframe, "no data before signing in"


def test_with_auth_a_signed_in_viewer_sees_the_dashboard(shipped_app):
    at = app({"auth": AUTH}, {"is_logged_in": True, "email": "analyst@example.org"})
    assert shown(at.title[0].value) == "Policy targets at a glance"


def test_allow_list_keeps_others_out(shipped_app):
    secrets = {"auth": AUTH, "tracker": {"allowed_viewers": ["@example.org"]}}
    at = app(secrets, {"is_logged_in": True, "email": "someone@elsewhere.com"})
    assert shown(at.error[0].value) == "someone@elsewhere.com is not on the list of viewers of this dashboard."
    assert not at.dataframe
    at = app(secrets, {"is_logged_in": True, "email": "Analyst@Example.org"})
    assert shown(at.title[0].value) == "Policy targets at a glance"


def test_allow_list_rules():
    assert viewer_allowed("a@x.org", [])
    assert viewer_allowed("a@x.org", ["a@x.org"])
    assert viewer_allowed("b@x.org", ["@x.org"])
    assert not viewer_allowed("b@evil-x.org", ["@x.org"])
    assert not viewer_allowed(None, ["@x.org"])
