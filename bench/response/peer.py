#!/usr/bin/env python3
"""The response's arrival times as an analyst would compute them from docs/response.md in NetworkX.

Written from the rules text ("The rules, exactly") and the scenario's TOML only; nothing is shared with guarantor
but the scenario folder and the JSON it prints. Used two ways:

* as a library by `bench/response/run` (the check): `Scenario` reads the folder with tomllib, `HourNetwork` answers
  "when does this load arrive" and "how much arrives by hour T", `decisions`, `notice_hours`, `geodesic_km`;
* as a program (the benchmark peer), timed as a whole process:

      peer.py arrivals QUERIES.json [--scenario DIR] [--sample N] [--seed S]

  QUERIES.json is `{"horizon_hours": H, "queries": [{"dest", "from", "ready_hour", "troops", "tonnes"}, ...]}`.
  It prints JSON: {"results": [{..query.., "first_hour", "closed_hour"}], "queries", "problems",
  "problems_solved", "max_flows", "sampled", "seconds" (all), "solve_seconds" (the max flows and their
  graphs)}. With --sample N only N of the queries are answered (seeded choice), solving the distinct
  single-commodity problems they are made of; the driver extrapolates by problems solved.

The time-expanded network at hour resolution (rule 4), for hours t0..T:

* each node v on hour t is two nodes (v, t, 0) "in" and (v, t, 1) "out", joined by an arc of the node's
  reception capacity in that hour;
* waiting is free: (v, t, x) -> (v, t + 1, x) unlimited, both before and after reception;
* each link, in each direction, joins (from, t, 1) to (to, t + transit, 0) with the link's capacity in hour t
  (the hour the load sets off); parallel links with the same ends and transit add up;
* a daily capacity C (troops; tonnes floored to whole tonnes first) gives hour t the share
  floor((j+1)·C/24) − floor(j·C/24), j = t mod 24;
* transit hours = max(1, ceil(distance_km × 24 / speed_km_per_day)), in that order, in floating point;
* a super source feeds (origin, ready, 0) with the load; the destination's "out" node on every hour drains into
  a super sink, so the flow value of the T-hour network is what has been received at the destination by hour T.

A load's first hour is the least T with a positive max flow, its closing hour the least T whose max flow is the
whole load (max flow is monotone in T): found by galloping up from a lower bound (the static shortest path in
transit hours) and then bisecting. Nodes that cannot lie on any source-sink path in time (too early to be reached
from any origin, or too late to reach the destination by T, by static shortest paths) are left out of the graph;
that changes no flow value, only the size of what NetworkX is given.
"""

import argparse
import heapq
import json
import math
import random
import sys
import time
import tomllib
from pathlib import Path

import networkx as nx
from geographiclib.geodesic import Geodesic

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SCENARIO = ROOT / "crates" / "guarantor-scenario" / "default"

COMMODITIES = ("troops", "tonnes")


def hour_share(daily, hour):
    """Hour `hour`'s share of a daily capacity spread as evenly as whole units allow (rule 4)."""
    j = hour % 24
    return (j + 1) * daily // 24 - j * daily // 24


def transit_hours(distance_km, speed_km_per_day):
    """max(1, ceil(distance_km × 24 / speed_km_per_day)), computed in that order in floating point."""
    return max(1, math.ceil(float(distance_km) * 24.0 / float(speed_km_per_day)))


def geodesic_km(a_lat, a_lon, b_lat, b_lon):
    """WGS84 geodesic distance in km."""
    return Geodesic.WGS84.Inverse(a_lat, a_lon, b_lat, b_lon)["s12"] / 1000.0


def capacity(value, commodity):
    """A daily capacity as whole units: troops as given, tonnes rounded down to whole tonnes."""
    return int(math.floor(value)) if commodity == "tonnes" else int(value)


