#!/usr/bin/env python3
"""Benchmark peer for guarantor's sourcing engine: the fill model as an analyst would write it.

Reads the instance that `guarantor export-instance DIR` prints (format "guarantor.sourcing-instance.v1") and
solves the natural MILP with PuLP (bundled CBC) or highspy (HiGHS):

    integer x[o,l] for each eligible pair whose offer is live, 0 <= x <= min(count_o, count_l)
    per offer:  sum_l x[o,l] <= count_o
    per line:   sum_o x[o,l] <= count_l                                   (min_nations <= 1)
                sum_o x[o,l] <= count_l * active_l,                        (min_nations = k >= 2)
                sum_{o of n} x[o,l] <= count_l * u[n,l],  sum_{o of n} x[o,l] >= u[n,l],
                sum_n u[n,l] >= k * active_l                               (active_l, u[n,l] binary)
    per capped nation:  sum troops_per_unit(l) * x[o,l] <= cap

and the objective lexicographically, in two solves: maximise essential troops E; then, with E >= E* - 0.5,
maximise desirable troops D. Solved exactly (relative gap 0, absolute gap 0.99 since objectives are whole
troops), one thread.

`--mode core` answers `guarantor core` instead, in the base state (offers `live`): E* as above (the essential
troops reachable), target T = min(ceil(share * essential troops required), E*), and over the same hard rules plus

    z[n] binary per nation,  x[o,l] <= min(count_o, count_l) * z[nation of o],  sum essential troops >= T

minimise sum z (absolute gap 0.99); then with sum z <= that minimum, minimise s >= troops_n / active_forces_n
(every nation with active forces given; absolute and relative gap 0). The strain reported is recomputed from
the whole units of the solution. With `--time-limit` (pulp only) the least-strain solve stops after that long with
its best solution, and `strain_proven` is false.

`--mode lexi` solves the whole lexicographic order of `guarantor plan`: the two fill goals exactly, then, each
keeping the goals before it, fewest (nation, site) pairs (a binary y per pair of them, sum of x <= most * y);
most troops held by one framework nation at each site a line asks one for (lead binaries, at most one a site;
h <= its troops there, h <= most * lead); least sum over nations of |troops - weight * filled| (weights: the
fair-share key's values of the nations with a live offer, normalised); least troops x days of readiness. The
secondary goals to a relative gap of 0.1% within `--goal-time-limit` seconds each; each goal's value, bound, gap
and time are printed (CBC's bound read from its log).

    peer.py --solver pulp|highspy --mode plan|whatif|core|lexi [--share S] [--states N] [--time-limit SECONDS]
            [--goal-time-limit SECONDS] [--verify] instance.json

Prints one JSON object on stdout; "seconds" is measured from the start of the script (imports and JSON
reading included) to the end. `--verify` re-checks every solution against the constraints above in plain
Python (not part of the timed work an analyst would do; for investigating disagreements).
"""

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from collections import defaultdict  # noqa: E402

REL_GAP = 0.0
ABS_GAP = 0.99


def load_instance(path):
    with open(path) as f:
        inst = json.load(f)
    if inst.get("format") != "guarantor.sourcing-instance.v1":
        sys.exit(f"peer.py: {path}: not a guarantor.sourcing-instance.v1 file")
    return inst


def live_pairs(inst, live):
    """The eligible pairs whose offer is live, as (offer index, line index)."""
    return [(o, l) for o, l in inst["pairs"] if live[o]]


def groups(inst, pairs):
    """Pair indices grouped by offer, by line, by (line, nation) and by nation."""
    offers = inst["offers"]
    by_offer, by_line, by_line_nation, by_nation = (defaultdict(list) for _ in range(4))
    for p, (o, l) in enumerate(pairs):
        nation = offers[o]["nation"]
        by_offer[o].append(p)
        by_line[l].append(p)
        by_line_nation[l, nation].append(p)
        by_nation[nation].append(p)
    return by_offer, by_line, by_line_nation, by_nation


# ---------------------------------------------------------------------------------------------------------
# PuLP (CBC)


class TimedOut(Exception):
    """A solve that did not prove its optimum within the time allowed (`--time-limit`)."""


