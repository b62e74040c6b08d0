"""Training entry points for newsgraph's own models (run from a source checkout; the training
data lives outside the repository, under ../shared/data)."""
