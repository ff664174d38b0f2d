#!/usr/bin/env python3
"""Writes a valid dataset folder of N partner records (plus home and two
domains) for timing `paradiplo check` and `paradiplo import`.

    python3 bench/import/generate.py N DIR
"""
import os
import sys

HOME = '''[home]
slug = "quebec"
name = { fr = "Québec", en = "Quebec" }
country = "CA"
subdivision = "CA-QC"
government = { fr = "gouvernement du Québec", en = "Government of Québec" }
ministry = { fr = "Ministère", en = "Ministry" }
summary = { fr = "État fédéré.", en = "Federated state." }
'''

DOMAINS = '''[[domain]]
slug = "culture"
name = { fr = "Culture", en = "Culture" }

[[domain]]
slug = "economie"
name = { fr = "Économie", en = "Economy" }
'''

PARTNER = '''[[partner]]
slug = "partenaire-{i:06d}"
name = {{ fr = "Partenaire {i}", en = "Partner {i}" }}
kind = "federated_state"
country = "DE"
subdivision = "DE-BY"
world_region = "western_europe"
since = "{year}"
domains = ["culture", "economie"]
summary = {{ fr = "Partenaire numéro {i}, depuis {year}.", en = "Partner number {i}, since {year}." }}

'''


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "home.toml"), "w", encoding="utf-8") as f:
        f.write(HOME)
    with open(os.path.join(out, "domains.toml"), "w", encoding="utf-8") as f:
        f.write(DOMAINS)
    with open(os.path.join(out, "partners.toml"), "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(PARTNER.format(i=i, year=1960 + i % 60))


if __name__ == "__main__":
    main()
