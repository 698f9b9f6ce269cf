"""The site in two languages: Ukrainian pages under uk/, translations beside their originals, the interface's
words from gettext catalogs, dates, numbers and names from CLDR."""

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import FIXTURES, ROOT, entry_text, run_cli, site_config, write_files
from timeline.amounts import known_currencies
from timeline.config import load_config
from timeline.dates import parse_date
from timeline.errors import BuildFailed, UsageError
from timeline.languages import LOCALES, interface_languages, words
from timeline.pipeline import build_site

BASE = "https://example.org/"
# Latin-script words a Ukrainian page may show outside text marked as another language: names of formats, of a
# key, of a technology and of the map data (Natural Earth), which Ukrainian writes as they are; and the language
# switcher's own "English".
NOT_ENGLISH = {"CSV", "JSON", "Atom", "G7", "Enter", "JavaScript", "English", "Natural", "Earth", "BibTeX", "RIS",
               "CSL-JSON", "Frictionless", "Data", "Package", "CC-BY"}  # fmt: skip
KEYWORDS = {"_": None, "plural": (1, 2), "plural_forms": (1, 2)}  # as babel.cfg documents them


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """The bilingual fixture, built with search: English at the root, Ukrainian under uk/."""
    site = tmp_path_factory.mktemp("bilingual") / "site"
    build_site(site_config(FIXTURES / "bilingual" / "content", site, base_url=BASE))
    return site


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


# --- the interface's words ---


def source_messages() -> dict[str, tuple[str, ...]]:
    """Every interface message in the code and the templates, as Babel extracts it with babel.cfg."""
    method_map = [("timeline/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
    found = {}
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, keywords=KEYWORDS):
        ids = message if isinstance(message, tuple) else (message,)
        found[ids[0]] = ids
    return found


def test_every_interface_string_has_a_ukrainian_translation_and_the_catalog_is_current():
    messages = source_messages()
    with (LOCALES / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale="uk")
    translated = {
        (message.id[0] if isinstance(message.id, tuple) else message.id): message for message in catalog if message.id
    }
    assert len(messages) > 150
    assert sorted(set(messages) - set(translated)) == [], "run pybabel update (see babel.cfg) and translate"
    assert sorted(set(translated) - set(messages)) == [], "messages no longer used: run pybabel update"
    for message_id, ids in messages.items():
        entry = translated[message_id]
        texts = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(texts) and not entry.fuzzy, f"not translated: {message_id!r}"
        assert len(texts) == (3 if len(ids) == 2 else 1), message_id  # Ukrainian has three plural forms
        wanted = set(re.findall(r"%\((\w+)\)s", " ".join(ids)))
        for text in texts:
            assert set(re.findall(r"%\((\w+)\)s", text)) <= wanted, (message_id, text)
            assert sorted(re.findall(r"<[^>]+>", text)) == sorted(re.findall(r"<[^>]+>", ids[0])), message_id


def test_ukrainian_plural_forms_date_forms_and_numbers():
    uk, en = words("uk"), words("en")
    counted = [uk.plural("%(count)s entry", "%(count)s entries", number) for number in (1, 2, 5, 11, 21, 22, 1000)]
    assert counted == ["1 запис", "2 записи", "5 записів", "11 записів", "21 запис", "22 записи", "1\u00a0000 записів"]
    assert en.plural("%(count)s entry", "%(count)s entries", 1234) == "1,234 entries"
    assert uk.date(parse_date("2026-06-03")) == "3 червня 2026"
    assert uk.date(parse_date("2026-06")) == "червень 2026"
    assert uk.date(parse_date("2026")) == "2026"
    assert en.date(parse_date("2026-06-03")) == "3 June 2026"
    assert en.date(parse_date("2026-06")) == "June 2026"


def test_ukrainian_names_sort_in_the_order_of_the_ukrainian_alphabet():
    names = ["Італія", "Естонія", "Іспанія", "Греція", "Ґрунт", "Єгипет", "Австрія"]
    assert sorted(names, key=words("uk").sort_key) == ["Австрія", "Греція", "Ґрунт", "Естонія", "Єгипет",
                                                        "Іспанія", "Італія"]  # fmt: skip


# --- settings ---


def settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(f'title = "T"\ndescription = "D"\nbase_url = "https://x.org/"\n{text}', encoding="utf-8")
    return path


def test_languages_setting_the_default_first_with_each_language_s_title(tmp_path):
    config = load_config(settings(tmp_path, 'languages = ["en", "uk"]\n[uk]\ntitle = "Т"\ndescription = "О"\n'))
    assert config.languages == ("en", "uk") and config.language == "en" and config.prefix == ""
    ukrainian = config.for_language("uk")
    assert (ukrainian.title, ukrainian.description, ukrainian.prefix) == ("Т", "О", "uk/")
    assert config.for_language("en").title == "T"
    assert load_config(settings(tmp_path, 'language = "en"\n')).languages == ("en",)
    assert load_config(settings(tmp_path, "")).languages == ("en",)
    assert "uk" in interface_languages()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('languages = ["en", "xx"]\n', "not translated into 'xx'"),
        ('languages = ["en", "english"]\n', "not a language code"),
        ('languages = ["en", "uk", "uk"]\n', "listed twice"),
        ("languages = []\n", "must be a list"),
        ('language = "en"\nlanguages = ["en"]\n', "not both"),
        ('languages = ["en", "uk"]\n[uk]\ntitle = "Т"\n', "needs 'description'"),
        ('languages = ["en", "uk"]\n[uk]\ntitle = "Т"\ndescription = "О"\nslogan = "С"\n', "only 'title'"),
    ],
)
def test_a_bad_languages_setting_is_a_usage_error_naming_the_file(tmp_path, text, message):
    with pytest.raises(UsageError, match=message) as caught:
        load_config(settings(tmp_path, text))
    assert str(tmp_path / "site.toml") in str(caught.value)