class HourNetwork:
    """network.toml at hour resolution, with the max-flow questions of rule 4."""

    def __init__(self, network_toml):
        self.nodes = {n["id"]: n for n in network_toml["node"]}
        self.reception = {
            c: {n["id"]: capacity(n[f"reception_{c}_per_day"], c) for n in network_toml["node"]} for c in COMMODITIES
        }
        # Directed arcs, both ways per link; parallel links with the same (from, to, transit) merge their capacity.
        arcs = {}
        for link in network_toml["link"]:
            hours = transit_hours(link["distance_km"], link["speed_km_per_day"])
            for a, b in ((link["from"], link["to"]), (link["to"], link["from"])):
                caps = arcs.setdefault((a, b, hours), {c: [] for c in COMMODITIES})
                for c in COMMODITIES:
                    caps[c].append(capacity(link[f"{c}_per_day"], c))
        self.arcs = [(a, b, hours, caps) for (a, b, hours), caps in arcs.items()]
        self.out_arcs = {}
        for a, b, hours, _ in self.arcs:
            self.out_arcs.setdefault(a, []).append((b, hours))
        self._dist = {}
        self.max_flows = 0  # max flows solved so far (for reporting)

    # -- static shortest paths in transit hours (capacities ignored): the lower bounds and the pruning -----------

    def hours_from(self, source):
        """Least transit hours from `source` to every node it reaches (links are symmetric)."""
        if source not in self._dist:
            dist = {source: 0}
            heap = [(0, source)]
            while heap:
                d, v = heapq.heappop(heap)
                if d > dist[v]:
                    continue
                for w, h in self.out_arcs.get(v, ()):
                    if d + h < dist.get(w, math.inf):
                        dist[w] = d + h
                        heapq.heappush(heap, (d + h, w))
            self._dist[source] = dist
        return self._dist[source]

    # -- the max flow of the T-hour network ------------------------------------------------------------------------

    def max_flow(self, commodity, dest, sources, last_hour):
        """The most of `commodity` received at `dest` by hour `last_hour` (inclusive) from `sources`, a list of
        (origin, ready_hour, amount); origins other than `dest`. One NetworkX max flow."""
        sources = [(o, r, a) for o, r, a in sources if r <= last_hour and a > 0]
        if not sources:
            return 0
        to_dest = self.hours_from(dest)  # symmetric: hours from v to dest
        earliest = {}
        for origin, ready, _ in sources:
            for v, d in self.hours_from(origin).items():
                if ready + d < earliest.get(v, math.inf):
                    earliest[v] = ready + d
        # (v, t) can carry flow only if earliest[v] <= t and t + to_dest[v] <= last_hour.
        window = {v: (e, last_hour - to_dest[v]) for v, e in earliest.items()
                  if v in to_dest and e <= last_hour - to_dest[v]}
        if dest not in window:
            return 0
        reception = self.reception[commodity]
        g = nx.DiGraph()
        for v, (lo, hi) in window.items():
            daily = reception[v]
            for t in range(lo, hi + 1):
                share = hour_share(daily, t)
                if share > 0:
                    g.add_edge((v, t, 0), (v, t, 1), capacity=share)
                if t < hi:
                    g.add_edge((v, t, 0), (v, t + 1, 0))  # no capacity attribute: unlimited
                    g.add_edge((v, t, 1), (v, t + 1, 1))
        for a, b, hours, caps in self.arcs:
            if a not in window or b not in window:
                continue
            (alo, ahi), (blo, bhi) = window[a], window[b]
            for t in range(max(alo, blo - hours), min(ahi, bhi - hours) + 1):
                share = sum(hour_share(daily, t) for daily in caps[commodity])
                if share > 0:
                    g.add_edge((a, t, 1), (b, t + hours, 0), capacity=share)
        dlo, dhi = window[dest]
        for t in range(dlo, dhi + 1):
            g.add_edge((dest, t, 1), "sink")
        supply = {}
        for origin, ready, amount in sources:
            if origin in window and window[origin][0] <= ready <= window[origin][1]:
                supply[(origin, ready, 0)] = supply.get((origin, ready, 0), 0) + amount
        if not supply:
            return 0
        for key, amount in supply.items():
            if key not in g:  # an origin hour with no arc at all (reception 0 and nothing after)
                continue
            g.add_edge("source", key, capacity=amount)
        if "source" not in g or "sink" not in g:
            return 0
        self.max_flows += 1
        return nx.maximum_flow_value(g, "source", "sink")

    def delivered_by(self, commodity, dest, sources, last_hour):
        """What has arrived at `dest` by `last_hour` when all `sources` move together (the build-up): loads
        starting at the destination are there at their ready hour, the rest one joint max flow."""
        there = sum(a for o, r, a in sources if o == dest and r <= last_hour)
        away = [(o, r, a) for o, r, a in sources if o != dest]
        return there + self.max_flow(commodity, dest, away, last_hour)

    def _least_hour(self, test, lo, hi):
        """The least T in [lo, hi] with test(T), for a monotone test; None if test(hi) is false. Gallops up from
        lo (the answer is usually close to the lower bound), then bisects."""
        if lo > hi:
            return None
        step, below = 1, lo - 1
        t = lo
        while not test(t):
            below = t
            if t == hi:
                return None
            t = min(hi, t + step)
            step *= 2
        while below + 1 < t:
            mid = (below + t) // 2
            if test(mid):
                t = mid
            else:
                below = mid
        return t

    def arrival(self, commodity, dest, origin, ready, amount, last_hour):
        """One load alone: (first_hour, closed_hour, why_not) — the first hour any of it is received at `dest`,
        the hour all of it has been; None past `last_hour`. why_not: None, "horizon" or "unreachable"."""
        if origin == dest:
            return (ready, ready, None) if ready <= last_hour else (None, None, "horizon")
        dist = self.hours_from(origin)
        if dest not in dist:
            return None, None, "unreachable"
        sources = [(origin, ready, amount)]
        first = self._least_hour(lambda t: self.max_flow(commodity, dest, sources, t) > 0,
                                 ready + dist[dest], last_hour)
        if first is None:
            return None, None, "horizon"
        closed = self._least_hour(lambda t: self.max_flow(commodity, dest, sources, t) >= amount, first, last_hour)
        return first, closed, (None if closed is not None else "horizon")


