"""The administrator's screens: routes of documents to departments."""
