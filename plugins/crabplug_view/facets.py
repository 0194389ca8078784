"""A datasette facet for the JSON arrays of ``crabplug view`` whose items are distinct within a row."""

from __future__ import annotations

from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class SetFacet(ArrayFacet):
    """datasette's array facet for arrays whose items are distinct within a row (the types of a sample): it
    counts ``json_each`` directly, without the per-row dedupe over whole rows that makes the array facet
    ten times slower (1.2 s against 0.1 s on 6,000 samples)."""

    type = "set"

    async def suggest(self):
        return []

    async def facet_results(self):
        results, timed_out = [], []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            sql = (f"with inner as ({self.sql}) select j.value as value, count(*) as count from inner,"
                   f" json_each(inner.{escape_sqlite(column)}) j group by j.value"
                   f" order by count(*) desc, value limit {size + 1}")
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                value = str(row["value"])
                arg = {f"{column}__arraycontains": value}
                selected = (f"{column}__arraycontains", value) in pairs
                path = path_with_removed_args(self.request, arg) if selected \
                    else path_with_added_args(self.request, arg)
                values.append({"value": value, "label": value, "count": row["count"], "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, path)})
            results.append({"name": column, "type": self.type, "results": values, "hideable": False,
                            "toggle_url": self.request.path, "truncated": len(rows) > size})
        return results, timed_out
