"""What a fresh installation starts with (``qujat init-db``, the demo); an administrator
edits both lists at /admin/instructions and /admin/state-bodies.

The state bodies are a STARTER LIST only: the codes are this installation's own, not a
national classifier, and no BIN is given where it was not checked. A body replaces and
completes them with the codes its portals actually send."""

from __future__ import annotations

#: (code, Russian, Kazakh, English), in the order the form offers them
INSTRUCTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("review-answer", "Рассмотреть и подготовить ответ",
     "Қарап, жауап дайындау",
     "Consider and prepare a reply"),
    ("draft-in-time", "Подготовить проект ответа в срок",
     "Жауап жобасын белгіленген мерзімде дайындау",
     "Prepare a draft reply on time"),
    ("review-report", "Прошу рассмотреть и доложить",
     "Қарап, баяндауыңызды сұраймын",
     "Please consider and report"),
    ("for-execution", "Для исполнения",
     "Орындау үшін",
     "For execution"),
    ("for-information", "Для сведения",
     "Мәлімет үшін",
     "For information"),
    ("review-on-site", "Рассмотреть с выездом на место и дать ответ заявителю",
     "Орнына барып қарап, өтініш берушіге жауап беру",
     "Consider on site and reply to the applicant"),
    ("agree-with-units", "Согласовать с заинтересованными подразделениями",
     "Мүдделі бөлімшелермен келісу",
     "Agree with the units concerned"),
    ("take-control", "Взять на контроль",
     "Бақылауға алу",
     "Take under control"),
)

#: (code, Russian, Kazakh, English): a starter list of the bodies appeals are most often
#: redirected to; see the module's note
STATE_BODIES: tuple[tuple[str, str, str, str], ...] = (
    ("MVD", "Министерство внутренних дел Республики Казахстан",
     "Қазақстан Республикасының Ішкі істер министрлігі",
     "Ministry of Internal Affairs of the Republic of Kazakhstan"),
    ("MVD-ALM", "Департамент полиции города Алматы",
     "Алматы қаласының Полиция департаменті",
     "Police Department of Almaty"),
    ("MVD-AST", "Департамент полиции города Астаны",
     "Астана қаласының Полиция департаменті",
     "Police Department of Astana"),
    ("MZ", "Министерство здравоохранения Республики Казахстан",
     "Қазақстан Республикасының Денсаулық сақтау министрлігі",
     "Ministry of Health of the Republic of Kazakhstan"),
    ("KSEK", "Комитет санитарно-эпидемиологического контроля Министерства здравоохранения "
             "Республики Казахстан",
     "Қазақстан Республикасы Денсаулық сақтау министрлігінің Санитариялық-эпидемиологиялық "
     "бақылау комитеті",
     "Committee for Sanitary and Epidemiological Control of the Ministry of Health of the "
     "Republic of Kazakhstan"),
    ("MTSZN", "Министерство труда и социальной защиты населения Республики Казахстан",
     "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
     "Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan"),
    ("MP", "Министерство просвещения Республики Казахстан",
     "Қазақстан Республикасының Оқу-ағарту министрлігі",
     "Ministry of Education of the Republic of Kazakhstan"),
    ("MF", "Министерство финансов Республики Казахстан",
     "Қазақстан Республикасының Қаржы министрлігі",
     "Ministry of Finance of the Republic of Kazakhstan"),
    ("KGD", "Комитет государственных доходов Министерства финансов Республики Казахстан",
     "Қазақстан Республикасы Қаржы министрлігінің Мемлекеттік кірістер комитеті",
     "State Revenue Committee of the Ministry of Finance of the Republic of Kazakhstan"),
    ("MJ", "Министерство юстиции Республики Казахстан",
     "Қазақстан Республикасының Әділет министрлігі",
     "Ministry of Justice of the Republic of Kazakhstan"),
    ("MT", "Министерство транспорта Республики Казахстан",
     "Қазақстан Республикасының Көлік министрлігі",
     "Ministry of Transport of the Republic of Kazakhstan"),
    ("MCHS", "Министерство по чрезвычайным ситуациям Республики Казахстан",
     "Қазақстан Республикасының Төтенше жағдайлар министрлігі",
     "Ministry of Emergency Situations of the Republic of Kazakhstan"),
    ("MSH", "Министерство сельского хозяйства Республики Казахстан",
     "Қазақстан Республикасының Ауыл шаруашылығы министрлігі",
     "Ministry of Agriculture of the Republic of Kazakhstan"),
    ("MEPR", "Министерство экологии и природных ресурсов Республики Казахстан",
     "Қазақстан Республикасының Экология және табиғи ресурстар министрлігі",
     "Ministry of Ecology and Natural Resources of the Republic of Kazakhstan"),
    ("GP", "Генеральная прокуратура Республики Казахстан",
     "Қазақстан Республикасының Бас прокуратурасы",
     "Prosecutor General's Office of the Republic of Kazakhstan"),
    ("AKIMAT-ALM", "Акимат города Алматы",
     "Алматы қаласының әкімдігі",
     "Akimat of Almaty"),
    ("AKIMAT-AST", "Акимат города Астаны",
     "Астана қаласының әкімдігі",
     "Akimat of Astana"),
    ("AKIMAT-SHY", "Акимат города Шымкента",
     "Шымкент қаласының әкімдігі",
     "Akimat of Shymkent"),
)
