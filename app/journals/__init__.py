"""Numbering journals: registration numbers of incoming documents, outgoing numbers of letters,
without gaps, one counter row per journal and year."""
