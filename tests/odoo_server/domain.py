"""Evaluation of Odoo search domains against in-memory records."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from .errors import value_error

if TYPE_CHECKING:
    from .orm import Env

OPERATORS = {
    "=", "!=", "<>", "in", "not in", "like", "ilike", "not like", "not ilike",
    "=like", "=ilike", "<", ">", "<=", ">=", "child_of", "parent_of",
}


def parse_domain(domain: list) -> Any:
    """Turn a domain in Polish notation into a tree of ('&'|'|', a, b), ('!', a) and leaves."""
    items = [tuple(item) if isinstance(item, list) else item for item in (domain or [])]
    position = 0

    def parse_one():
        nonlocal position
        if position >= len(items):
            raise value_error(f"Invalid domain: {domain!r}")
        item = items[position]
        position += 1
        if item in ("&", "|"):
            left = parse_one()
            right = parse_one()
            return (item, left, right)
        if item == "!":
            return ("!", parse_one())
        if isinstance(item, tuple) and len(item) == 3:
            return ("leaf", item)
        if item in (True, 1):
            return ("true",)
        if item in (False, 0):
            return ("false",)
        raise value_error(f"Invalid leaf {item!r}")

    nodes = []
    while position < len(items):
        nodes.append(parse_one())
    if not nodes:
        return ("true",)
    tree = nodes[-1]
    for node in reversed(nodes[:-1]):
        tree = ("&", node, tree)
    return tree


def domain_field_names(tree: Any) -> set[str]:
    if tree[0] in ("&", "|"):
        return domain_field_names(tree[1]) | domain_field_names(tree[2])
    if tree[0] == "!":
        return domain_field_names(tree[1])
    if tree[0] == "leaf":
        return {str(tree[1][0]).split(".")[0]}
    return set()


def like_matcher(pattern: str, case_insensitive: bool) -> Callable[[str], bool]:
    """Translate an SQL LIKE pattern (% and _ wildcards, backslash escapes) into a matcher."""
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
        index += 1
    regex = re.compile("".join(parts) + r"\Z", re.S | (re.I if case_insensitive else 0))
    return lambda text: regex.match(text) is not None


class DomainEvaluator:
    """Filter the records of one model by a parsed domain."""

    def __init__(self, env: "Env", model: str):
        self.env = env
        self.model = model
        # Ids of related records that match a dotted leaf, computed once per search.
        self.related_matches: dict[tuple, set[int]] = {}

    def matches(self, tree: Any, record: dict) -> bool:
        kind = tree[0]
        if kind == "&":
            return self.matches(tree[1], record) and self.matches(tree[2], record)
        if kind == "|":
            return self.matches(tree[1], record) or self.matches(tree[2], record)
        if kind == "!":
            return not self.matches(tree[1], record)
        if kind == "true":
            return True
        if kind == "false":
            return False
        return self.match_leaf(tree[1], record)

    def match_leaf(self, leaf: tuple, record: dict) -> bool:
        path, operator, value = leaf
        operator = operator.lower() if isinstance(operator, str) else operator
        if operator not in OPERATORS:
            raise value_error(f"Invalid operator {operator!r} in domain term {leaf!r}")
        env = self.env
        name, _, rest = str(path).partition(".")
        fields = env.fields(self.model)
        if name not in fields:
            raise value_error(f"Invalid field {self.model}.{name} in leaf {leaf!r}")
        field = fields[name]
        if operator == "<>":
            operator = "!="
        if rest:
            if field.get("relation") not in env.db.tables:
                raise value_error(f"Invalid field {self.model}.{path} in leaf {leaf!r}")
            key = (path, operator, repr(value))
            matching = self.related_matches.get(key)
            if matching is None:
                sub = DomainEvaluator(env, field["relation"])
                related_table = env.db.tables[field["relation"]]
                matching = {
                    rid for rid, related in related_table.items()
                    if sub.match_leaf((rest, operator, value), related)
                }
                self.related_matches[key] = matching
            return any(rid in matching for rid in env.related_ids(self.model, record, name))
        if operator in ("child_of", "parent_of"):
            wanted = self.hierarchy_ids(value, operator)
            return record["id"] in wanted
        actual = env.value_of(self.model, record, name)
        ftype = field["type"]
        if ftype == "many2one":
            if isinstance(value, str) or (
                isinstance(value, (list, tuple)) and value and isinstance(value[0], str)
            ):
                label = env.display_name(field["relation"], actual) if actual else False
                return compare(label, operator, value)
            return compare(actual or False, operator, value)
        if ftype in ("many2many", "one2many"):
            return compare_x2many(actual, operator, value, env, field)
        return compare(actual, operator, value)

    def hierarchy_ids(self, value: Any, operator: str) -> set[int]:
        roots = value if isinstance(value, (list, tuple)) else [value]
        roots = [r for r in roots if r]
        table = self.env.db.tables[self.model]
        parent_field = "parent_id"
        if operator == "child_of":
            result = set(roots)
            changed = True
            while changed:
                changed = False
                for rid, rec in table.items():
                    if rid not in result and rec.get(parent_field) in result:
                        result.add(rid)
                        changed = True
            return result
        result = set()
        for root in roots:
            current = root
            while current and current not in result and current in table:
                result.add(current)
                current = table[current].get(parent_field)
        return result


def compare(actual: Any, operator: str, value: Any) -> bool:
    if actual is None:
        actual = False
    if operator == "=":
        if value is False or value is None:
            return actual is False or actual == ""
        return actual == value
    if operator == "!=":
        if value is False or value is None:
            return not (actual is False or actual == "")
        return actual != value
    if operator in ("in", "not in"):
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        hit = actual in values or ((actual is False or actual == "") and False in values)
        return hit if operator == "in" else not hit
    if operator in ("like", "ilike", "=like", "=ilike", "not like", "not ilike"):
        if value is False or value is None:
            # Odoo treats ('x', 'like', False) as ('x', '=', False).
            empty = actual is False or actual == ""
            return not empty if operator.startswith("not") else empty
        pattern = str(value)
        if operator in ("like", "ilike", "not like", "not ilike"):
            pattern = f"%{pattern}%"
        matcher = like_matcher(pattern, "ilike" in operator)
        hit = actual is not False and matcher(str(actual))
        return not hit if operator.startswith("not") else hit
    if actual is False and not isinstance(value, bool):
        return False
    try:
        if operator == "<":
            return actual < value
        if operator == ">":
            return actual > value
        if operator == "<=":
            return actual <= value
        if operator == ">=":
            return actual >= value
    except TypeError:
        return False
    raise value_error(f"Invalid operator {operator!r}")


def compare_x2many(actual: list, operator: str, value: Any, env: "Env", field: dict) -> bool:
    ids = set(actual or [])
    if isinstance(value, str) or (
        isinstance(value, (list, tuple)) and value and isinstance(value[0], str)
    ):
        labels = [env.display_name(field["relation"], rid) for rid in ids]
        if operator.startswith("not") or operator == "!=":
            positive = operator.replace("not ", "").replace("!=", "=")
            return not any(compare(label, positive, value) for label in labels)
        return any(compare(label, operator, value) for label in labels)
    if value is False or value is None:
        empty = not ids
        return empty if operator in ("=", "in", "like", "ilike") else not empty
    values = set(value) if isinstance(value, (list, tuple, set)) else {value}
    if operator in ("=", "in"):
        return bool(ids & values)
    if operator in ("!=", "not in"):
        return not (ids & values)
    raise value_error(f"Invalid operator {operator!r} for a {field['type']} field")
