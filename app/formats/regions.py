"""Kazakhstan's regions and their districts, as InfoKazakhstan lists them (seed 003: "Указать
регион", then "Выпадающий список выбора района становится доступен после выбора региона").

Each entry is a code with its Russian and Kazakh names (and ``ENGLISH``, by code, for
English readers). The regions are the 17 oblasts and
the 3 cities of republican significance; the districts are those of the three cities and of
the regions our samples use (a district not listed here is still accepted as text: the list
serves routing and display, it never refuses a document). An application may send the codes
(``RegionCode``, ``DistrictCode``); an older one sends the names only, and
:func:`locate` finds the codes from the names in either language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.languages import in_language


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    ru: str
    kk: str

    def name_in(self, language: str) -> str:
        return in_language(language, ru=self.ru, kk=self.kk, en=ENGLISH.get(self.code))


@dataclass(frozen=True, slots=True)
class Region(Place):
    districts: tuple[Place, ...] = ()


def _d(code: str, ru: str, kk: str) -> Place:
    return Place(code, ru, kk)


REGIONS: tuple[Region, ...] = (
    Region("AST", "г. Астана", "Астана қ.", (
        _d("AST-ALM", "район Алматы", "Алматы ауданы"),
        _d("AST-BAI", "район Байконур", "Байқоңыр ауданы"),
        _d("AST-ESL", "район Есиль", "Есіл ауданы"),
        _d("AST-NUR", "район Нура", "Нұра ауданы"),
        _d("AST-SAR", "район Сарыарка", "Сарыарқа ауданы"),
    )),
    Region("ALA", "г. Алматы", "Алматы қ.", (
        _d("ALA-ALT", "Алатауский район", "Алатау ауданы"),
        _d("ALA-ALM", "Алмалинский район", "Алмалы ауданы"),
        _d("ALA-AUE", "Ауэзовский район", "Әуезов ауданы"),
        _d("ALA-BOS", "Бостандыкский район", "Бостандық ауданы"),
        _d("ALA-ZHE", "Жетысуский район", "Жетісу ауданы"),
        _d("ALA-MED", "Медеуский район", "Медеу ауданы"),
        _d("ALA-NAU", "Наурызбайский район", "Наурызбай ауданы"),
        _d("ALA-TUR", "Турксибский район", "Түрксіб ауданы"),
    )),
    Region("SHY", "г. Шымкент", "Шымкент қ.", (
        _d("SHY-ABA", "Абайский район", "Абай ауданы"),
        _d("SHY-ALF", "Аль-Фарабийский район", "Әл-Фараби ауданы"),
        _d("SHY-ENB", "Енбекшинский район", "Еңбекші ауданы"),
        _d("SHY-KAR", "Каратауский район", "Қаратау ауданы"),
        _d("SHY-TUR", "Туранский район", "Тұран ауданы"),
    )),
    Region("ABY", "Абайская область", "Абай облысы"),
    Region("AKM", "Акмолинская область", "Ақмола облысы", (
        _d("AKM-KOK", "г. Кокшетау", "Көкшетау қ."),
        _d("AKM-STE", "г. Степногорск", "Степногорск қ."),
    )),
    Region("AKT", "Актюбинская область", "Ақтөбе облысы", (
        _d("AKT-AKT", "г. Актобе", "Ақтөбе қ."),
    )),
    Region("ALM", "Алматинская область", "Алматы облысы", (
        _d("ALM-KON", "г. Конаев", "Қонаев қ."),
    )),
    Region("ATY", "Атырауская область", "Атырау облысы", (
        _d("ATY-ATY", "г. Атырау", "Атырау қ."),
    )),
    Region("ZKO", "Западно-Казахстанская область", "Батыс Қазақстан облысы", (
        _d("ZKO-URA", "г. Уральск", "Орал қ."),
    )),
    Region("ZHA", "Жамбылская область", "Жамбыл облысы", (
        _d("ZHA-TAR", "г. Тараз", "Тараз қ."),
    )),
    Region("ZHT", "Жетысуская область", "Жетісу облысы", (
        _d("ZHT-TAL", "г. Талдыкорган", "Талдықорған қ."),
    )),
    Region("KAR", "Карагандинская область", "Қарағанды облысы", (
        _d("KAR-KAR", "г. Караганда", "Қарағанды қ."),
        _d("KAR-TEM", "г. Темиртау", "Теміртау қ."),
        _d("KAR-SHA", "г. Шахтинск", "Шахтинск қ."),
    )),
    Region("KOS", "Костанайская область", "Қостанай облысы", (
        _d("KOS-KOS", "г. Костанай", "Қостанай қ."),
    )),
    Region("KZY", "Кызылординская область", "Қызылорда облысы", (
        _d("KZY-KZY", "г. Кызылорда", "Қызылорда қ."),
    )),
    Region("MAN", "Мангистауская область", "Маңғыстау облысы", (
        _d("MAN-AKT", "г. Актау", "Ақтау қ."),
    )),
    Region("PAV", "Павлодарская область", "Павлодар облысы", (
        _d("PAV-PAV", "г. Павлодар", "Павлодар қ."),
        _d("PAV-EKI", "г. Экибастуз", "Екібастұз қ."),
    )),
    Region("SKO", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", (
        _d("SKO-PET", "г. Петропавловск", "Петропавл қ."),
    )),
    Region("TUR", "Туркестанская область", "Түркістан облысы", (
        _d("TUR-TUR", "г. Туркестан", "Түркістан қ."),
    )),
    Region("ULY", "Улытауская область", "Ұлытау облысы", (
        _d("ULY-ZHE", "г. Жезказган", "Жезқазған қ."),
    )),
    Region("VKO", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", (
        _d("VKO-UST", "г. Усть-Каменогорск", "Өскемен қ."),
    )),
)

#: the English names, by code (what an English reader of the routes sees)
ENGLISH: dict[str, str] = {
    "AST": "Astana", "ALA": "Almaty", "SHY": "Shymkent", "AST-ALM": "Almaty District",
    "AST-BAI": "Baikonur District", "AST-ESL": "Yesil District", "AST-NUR": "Nura District",
    "AST-SAR": "Saryarka District", "ALA-ALT": "Alatau District", "ALA-ALM": "Almaly District",
    "ALA-AUE": "Auezov District", "ALA-BOS": "Bostandyk District", "ALA-ZHE": "Zhetysu District",
    "ALA-MED": "Medeu District", "ALA-NAU": "Nauryzbay District", "ALA-TUR": "Turksib District",
    "SHY-ABA": "Abay District", "SHY-ALF": "Al-Farabi District", "SHY-ENB": "Enbekshi District",
    "SHY-KAR": "Karatau District", "SHY-TUR": "Turan District", "ABY": "Abai Region",
    "AKM": "Akmola Region", "AKM-KOK": "Kokshetau", "AKM-STE": "Stepnogorsk",
    "AKT": "Aktobe Region", "AKT-AKT": "Aktobe", "ALM": "Almaty Region", "ALM-KON": "Konaev",
    "ATY": "Atyrau Region", "ATY-ATY": "Atyrau", "ZKO": "West Kazakhstan Region",
    "ZKO-URA": "Oral", "ZHA": "Jambyl Region", "ZHA-TAR": "Taraz", "ZHT": "Jetisu Region",
    "ZHT-TAL": "Taldykorgan", "KAR": "Karaganda Region", "KAR-KAR": "Karaganda",
    "KAR-TEM": "Temirtau", "KAR-SHA": "Shakhtinsk", "KOS": "Kostanay Region",
    "KOS-KOS": "Kostanay", "KZY": "Kyzylorda Region", "KZY-KZY": "Kyzylorda",
    "MAN": "Mangystau Region", "MAN-AKT": "Aktau", "PAV": "Pavlodar Region",
    "PAV-PAV": "Pavlodar", "PAV-EKI": "Ekibastuz", "SKO": "North Kazakhstan Region",
    "SKO-PET": "Petropavl", "TUR": "Turkistan Region", "TUR-TUR": "Turkistan",
    "ULY": "Ulytau Region", "ULY-ZHE": "Zhezkazgan", "VKO": "East Kazakhstan Region",
    "VKO-UST": "Oskemen",
}

_BY_CODE = {region.code: region for region in REGIONS}
_DISTRICT_BY_CODE = {d.code: (region, d) for region in REGIONS for d in region.districts}


def _key(name: str) -> str:
    """A name compared loosely: case, dots, "г."/"қ." and extra blanks do not matter."""
    words = re.sub(r"[.,«»\"']", " ", name.casefold()).split()
    return " ".join(w for w in words if w not in ("г", "қ", "город", "қаласы"))


_REGION_BY_NAME = {_key(n): r for r in REGIONS for n in (r.ru, r.kk)}


def region(code: str | None) -> Region | None:
    return _BY_CODE.get(code or "")


def district(code: str | None) -> Place | None:
    found = _DISTRICT_BY_CODE.get(code or "")
    return found[1] if found else None


def locate(*, region_name: str = "", region_code: str | None = None,
           district_name: str = "", district_code: str | None = None,
           ) -> tuple[str | None, str | None]:
    """The codes of a region and district: the codes sent when we know them, else found by
    the names (Russian or Kazakh); None for what the list does not know."""
    found_region = _BY_CODE.get(region_code or "") or _REGION_BY_NAME.get(_key(region_name))
    found_district = district(district_code)
    if found_district is None and found_region is not None:
        wanted = _key(district_name)
        found_district = next((d for d in found_region.districts
                               if wanted in (_key(d.ru), _key(d.kk))), None)
    if found_district is not None and found_region is None:
        found_region = _DISTRICT_BY_CODE[found_district.code][0]
    return (found_region.code if found_region else None,
            found_district.code if found_district else None)


def region_choices(language: str = "ru") -> list[tuple[str, str]]:
    """(code, name) of every region, for a select field."""
    return [(r.code, r.name_in(language)) for r in REGIONS]


def district_choices(language: str = "ru") -> list[tuple[str, str]]:
    """(code, "region — district") of every listed district, for a select field."""
    return [(d.code, f"{r.name_in(language)} — {d.name_in(language)}")
            for r in REGIONS for d in r.districts]
