"""The user's language: their choice in the session, else the browser's, else Russian."""

from flask import current_app, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]
