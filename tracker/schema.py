"""JSON Schemas for the files users edit, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from tracker.catalog import INDICATOR_SCHEMA, TARGET_SCHEMA
from tracker.model import IndicatorFile, TargetFile


def schema_text(model: type[TargetFile] | type[IndicatorFile]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_files(targets_dir: Path, data_dir: Path) -> dict[Path, str]:
    """Each schema file with the text it should hold."""
    return {
        targets_dir / TARGET_SCHEMA: schema_text(TargetFile),
        data_dir / INDICATOR_SCHEMA: schema_text(IndicatorFile),
    }


def stale_schemas(targets_dir: Path, data_dir: Path) -> list[Path]:
    """Schema files that are missing or differ from what the models generate."""
    stale = []
    for path, text in schema_files(targets_dir, data_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale


def write_schemas(targets_dir: Path, data_dir: Path) -> list[Path]:
    written = []
    for path, text in schema_files(targets_dir, data_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
