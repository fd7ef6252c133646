"""Notifications to desk users: reminders before a deadline, overdue notices, each shown
under the bell on the desk and e-mailed when SMTP is configured (an outbox: the
notification is committed first, the e-mail is sent after and retried)."""
