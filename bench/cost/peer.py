#!/usr/bin/env python3
"""Independent re-computation of guarantor's cost model (docs/cost.md, "The rules, exactly").

Usage: peer.py SCENARIO_DIR PLAN_JSON [--verbose]

Inputs are the scenario's TOML files and, from the plan JSON, only `world`, `movement.units[]` and
`movement.stockpiles[]`. The plan's `cost` section is read only to compare at the end; `rotation` is not read.
Exit status 1 when any nation's net (low, best or high) or the total differs from guarantor's by more than $1.

Then each planned contingency's response cost (docs/cost.md, "What a response costs"): from the response's
elements as the plan JSON lists them (what each brings, when it is ready and first acts, where it starts), the
scenario's response.toml (each strike option's missiles a day), network.toml (the reserves' kinds, the routes)
and cost.toml, each element's cost and the response's total, compared with `responses[].cost`.
"""
from __future__ import annotations

import json
import math
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import networkx as nx

MONTH_DAYS = 365.25 / 12  # 30.4375
LEVELS = ("low", "best", "high")
CATEGORIES = ("deployed", "preparing_or_recovering", "transport", "one_off", "materiel", "enabler")
NAMED_CYCLES = {"thirds": (1, 1, 1), "analysts": (2, 1, 2), "harmony": (1, 2, 2)}
TOLERANCE = 1.0


# ----------------------------------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------------------------------

def est(v, default=None):
    """A cost.toml estimate: one number for all three, or {low, best, high}. Returns a 3-tuple."""
    if v is None:
        if default is None:
            raise ValueError("missing estimate")
        v = default
    if isinstance(v, (int, float)):
        return (float(v),) * 3
    return tuple(float(v[k]) for k in LEVELS)


def scale(e, k):
    return tuple(x * k for x in e)


def add(a, b):
    return tuple(x + y for x, y in zip(a, b))


ZERO = (0.0, 0.0, 0.0)


def round_half_up(x: float) -> int:
    """`round` as in the docs: nearest integer, halves away from zero (all inputs here are >= 0)."""
    return math.floor(x + 0.5)


def month_of(day: float) -> int:
    return math.floor(day / MONTH_DAYS)


def parse_cycle(s: str):
    s = s.strip()
    if s in NAMED_CYCLES:
        return NAMED_CYCLES[s]
    parts = s.split(":")
    if len(parts) != 3:
        raise ValueError(f"bad cycle {s!r}")
    return tuple(float(p) for p in parts)


# ----------------------------------------------------------------------------------------------------------------
# conditions: identifiers, true/false, !, &&, ||, parentheses (precedence ! > && > ||)
# ----------------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(&&)|(\|\|)|(!)|(\()|(\))|([A-Za-z_][A-Za-z0-9_]*))")


def tokenize(s: str):
    pos, out = 0, []
    s = s.rstrip()
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m:
            raise ValueError(f"bad condition {s!r} at {pos}")
        out.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return out


def eval_condition(cond: str | None, facts: dict[str, bool]) -> bool:
    if cond is None or cond.strip() == "":
        return True
    toks = tokenize(cond)
    i = 0

    def peek():
        return toks[i] if i < len(toks) else None

    def take(expected=None):
        nonlocal i
        t = peek()
        if t is None or (expected is not None and t != expected):
            raise ValueError(f"bad condition {cond!r}: expected {expected!r}, got {t!r}")
        i += 1
        return t

    def p_or():
        v = p_and()
        while peek() == "||":
            take()
            r = p_and()
            v = v or r
        return v

    def p_and():
        v = p_not()
        while peek() == "&&":
            take()
            r = p_not()
            v = v and r
        return v

    def p_not():
        if peek() == "!":
            take()
            return not p_not()
        if peek() == "(":
            take()
            v = p_or()
            take(")")
            return v
        t = take()
        if t == "true":
            return True
        if t == "false":
            return False
        if t not in facts:
            raise ValueError(f"condition {cond!r} names unknown fact {t!r}")
        return facts[t]

    v = p_or()
    if i != len(toks):
        raise ValueError(f"bad condition {cond!r}: trailing {toks[i:]}")
    return v


# ----------------------------------------------------------------------------------------------------------------
# the model
# ----------------------------------------------------------------------------------------------------------------

def load(d: Path, name: str):
    with open(d / name, "rb") as f:
        return tomllib.load(f)


