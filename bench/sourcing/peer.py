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

    peer.py --solver pulp|highspy --mode plan|whatif [--states N] [--time-limit SECONDS] [--verify] instance.json

Prints one JSON object on stdout; "seconds" is measured from the start of the script (imports and JSON
reading included) to the end. `--verify` re-checks every solution against the constraints above in plain
Python (not part of the timed work an analyst would do; for investigating disagreements).
"""

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
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


def solve_pulp(inst, live, time_limit=None):
    import pulp

    offers, lines = inst["offers"], inst["lines"]
    pairs = live_pairs(inst, live)
    if not pairs:
        return 0, 0, []
    by_offer, by_line, by_line_nation, by_nation = groups(inst, pairs)
    troops = [lines[l]["troops_per_unit"] for _, l in pairs]

    prob = pulp.LpProblem("sourcing", pulp.LpMaximize)
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
    for nation, cap in inst["nation_caps"].items():
        if by_nation.get(nation):
            prob += pulp.lpSum(troops[p] * x[p] for p in by_nation[nation]) <= cap, f"cap_{nation}"

    essential = pulp.lpSum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if lines[l]["essential"])
    desirable = pulp.lpSum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if not lines[l]["essential"])

    started = time.perf_counter()

    def cbc():
        options = dict(msg=False, threads=1, gapRel=REL_GAP, gapAbs=ABS_GAP)
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            if left <= 0:
                raise TimedOut()
            options["timeLimit"] = left
        with warnings.catch_warnings():
            # PuLP 3.3 announces that PULP_CBC_CMD goes away in 4.0; the bundled CBC is still what it runs.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            return pulp.PULP_CBC_CMD(**options)

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

    prob += essential >= e_star - 0.5, "keep_essential"
    prob.setObjective(desirable)
    solved(prob.solve(cbc()), "desirable")
    d_star = round(pulp.value(desirable) or 0)

    units = [(o, l, round(x[p].varValue or 0)) for p, (o, l) in enumerate(pairs)]
    return e_star, d_star, units


# ---------------------------------------------------------------------------------------------------------
# highspy (HiGHS)


def solve_highspy(inst, live, time_limit=None):
    import highspy

    if time_limit is not None:
        sys.exit("peer.py: --time-limit is implemented for pulp only")

    offers, lines = inst["offers"], inst["lines"]
    pairs = live_pairs(inst, live)
    if not pairs:
        return 0, 0, []
    by_offer, by_line, by_line_nation, by_nation = groups(inst, pairs)
    troops = [lines[l]["troops_per_unit"] for _, l in pairs]

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", REL_GAP)
    h.setOptionValue("mip_abs_gap", ABS_GAP)

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
    for nation, cap in inst["nation_caps"].items():
        if by_nation.get(nation):
            h.addConstr(h.qsum(troops[p] * x[p] for p in by_nation[nation]) <= cap)

    essential = h.qsum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if lines[l]["essential"])
    desirable = h.qsum(troops[p] * x[p] for p, (_, l) in enumerate(pairs) if not lines[l]["essential"])

    h.maximize(essential)
    check_highs(h, highspy, "essential")
    e_star = round(h.getInfo().objective_function_value)

    h.addConstr(essential >= e_star - 0.5)
    h.maximize(desirable)
    check_highs(h, highspy, "desirable")
    d_star = round(h.getInfo().objective_function_value)

    values = h.vals(x)
    units = [(o, l, round(v)) for (o, l), v in zip(pairs, values)]
    return e_star, d_star, units


def check_highs(h, highspy, goal):
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        sys.exit(f"peer.py: HiGHS {goal} solve: {h.modelStatusToString(status)}")


SOLVERS = {"pulp": solve_pulp, "highspy": solve_highspy}


# ---------------------------------------------------------------------------------------------------------
# Independent check of a solution (--verify)


def verify(inst, live, e_star, d_star, units, label):
    """Check an assignment against the model's constraints and recompute its objectives; exit on a violation."""
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
    if essential != e_star or desirable != d_star:
        problems.append(
            f"objectives recomputed E={essential} D={desirable} differ from reported E={e_star} D={d_star}"
        )
    if problems:
        sys.exit(f"peer.py: {label}: solution fails verification:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------------------


def sample_states(all_states, n):
    """The middle state index of each of n equal blocks: spread over the lattice of facts, so neither the
    all-false corner (the hardest states) nor the all-true one dominates."""
    n = max(1, min(n, all_states))
    return sorted({int((j + 0.5) * all_states / n) for j in range(n)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solver", choices=sorted(SOLVERS), required=True)
    parser.add_argument("--mode", choices=["plan", "whatif"], required=True)
    parser.add_argument("--states", type=int,
                        help="what-if: solve only a systematic sample of N states (the middle state of each of N "
                             "equal blocks of state indices), not all 2^k")
    parser.add_argument("--verify", action="store_true", help="re-check every solution (slower)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="what-if with pulp: give up a state not proven optimal within this long and report "
                             "it as timed out (its time then only bounds the loop's from below)")
    parser.add_argument("instance")
    args = parser.parse_args()

    inst = load_instance(args.instance)
    solve = SOLVERS[args.solver]

    if args.mode == "plan":
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
