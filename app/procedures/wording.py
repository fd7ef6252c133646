"""What the signed letter says was issued, in the letter's language (ru, kk): one line per
issuing outcome. A line says "Лицензия №" only where a licence was issued."""

from __future__ import annotations

from datetime import date

from app.formats.choices import Outcome

_LINES = {
    Outcome.LICENCE_ISSUED: {
        "ru": "Выдана лицензия № {number} от {date}.",
        "kk": "{date} № {number} лицензия берілді.",
    },
    Outcome.APPENDIX_ISSUED: {
        "ru": "Выдано приложение № {number} от {date} к лицензии № {licence}.",
        "kk": "№ {licence} лицензияға {date} № {number} қосымша берілді.",
    },
    Outcome.LICENCE_REISSUED: {
        "ru": "Лицензия № {licence} переоформлена {date}; номер лицензии сохранён.",
        "kk": "№ {licence} лицензия {date} қайта ресімделді; лицензия нөмірі сақталды.",
    },
    Outcome.DATA_RESTORED: {
        "ru": "Данные о лицензии № {licence} от {date} восстановлены в реестре разрешений.",
        "kk": "{date} № {licence} лицензия туралы деректер рұқсаттар тізіліміне қалпына "
              "келтірілді.",
    },
    Outcome.PERMIT_ISSUED: {
        "ru": "Выдано разрешение № {number} от {date}. Срок действия: с {valid_from} по "
              "{valid_to}.",
        "kk": "{date} № {number} рұқсат берілді. Қолданылу мерзімі: {valid_from} бастап "
              "{valid_to} дейін.",
    },
    Outcome.NOTIFICATION_ACCEPTED: {
        "ru": "Уведомление о начале деятельности принято и внесено в реестр уведомлений. "
              "Талон № {number} от {date}.",
        "kk": "Қызметтің басталғаны туралы хабарлама қабылданып, хабарламалар тізіліміне "
              "енгізілді. {date} № {number} талон.",
    },
    Outcome.CONCLUSION_POSITIVE: {
        "ru": "Выдано санитарно-эпидемиологическое заключение № {number} от {date}: объект "
              "соответствует санитарным правилам (положительное).",
        "kk": "{date} № {number} санитариялық-эпидемиологиялық қорытынды берілді: объект "
              "санитариялық қағидаларға сәйкес (оң).",
    },
    Outcome.CONCLUSION_NEGATIVE: {
        "ru": "Выдано санитарно-эпидемиологическое заключение № {number} от {date}: объект "
              "не соответствует санитарным правилам (отрицательное).",
        "kk": "{date} № {number} санитариялық-эпидемиологиялық қорытынды берілді: объект "
              "санитариялық қағидаларға сәйкес емес (теріс).",
    },
}


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def issued_line(outcome: Outcome, language: str, *, number: str, issue_date: date,
                licence_number: str | None = None, valid_from: date | None = None,
                valid_to: date | None = None) -> str:
    """The sentence naming what ``outcome`` issued; "" for an outcome that issues nothing."""
    lines = _LINES.get(outcome)
    if lines is None:
        return ""
    template = lines.get(language) or lines["ru"]
    return template.format(number=number, date=_day(issue_date),
                           licence=licence_number or number, valid_from=_day(valid_from),
                           valid_to=_day(valid_to))