def combine(parts):
    """A unit's two commodities: first = the earlier first hour, closed = the later closing hour (None if either
    does not close). `parts` is a list of (first, closed, why_not) for the commodities it carries."""
    if not parts:
        return None, None, None
    firsts = [p[0] for p in parts if p[0] is not None]
    first = min(firsts) if firsts else None
    if all(p[1] is not None for p in parts):
        return first, max(p[1] for p in parts), None
    why = "unreachable" if any(p[2] == "unreachable" for p in parts) else "horizon"
    return first, None, why


class Scenario:
    """The scenario folder's TOML, read with tomllib, and what rules 2, 3, 5 and 7 need from it."""

    def __init__(self, folder=DEFAULT_SCENARIO):
        folder = Path(folder)

        def load(name):
            with open(folder / name, "rb") as f:
                return tomllib.load(f)

        self.folder = folder
        self.network_toml = load("network.toml")
        self.response = load("response.toml")
        self.pledges = {p["id"]: p for p in load("pledges.toml")["pledge"]}
        self.nations = {n["code"]: n for n in load("nations.toml")["nation"]}
        self.capabilities = {c["id"]: c for c in load("capabilities.toml")["capability"]}
        self.sites = {s["id"]: s for s in load("sites.toml")["site"]}
        self.facts = load("scenario.toml").get("fact", [])
        self.net = HourNetwork(self.network_toml)
        self.nodes = self.net.nodes
        self.reserves = {r["id"]: r for r in self.network_toml.get("reserve", [])}
        self.deciders = {d["id"]: d for d in self.response.get("decider", [])}
        self.tiers = {t["id"]: t for t in self.response.get("tier", [])}
        self.options = {o["id"]: o for o in self.response.get("option", [])}
        self.contingencies = {c["id"]: c for c in self.response.get("contingency", [])}
        self.last_hour = 24 * self.response["response"]["horizon_days"]  # rule 6: hours 0 … 24·horizon_days
        # The node serving a site: the first [[node]] in file order with `site = <id>`.
        self.site_node = {}
        for n in self.network_toml["node"]:
            if n.get("site") and n["site"] not in self.site_node:
                self.site_node[n["site"]] = n["id"]

    # -- rule 7 -----------------------------------------------------------------------------------------------

    def reinforceable_sites(self):
        """Land sites with a network node, not logistics hubs."""
        return [s for s in self.sites.values()
                if s["kind"] not in ("sea_area", "air_area", "logistics_hub") and s["id"] in self.site_node]

    def nearest_reinforceable(self, lat, lon):
        return min(self.reinforceable_sites(), key=lambda s: geodesic_km(lat, lon, s["lat"], s["lon"]))["id"]

    # -- rule 2 -----------------------------------------------------------------------------------------------

    def decisions(self, tier, option, nation):
        """[(decider id, hours)]: the tier's deciders, then the option's, in order. A government decides for the
        element's nation (none for a coalition-wide element); a parliament only where the nation votes."""
        out = []
        for did in list(self.tiers[tier].get("deciders", [])) + list(self.options[option].get("deciders", [])):
            d = self.deciders[did]
            if d["kind"] == "body":
                out.append((did, d["hours"]))
            elif d["kind"] == "government":
                if nation:
                    out.append((did, d["hours"]))
            elif d["kind"] == "parliament":
                days = self.nations.get(nation, {}).get("parliament_vote_days")
                if nation and days:
                    out.append((did, days * 24))
            else:
                raise ValueError(f"decider {did}: unknown kind {d['kind']}")
        return out

    # -- rule 3 -----------------------------------------------------------------------------------------------

    @staticmethod
    def parse_label(label):
        """('deployed', pledge, site) | ('pledge', pledge, None) | ('reserve', reserve, None); the '#k' suffix that
        numbers the units of one record is dropped."""
        base = label.split("#", 1)[0]
        if base.startswith("deployed:"):
            pledge, _, site = base[len("deployed:"):].partition("@")
            return "deployed", pledge, site
        if base.startswith("pledge:"):
            return "pledge", base[len("pledge:"):], None
        return "reserve", base, None

    def notice_hours(self, element):
        option = self.options[element["option"]]
        if option["kind"] in ("ground", "stockpiles"):
            how, ident, _ = self.parse_label(element["label"])
            if how == "deployed":
                return 0
            if how == "pledge":
                return self.pledges[ident]["notice_days"] * 24
            return self.reserves[ident]["notice_days"] * 24
        return option.get("notice_hours", 0)

    def load_of(self, element):
        """(origin node, troops, tonnes, capability or None, nation) of a ground unit or stockpile, from the scenario
        record its label names: a reserve at its node; a pledged unit at its nation's home node; a deployed unit at
        its site's node; a stockpile at its depot. Tonnes rounded up (rule 4)."""
        how, ident, site = self.parse_label(element["label"])
        if how == "reserve":
            r = self.reserves[ident]
            cap = self.capabilities[r["capability"]]
            return r["node"], cap["personnel"], math.ceil(cap["tonnes"]), r["capability"], r["nation"]
        p = self.pledges[ident]
        if p["kind"] == "materiel":
            return p["depot"], 0, math.ceil(p["tonnes"]), None, p["nation"]
        cap = self.capabilities[p["capability"]]
        origin = self.site_node.get(site) if how == "deployed" else self.nations[p["nation"]]["home"]
        return origin, cap["personnel"], math.ceil(cap["tonnes"]), p["capability"], p["nation"]


