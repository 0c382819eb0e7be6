"""Odoo reference data the load resolves names and codes against.

Countries and states are resolved by code, and a state only within its
country: the code `CA` is California in the US and Cádiz in Spain, so Odoo's
name search would pick either. Without a connection (a dry run against a
bundled profile) the same checks run against the ISO 3166 data of `pycountry`.
"""

from __future__ import annotations

import pycountry


class ReferenceData:
    """Lookups of countries, states and records found by name, read once per run."""

    def __init__(self, client=None):
        self.client = client
        self._countries: dict[str, int] | None = None
        self._states: dict[tuple[int, str], int] | None = None
        self._named: dict[str, dict[str, int]] = {}
        self._xmlids: dict[str, int | None] = {}
        self.company_currency: str | None = None
        if client is not None:
            company = client.search_read("res.company", [], ["currency_id"], limit=1, order="id")
            if company and company[0].get("currency_id"):
                self.company_currency = company[0]["currency_id"][1]

    @property
    def offline(self) -> bool:
        return self.client is None

    def _load_geography(self) -> None:
        if self._countries is not None:
            return
        if self.offline:
            countries = list(pycountry.countries)
            self._countries = {country.alpha_2: -(index + 1) for index, country in enumerate(countries)}
            self._states = {}
            for index, subdivision in enumerate(pycountry.subdivisions):
                country_id = self._countries.get(subdivision.country_code)
                if country_id is None:
                    continue
                code = subdivision.code.split("-", 1)[1].upper()
                self._states[(country_id, code)] = -(index + 1)
                self._states.setdefault((country_id, subdivision.name.lower()), -(index + 1))
            return
        rows = self.client.search_read("res.country", [], ["code"])
        self._countries = {row["code"].upper(): row["id"] for row in rows if row.get("code")}
        self._states = {}
        for row in self.client.search_read("res.country.state", [], ["code", "name", "country_id"]):
            country_id = row["country_id"][0] if row.get("country_id") else None
            if country_id is None:
                continue
            self._states[(country_id, str(row["code"]).upper())] = row["id"]
            self._states.setdefault((country_id, str(row["name"]).lower()), row["id"])

    def country_id(self, code: str | None) -> int | None:
        """Return the Odoo id of the country with this ISO alpha-2 code; raise LookupError when Odoo has none."""
        if code is None:
            return None
        self._load_geography()
        found = self._countries.get(code.upper())
        if found is None:
            raise LookupError(f"Odoo has no country with code {code!r}")
        return found

    def state_id(self, country_id: int | None, state: str | None) -> int | None:
        """Return the id of a state given by code or name within its country; raise LookupError when not found."""
        if state is None:
            return None
        if country_id is None:
            raise LookupError(f"the state {state!r} has no country; add the country, because state codes repeat across countries")
        self._load_geography()
        text = state.strip()
        found = self._states.get((country_id, text.upper())) or self._states.get((country_id, text.lower()))
        if found is None:
            raise LookupError(f"the country has no state with code or name {state!r}")
        return found

    def xmlid(self, module: str, name: str) -> int | None:
        """Return the record id of an external ID of Odoo's own data (e.g. mail.mt_note); a placeholder offline."""
        key = f"{module}.{name}"
        if key not in self._xmlids:
            if self.offline:
                self._xmlids[key] = -(len(self._xmlids) + 1)
            else:
                rows = self.client.search_read("ir.model.data", [("module", "=", module), ("name", "=", name)], ["res_id"])
                self._xmlids[key] = rows[0]["res_id"] if rows else None
        return self._xmlids[key]

    def model_id(self, model: str) -> int | None:
        """Return the `ir.model` id of a model, which `mail.activity.res_model_id` needs."""
        key = f"ir.model:{model}"
        if key not in self._xmlids:
            if self.offline:
                self._xmlids[key] = -(len(self._xmlids) + 1)
            else:
                rows = self.client.search_read("ir.model", [("model", "=", model)], ["id"])
                self._xmlids[key] = rows[0]["id"] if rows else None
        return self._xmlids[key]

    def named(self, model: str) -> dict[str, int]:
        """Return name -> id of every record of a model found by name (tags, industries, lost reasons)."""
        if model not in self._named:
            names: dict[str, int] = {}
            if not self.offline:
                rows = self.client.search_read(model, [], ["name"], context={"active_test": False}, order="id")
                for row in rows:
                    if row.get("name"):
                        names.setdefault(str(row["name"]), row["id"])
                        names.setdefault(str(row["name"]).lower(), row["id"])
            self._named[model] = names
        return self._named[model]

    def find_named(self, model: str, name: str) -> int | None:
        names = self.named(model)
        return names.get(name) or names.get(name.lower())

    def remember_named(self, model: str, name: str, record_id: int) -> None:
        names = self.named(model)
        names[name] = record_id
        names.setdefault(name.lower(), record_id)
