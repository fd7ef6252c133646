"""The user's own pages: logging in and out, the language, the password."""
