"""Repeat appeals: the earlier documents of the same author on a similar subject, and the
link a clerk or head keeps between a repeat and what it repeats."""
