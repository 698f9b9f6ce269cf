"""Pelican settings for the benchmark's copy of the corpus (see benchmarks/others.py).

The aim is the same file set as build.py: entry pages, a timeline index of 300 per page, partner and
tag pages of 200 per page, their indexes, an Atom feed, a sitemap and a JSON export.
"""

import json
from pathlib import Path

# Partner names and tag labels come from the corpus, written by benchmarks/others.py next to this file.
_LABELS = json.loads(Path(__file__).with_name("labels.json").read_text(encoding="utf-8"))
PARTNER_NAMES = _LABELS["partners"]
TAG_LABELS = _LABELS["tags"]

SITENAME = "Ukraine's Defence Partnerships"
SITEURL = "http://127.0.0.1:8000"
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

# A cold build: read every file, keep no cache between runs.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
CACHE_PATH = "cache"

# The Markdown extensions build.py uses; the summary stays plain text as in build.py.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html",
}
FORMATTED_FIELDS: list[str] = []
# Sources arrive as one JSON line (Markdown metadata is one string per key); templates decode it.
JINJA_FILTERS = {"from_json": json.loads}

# No theme assets and no static files: build.py's CSS and scripts are not part of the comparison.
STATIC_PATHS: list[str] = []
THEME_STATIC_PATHS: list[str] = []

# Pelican has no custom taxonomies; its multi-valued 'Authors' field carries the partners.
ARTICLE_URL = "entries/{slug}/"
ARTICLE_SAVE_AS = "entries/{slug}/index.html"
AUTHOR_URL = "partners/{slug}/"
AUTHOR_SAVE_AS = "partners/{slug}/index.html"
AUTHORS_SAVE_AS = "partners/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
INDEX_URL = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""

# Any name here renders <name>.html from the theme to <NAME>_SAVE_AS, with every article in context.
DIRECT_TEMPLATES = ["index", "tags", "authors", "sitemap", "entries"]
SITEMAP_SAVE_AS = "sitemap.xml"
ENTRIES_SAVE_AS = "data/entries.json"

PAGINATED_TEMPLATES = {"index": 300, "tag": 200, "author": 200, "category": None}
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]
# Lists run oldest first like build.py's (the templates page through `dates`);
# `articles` stays newest first, so the feed takes the latest 50.
NEWEST_FIRST_ARCHIVES = False

FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
