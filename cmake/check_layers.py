#!/usr/bin/env python3
"""Checks the layering rules of docs/ARCHITECTURE.md ("Layers and their
links") on the #include lines of every source: run by the build (a
forbidden include fails it) and by ctest (layer_rules_test).

usage: check_layers.py SOURCE_ROOT
       check_layers.py --self-test
Prints each violation as FILE:LINE: what it includes, and why not; exits 1
if there is any, 0 otherwise. --self-test checks the checker on a made-up
tree with known violations (it must find exactly those).
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')

# Third-party header families, by the prefix of the included path.
FAMILIES = {
    "CAF": ("caf/",),
    "Beast/Asio": ("boost/beast", "boost/asio"),
    "libpqxx": ("pqxx/",),
    "hiredis": ("hiredis/",),
}

# Concrete stores (the database and Redis clients); everything else under
# persistence/ is an interface, a value type or a pure helper.
CONCRETE_STORES = re.compile(r'^persistence/(pg_|redis_|migrat)')

PROJECT_DIRS = ("protocol", "config", "persistence", "net", "actors",
                "metrics", "logging", "imaging", "ai_service", "apps",
                "bench", "fuzz", "tests")

# layer -> (third-party families it never sees,
#           project folders it never includes)
RULES = {
    "protocol": (("CAF", "Beast/Asio", "libpqxx", "hiredis"),
                 ("config", "persistence", "net", "actors", "metrics",
                  "logging", "imaging", "ai_service", "apps")),
    "config": (("CAF", "Beast/Asio", "libpqxx", "hiredis"),
               ("protocol", "persistence", "net", "actors", "metrics",
                "logging", "imaging", "ai_service", "apps")),
    "persistence": (("CAF", "Beast/Asio"),
                    ("net", "actors", "ai_service", "apps")),
    "net/rest": (("CAF", "Beast/Asio", "libpqxx", "hiredis"),
                 ("actors", "ai_service", "apps")),
    "net": (("CAF", "libpqxx", "hiredis"), ("actors", "ai_service", "apps")),
    "actors": (("Beast/Asio", "libpqxx", "hiredis"),
               ("net", "ai_service", "apps")),
}

# Single headers a layer may include from a folder it otherwise never sees.
ALLOWED = {
    # The seam: pure C++ interfaces the transport implements or calls.
    "net": ("actors/ports.hpp",),
}


def layer_of(rel):
    if rel.startswith("net/rest/"):
        return "net/rest"
    return rel.split("/", 1)[0]


def check_file(root, rel):
    layer = layer_of(rel)
    if layer not in RULES:
        return []
    families, folders = RULES[layer]
    problems = []
    with open(os.path.join(root, rel), encoding="utf-8",
              errors="replace") as src:
        for number, line in enumerate(src, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            header = m.group(1)
            why = None
            for family in families:
                if header.startswith(FAMILIES[family]):
                    why = f"{layer}/ never sees {family}"
            top = header.split("/", 1)[0]
            if header.startswith("net/rest/"):
                top = "net/rest"
            if top in folders and header not in ALLOWED.get(layer, ()):
                why = f"{layer}/ never includes {top}/"
            if layer in ("net", "net/rest", "actors") and \
                    CONCRETE_STORES.match(header):
                why = (f"{layer}/ sees only persistence interfaces, not the "
                       "concrete stores")
            if why:
                problems.append(f"{rel}:{number}: includes {header}: {why}")
    return problems


def check_tree(root):
    problems = []
    for layer in ("protocol", "config", "persistence", "net", "actors"):
        for dirpath, _, files in os.walk(os.path.join(root, layer)):
            for name in sorted(files):
                if name.endswith((".hpp", ".cpp")):
                    rel = os.path.relpath(os.path.join(dirpath, name), root)
                    problems.extend(check_file(root, rel))
    return sorted(problems)


def self_test():
    import tempfile
    tree = {
        "protocol/bad.hpp": "#include <caf/actor.hpp>\n",
        "protocol/good.hpp": "#include <nlohmann/json.hpp>\n"
                             "#include \"protocol/uuid.hpp\"\n",
        "net/bad.cpp": "#include \"actors/session_actor.hpp\"\n",
        "net/seam.cpp": "#include \"actors/ports.hpp\"\n"
                        "#include <boost/beast/core.hpp>\n",
        "net/rest/bad.cpp": "  #  include <boost/beast/http.hpp>\n",
        "actors/bad.cpp": "#include \"persistence/session_store.hpp\"\n"
                          "#include \"persistence/pg_pool.hpp\"\n",
        "persistence/bad.cpp": "#include \"actors/atoms.hpp\"\n",
    }
    expected = [
        "actors/bad.cpp:2: includes persistence/pg_pool.hpp",
        "net/bad.cpp:1: includes actors/session_actor.hpp",
        "net/rest/bad.cpp:1: includes boost/beast/http.hpp",
        "persistence/bad.cpp:1: includes actors/atoms.hpp",
        "protocol/bad.hpp:1: includes caf/actor.hpp",
    ]
    with tempfile.TemporaryDirectory() as root:
        for rel, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)),
                        exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        found = [p.split(": ", 2)[0] + ": " + p.split(": ", 2)[1]
                 for p in check_tree(root)]
    if found != expected:
        print("self-test: expected", expected, "found", found,
              file=sys.stderr)
        return 1
    print(f"self-test: the {len(expected)} planted violations found, "
          "nothing else")
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    problems = check_tree(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the layering rules "
              "(docs/ARCHITECTURE.md, 'Layers and their links')",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