# --- translations in the content ---


def translated_content(tmp_path: Path, files: dict[str, str]) -> Path:
    content = write_files(tmp_path / "content", {
        "2024/signed.md": entry_text(title="Italy signs", date="2024-02-24", countries="[IT]",
                                     amount="{value: 2, unit: billion, currency: EUR, scope: 'for air defence'}",
                                     body="Signed in Kyiv, as [[other]] reports."),
        "2024/other.md": entry_text(title="Other", date="2024-03-01"),
    })  # fmt: skip
    return write_files(content, files)


def errors_of(content: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build_site(site_config(content, tmp_path / "site", search=False))
    return [f"{error.path.relative_to(content)}:{error.line}: {error.message}" for error in failure.value.errors]


def test_translation_errors_are_reported_with_file_and_line_all_together(tmp_path):
    content = translated_content(tmp_path, {
        "2024/missing.uk.md": "---\ntitle: Немає оригіналу\n---\nТекст.\n",
        "2024/signed.uk.md": "---\ntitle: Італія підписала\ndate: 2024-02-25\ntype: note\n---\nДив. [[nowhere]].\n",
        "2024/other.fr.md": "---\ntitle: Autre\n---\nTexte.\n",
        "2024/other.en.md": "---\ntitle: Other\n---\nText.\n",
    })  # fmt: skip
    errors = errors_of(content, tmp_path)
    assert any(
        line.startswith("2024/missing.uk.md:1: translates 2024/missing.md, which does not exist") for line in errors
    )
    assert any(line.startswith("2024/signed.uk.md:3: 'date' comes from the original") for line in errors)
    assert any(line.startswith("2024/signed.uk.md:4: 'type' comes from the original") for line in errors)
    assert any(line.startswith("2024/signed.uk.md:6: links to [[nowhere]]") for line in errors)
    assert any(line.startswith("2024/other.fr.md:1: unknown language suffix '.fr'") for line in errors)
    assert any(line.startswith("2024/other.en.md:1: '.en' is the site's default language") for line in errors)
    assert len(errors) == 6


def test_a_translation_may_repeat_inherited_fields_and_restate_an_amount_s_scope_only(tmp_path):
    same = "date: 2024-02-24\ncountries: [Italy]\ntype: article\n"
    scope = "amount: {value: 2, unit: billion, currency: EUR, scope: 'на протиповітряну оборону'}\n"
    content = translated_content(
        tmp_path, {"2024/signed.uk.md": f"---\ntitle: Італія підписала\n{same}{scope}---\nТекст.\n"}
    )
    site = tmp_path / "site"
    build_site(site_config(content, site, search=False))
    assert "на протиповітряну оборону" in page(site, "uk/entries/signed/index.html")
    assert "for air defence" in page(site, "entries/signed/index.html")
    changed = scope.replace("value: 2,", "value: 3,")
    (content / "2024" / "signed.uk.md").write_text(f"---\ntitle: Італія підписала\n{changed}---\nТекст.\n")
    assert errors_of(content, tmp_path) == [
        "2024/signed.uk.md:3: 'amount' comes from the original, "
        f"{content / '2024' / 'signed.md'}: a translation may give only its scope in its own words, with the same "
        "value, unit and currency"
    ]


def test_check_counts_the_entries_not_yet_translated_and_strict_does_not_fail_on_them(tmp_path):
    content = translated_content(tmp_path, {"2024/signed.uk.md": "---\ntitle: Італія підписала\n---\nТекст.\n"})
    for strict in ([], ["--strict"]):
        result = run_cli("check", "--content", content, *strict)
        assert result.returncode == 0, result.stderr
        assert "1 entry not translated into uk yet." in result.stdout


def test_new_translate_writes_the_words_to_translate_beside_the_original(tmp_path):
    content = translated_content(tmp_path, {})
    result = run_cli("new", "--translate", content / "2024" / "signed.md", "--lang", "uk", "--content", content)
    assert result.returncode == 0, result.stderr
    written = (content / "2024" / "signed.uk.md").read_text(encoding="utf-8")
    assert 'title: "Italy signs"' in written and 'scope: "for air defence"' in written and "Signed in Kyiv" in written
    assert "date:" not in written and "countries:" not in written
    # Until it is written over, it counts as not translated: the entry shows in English, labelled so.
    assert "2 entries not translated into uk yet." in run_cli("check", "--content", content).stdout
    again = run_cli("new", "--translate", content / "2024" / "signed.md", "--lang", "uk", "--content", content)
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = run_cli("new", "--translate", content / "2024" / "other.md", "--lang", "de", "--content", content)
    assert wrong.returncode == 2 and "languages to translate into are uk" in wrong.stderr


# --- the built site ---


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html") if "pagefind" not in path.parts}


def test_every_page_has_its_ukrainian_counterpart_at_the_same_address_under_uk(bilingual):
    pages = html_pages(bilingual)
    english = {name for name in pages if not name.startswith("uk/")}
    assert {name.removeprefix("uk/") for name in pages - english} == english
    for name in ("uk/index.html", "uk/entries/uk-signs/index.html", "uk/partners/gb/index.html",
                 "uk/tags/uav/index.html", "uk/agreements/index.html", "uk/agreements/uk-security-2024/index.html",
                 "uk/search/index.html", "uk/feed.xml", "uk/404.html", "uk/data/entries.csv"):  # fmt: skip
        assert (bilingual / name).is_file(), name


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alternates: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.meta: dict[str, list[str]] = {}
        self.html_lang = ""
        self._in_switcher = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = values.get("lang", "")
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates[values["hreflang"]] = values["href"]
        if tag == "meta" and "property" in values:
            self.meta.setdefault(values["property"], []).append(values.get("content", ""))
        if tag == "nav" and "language-switcher" in values.get("class", ""):
            self._in_switcher = True
        if self._in_switcher and tag == "a":
            self.switcher[values["hreflang"]] = values["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switcher = False


def links_of(site: Path, name: str) -> Links:
    parser = Links()
    parser.feed(page(site, name))
    return parser


@pytest.mark.parametrize("name", ["index.html", "entries/uk-signs/index.html", "partners/gb/index.html",
                                  "tags/uav/index.html", "agreements/index.html", "search/index.html"])  # fmt: skip
def test_each_version_names_its_language_links_both_and_switches_to_the_same_page(bilingual, name):
    english, ukrainian = links_of(bilingual, name), links_of(bilingual, f"uk/{name}")
    address = name.removesuffix("index.html")
    expected = {"en": BASE + address, "uk": f"{BASE}uk/{address}", "x-default": BASE + address}
    assert english.html_lang == "en" and ukrainian.html_lang == "uk"
    assert english.alternates == expected and ukrainian.alternates == expected
    # The switcher's relative link lands on the same page in the other language.
    assert urljoin(BASE + address, english.switcher["uk"]) == f"{BASE}uk/{address}"
    assert urljoin(f"{BASE}uk/{address}", ukrainian.switcher["en"]) == BASE + address
    assert ukrainian.meta["og:locale"] == ["uk_UA"] and ukrainian.meta["og:locale:alternate"] == ["en_US"]
    assert english.meta["og:locale"] == ["en_US"]


class VisibleText(HTMLParser):
    """The text of a page a reader sees or hears (and the attributes read aloud), except inside elements marked
    as another language than the page's, and except web addresses shown as such."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _foreign(self) -> bool:
        return any(foreign for _, foreign in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        # The document's title repeats the page's own title, which is marked where it is in another language.
        # File names in <code> are not words of any language.
        skip = tag in ("script", "style", "title", "code") or "host" in values.get("class", "").split()
        foreign = skip or values.get("lang", self.language) != self.language
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self.stack.append((tag, foreign))
        if not foreign and not self._foreign():
            self.parts += [values[name] for name in ("aria-label", "placeholder", "title", "alt") if name in values]

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self._foreign():
            self.parts.append(data)


def latin_words(html: str, language: str = "uk") -> set[str]:
    parser = VisibleText(language)
    parser.feed(html)
    text = re.sub(r"https?://\S+", " ", " ".join(parser.parts))
    found = {word.rstrip("-") for word in re.findall(r"[A-Za-z][A-Za-z'’-]+", text)}  # "CSV-файл": "CSV"
    return found - NOT_ENGLISH - known_currencies()  # codes: USD, GBP


def test_no_english_interface_word_shows_on_a_ukrainian_page(bilingual):
    for name in sorted(html_pages(bilingual)):
        if name.startswith("uk/"):
            assert latin_words(page(bilingual, name)) == set(), name


def test_an_untranslated_entry_shows_in_english_labelled_and_marked_as_english(bilingual):
    html = page(bilingual, "uk/entries/uk-delivers/index.html")
    assert '<span class="badge badge-language">Англійською</span>' in html
    assert '<h1 lang="en">The UK delivers the first drones under its agreement</h1>' in html
    assert '<div class="entry-body" lang="en">' in html
    assert "Ще не перекладено: ця сторінка є лише англійською." in html
    assert '"inLanguage": "en"' in html
    translated = page(bilingual, "uk/entries/uk-signs/index.html")
    assert "<h1>Велика Британія підписала безпекову угоду</h1>" in translated
    assert "badge-language" not in translated and '"inLanguage": "uk"' in translated
    # On the timeline too: the untranslated card says so, in Ukrainian.
    timeline = page(bilingual, "uk/index.html")
    assert '<h4 class="card-title" lang="en"><a href="./entries/uk-delivers/">' in timeline
    assert "Велика Британія підписала безпекову угоду" in timeline


def test_ukrainian_pages_name_partners_dates_amounts_and_headings_in_ukrainian(bilingual):
    timeline = page(bilingual, "uk/index.html")
    assert '<h3 id="y2024-09" class="month-heading">вересень 2024</h3>' in timeline
    assert "12 січня 2024" in timeline
    entry = page(bilingual, "uk/entries/uk-signs/index.html")
    assert "2,5\u00a0млрд\u00a0англійських фунтів (≈ 2,95\u00a0млрд\u00a0євро, за середнім курсом 2024 року)" in entry
    assert "військова допомога на 2024/25 рік" in entry
    partners = page(bilingual, "uk/partners/index.html").split('<table class="index-table">', 1)[1]
    order = [partners.index(name) for name in ("Велика Британія", "Естонія", "Іспанія", "Італія", "Норвегія")]
    assert order == sorted(order)
    agreement = page(bilingual, "uk/agreements/uk-security-2024/index.html")
    assert "Угода про співробітництво у сфері безпеки між Великою Британією та Україною" in agreement
    assert "Етапи угоди" in agreement and "10 років" in agreement
    tags = page(bilingual, "uk/tags/index.html")
    assert "Безпекові гарантії" in tags and "Зобов&#39;язання роками допомагати Україні захищатися." in tags
    not_found = page(bilingual, "uk/404.html")
    assert '<html lang="uk">' in not_found and 'href="/uk/partners/"' in not_found


def test_each_language_has_its_own_feed_and_data_files_with_the_same_columns(bilingual):
    feed = page(bilingual, "uk/feed.xml")
    assert 'xml:lang="uk"' in feed and "<title>Велика Британія підписала безпекову угоду</title>" in feed
    assert f"<id>{BASE}uk/</id>" in feed and f'href="{BASE}uk/feed.xml"' in feed
    english_ids = set(re.findall(r"<id>(urn:[^<]+)</id>", page(bilingual, "feed.xml")))
    assert english_ids and not english_ids & set(re.findall(r"<id>(urn:[^<]+)</id>", feed))
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Оборонні партнерства України" href="../feed.xml">'
        in page(bilingual, "uk/tags/index.html")
    )
    rows = {language: list(csv.reader(io.StringIO(page(bilingual, f"{prefix}data/entries.csv"))))
            for language, prefix in (("en", ""), ("uk", "uk/"))}  # fmt: skip
    assert rows["en"][0] == rows["uk"][0]  # the same columns
    assert [row[0] for row in rows["en"]] == [row[0] for row in rows["uk"]]  # the same entries, in the same order
    titles = {row[0]: row[1] for row in rows["uk"][1:]}
    assert titles["uk-signs"] == "Велика Британія підписала безпекову угоду"
    assert titles["uk-delivers"] == "The UK delivers the first drones under its agreement"  # not translated yet
    package = json.loads(page(bilingual, "uk/data/datapackage.json"))
    assert package["name"] == "ukraine-defence-partnerships-uk" and package["title"] == "Оборонні партнерства України"


def test_the_sitemap_lists_both_versions_of_every_page_with_their_alternates(bilingual):
    sitemap = page(bilingual, "sitemap.xml")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    block = re.search(rf"<url>\s*<loc>{BASE}uk/entries/uk-signs/</loc>.*?</url>", sitemap, re.S)
    assert block is not None
    for hreflang, href in (("en", f"{BASE}entries/uk-signs/"), ("uk", f"{BASE}uk/entries/uk-signs/"),
                           ("x-default", f"{BASE}entries/uk-signs/")):  # fmt: skip
        assert f'<xhtml:link rel="alternate" hreflang="{hreflang}" href="{href}"/>' in block.group(0)
    assert sitemap.count("<url>") == 2 * sitemap.count(f"<loc>{BASE}uk/")


def test_pagefind_indexes_each_language_separately(bilingual):
    entry = json.loads(page(bilingual, "pagefind/pagefind-entry.json"))
    assert sorted(entry["languages"]) == ["en", "uk"]


def test_a_site_in_ukrainian_only_puts_its_pages_at_the_root(tmp_path):
    config = site_config(FIXTURES / "minimal" / "content", tmp_path / "site", search=False)
    build_site(replace(config, languages=("uk",), language="uk"))
    html = page(tmp_path / "site", "index.html")
    assert '<html lang="uk">' in html and "Хроніка" in html and "language-switcher" not in html
    assert not (tmp_path / "site" / "uk").exists()


def test_a_provisional_rate_is_explained_in_the_page_s_language(tmp_path):
    method = "mean of 70 daily fixings (year-to-date 2026-01-02 to 2026-04-13)"
    rates = f"year,currency,units_per_eur,source_name,source_url,method\n2026,USD,1.17,ECB,https://example.org/ecb,{method}\n"
    content = write_files(tmp_path / "content", {
        "a.md": entry_text(date="2026-01-10", amount="$1bn", countries="[US]", agreement="a", stage="signed"),
        "agreements/a.md": "---\ntitle: A\nkind: aid-package\ncountries: [US]\n---\nText.\n",
        "eur-rates.csv": rates,
    })  # fmt: skip
    site = tmp_path / "site"
    build_site(replace(site_config(content, site, search=False), build_date=date(2026, 6, 1)))
    entry = page(site, "uk/entries/a/index.html")
    assert "за середнім курсом 2026 року (попередньо: рік ще не завершився)" in entry
    listed = page(site, "uk/agreements/index.html")
    assert "USD, 2026: 1,17 за 1 євро (середнє з 70 щоденних фіксингів" in listed
    assert "at the average rate of 2026 (provisional: the year is not over)" in page(site, "entries/a/index.html")
