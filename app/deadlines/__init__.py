"""The legal deadline of every document: rules as data, the working day, and the reason.

``rules`` (the rule table, shipped in ``rules.toml``) and ``compute`` (the deadline and its
explanation) are pure: no Flask, no database, so ``qujat deadline`` runs without either.
``models`` and ``service`` keep the rules and the government's day swaps in the database,
give each document its deadline at registration and recompute open ones when they change.
"""
