"""newsgraph: scraped news pages in, a provenance-tracked picture of the coverage out."""

__version__ = "0.1.0"
