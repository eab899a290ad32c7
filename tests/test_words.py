"""Every word a user reads comes from the catalogs: none is written into a template, a
script, a renderer or an export in French or Arabic (or English) outside a catalog entry.

A literal that slips in shows up in one language on every screen; this scans the sources
for such literals. Data are not words: cooperative names of the demo, the spellings of
provinces and headers an import recognises, a currency's ISO code.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "pos", ROOT / "printers"]

ARABIC = re.compile(r"[\u0600-\u06ff]{2,}")
ACCENTED = re.compile(r"[À-ÖØ-öø-ÿŒœ]")
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Words of the receipts and reports that were once written in French only.
FRENCH_WORDS = re.compile(
    r"\b(Stand|Reçu|Remise|Motif|Annulé|Recette|Ventes|Exposants?|Caisse|Vérifier|Total du)\b"
)
SENTENCE = re.compile(r"\b[A-Z][a-z]+ [a-z]+ [a-z]+")
CURRENCY = re.compile(r"(^|[\s(])(DH|MAD)($|[\s)])")

# Names in their own language (the language switch), the product's name, file formats.
TEMPLATE_WORDS_ALLOWED = {"Français", "العربية", "Tadamon"}
# Modules whose literals are data, not words shown as labels.
DATA_MODULES = {
    "pos/demo/fair.py",  # cooperative and product names of the demo fair
    "pos/demo/services.py",
    "pos/drill/plan.py",  # what the drill's cashiers type: booth names, void reasons
    "pos/drill/setup.py",  # the rehearsal fair's name, as an organiser would type it
    "pos/orders/models.py",  # the deposit product's stored names, in both languages
    "pos/imports/normalise.py",  # how organisers type provinces and legal forms
    "pos/imports/spreadsheet.py",  # the headers an import recognises
}
# Literals that are codes, not words: the ISO currency of a fair.
ALLOWED_CONSTANTS = {("pos/events/schemas.py", "MAD")}
# Modules that render what users read: no English sentence outside the catalogs either.
RENDERERS = {
    "printers/render.py",
    "pos/receipts/content.py",
    "pos/setup/trial_print.py",
    "pos/reports/exports.py",
    "pos/devices/cards.py",
    "pos/till/strings.py",
}
CATALOG_CALLS = {"_", "N_", "gettext", "ngettext", "lazy_gettext"}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _files(pattern: str) -> list[Path]:
    found = [path for source in SOURCES for path in source.rglob(pattern)]
    return [path for path in found if "translations" not in path.parts]


class _Text(HTMLParser):
    """The text and the shown attributes of a template, Jinja taken out."""

    SHOWN_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.found += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.found.append(data)


def _template_words(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    # A block of a tag's attributes (body_attrs) or of a page's style (a public page's CSS,
    # its width) is markup, not text.
    source = re.sub(
        r"\{% block (\w+_attrs|style|width) %\}.*?\{% endblock %\}", " ", source, flags=re.S
    )
    without_jinja = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
    parser = _Text()
    parser.feed(without_jinja)
    words = [word for text in parser.found for word in LETTERS.findall(text)]
    return [word for word in words if word not in TEMPLATE_WORDS_ALLOWED]


def test_templates_show_no_word_outside_the_catalogs():
    templates = _files("*.html")
    assert len(templates) >= 12
    stray = {_relative(path): words for path in templates if (words := _template_words(path))}
    assert stray == {}


def _script_literals(source: str) -> list[str]:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", source)
    literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`', source)
    return [re.sub(r"\$\{[^}]*\}", " ", double or template) for double, template in literals]


def test_scripts_take_every_word_from_the_page():
    scripts = _files("*.js")
    assert len(scripts) >= 4
    stray = {}
    for path in scripts:
        for literal in _script_literals(path.read_text(encoding="utf-8")):
            if (
                ARABIC.search(literal)
                or ACCENTED.search(literal)
                or SENTENCE.search(literal)
                or CURRENCY.search(literal)
            ):
                stray.setdefault(_relative(path), []).append(literal)
    assert stray == {}


def _catalog_arguments(tree: ast.AST) -> set[int]:
    """ids of the string constants that are a catalog call's msgid, or a docstring."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in CATALOG_CALLS:
                inside |= {id(arg) for arg in node.args}
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                inside.add(id(body[0].value))
    return inside


def _python_words(path: Path) -> list[str]:
    relative = _relative(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _catalog_arguments(tree)
    stray = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        text = node.value
        if id(node) in exempt or (relative, text) in ALLOWED_CONSTANTS:
            continue
        shown_in_one_language = (
            ARABIC.search(text)
            or ACCENTED.search(text)
            or FRENCH_WORDS.search(text)
            or CURRENCY.search(text)
        )
        if shown_in_one_language or (relative in RENDERERS and SENTENCE.search(text)):
            stray.append(text)
    return stray


def test_python_writes_no_word_outside_the_catalogs():
    modules = [path for path in _files("*.py") if _relative(path) not in DATA_MODULES]
    assert len(modules) > 60
    stray = {_relative(path): words for path in modules if (words := _python_words(path))}
    assert stray == {}


def test_the_scan_finds_the_literals_it_looks_for(tmp_path):
    """The scans above are worth something only if they catch what they look for."""
    template = tmp_path / "t.html"
    template.write_text('<p title="Vérifier">{{ _("Booth") }} Stand <b>{{ x }}</b></p>')
    assert _template_words(template) == ["Vérifier", "Stand"]
    script = 'el.textContent = `${total} DH`; x = "Touchez un produit"; y = "cart-line";'
    assert _script_literals(script)[0].strip() == "DH"
    flagged = [
        lit
        for lit in _script_literals(script)
        if SENTENCE.search(lit) or CURRENCY.search(lit) or ACCENTED.search(lit)
    ]
    assert len(flagged) == 2
    module = tmp_path / "m.py"
    module.write_text('"""Doc with é."""\nA = _("Booth")\nB = f"Stand {x}"\nC = "إيصال"\n')
    module_words = _python_words_at(module)
    assert sorted(module_words) == ["Stand ", "إيصال"]


def _python_words_at(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _catalog_arguments(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and (ARABIC.search(node.value) or FRENCH_WORDS.search(node.value))
    ]


TITLE = re.compile(r"<title>(.*?)</title>|\{% block title %\}(.*?)\{% endblock %\}", re.S)


def _title_markup(source: str) -> list[str]:
    """Tags written into a page's title: a browser shows them as text ("<bdi>")."""
    titles = [first or second for first, second in TITLE.findall(source)]
    return [title for title in titles if re.search(r"<[a-zA-Z/]", title)]


def test_no_page_title_holds_markup():
    found = {
        _relative(path): titles
        for path in _files("*.html")
        if (titles := _title_markup(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert _title_markup("<title>{{ x }} <bdi>{{ n }}</bdi></title>") != []


def _raw_keys_in_messages(source: str) -> list[str]:
    """A message's value taken straight from a stored state (``state=job.status``): shown
    as the English key ("waiting_for_printer") in every language."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CATALOG_CALLS:
            for keyword in node.keywords:
                value = keyword.value
                if isinstance(value, ast.Attribute) and value.attr in ("status", "state", "kind"):
                    found.append(ast.unparse(node)[:80])
    return found


def test_no_message_inserts_a_raw_state_key():
    found = {
        _relative(path): calls
        for path in _files("*.py")
        if (calls := _raw_keys_in_messages(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert _raw_keys_in_messages('N_("It is %(state)s.", state=job.status)') != []