def pulp_hard_rules(inst, pairs, prob):
    """Adds x (one integer per pair) and the hard rules to the PuLP problem `prob`; returns x, the troops per
    unit of each pair and each nation's troops (an expression per nation with a pair)."""
    import pulp

    offers, lines = inst["offers"], inst["lines"]
    by_offer, by_line, by_line_nation, by_nation = groups(inst, pairs)
    troops = [lines[l]["troops_per_unit"] for _, l in pairs]
    x = {
        p: pulp.LpVariable(f"x_{o}_{l}", 0, min(offers[o]["count"], lines[l]["count"]), pulp.LpInteger)
        for p, (o, l) in enumerate(pairs)
    }
    for o, ps in by_offer.items():
        prob += pulp.lpSum(x[p] for p in ps) <= offers[o]["count"], f"offer_{o}"
    for l, ps in by_line.items():
        count, k = lines[l]["count"], lines[l]["min_nations"]
        if k <= 1:
            prob += pulp.lpSum(x[p] for p in ps) <= count, f"line_{l}"
            continue
        active = pulp.LpVariable(f"active_{l}", cat=pulp.LpBinary)
        prob += pulp.lpSum(x[p] for p in ps) <= count * active, f"line_{l}"
        used = []
        for nation in sorted({offers[pairs[p][0]]["nation"] for p in ps}):
            u = pulp.LpVariable(f"u_{nation}_{l}", cat=pulp.LpBinary)
            nation_sum = pulp.lpSum(x[p] for p in by_line_nation[l, nation])
            prob += nation_sum <= count * u, f"nation_on_{nation}_{l}"
            prob += nation_sum >= u, f"nation_used_{nation}_{l}"
            used.append(u)
        prob += pulp.lpSum(used) >= k * active, f"min_nations_{l}"
    nation_troops = {nation: pulp.lpSum(troops[p] * x[p] for p in ps) for nation, ps in by_nation.items()}
    for nation, cap in inst["nation_caps"].items():
        if nation in nation_troops:
            prob += nation_troops[nation] <= cap, f"cap_{nation}"
    return x, troops, nation_troops


def pulp_fill_expressions(inst, pairs, x, troops):
    """Essential and desirable troops filled, as PuLP expressions."""
    import pulp

    lines = inst["lines"]
    essential = pulp.lpSum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if lines[l]["essential"])
    desirable = pulp.lpSum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if not lines[l]["essential"])
    return essential, desirable


def cbc_solver(gap_abs=ABS_GAP, time_left=None):
    """CBC as every solve here runs it: one thread, relative gap 0 (exact)."""
    import pulp

    options = dict(msg=False, threads=1, gapRel=REL_GAP, gapAbs=gap_abs)
    if time_left is not None:
        options["timeLimit"] = time_left
    with warnings.catch_warnings():
        # PuLP 3.3 announces that PULP_CBC_CMD goes away in 4.0; the bundled CBC is still what it runs.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        return pulp.PULP_CBC_CMD(**options)


def solve_pulp(inst, live, time_limit=None, desirable_goal=True):
    import pulp

    pairs = live_pairs(inst, live)
    if not pairs:
        return 0, 0, []

    prob = pulp.LpProblem("sourcing", pulp.LpMaximize)
    x, troops, _ = pulp_hard_rules(inst, pairs, prob)
    essential, desirable = pulp_fill_expressions(inst, pairs, x, troops)

    started = time.perf_counter()

    def cbc():
        left = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            if left <= 0:
                raise TimedOut()
        return cbc_solver(ABS_GAP, left)

    def solved(status, goal):
        # With a time limit, CBC stops with the best solution found: status "Optimal" but solution status
        # "integer feasible" (not proven). Without one, anything but a proven optimum is an error.
        if status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal:
            return
        if time_limit is not None and time.perf_counter() - started >= 0.99 * time_limit:
            raise TimedOut()
        sys.exit(f"peer.py: CBC {goal} solve: {pulp.LpStatus[status]} (solution status {prob.sol_status})")

    prob.setObjective(essential)
    solved(prob.solve(cbc()), "essential")
    e_star = round(pulp.value(essential) or 0)
    if not desirable_goal:
        return e_star, None, None

    prob += essential >= e_star - 0.5, "keep_essential"
    prob.setObjective(desirable)
    solved(prob.solve(cbc()), "desirable")
    d_star = round(pulp.value(desirable) or 0)

    units = [(o, l, round(x[p].varValue or 0)) for p, (o, l) in enumerate(pairs)]
    return e_star, d_star, units


