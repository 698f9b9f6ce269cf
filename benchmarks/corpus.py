"""A deterministic synthetic corpus for benchmarks: N realistic entries from a seed.

Bodies run 160-680 words with lists, links, some headings, blockquotes and tables; 80 % of dates are ISO,
20 % are forms such as 'March 2024', '2023', '24 February 2024' and '24.02.2022'.

    python -m benchmarks.corpus OUTPUT_DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PARTNERS = ["IT", "FR", "DE", "GB", "US", "PL", "NL", "DK", "SE", "NO", "FI", "CA", "JP", "EU", "NATO", "LT",
            "LV", "EE", "CZ", "ES", "BE", "PT", "RO", "TR", "AU", "GR", "IE", "AL", "SK", "SI", "G7", "IS"]  # fmt: skip
TAGS = ["uav", "counter-uav", "air-defense", "aviation", "artillery", "ammunition", "armor", "anti-armor",
        "long-range", "naval", "demining", "cyber", "intelligence", "training", "funding", "co-production",
        "procurement", "reconstruction", "security-guarantees"]  # fmt: skip
WORDS = ["agreement", "ministry", "defence", "package", "support", "production", "drones", "partners",
         "coalition", "training", "funding", "delivery", "systems", "contract", "industry", "air", "missiles",
         "artillery", "shells", "capability", "cooperation", "joint", "signed", "announced", "minister",
         "government", "parliament", "budget", "billion", "million", "euros", "years", "programme", "security",
         "guarantees", "long-term", "plans", "factory", "licence", "equipment", "maintenance", "repair",
         "logistics"]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def write_corpus(output: Path, count: int, seed: int = 1) -> Path:
    """Write `count` entries (and the tag vocabulary) under output/content; the same seed gives the same files."""
    generator = random.Random(seed)
    content = output / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "tags.yaml").write_text(
        "".join(
            f"{tag}:\n  label: {tag.replace('-', ' ').title()}\n  description: Entries about {tag}.\n" for tag in TAGS
        ),
        encoding="utf-8",
    )
    for number in range(count):
        year = 2013 + number % 13
        folder = content / str(year)
        folder.mkdir(exist_ok=True)
        (folder / f"entry-{number:05d}.md").write_text(_entry(generator, number, year), encoding="utf-8")
    return content


def _entry(generator: random.Random, number: int, year: int) -> str:
    month, day = generator.randint(1, 12), generator.randint(1, 28)
    partners = generator.sample(PARTNERS, generator.choice((1, 1, 1, 2, 3)))
    tags = generator.sample(TAGS, generator.randint(1, 3))
    kind = "note" if generator.random() < 0.1 else "article"
    lines = [
        "---",
        f"title: {_sentence(generator, 6, 11).rstrip('.')} {number}",
        f"date: {_date(generator, year, month, day)}",
        f"countries: [{', '.join(repr(code) for code in partners)}]",
        f"type: {kind}",
        f"tags: [{', '.join(tags)}]",
        f"summary: {_sentence(generator, 14, 30)}",
        "sources:",
        f"  - title: Source {number}",
        f"    url: https://example.org/news/{year}/{number}",
    ]
    if kind == "note":
        lines.append("author: Benchmark analyst")
    return "\n".join([*lines, "---", _body(generator, number)]) + "\n"


def _date(generator: random.Random, year: int, month: int, day: int) -> str:
    roll = generator.random()
    if roll < 0.8:
        return f"{year}-{month:02d}-{day:02d}"
    if roll < 0.85:
        return f'"{MONTHS[month - 1]} {year}"'
    if roll < 0.9:
        return f'"{year}"'
    if roll < 0.95:
        return f'"{day} {MONTHS[month - 1]} {year}"'
    return f'"{day:02d}.{month:02d}.{year}"'


def _sentence(generator: random.Random, shortest: int, longest: int) -> str:
    words = generator.choices(WORDS, k=generator.randint(shortest, longest))
    return " ".join(words).capitalize() + "."


def _body(generator: random.Random, number: int) -> str:
    target, parts, words = generator.randint(160, 680), [], 0
    while words < target:
        roll = generator.random()
        if roll < 0.1:
            parts.append(f"## {_sentence(generator, 2, 5).rstrip('.')}")
        elif roll < 0.25:
            parts.append("\n".join(f"- {_sentence(generator, 4, 10)}" for _ in range(generator.randint(2, 5))))
        elif roll < 0.32:
            parts.append("> " + _sentence(generator, 12, 25))
        elif roll < 0.37:
            rows = "\n".join(f"| {generator.choice(WORDS)} | {generator.randint(1, 999)} |" for _ in range(3))
            parts.append(f"| item | amount |\n| --- | --- |\n{rows}")
        else:
            sentences = [_sentence(generator, 8, 22) for _ in range(generator.randint(2, 5))]
            link = f"[{generator.choice(WORDS)}](https://example.org/ref/{number}/{len(parts)})"
            parts.append(" ".join(sentences) + f" See {link}.")
        words += len(parts[-1].split())
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    print(write_corpus(options.output, options.count, options.seed))


if __name__ == "__main__":
    main()