class Peer:
    def __init__(self, scen: Path, plan: dict):
        self.scenario = load(scen, "scenario.toml")
        self.nations = {n["code"]: n for n in load(scen, "nations.toml").get("nation", [])}
        self.pledges = {p["id"]: p for p in load(scen, "pledges.toml").get("pledge", [])}
        self.network = load(scen, "network.toml")
        self.cost = load(scen, "cost.toml")
        self.plan = plan
        mission = self.scenario["mission"]
        self.H = int(mission["horizon_months"])
        self.mission_cycle = mission.get("cycle")
        self.mission_tour = mission.get("tour_months")
        # world state: scenario's today, overridden by the plan's world string
        self.facts = {f["id"]: bool(f.get("today", False)) for f in self.scenario.get("fact", [])}
        for part in (plan.get("world") or "").split(","):
            if "=" in part:
                k, v = part.split("=", 1)
                self.facts[k.strip()] = v.strip().lower() == "true"
        self.warnings: list[str] = []
        self._build_graph()
        self._route_cache: dict = {}

    # --- liveness ------------------------------------------------------------------------------------------
    def live(self, pledge_id: str) -> bool:
        p = self.pledges.get(pledge_id)
        if p is None:
            return False
        if p.get("status") == "withdrawn":
            return False
        return eval_condition(p.get("condition"), self.facts)

    # --- network -------------------------------------------------------------------------------------------
    def _build_graph(self):
        rates = self.cost["transport"]["per_tonne_km"]
        self.mode_rate = {m: est(v) for m, v in rates.items()}
        self.site_node = {}
        for n in self.network.get("node", []):
            if n.get("site"):
                self.site_node[n["site"]] = n["id"]
        g = nx.Graph()
        for n in self.network.get("node", []):
            g.add_node(n["id"])
        for l in self.network.get("link", []):
            if not (l.get("tonnes_per_day", 0) > 0):
                continue
            mode = l["mode"]
            w = l["distance_km"] * self.mode_rate[mode][1]
            a, b = l["from"], l["to"]
            # parallel links: keep the cheapest (by best); it is the one a shortest path would use
            if g.has_edge(a, b) and g[a][b]["weight"] <= w:
                continue
            g.add_edge(a, b, weight=w, km=l["distance_km"], mode=mode, id=l["id"])
        self.g = g

    def route_cost_per_tonne(self, src: str | None, dst: str | None):
        """(low, best, high) $ per tonne over the cheapest route (by best), or None when there is none."""
        if src is None or dst is None:
            return None
        key = (src, dst)
        if key in self._route_cache:
            return self._route_cache[key]
        if src == dst:
            r = ZERO
        else:
            try:
                path = nx.shortest_path(self.g, src, dst, weight="weight")
            except (nx.NetworkXNoPath, nx.NodeNotFound):
                self.warnings.append(f"no route {src} -> {dst}")
                self._route_cache[key] = None
                return None
            r = ZERO
            for a, b in zip(path, path[1:]):
                e = self.g[a][b]
                r = add(r, scale(self.mode_rate[e["mode"]], e["km"]))
        self._route_cache[key] = r
        return r

    # --- cost records --------------------------------------------------------------------------------------
    def troop_rates(self, capability: str):
        recs = {r.get("capability", "*"): r for r in self.cost.get("troop_month", [])}
        r = recs.get(capability) or recs.get("*")
        if r is None:
            self.warnings.append(f"no troop_month rate for {capability}")
            return ZERO, ZERO, False
        return est(r["deployed"]), est(r.get("preparing_or_recovering"), 0), bool(r.get("common", False))

    def nation_factor(self, nation: str) -> float:
        for r in self.cost.get("nation_factor", []):
            if r["nation"] == nation:
                return float(r["factor"])
        return 1.0

    def cycle_of(self, nation: str):
        n = self.nations.get(nation, {})
        # docs/scenario-format.md: the mission's cycle is optional, "thirds" by default
        c = parse_cycle(n.get("cycle") or self.mission_cycle or "thirds")
        t = n.get("tour_months") or self.mission_tour
        return c, int(t)

    # --- the computation -----------------------------------------------------------------------------------
    def run(self):
        H = self.H
        fin = self.cost.get("financing", {})
        rule = fin.get("rule", "lie_where_they_fall")
        key = fin.get("key", "gdp")
        reimb_rate = est(fin.get("reimbursement_per_troop_month"), 0)
        tr = self.cost["transport"]
        per_pax = est(tr["per_passenger"])
        transport_common = bool(tr.get("common", False))

        items = []  # (category, nation|None, common, month, (l,b,h))
        deployed_tm = defaultdict(lambda: [0.0] * H)  # nation -> troop-months deployed per month
        all_tm = defaultdict(float)  # nation -> troop-months of any state (full cost)
        participating = set()
        not_costed = []

        def item(cat, nation, common, month, amount):
            if 0 <= month < H:
                items.append((cat, nation, common or nation is None or rule == "common", month, amount))

        units = self.plan["movement"]["units"]
        arrived = [u for u in units if u.get("arrival_day") is not None]
        not_costed = [u["pledge"] for u in units if u.get("arrival_day") is None]
        total_arrived_troops = sum(u["troops"] for u in arrived)

        for u in arrived:
            if not self.live(u["pledge"]):
                self.warnings.append(f"unit of {u['pledge']} in the plan but its pledge is not live")
            nation, troops = u["nation"], u["troops"]
            participating.add(nation)
            start = month_of(u["arrival_day"])
            (d, r, t), T = self.cycle_of(nation)
            P = round_half_up(T * t / d)
            R = round_half_up(T * r / d)
            dep_rate, pr_rate, tm_common = self.troop_rates(u["capability"])
            f = self.nation_factor(nation)
            dep_rate, pr_rate = scale(dep_rate, f), scale(pr_rate, f)
            dep = [0] * H
            prep = [0] * H
            k = 0
            while start + k * T - P < H:
                s = start + k * T
                for m in range(s - P, s):
                    if 0 <= m < H:
                        prep[m] += 1
                for m in range(s, s + T):
                    if 0 <= m < H:
                        dep[m] += 1
                for m in range(s + T, s + T + R):
                    if 0 <= m < H:
                        prep[m] += 1
                k += 1
            for m in range(H):
                if dep[m]:
                    item("deployed", nation, tm_common, m, scale(dep_rate, troops * dep[m]))
                    deployed_tm[nation][m] += troops * dep[m]
                if prep[m]:
                    item("preparing_or_recovering", nation, tm_common, m, scale(pr_rate, troops * prep[m]))
                all_tm[nation] += troops * (dep[m] + prep[m])
            # transport
            cargo = self.route_cost_per_tonne(u.get("origin"), self.site_node.get(u["site"]))
            leg = scale(per_pax, troops)
            if cargo is not None:
                leg = add(leg, scale(cargo, u["tonnes"]))
            item("transport", nation, transport_common, start, leg)
            k = 1
            while start + k * T < H:
                item("transport", nation, transport_common, start + k * T, scale(per_pax, 2 * troops))
                k += 1
            item("transport", nation, transport_common, H - 1, leg)

        # stockpiles moved forward
        stock_month = {}
        for s in self.plan["movement"].get("stockpiles", []):
            if not self.live(s["pledge"]):
                continue
            if not s.get("site"):
                continue
            m = month_of(s["ready_day"])
            stock_month[s["pledge"]] = m
            cargo = self.route_cost_per_tonne(s.get("depot"), self.site_node.get(s["site"]))
            if cargo is not None:
                item("transport", s["nation"], transport_common, m, scale(cargo, s["tonnes"]))

        # one-offs
        for o in self.cost.get("one_off", []):
            # a nation's one-off (its preparation) only when it sends troops (docs/cost.md, rule 3)
            if o.get("nation") and sum(deployed_tm.get(o["nation"], [0.0])) <= 0:
                continue
            amount = est(o["amount"])
            if o.get("per_troop"):
                amount = scale(amount, total_arrived_troops)
            item("one_off", o.get("nation"), bool(o.get("common", False)), min(int(o.get("month", 0)), H - 1), amount)

        # materiel
        mat_price = {r["pledge"]: r for r in self.cost.get("materiel", [])}
        for pid, p in self.pledges.items():
            if p.get("kind") != "materiel" or not self.live(pid):
                continue
            participating.add(p["nation"])
            rec = mat_price.get(pid)
            if rec is None:
                self.warnings.append(f"materiel {pid} live, no price")
                continue
            value = scale(est(rec["per_item"]), p["quantity"])
            repl = est(rec.get("replacement"), 1.0)
            value = tuple(v + (max(rp, 1.0) - 1.0) * v for v, rp in zip(value, repl))
            m = stock_month.get(pid, 0)
            item("materiel", p["nation"], bool(rec.get("common", False)), min(m, H - 1), value)

        # enablers
        en_price = {r["pledge"]: r for r in self.cost.get("enabler", [])}
        for pid, p in self.pledges.items():
            if p.get("kind") != "enabler" or not self.live(pid):
                continue
            participating.add(p["nation"])
            rec = en_price.get(pid)
            if rec is None:
                continue
            if p.get("enabler") == "airlift":
                self.warnings.append(f"enabler {pid} is airlift: priced as transport, its [[enabler]] price ignored")
                continue
            for m in range(H):
                item("enabler", p["nation"], bool(rec.get("common", False)), m, est(rec["per_month"]))

        # key shares over the nations taking part
        def key_value(nation, k):
            n = self.nations[nation]
            if k == "gdp":
                return n["gdp_usd_bn"]
            if k == "population":
                return n["population_m"]
            if k == "defence":
                return n["defence_usd_bn"]
            if k == "equal":
                return 1.0
            if k == "table":
                for s in fin.get("share", []):
                    if s["nation"] == nation:
                        return float(s["share"])
                return 0.0
            raise ValueError(f"unknown key {k}")

        def shares(k):
            vals = {n: key_value(n, k) for n in participating}
            tot = sum(vals.values())
            return {n: (v / tot if tot else 0.0) for n, v in vals.items()}

        key_share = shares(key)
        fair_key = self.scenario["scenario"].get("fair_share", "gdp")
        fair_share_key = shares(fair_key)

        # fund and per-nation sums
        fund = [ZERO] * H
        own = defaultdict(lambda: [ZERO] * H)
        cat_total = {c: ZERO for c in CATEGORIES}
        month_total = [ZERO] * H
        for cat, nation, common, m, a in items:
            cat_total[cat] = add(cat_total[cat], a)
            month_total[m] = add(month_total[m], a)
            if common:
                fund[m] = add(fund[m], a)
            else:
                own[nation][m] = add(own[nation][m], a)
        reimbursed = defaultdict(lambda: [ZERO] * H)
        if rule == "reimburse":
            for nation, tms in deployed_tm.items():
                for m in range(H):
                    r = scale(reimb_rate, tms[m])
                    reimbursed[nation][m] = r
                    fund[m] = add(fund[m], r)
        total = ZERO
        for m in range(H):
            total = add(total, month_total[m])

        nations_out = {}
        for n in sorted(set(participating) | set(own) | set(reimbursed)):
            ks = key_share.get(n, 0.0)
            o = p_in = rb = ZERO
            months = []
            for m in range(H):
                om = own[n][m] if n in own else ZERO
                pm = scale(fund[m], ks)
                rm = reimbursed[n][m] if n in reimbursed else ZERO
                o, p_in, rb = add(o, om), add(p_in, pm), add(rb, rm)
                months.append(tuple(a + b - c for a, b, c in zip(om, pm, rm)))
            net = tuple(a + b - c for a, b, c in zip(o, p_in, rb))
            nat = self.nations.get(n, {})
            fs = total[1] * fair_share_key.get(n, 0.0)
            years = H / 12
            full = all_tm.get(n, 0.0) * nat["defence_usd_bn"] * 1e9 / nat["active_forces"] / 12 if nat else 0.0
            nations_out[n] = dict(key_share=ks, own=o, paid_in=p_in, reimbursed=rb, net=net, fair_share=fs,
                                  net_over_fair_share=(net[1] / fs if fs else None),
                                  share_of_defence=net[1] / years / (nat["defence_usd_bn"] * 1e9),
                                  share_of_gdp=net[1] / years / (nat["gdp_usd_bn"] * 1e9),
                                  full_cost=full, months=months)
        return dict(rule=rule, key=key, horizon=H, total=total, categories=cat_total, months=month_total,
                    pool=fund, nations=nations_out, not_costed=not_costed,
                    full_cost=sum(v["full_cost"] for v in nations_out.values()))