def core_pulp(inst, live, target, strain_limit=None):
    """The smallest core with PuLP/CBC: fewest nations filling `target` essential troops, then with that many the
    least largest share of a nation's active forces. Returns (fewest nations, units per pair, whether the least
    strain is proven): with `strain_limit` seconds, the least-strain solve may stop at the limit with its best
    solution, unproven."""
    import pulp

    pairs = live_pairs(inst, live)
    if not pairs or target == 0:
        return 0, [], True
    offers, lines = inst["offers"], inst["lines"]
    prob = pulp.LpProblem("core", pulp.LpMinimize)
    x, troops, nation_troops = pulp_hard_rules(inst, pairs, prob)
    essential, _ = pulp_fill_expressions(inst, pairs, x, troops)
    z = {nation: pulp.LpVariable(f"z_{nation}", cat=pulp.LpBinary) for nation in sorted(nation_troops)}
    for p, (o, l) in enumerate(pairs):
        most_units = min(offers[o]["count"], lines[l]["count"])
        prob += x[p] <= most_units * z[offers[o]["nation"]], f"member_{p}"
    prob += essential >= target, "target"
    members = pulp.lpSum(z.values())

    def solved(status, goal, limited=False):
        if status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal:
            return True
        if limited and status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionIntegerFeasible:
            return False  # stopped at the time limit with a solution, not proven optimal
        sys.exit(f"peer.py: CBC {goal} solve: {pulp.LpStatus[status]} (solution status {prob.sol_status})")

    prob.setObjective(members)
    solved(prob.solve(cbc_solver(ABS_GAP)), "fewest nations")
    fewest = round(pulp.value(members))

    most = pulp.LpVariable("most_strain", 0)
    prob += members <= fewest, "fewest"
    for nation, sent in nation_troops.items():
        active = inst["nation_active_forces"].get(nation, 0)
        if active > 0:
            prob += active * most >= sent, f"strain_{nation}"
    prob.setObjective(most)
    proven = solved(prob.solve(cbc_solver(0.0, strain_limit)), "least strain", strain_limit is not None)
    units = [(o, l, round(x[p].varValue or 0)) for p, (o, l) in enumerate(pairs)]
    return fewest, units, proven


# ---------------------------------------------------------------------------------------------------------
# highspy (HiGHS)


def highs_solver(gap_abs=ABS_GAP):
    """HiGHS as every solve here runs it: quiet, one thread, relative gap 0 (exact)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", REL_GAP)
    h.setOptionValue("mip_abs_gap", gap_abs)
    return h


def highspy_hard_rules(inst, pairs, h):
    """Adds x (one integer per pair) and the hard rules to the HiGHS model `h`; returns x, the troops per unit of
    each pair and each nation's troops (an expression per nation with a pair)."""
    offers, lines = inst["offers"], inst["lines"]
    by_offer, by_line, by_line_nation, by_nation = groups(inst, pairs)
    troops = [lines[l]["troops_per_unit"] for _, l in pairs]
    x = [
        h.addIntegral(lb=0, ub=min(offers[o]["count"], lines[l]["count"]), name=f"x_{o}_{l}")
        for o, l in pairs
    ]
    for o, ps in by_offer.items():
        h.addConstr(h.qsum(x[p] for p in ps) <= offers[o]["count"])
    for l, ps in by_line.items():
        count, k = lines[l]["count"], lines[l]["min_nations"]
        if k <= 1:
            h.addConstr(h.qsum(x[p] for p in ps) <= count)
            continue
        active = h.addBinary(name=f"active_{l}")
        h.addConstr(h.qsum(x[p] for p in ps) <= count * active)
        used = []
        for nation in sorted({offers[pairs[p][0]]["nation"] for p in ps}):
            u = h.addBinary(name=f"u_{nation}_{l}")
            nation_sum = h.qsum(x[p] for p in by_line_nation[l, nation])
            h.addConstr(nation_sum <= count * u)
            h.addConstr(nation_sum >= u)
            used.append(u)
        h.addConstr(h.qsum(used) >= k * active)
    nation_troops = {nation: h.qsum(troops[p] * x[p] for p in ps) for nation, ps in by_nation.items()}
    for nation, cap in inst["nation_caps"].items():
        if nation in nation_troops:
            h.addConstr(nation_troops[nation] <= cap)
    return x, troops, nation_troops


