"""Default locations, relative to the project folder (not to the working folder)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS_DIR = ROOT / "targets"
DATA_DIR = ROOT / "data"
DB_PATH = DATA_DIR / "tracker.duckdb"
INDICATORS_FILE = "indicators.yaml"
"""The indicator catalogue, in the data folder."""
OBSERVATIONS_DIR = "observations"
"""The folder of observation files, in the data folder."""