# ----------------------------------------------------------------------------------------------------------------
# comparison
# ----------------------------------------------------------------------------------------------------------------

def fmt(x):
    return "-" if x is None else f"{x:,.0f}"


def tri(d):
    return tuple(float(d[k]) for k in LEVELS)


def compare(res, cost, verbose=False) -> bool:
    ok = True
    print(f"rule={res['rule']} key={res['key']} horizon={res['horizon']} months")
    if cost.get("rule") != res["rule"] or cost.get("key") != res["key"]:
        print(f"  NOTE guarantor says rule={cost.get('rule')} key={cost.get('key')}")

    g_nat = {n["nation"]: n for n in cost["nations"]}
    names = list(g_nat) + [n for n in res["nations"] if n not in g_nat]
    print(f"\n{'nation':<10}{'guarantor net best':>20}{'peer net best':>20}{'difference':>16}  worst |diff| (low/best/high)")
    bad_nations = []
    for n in names:
        g = tri(g_nat[n]["net"]) if n in g_nat else None
        p = res["nations"][n]["net"] if n in res["nations"] else None
        gg = g or ZERO
        pp = p or ZERO
        diffs = [pv - gv for pv, gv in zip(pp, gg)]
        worst = max(abs(x) for x in diffs)
        flag = "" if worst <= TOLERANCE and g is not None and p is not None else "  <-- DIFFERS"
        if flag:
            ok = False
            bad_nations.append(n)
        print(f"{n:<10}{fmt(g[1] if g else None):>20}{fmt(p[1] if p else None):>20}{diffs[1]:>16,.0f}  {worst:,.0f}{flag}")

    print(f"\n{'':<26}{'guarantor':>20}{'peer':>20}{'difference':>16}")
    for lvl_i, lvl in enumerate(LEVELS):
        g, p = tri(cost["total"])[lvl_i], res["total"][lvl_i]
        flag = "" if abs(p - g) <= TOLERANCE else "  <-- DIFFERS"
        ok = ok and not flag
        print(f"{'total ' + lvl:<26}{fmt(g):>20}{fmt(p):>20}{p - g:>16,.0f}{flag}")
    g_cat = {c["category"]: tri(c["amount"]) for c in cost["categories"]}
    for c in list(g_cat) + [c for c in CATEGORIES if c not in g_cat]:
        for lvl_i, lvl in enumerate(LEVELS):
            g = g_cat.get(c, ZERO)[lvl_i]
            p = res["categories"].get(c, ZERO)[lvl_i]
            flag = "" if abs(p - g) <= TOLERANCE else "  (differs)"
            print(f"{c[:19] + ' ' + lvl:<26}{fmt(g):>20}{fmt(p):>20}{p - g:>16,.0f}{flag}")

    # informational extras (not in the exit status)
    extras = []
    if abs(res["full_cost"] - cost.get("full_cost", 0)) > TOLERANCE:
        extras.append(f"full_cost: guarantor {fmt(cost.get('full_cost'))} peer {fmt(res['full_cost'])}")
    for n in names:
        if n in g_nat and n in res["nations"]:
            g, p = g_nat[n], res["nations"][n]
            if abs(g["key_share"] - p["key_share"]) > 1e-5:
                extras.append(f"{n} key_share: guarantor {g['key_share']} peer {p['key_share']:.6f}")
            for f in ("own", "paid_in", "reimbursed"):
                d = max(abs(a - b) for a, b in zip(tri(g[f]), p[f]))
                if d > TOLERANCE:
                    extras.append(f"{n} {f}: guarantor {tri(g[f])} peer {tuple(round(x) for x in p[f])}")
            if abs((g.get("fair_share") or 0) - p["fair_share"]) > TOLERANCE:
                extras.append(f"{n} fair_share: guarantor {fmt(g.get('fair_share'))} peer {fmt(p['fair_share'])}")
            if abs((g.get("full_cost") or 0) - p["full_cost"]) > TOLERANCE:
                extras.append(f"{n} full_cost: guarantor {fmt(g.get('full_cost'))} peer {fmt(p['full_cost'])}")
            if verbose or n in bad_nations:
                for gm in g.get("months", []):
                    m = gm["month"]
                    pm = p["months"][m][1]
                    if abs(gm["net"] - pm) > TOLERANCE:
                        extras.append(f"{n} month {m} net best: guarantor {fmt(gm['net'])} peer {fmt(pm)}")
    for m, gm in enumerate(cost.get("months", [])):
        if m < len(res["months"]):
            d = max(abs(a - b) for a, b in zip(tri(gm), res["months"][m]))
            if d > TOLERANCE:
                extras.append(f"month {m} total: guarantor {tri(gm)} peer {tuple(round(x) for x in res['months'][m])}")
    if extras:
        print("\ndetails where the two differ:")
        for e in extras[:80]:
            print("  " + e)
        if len(extras) > 80:
            print(f"  ... {len(extras) - 80} more")
    return ok