def highspy_fill_expressions(inst, pairs, x, troops, h):
    lines = inst["lines"]
    essential = h.qsum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if lines[l]["essential"])
    desirable = h.qsum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if not lines[l]["essential"])
    return essential, desirable


def solve_highspy(inst, live, time_limit=None, desirable_goal=True):
    import highspy

    if time_limit is not None:
        sys.exit("peer.py: --time-limit is implemented for pulp only")

    pairs = live_pairs(inst, live)
    if not pairs:
        return 0, 0, []
    h = highs_solver()
    x, troops, _ = highspy_hard_rules(inst, pairs, h)
    essential, desirable = highspy_fill_expressions(inst, pairs, x, troops, h)

    h.maximize(essential)
    check_highs(h, highspy, "essential")
    e_star = round(h.getInfo().objective_function_value)
    if not desirable_goal:
        return e_star, None, None

    h.addConstr(essential >= e_star - 0.5)
    h.maximize(desirable)
    check_highs(h, highspy, "desirable")
    d_star = round(h.getInfo().objective_function_value)

    values = h.vals(x)
    units = [(o, l, round(v)) for (o, l), v in zip(pairs, values)]
    return e_star, d_star, units


def core_highspy(inst, live, target, strain_limit=None):
    """The smallest core with highspy/HiGHS (as core_pulp)."""
    import highspy

    if strain_limit is not None:
        sys.exit("peer.py: --time-limit is implemented for pulp only")
    pairs = live_pairs(inst, live)
    if not pairs or target == 0:
        return 0, [], True
    offers, lines = inst["offers"], inst["lines"]
    h = highs_solver(ABS_GAP)
    x, troops, nation_troops = highspy_hard_rules(inst, pairs, h)
    essential, _ = highspy_fill_expressions(inst, pairs, x, troops, h)
    z = {nation: h.addBinary(name=f"z_{nation}") for nation in sorted(nation_troops)}
    for p, (o, l) in enumerate(pairs):
        h.addConstr(x[p] <= min(offers[o]["count"], lines[l]["count"]) * z[offers[o]["nation"]])
    h.addConstr(essential >= target)
    members = h.qsum(z.values())

    h.minimize(members)
    check_highs(h, highspy, "fewest nations")
    fewest = round(h.getInfo().objective_function_value)

    most = h.addVariable(lb=0, name="most_strain")
    h.addConstr(members <= fewest)
    for nation, sent in nation_troops.items():
        active = inst["nation_active_forces"].get(nation, 0)
        if active > 0:
            h.addConstr(active * most >= sent)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.minimize(most)
    check_highs(h, highspy, "least strain")
    values = h.vals(x)
    return fewest, [(o, l, round(v)) for (o, l), v in zip(pairs, values)], True


def check_highs(h, highspy, goal):
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        sys.exit(f"peer.py: HiGHS {goal} solve: {h.modelStatusToString(status)}")


SOLVERS = {"pulp": solve_pulp, "highspy": solve_highspy}
CORE_SOLVERS = {"pulp": core_pulp, "highspy": core_highspy}


# ---------------------------------------------------------------------------------------------------------
# The whole lexicographic order (--mode lexi): the fill goals exactly, then the four secondary goals, each
# within --goal-time-limit seconds, as guarantor plan --goal-time-limit solves them.

SECONDARY_GAP = 1e-3  # guarantor's tolerance on the secondary goals


def secondary_sets(inst, pairs):
    """What the secondary goals range over: pair indices by (nation, site), the most units and troops each
    pair can bring, the sites whose lines ask for a framework nation, each nation's fair-share weight (its key
    value over the sum of the values of the nations with a live offer) and each pair's readiness troop-days."""
    offers, lines = inst["offers"], inst["lines"]
    by_nation_site = defaultdict(list)
    most_units = []
    for p, (o, l) in enumerate(pairs):
        by_nation_site[offers[o]["nation"], lines[l]["site"]].append(p)
        most_units.append(min(offers[o]["count"], lines[l]["count"]))
    framework_sites = {line["site"] for line in lines if line.get("framework")}
    return by_nation_site, most_units, framework_sites


