#!/usr/bin/env python3
"""The closure question as an analyst would answer it in NetworkX: the least T for which a maximum flow in the
T-day time-expanded network carries every load.

Reads a `guarantor.closure-instance.v1` file (written by `guarantor closure-bench --instance FILE`) and prints
JSON: {"closure_day", "seconds", "max_flows", "search"}.

The time-expanded network for days 0..T: each node v on day t is two nodes, (v, t, "in") and (v, t, "out"),
joined by an arc of the node's reception capacity; waiting arcs (v, t, x) -> (v, t+1, x) are unlimited; each
link, in each direction, joins (from, t, "out") to (to, t + transit, "in") with its daily capacity; a super
source feeds (origin, ready_day, "in") with each load's troops; the destination's "out" node on every day
drains into a super sink. This is the same model guarantor solves; nothing is shared but the instance file.

The search for T is a binary search over [lower bound, horizon - 1] (maximum flow is monotone in T), the
lower bound being the earliest day anything could arrive (a shortest path in days from the loads' origins).
"""

import argparse
import json
import sys
import time

import networkx as nx


def time_expanded(inst, days):
    g = nx.DiGraph()
    nodes = inst["nodes"]
    dest = inst["destination"]
    for t in range(days):
        for n in nodes:
            v = n["id"]
            g.add_edge((v, t, 0), (v, t, 1), capacity=n["reception_troops_per_day"])
            if t + 1 < days:
                g.add_edge((v, t, 0), (v, t + 1, 0))  # no capacity attribute: unlimited
                g.add_edge((v, t, 1), (v, t + 1, 1))
        for l in inst["links"]:
            tr = l["transit_days"]
            if t + tr < days:
                g.add_edge((l["from"], t, 1), (l["to"], t + tr, 0), capacity=l["troops_per_day"])
                g.add_edge((l["to"], t, 1), (l["from"], t + tr, 0), capacity=l["troops_per_day"])
        g.add_edge((dest, t, 1), "sink")
    supply = {}
    for load in inst["loads"]:
        if load["ready_day"] < days:
            key = (load["origin"], load["ready_day"], 0)
            supply[key] = supply.get(key, 0) + load["troops"]
    for key, troops in supply.items():
        g.add_edge("source", key, capacity=troops)
    return g


def lower_bound(inst):
    """Earliest day any load could reach the destination, ignoring capacity."""
    g = nx.Graph()
    for l in inst["links"]:
        g.add_edge(l["from"], l["to"], weight=l["transit_days"])
    dist = nx.single_source_dijkstra_path_length(g, inst["destination"], weight="weight")
    return min(
        (load["ready_day"] + dist[load["origin"]] for load in inst["loads"] if load["origin"] in dist),
        default=inst["horizon_days"],
    )


def closure(inst):
    demand = sum(load["troops"] for load in inst["loads"])
    lo, hi = lower_bound(inst), inst["horizon_days"] - 1
    solves = 0

    def carries_all(t):
        nonlocal solves
        solves += 1
        g = time_expanded(inst, t + 1)
        if "source" not in g or "sink" not in g:
            return False
        return nx.maximum_flow_value(g, "source", "sink") == demand

    if lo > hi or not carries_all(hi):
        return None, solves
    while lo < hi:
        mid = (lo + hi) // 2
        if carries_all(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo, solves


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instance")
    ap.add_argument("--at", type=int, help="only solve the max flow for this T and print its value")
    args = ap.parse_args()
    with open(args.instance) as f:
        inst = json.load(f)
    if inst.get("format") != "guarantor.closure-instance.v1":
        sys.exit(f"{args.instance}: not a guarantor.closure-instance.v1 file")
    started = time.perf_counter()
    if args.at is not None:
        g = time_expanded(inst, args.at + 1)
        value = nx.maximum_flow_value(g, "source", "sink")
        print(json.dumps({"at": args.at, "max_flow": value, "seconds": time.perf_counter() - started}))
        return
    day, solves = closure(inst)
    print(json.dumps({"closure_day": day, "seconds": time.perf_counter() - started, "max_flows": solves,
                      "search": "binary"}))


if __name__ == "__main__":
    main()