# ---------------------------------------------------------------------------------------------------------------
# The benchmark peer: arrivals of many loads
# ---------------------------------------------------------------------------------------------------------------


def problems_of(query):
    """The single-commodity problems a query is made of: (commodity, dest, origin, ready, amount)."""
    out = []
    for c in COMMODITIES:
        amount = int(math.ceil(query[c])) if query.get(c) else 0
        if amount > 0:
            out.append((c, query["dest"], query["from"], query["ready_hour"], amount))
    return out


def arrivals(scenario, queries, last_hour, sample=None, seed=1):
    """Answer `queries` (each load alone); with `sample`, only that many of them (seeded choice). Returns
    (results, distinct single-commodity problems in all the queries, problems solved)."""
    problems = sorted({p for q in queries for p in problems_of(q)})
    chosen = problems
    if sample is not None and sample < len(queries):
        picked = random.Random(seed).sample(queries, sample)
        chosen = sorted({p for q in picked for p in problems_of(q)})
    solved = {}
    for p in chosen:
        commodity, dest, origin, ready, amount = p
        solved[p] = scenario.net.arrival(commodity, dest, origin, ready, amount, last_hour)
    results = []
    for q in queries:
        parts = problems_of(q)
        if all(p in solved for p in parts):
            first, closed, _ = combine([solved[p] for p in parts])
            results.append({**q, "first_hour": first, "closed_hour": closed})
    return results, len(problems), len(chosen)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    a = sub.add_parser("arrivals", help="first and closing hours of many loads, each alone")
    a.add_argument("queries", type=Path)
    a.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    a.add_argument("--sample", type=int, help="answer only this many of the queries (seeded choice)")
    a.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    started = time.perf_counter()
    scenario = Scenario(args.scenario)
    with open(args.queries) as f:
        spec = json.load(f)
    last_hour = spec.get("horizon_hours", scenario.last_hour + 1) - 1
    queries = spec["queries"]
    solving = time.perf_counter()
    results, total, solved = arrivals(scenario, queries, last_hour, args.sample, args.seed)
    done = time.perf_counter()
    print(json.dumps({
        "results": results, "queries": len(queries), "problems": total, "problems_solved": solved,
        "max_flows": scenario.net.max_flows, "sampled": solved < total,
        "seconds": done - started, "solve_seconds": done - solving,
    }))


if __name__ == "__main__":
    sys.exit(main())
