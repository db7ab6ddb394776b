"""Core library of the policy target tracker.

Nothing in this package imports Streamlit: the dashboard (``views/``) and the
command line (``python -m tracker``) are both thin layers over it.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