def fair_weights(inst, live):
    taking_part = {offer["nation"] for offer, is_live in zip(inst["offers"], live) if is_live}
    values = {n: inst["nation_fair_share"].get(n, 0.0) for n in taking_part}
    total = sum(values.values())
    return {n: v / total for n, v in values.items() if total > 0 and v > 0}


def lexi_result(goal, value, bound, proven, began):
    gap = abs(bound - value) / max(abs(value), 1.0) if bound is not None else None
    return {"goal": goal, "value": value, "bound": bound, "gap": gap, "proven": proven,
            "seconds": round(time.perf_counter() - began, 3)}


def cbc_bound(log_path, value):
    """The best bound CBC proved, from its log (PuLP does not tell it), in the objective's own sign."""
    bound = None
    try:
        with open(log_path) as f:
            for line in f:
                if line.startswith("Lower bound:") or line.startswith("Upper bound:"):
                    bound = float(line.split(":", 1)[1])
                elif line.startswith("Objective value:") and bound is None:
                    pass
    except OSError:
        return None
    if bound is None:
        return None
    # CBC minimises: a maximised objective is reported negated.
    return -bound if value is not None and abs(-bound - value) < abs(bound - value) else bound


def lexi_pulp(inst, live, limit):
    import os
    import tempfile

    import pulp

    pairs = live_pairs(inst, live)
    prob = pulp.LpProblem("lexi", pulp.LpMaximize)
    x, troops, nation_troops = pulp_hard_rules(inst, pairs, prob)
    essential, desirable = pulp_fill_expressions(inst, pairs, x, troops)
    by_nation_site, most_units, framework_sites = secondary_sets(inst, pairs)
    log = os.path.join(tempfile.mkdtemp(), "cbc.log")
    results = []

    def run(goal, expr, sense, exact):
        began = time.perf_counter()
        prob.sense = sense
        prob.setObjective(expr)
        # Whole-number objectives to an absolute gap under 1, as guarantor; the fair share is continuous.
        options = dict(msg=False, threads=1, gapRel=0.0 if exact else SECONDARY_GAP,
                       gapAbs=0.0 if goal == "fair share" else ABS_GAP, logPath=log)
        if not exact and limit is not None:
            options["timeLimit"] = limit
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            status = prob.solve(pulp.PULP_CBC_CMD(**options))
        found = status == pulp.LpStatusOptimal and prob.sol_status in (
            pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        if not found:
            results.append({"goal": goal, "value": None, "bound": None, "gap": None, "proven": False,
                            "seconds": round(time.perf_counter() - began, 3)})
            return None
        value = pulp.value(expr) or 0.0
        proven = prob.sol_status == pulp.LpSolutionOptimal
        bound = value if proven else cbc_bound(log, value)
        results.append(lexi_result(goal, value, bound, proven, began))
        return value

    e = run("essential fill", essential, pulp.LpMaximize, True)
    prob += essential >= e - 0.5, "keep_essential"
    d = run("desirable fill", desirable, pulp.LpMaximize, True)
    prob += desirable >= d - 0.5, "keep_desirable"
    filled = e + d

    y = {}
    for (n, s), ps in by_nation_site.items():
        y[n, s] = pulp.LpVariable(f"y_{n}_{s}", cat=pulp.LpBinary)
        prob += pulp.lpSum(x[p] for p in ps) <= sum(most_units[p] for p in ps) * y[n, s]
    cohesion = pulp.lpSum(y.values())
    c = run("cohesion", cohesion, pulp.LpMinimize, False)
    if c is None:
        return results
    prob += cohesion <= c + 0.5, "keep_cohesion"

    h_vars = []
    for s in sorted(framework_sites):
        leads = []
        for (n, site), ps in by_nation_site.items():
            if site != s:
                continue
            most = sum(troops[p] * most_units[p] for p in ps)
            lead = pulp.LpVariable(f"lead_{n}_{s}", cat=pulp.LpBinary)
            h = pulp.LpVariable(f"h_{n}_{s}", 0, most)
            prob += h <= pulp.lpSum(troops[p] * x[p] for p in ps)
            prob += h <= most * lead
            leads.append(lead)
            h_vars.append(h)
        prob += pulp.lpSum(leads) <= 1
    framework = pulp.lpSum(h_vars)
    f = run("framework nation", framework, pulp.LpMaximize, False)
    if f is None:
        return results
    prob += framework >= f - 0.5, "keep_framework"

    devs = []
    for n, w in sorted(fair_weights(inst, live).items()):
        dn = pulp.LpVariable(f"d_{n}", 0)
        sent = nation_troops.get(n, 0)
        prob += dn >= sent - w * filled
        prob += dn >= w * filled - sent
        devs.append(dn)
    fair = pulp.lpSum(devs)
    fs = run("fair share", fair, pulp.LpMinimize, False)
    if fs is None:
        return results
    prob += fair <= fs + 1e-6 * max(abs(fs), 1.0), "keep_fair_share"

    readiness = pulp.lpSum(inst["offers"][o]["readiness_days"] * troops[p] * x[p] for p, (o, _) in enumerate(pairs))
    run("readiness", readiness, pulp.LpMinimize, False)
    return results


def lexi_highspy(inst, live, limit):
    import highspy

    pairs = live_pairs(inst, live)
    h = highs_solver()
    x, troops, nation_troops = highspy_hard_rules(inst, pairs, h)
    essential, desirable = highspy_fill_expressions(inst, pairs, x, troops, h)
    by_nation_site, most_units, framework_sites = secondary_sets(inst, pairs)
    results = []

    def run(goal, expr, maximise, exact):
        began = time.perf_counter()
        h.setOptionValue("mip_rel_gap", 0.0 if exact else SECONDARY_GAP)
        # Whole-number objectives to an absolute gap under 1, as guarantor; the fair share is continuous.
        h.setOptionValue("mip_abs_gap", 0.0 if goal == "fair share" else ABS_GAP)
        h.setOptionValue("time_limit", float("inf") if exact or limit is None else float(limit))
        if maximise:
            h.maximize(expr)
        else:
            h.minimize(expr)
        info = h.getInfo()
        status = h.getModelStatus()
        if info.primal_solution_status != 2:  # kSolutionStatusFeasible
            results.append({"goal": goal, "value": None, "bound": None, "gap": None, "proven": False,
                            "seconds": round(time.perf_counter() - began, 3)})
            return None
        value = info.objective_function_value
        proven = status == highspy.HighsModelStatus.kOptimal
        results.append(lexi_result(goal, value, info.mip_dual_bound, proven, began))
        return value

    e = run("essential fill", essential, True, True)
    h.addConstr(essential >= e - 0.5)
    d = run("desirable fill", desirable, True, True)
    h.addConstr(desirable >= d - 0.5)
    filled = e + d

    y = []
    for (n, s), ps in by_nation_site.items():
        yv = h.addBinary(name=f"y_{n}_{s}")
        h.addConstr(h.qsum(x[p] for p in ps) <= sum(most_units[p] for p in ps) * yv)
        y.append(yv)
    cohesion = h.qsum(y)
    c = run("cohesion", cohesion, False, False)
    if c is None:
        return results
    h.addConstr(cohesion <= c + 0.5)

    h_vars = []
    for s in sorted(framework_sites):
        leads = []
        for (n, site), ps in by_nation_site.items():
            if site != s:
                continue
            most = sum(troops[p] * most_units[p] for p in ps)
            lead = h.addBinary(name=f"lead_{n}_{s}")
            hv = h.addVariable(lb=0, ub=most, name=f"h_{n}_{s}")
            h.addConstr(hv <= h.qsum(troops[p] * x[p] for p in ps))
            h.addConstr(hv <= most * lead)
            leads.append(lead)
            h_vars.append(hv)
        h.addConstr(h.qsum(leads) <= 1)
    framework = h.qsum(h_vars)
    f = run("framework nation", framework, True, False)
    if f is None:
        return results
    h.addConstr(framework >= f - 0.5)

    devs = []
    for n, w in sorted(fair_weights(inst, live).items()):
        dn = h.addVariable(lb=0, name=f"d_{n}")
        sent = nation_troops.get(n)
        if sent is None:
            h.addConstr(dn >= w * filled)
        else:
            h.addConstr(dn >= sent - w * filled)
            h.addConstr(dn >= w * filled - sent)
        devs.append(dn)
    fair = h.qsum(devs)
    fs = run("fair share", fair, False, False)
    if fs is None:
        return results
    h.addConstr(fair <= fs + 1e-6 * max(abs(fs), 1.0))

    readiness = h.qsum(inst["offers"][o]["readiness_days"] * troops[p] * x[p] for p, (o, _) in enumerate(pairs))
    run("readiness", readiness, False, False)
    return results


LEXI_SOLVERS = {"pulp": lexi_pulp, "highspy": lexi_highspy}

# ---------------------------------------------------------------------------------------------------------
# Independent check of a solution (--verify)


def check_rules(inst, live, units):
    """Checks an assignment against the hard rules in plain Python. Returns the violations, the essential and
    desirable troops filled and the troops of each nation that sends any."""
    offers, lines = inst["offers"], inst["lines"]
    eligible = {(o, l) for o, l in inst["pairs"]}
    problems = []
    per_offer, per_line, per_nation = defaultdict(int), defaultdict(int), defaultdict(int)
    nations_on_line = defaultdict(set)
    essential = desirable = 0
    for o, l, n in units:
        if n == 0:
            continue
        if n < 0 or (o, l) not in eligible or not live[o]:
            problems.append(f"pair ({o},{l}) = {n}: not a live eligible pair or negative")
        per_offer[o] += n
        per_line[l] += n
        t = n * lines[l]["troops_per_unit"]
        per_nation[offers[o]["nation"]] += t
        nations_on_line[l].add(offers[o]["nation"])
        if lines[l]["essential"]:
            essential += t
        else:
            desirable += t
    for o, n in per_offer.items():
        if n > offers[o]["count"]:
            problems.append(f"offer {offers[o]['pledge']}: {n} units > count {offers[o]['count']}")
    for l, n in per_line.items():
        line = lines[l]
        if n > line["count"]:
            problems.append(f"line {line['requirement']}: {n} units > count {line['count']}")
        if line["min_nations"] >= 2 and len(nations_on_line[l]) < line["min_nations"]:
            problems.append(
                f"line {line['requirement']}: {len(nations_on_line[l])} nations < {line['min_nations']}"
            )
    for nation, t in per_nation.items():
        cap = inst["nation_caps"].get(nation)
        if cap is not None and t > cap:
            problems.append(f"nation {nation}: {t} troops > cap {cap}")
    return problems, essential, desirable, dict(per_nation)


def verify(inst, live, e_star, d_star, units, label):
    """Check an assignment against the model's constraints and recompute its objectives; exit on a violation."""
    problems, essential, desirable, _ = check_rules(inst, live, units)
    if essential != e_star or desirable != d_star:
        problems.append(
            f"objectives recomputed E={essential} D={desirable} differ from reported E={e_star} D={d_star}"
        )
    if problems:
        sys.exit(f"peer.py: {label}: solution fails verification:\n  " + "\n  ".join(problems))


def strain(inst, troops_of):
    """The largest share of a nation's active forces it sends (nations with no active forces given do not count),
    and the nation."""
    shares = [(t / inst["nation_active_forces"][n], n) for n, t in troops_of.items()
              if t > 0 and inst["nation_active_forces"].get(n, 0) > 0]
    return max(shares, default=(0.0, None))


def core(inst, solver, share, check, strain_limit=None):
    """The smallest core coalition in the base state (offers `live`), as guarantor core defines it."""
    live = [offer["live"] for offer in inst["offers"]]
    lines = inst["lines"]
    required = sum(l["count"] * l["troops_per_unit"] for l in lines if l["essential"])
    reachable, _, _ = SOLVERS[solver](inst, live, desirable_goal=False)
    wanted = math.ceil(min(max(share, 0.0), 1.0) * required)
    target = min(wanted, reachable)
    fewest, units, proven = CORE_SOLVERS[solver](inst, live, target, strain_limit)
    problems, essential, _, troops_of = check_rules(inst, live, units)
    sending = sorted(n for n, t in troops_of.items() if t > 0)
    most, most_nation = strain(inst, troops_of)
    if check:
        # Not part of the timed work: the solution against the rules, by hand.
        if essential < target:
            problems.append(f"essential troops {essential} < target {target}")
        if len(sending) != fewest:
            problems.append(f"{len(sending)} nations send troops, the fewest-nations solve said {fewest}")
        if problems:
            sys.exit("peer.py: core: solution fails verification:\n  " + "\n  ".join(problems))
    return {
        "share": share,
        "essential_required_troops": required,
        "essential_reachable_troops": reachable,
        "target_troops": target,
        "share_out_of_reach": wanted > reachable,
        "nations_count": fewest,
        "nations": sending,
        "troops": {n: troops_of[n] for n in sending},
        "essential_filled_troops": essential,
        "most_strain": most,
        "most_strained_nation": most_nation,
        "strain_proven": proven,
    }


# ---------------------------------------------------------------------------------------------------------


def sample_states(all_states, n):
    """The middle state index of each of n equal blocks: spread over the lattice of facts, so neither the
    all-false corner (the hardest states) nor the all-true one dominates."""
    n = max(1, min(n, all_states))
    return sorted({int((j + 0.5) * all_states / n) for j in range(n)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solver", choices=sorted(SOLVERS), required=True)
    parser.add_argument("--mode", choices=["plan", "whatif", "core", "lexi"], required=True)
    parser.add_argument("--share", type=float, default=0.95,
                        help="core: the share of the essential troops the core must fill (default 0.95)")
    parser.add_argument("--states", type=int,
                        help="what-if: solve only a systematic sample of N states (the middle state of each of N "
                             "equal blocks of state indices), not all 2^k")
    parser.add_argument("--verify", action="store_true", help="re-check every solution (slower)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="what-if with pulp: give up a state not proven optimal within this long and report "
                             "it as timed out (its time then only bounds the loop's from below); core with pulp: "
                             "stop the least-strain solve after this long with its best solution "
                             "(strain_proven false)")
    parser.add_argument("--goal-time-limit", type=float, metavar="SECONDS",
                        help="lexi: seconds each secondary goal may take (the fill goals are always exact)")
    parser.add_argument("instance")
    args = parser.parse_args()

    inst = load_instance(args.instance)
    solve = SOLVERS[args.solver]

    if args.mode == "lexi":
        live = [offer["live"] for offer in inst["offers"]]
        result = {"solver": args.solver, "mode": "lexi", "goal_time_limit": args.goal_time_limit,
                  "goals": LEXI_SOLVERS[args.solver](inst, live, args.goal_time_limit)}
    elif args.mode == "core":
        result = {"solver": args.solver, "mode": "core",
                  **core(inst, args.solver, args.share, args.verify, args.time_limit)}
    elif args.mode == "plan":
        live = [offer["live"] for offer in inst["offers"]]
        e_star, d_star, units = solve(inst, live)
        if args.verify:
            verify(inst, live, e_star, d_star, units, "plan")
        result = {
            "solver": args.solver,
            "mode": "plan",
            "essential_filled_troops": e_star,
            "desirable_filled_troops": d_star,
            "filled_troops": e_star + d_star,
        }
    else:
        all_states = 2 ** len(inst["facts"])
        chosen = range(all_states) if args.states is None else sample_states(all_states, args.states)
        states = []
        for s in chosen:
            live = [offer["live_in_state"][s] == "1" for offer in inst["offers"]]
            began = time.perf_counter()
            try:
                e_star, d_star, units = solve(inst, live, args.time_limit)
            except TimedOut:
                states.append({"state": s, "timed_out": True, "seconds": time.perf_counter() - began})
                continue
            if args.verify:
                verify(inst, live, e_star, d_star, units, f"state {s}")
            states.append(
                {"state": s, "essential_filled_troops": e_star, "filled_troops": e_star + d_star,
                 "seconds": time.perf_counter() - began}
            )
        result = {"solver": args.solver, "mode": "whatif", "states": states}

    result["seconds"] = round(time.perf_counter() - T0, 3)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
