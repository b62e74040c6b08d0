"""Research-only and non-commercial weights for newsgraph.

Installing this package makes newsgraph use them (``newsgraph.weights``); ``newsgraph models``
lists them with their terms. Read TERMS.md: the weights are for research and non-commercial use.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
__version__ = "0.1.0"
