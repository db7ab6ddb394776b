"""The overview's chart reads Plotly's basic bundle from a copy gzipped once in the repository (views/plot.py)."""

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_gzipped_copy_is_the_plain_bundle_byte_for_byte():
    plain = (STATIC / "plotly-basic.min.js").read_bytes()
    packed = (STATIC / "plotly-basic.min.js.gz").read_bytes()
    assert gzip.decompress(packed) == plain, "remake it: gzip -9 -n -k -f static/plotly-basic.min.js"
