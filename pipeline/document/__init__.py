"""The per-document stage: one release → its mentions, dates, relevance and affiliations."""
