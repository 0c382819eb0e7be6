"""Write the bundled Odoo schema profiles from captured fields_get output.

The captures hold every attribute Odoo returned, labels and help texts
included. A profile keeps only the structural facts the tool and its test
server need: field names, types, required/readonly/store flags, relations and
selection keys. Run it again when new captures arrive:

    python scripts/extract_profiles.py ../shared/odoo-reference src/allegory2odoo/odoo/profiles
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KEPT_FLAGS = ("type", "required", "readonly", "store")


def structural_field(attributes: dict) -> dict:
    field = {flag: attributes.get(flag) for flag in KEPT_FLAGS}
    if attributes.get("relation"):
        field["relation"] = attributes["relation"]
    if attributes.get("relation_field"):
        field["relation_field"] = attributes["relation_field"]
    if attributes.get("type") == "selection" and isinstance(attributes.get("selection"), list):
        field["selection"] = [key for key, _label in attributes["selection"]]
    if attributes.get("depends"):
        field["computed"] = True
    if attributes.get("related"):
        field["related"] = True
    return field


def build_profile(capture_dir: Path) -> dict:
    index = json.loads((capture_dir / "fields" / "_index.json").read_text())
    models = {}
    for path in sorted((capture_dir / "fields").glob("*.json")):
        if path.name.startswith("_"):
            continue
        fields = json.loads(path.read_text())
        models[path.stem] = {name: structural_field(attrs) for name, attrs in sorted(fields.items())}
    return {"server_version": index["server_version"], "models": models}


def main(reference_dir: str, output_dir: str) -> None:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for capture in sorted(Path(reference_dir).glob("odoo*")):
        if not (capture / "fields").is_dir():
            continue
        profile = build_profile(capture)
        target = out / f"{capture.name}.json"
        target.write_text(json.dumps(profile, indent=1, sort_keys=True) + "\n")
        print(f"{target}: {len(profile['models'])} models")


if __name__ == "__main__":
    main(*sys.argv[1:3])
