"""The Instructions sheet of an import template, in English, Chinese and Russian.

Written here in the three languages, not translated through the catalogues: a
template says how to fill it in to whoever it is sent to, whatever the language
of the clerk who made it. The names it quotes (the list, its columns, the roles,
a delegation's roles) are the site's own, each in the block's language.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from ..accounts.roles import CLERK, PUBLISHER, ROLE_NAMES
from ..models.choices import DelegationRole, Side
from .example_rows import DEPUTY_MAYOR, SIGN, in_language
from .resources.columns import OTHER_LANGUAGES

LANGUAGES = ("en", "zh-hans", "ru")
LIST_SEPARATORS = {"en": ", ", "zh-hans": "、", "ru": ", "}

TEXTS = {
    "en": [
        "How to fill in this template: {list}",
        "Write one row per record on the first sheet, “{sheet}”. Keep the column "
        "names on the first row as they are: you may delete a column or leave it "
        "empty, but do not rename it. Only the first sheet is imported.",
        "The second row is an example: its first cell starts with {sign}. It is "
        "ignored on import, so keep it or delete it as you like.",
        "Dates: 2024-03-05, 2024年3月5日 or 05.03.2024 (day first, with dots); "
        "2024-03 when only the month is known, 2024 when only the year is. A day "
        "and month written with slashes (05/03/2024) is refused: it could be read "
        "either way.",
        "Cells that list people (a delegation, signatories, participants): one "
        "line per person (Alt+Enter in Excel, Ctrl+Enter in LibreOffice), written "
        "“{head}: Name — Title”; someone known only by their title: "
        "“{member}: {title}”. Signatories and participants start with their "
        "side: “{home_side}: …” or “{partner_side}: …”.",
        "Records are named, not numbered: a partner city by its name (with its "
        "country in the country column when two cities share the name), a sector "
        "by its name; several sectors separated by semicolons. Where a column has "
        "a drop-down list, choose from it.",
        "A column marked “({chinese})” or “({russian})” holds the text in that "
        "language; a language whose column is left out keeps what is recorded.",
        "Required columns: {required}.",
        "The import is all or nothing. Before anything is written, a preview shows "
        "what will be added, changed or left as it is, and every wrong row with "
        "the reason; if any row is wrong, nothing is written.",
        "A change by a {clerk} to a published record waits for a {publisher}'s "
        "review; the public site shows the approved version until then.",
        "Save the file as .xlsx (or CSV UTF-8) and upload it on the list's "
        "“{import_page}” page.",
    ],
    "zh-hans": [
        "如何填写本模板：{list}",
        "在第一个工作表“{sheet}”中每条记录填一行。第一行的列名请保持原样：可以删除某一列"
        "或留空，但不要改名。只导入第一个工作表。",
        "第二行是示例，其第一个单元格以 {sign} 开头。导入时会忽略这一行，"
        "保留或删除均可。",
        "日期写作 2024-03-05、2024年3月5日 或 05.03.2024（日在前，用点分隔）；只知道"
        "月份时写 2024-03，只知道年份时写 2024。用斜杠分隔日和月的写法（05/03/2024）"
        "会被拒绝，因为无法确定哪个是日、哪个是月。",
        "列出人员的单元格（代表团、签署人、参与机构）：每人一行（Excel 中按 Alt+Enter，"
        "LibreOffice 中按 Ctrl+Enter 换行），写作“{head}: 姓名 — 职务”；只知道职务的人"
        "写作“{member}: {title}”。签署人和参与机构以所属一方开头：“{home_side}: …”"
        "或“{partner_side}: …”。冒号可用“:”或“：”，姓名与职务之间用破折号"
        "（“ — ”或“——”）。",
        "相关记录按名称填写，而不是编号：伙伴城市填城市名称（如有同名城市，请在国家列中"
        "填写国家），领域填领域名称，多个领域之间用分号分隔。有下拉列表的列，"
        "请从列表中选择。",
        "标有“({chinese})”或“({russian})”的列填写该语言的文本；如果文件中没有某种语言"
        "的列，该语言已有的内容保持不变。",
        "必填列：{required}。",
        "导入要么全部完成，要么完全不写入。写入之前会先显示预览：哪些记录将新增、修改或"
        "保持不变，以及每一个有误的行及原因；只要有一行有误，就不会写入任何内容。",
        "{clerk}对已发布记录所做的修改需等待{publisher}审核；在此之前，公开网站显示已批准"
        "的版本。",
        "将文件保存为 .xlsx（或 UTF-8 编码的 CSV），然后在该列表的“{import_page}”页面"
        "上传。",
    ],
    "ru": [
        "Как заполнить этот шаблон: {list}",
        "Одна строка — одна запись, на первом листе «{sheet}». Названия столбцов в "
        "первой строке оставьте как есть: столбец можно удалить или оставить "
        "пустым, но не переименовывать. Импортируется только первый лист.",
        "Вторая строка — пример: её первая ячейка начинается с {sign}. При импорте "
        "она пропускается; её можно оставить или удалить.",
        "Даты: 2024-03-05, 2024年3月5日 или 05.03.2024 (сначала день, через точку); "
        "2024-03, если известен только месяц, 2024 — если только год. Дата через "
        "косую черту (05/03/2024) не принимается: непонятно, где день, а где месяц.",
        "Ячейки со списком людей (делегация, подписанты, участники): по одному "
        "человеку на строку (Alt+Enter в Excel, Ctrl+Enter в LibreOffice), в виде "
        "«{head}: Имя — Должность»; человек, известный только по должности: "
        "«{member}: {title}». Подписанты и участники начинаются со своей стороны: "
        "«{home_side}: …» или «{partner_side}: …».",
        "Связанные записи указываются по названию, а не по номеру: город-партнёр — "
        "по названию (если два города называются одинаково, укажите страну в "
        "столбце страны), отрасль — по названию; несколько отраслей разделяйте "
        "точкой с запятой. Если у столбца есть раскрывающийся список, выбирайте "
        "значение из него.",
        "Столбец с пометкой «({chinese})» или «({russian})» содержит текст на этом "
        "языке; если столбца какого-либо языка в файле нет, записанный текст на "
        "этом языке не меняется.",
        "Обязательные столбцы: {required}.",
        "Импорт выполняется целиком или не выполняется вовсе. До записи "
        "показывается предварительный просмотр: что будет добавлено, изменено или "
        "останется как есть, и каждая ошибочная строка с причиной; если ошибочна "
        "хотя бы одна строка, ничего не записывается.",
        "Изменения опубликованной записи, внесённые пользователем с ролью "
        "«{clerk}», ждут проверки пользователем с ролью «{publisher}»; до тех пор "
        "на сайте показывается одобренная версия.",
        "Сохраните файл в формате .xlsx (или CSV UTF-8) и загрузите его на "
        "странице «{import_page}» этого списка.",
    ],
}


def instructions(resource, sheet):
    """``[(language, heading, [paragraphs])]`` for the list of ``resource``, whose
    data is on the sheet named ``sheet``."""
    blocks = []
    for language in LANGUAGES:
        with translation.override(language):
            names = {
                "list": resource.get_display_name(),
                "sheet": sheet,
                "sign": SIGN,
                "head": DelegationRole.HEAD.label,
                "member": DelegationRole.MEMBER.label,
                "title": in_language(DEPUTY_MAYOR, language),
                "home_side": Side.HOME.label,
                "partner_side": Side.PARTNER.label,
                "chinese": OTHER_LANGUAGES["zh-hans"],
                "russian": OTHER_LANGUAGES["ru"],
                "required": LIST_SEPARATORS[language].join(
                    str(column) for column in resource.required_columns
                ),
                "clerk": ROLE_NAMES[CLERK],
                "publisher": ROLE_NAMES[PUBLISHER],
                "import_page": _("Import"),
            }
            heading, *paragraphs = (
                text.format(**{k: str(v) for k, v in names.items()})
                for text in TEXTS[language]
            )
        blocks.append((language, heading, paragraphs))
    return blocks
