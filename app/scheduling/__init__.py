"""Timed work that runs in exactly one place: a lease per job in the database, and the
record of each job's last run that the administrator reads at /admin/jobs."""