def response_check(peer: Peer, scen: Path, plan: dict) -> bool:
    """Each planned contingency's response cost, recomputed; True when every element and total agree."""
    options = {o["id"]: o for o in load(scen, "response.toml").get("option", [])}
    prices = {}
    for r in peer.cost.get("response_option", []):
        v = r.get("per_sortie", r.get("per_missile", r.get("per_ship_day")))
        prices[r["option"]] = est(v)
    reserve_kind = {r["id"]: r["kind"] for r in peer.network.get("reserve", [])}
    per_passenger = est(peer.cost["transport"]["per_passenger"])
    ok = True
    for resp in plan.get("responses", []):
        gc = resp.get("cost")
        if gc is None:
            continue
        H = resp["horizon_hours"]
        dest = peer.site_node.get(resp["contingency"]["site"])
        mine = {}
        for e in resp["elements"]:
            first = e.get("first_hour")
            if first is None:
                continue
            label, kind = e["label"], e["kind"]
            c = ZERO
            if kind == "troops":
                # the label says where the unit comes from: `deployed:` the force (in the plan's cost already),
                # `pledge:` a pledge's unassigned unit at home, else a reserve of network.toml (`id` or `id#k`)
                if label.startswith("deployed:"):
                    src = "in_plan"
                elif label.startswith("pledge:"):
                    src = "home"
                else:
                    src = reserve_kind[label.split("#")[0]]
                days = (H - e["ready_hour"]) / 24
                if src != "in_plan":
                    rate, _, _ = peer.troop_rates(e["what"])
                    c = add(c, scale(rate, e["troops"] * days / MONTH_DAYS * peer.nation_factor(e["nation"])))
                if src == "home":
                    c = add(c, scale(per_passenger, e["troops"]))
                route = peer.route_cost_per_tonne(e.get("from"), dest)
                if route is not None and e["tonnes"] > 0:
                    c = add(c, scale(route, e["tonnes"]))
            elif kind in ("sorties", "missiles", "ships"):
                price = prices.get(e["option"])
                if kind == "sorties":
                    n = e["sorties_per_day"] * (H - first) / 24
                elif kind == "missiles":
                    per_day = options[e["option"]]["per_day"]
                    n = min(e["missiles"], per_day * ((H - 1 - first) // 24 + 1))
                else:
                    n = e["ships"] * (H - first) / 24
                if price is not None:
                    c = scale(price, n)
            else:
                continue
            mine[label] = c
        theirs = {x["label"]: tri(x["total"]) for x in gc["elements"]}
        total = ZERO
        for v in mine.values():
            total = add(total, v)
        bad = [
            (label, theirs.get(label), tuple(round(x) for x in v))
            for label, v in mine.items()
            if theirs.get(label) is None or max(abs(a - b) for a, b in zip(theirs[label], v)) > TOLERANCE
        ]
        bad += [(label, theirs[label], None) for label in theirs if label not in mine]
        d = max(abs(a - b) for a, b in zip(tri(gc["total"]), total))
        name = resp["contingency"].get("id") or resp["contingency"]["name"]
        print(f"response {name:<32} guarantor {fmt(gc['total']['best']):>14}  peer {fmt(total[1]):>14}  "
              f"{len(mine)} elements  {'agree' if not bad and d <= TOLERANCE else 'DISAGREE'}")
        for b in bad:
            print(f"  {b[0]}: guarantor {b[1]} peer {b[2]}")
        ok = ok and not bad and d <= TOLERANCE
    return ok


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    scen, plan_path = Path(args[0]), Path(args[1])
    plan = json.loads(Path(plan_path).read_text())
    if not (scen / "cost.toml").exists():
        print("scenario has no cost.toml: guarantor's cost should be null:", plan.get("cost") is None)
        return 0 if plan.get("cost") is None else 1
    peer = Peer(scen, plan)
    res = peer.run()
    cost = plan.get("cost")
    if cost is None:
        print("guarantor's plan has no cost section")
        return 1
    for w in peer.warnings:
        print("peer note:", w)
    ok = compare(res, cost, verbose)
    print()
    ok = response_check(peer, scen, plan) and ok
    print("\nagree" if ok else "\nDISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
