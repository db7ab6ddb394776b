"""The committed JSON Schemas match the models, and the core never imports Streamlit."""

import ast

from tests.conftest import ROOT
from tracker.schema import stale_schemas


def test_committed_schemas_are_up_to_date():
    stale = stale_schemas(ROOT / "targets", ROOT / "data")
    assert stale == [], "run 'python -m tracker schema' and commit the result"


def test_schema_check_command_flags_a_stale_file(run_cli, tmp_path):
    (tmp_path / "schema.json").write_text("{}\n", encoding="utf-8")
    code, out, _ = run_cli("schema", "--check", "--targets", tmp_path, "--data", tmp_path)
    assert code == 1
    assert "schema.json:1: error: out of date; run 'python -m tracker schema'" in out
    assert run_cli("schema", "--targets", tmp_path, "--data", tmp_path)[0] == 0
    assert run_cli("schema", "--check", "--targets", tmp_path, "--data", tmp_path)[0] == 0


def test_schema_names_the_comparators_and_forbids_unknown_keys():
    import json

    schema = json.loads((ROOT / "targets" / "schema.json").read_text(encoding="utf-8"))
    target = schema["$defs"]["Target"]
    assert target["additionalProperties"] is False
    assert target["properties"]["comparator"]["enum"] == [">", ">=", "<", "<=", "=="]


def test_core_library_never_imports_streamlit():
    for path in (ROOT / "tracker").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "streamlit" for n in names), path
