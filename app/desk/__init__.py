"""A document's own page, for every role that may see it, and its downloads."""
