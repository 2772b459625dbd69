#!/usr/bin/env python3
"""Draw the candidate pairs that labels.csv was labelled from (deterministic: fixed seeds).

Reads the stored reports of a database made by
    guarantor monitor --db DB ingest <CIR csv> <Bellingcat json>
(table `report`) and, for reading only, the two raw files (CIR's `brief description` and `town/city`,
Bellingcat's `location`); prints CSV `a,b,pool,km,days` on stdout. Every candidate was read by hand and labelled
`same`, `different` or left out; labels.csv holds the labelled ones. Nothing here is a label.

    candidates.py --db /tmp/merge.sqlite > /tmp/candidates.csv
"""

import argparse
import collections
import csv
import datetime
import itertools
import json
import math
import random
import re
import sqlite3
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "events"
CIR = DATA / "cir_russia_ukraine_monitor_2022-2024_without_2022-03.csv"
BELLINGCAT = DATA / "bellingcat_civilian_harm_2022-2024_without_2022-03.json"
KYIV = datetime.timezone(datetime.timedelta(hours=3))


def norm_link(u):
    """A source link as a comparable key: no scheme, www/m., query (but the id of YouTube and Facebook
    links), fragment or trailing slash; twitter.com and x.com as one, a tweet by its status id. None for
    empty and placeholder links ("HIDDEN", "Access can be requested", ...)."""
    u = u.strip()
    if not u or not re.match(r"^(https?://|www\.|t\.me|twitter|x\.com)", u, re.I):
        return None
    u = re.sub(r"^https?://", "", u, flags=re.I)
    u = re.sub(r"^(www\.|mobile\.|m\.)", "", u, flags=re.I)
    u = u.split("#")[0]
    u, _, q = u.partition("?")
    u = u.rstrip("/")
    host, _, path = u.partition("/")
    host = host.lower()
    if host in ("youtube.com", "facebook.com", "web.facebook.com"):
        if host == "web.facebook.com":
            host = "facebook.com"
        keep = [p for p in q.split("&") if p.split("=")[0] in ("v", "fbid", "story_fbid", "id")]
        if keep:
            path = path + "?" + "&".join(sorted(keep))
        elif path in ("watch", "photo", "permalink.php", "story.php", "photo.php"):
            return None
    if "frommypc" in host or "fromtheprivatechannel" in host:
        return None
    if host in ("x.com", "twitter.com", "mobile.twitter.com"):
        host = "twitter.com"
        m = re.match(r"([^/]+)/status(?:es)?/(\d+)", path)
        path = "status/" + m.group(2) if m else path.lower()
    if host == "t.me" and path.startswith("s/"):
        path = path[2:]
    if not path:
        return None
    return host + "/" + path


def load(db):
    c = sqlite3.connect(db)
    R = {}
    for s, i, t, lat, lon, kind, text, links in c.execute(
            "select source, id, time_s, lat, lon, kind, text, links from report where source in ('cir', 'bellingcat')"):
        R[s + "/" + i] = dict(source=s, t=t, lat=lat, lon=lon, kind=kind, text=text,
                              nl=sorted({x for x in (norm_link(l) for l in links.split("\n")) if x}),
                              day=datetime.datetime.fromtimestamp(t, KYIV).date())
    with open(CIR, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            k = "cir/cir-" + (row["entry"] or "")
            if k in R and "desc" not in R[k]:
                R[k]["desc"] = row["brief description"]
    for row in json.load(open(BELLINGCAT, encoding="utf-8")):
        k = "bellingcat/bellingcat-" + row["id"]
        if k in R and "desc" not in R[k]:
            R[k]["desc"] = row["description"]
    return R


def km(a, b):
    p = math.pi / 180
    h = (math.sin((b["lat"] - a["lat"]) * p / 2) ** 2
         + math.cos(a["lat"] * p) * math.cos(b["lat"] * p) * math.sin((b["lon"] - a["lon"]) * p / 2) ** 2)
    return 12742 * math.asin(min(1, math.sqrt(h)))


STOP = set("the of in a and to on at by an from for with near was were is are after reported damage damaged "
           "destroyed strike strikes attack shelling ukraine oblast russian russia ukrainian area".split())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    R = load(ap.parse_args().db)
    keys = sorted(R)

    def month(a, b):
        return min(R[a]["day"], R[b]["day"]).strftime("%Y-%m")

    def toks(r):
        t = re.sub(r"\d+/\d+/\d+", "", (r.get("desc") or r["text"]).lower())
        return {w for w in re.findall(r"[a-zа-яіїє]+", t) if w not in STOP and len(w) > 2}

    def jac(a, b):
        x, y = toks(R[a]), toks(R[b])
        return len(x & y) / max(1, len(x | y))

    def cross_first(ps, c):
        cross = [p for p in ps if R[p[0]]["source"] != R[p[1]]["source"]]
        within = [p for p in ps if p not in set(cross)]
        pick = cross[:c // 2] + within[:c - c // 2]
        return pick + [p for p in ps if p not in pick][:c - len(pick)]

    # pairs sharing a normalised link (a link on more than 25 reports is a gallery, not a source)
    by_link = collections.defaultdict(set)
    for k in keys:
        for l in R[k]["nl"]:
            by_link[l].add(k)
    lp = set()
    for ks in by_link.values():
        if 2 <= len(ks) <= 25:
            lp.update(itertools.combinations(sorted(ks), 2))
    # pairs within 10 km and 0-2 days (Kyiv days)
    by_day = collections.defaultdict(list)
    for k in keys:
        by_day[R[k]["day"]].append(k)
    sp = {}
    for d, ks in by_day.items():
        for dd in range(3):
            for a in ks:
                for b in by_day.get(d + datetime.timedelta(days=dd), []):
                    if dd == 0 and b <= a:
                        continue
                    x = km(R[a], R[b])
                    if x <= 10:
                        sp[tuple(sorted((a, b)))] = (x, dd)

    out = []
    # round 1: link pairs (capped per month, half CIR-Bellingcat), similar text same day <= 2 km,
    # hard candidates (same day <= 2 km, and the rest), easy different pairs
    rng = random.Random(20241207)
    cap = {"2022-02": 30, "2022-04": 45, "2022-05": 35, "2022-06": 30, "2022-07": 30, "2022-08": 25,
           "2022-09": 25, "2022-10": 30, "2022-11": 15}
    bym = collections.defaultdict(list)
    for p in sorted(lp):
        bym[month(*p)].append(p)
    for m, ps in sorted(bym.items()):
        c = cap.get(m, 99)
        if len(ps) <= c:
            pick = ps
        else:
            cb = [p for p in ps if R[p[0]]["source"] != R[p[1]]["source"]]
            cc = [p for p in ps if p not in set(cb)]
            rng.shuffle(cb)
            rng.shuffle(cc)
            ncb = min(len(cb), c // 2 + c % 2)
            pick = cb[:ncb] + cc[:c - ncb]
            if len(pick) < c:
                pick += cb[ncb:][:c - len(pick)]
        out += [(a, b, "link") for a, b in pick]
    sim = [p for p, v in sp.items() if p not in lp and v[1] == 0 and v[0] <= 2 and jac(*p) >= 0.3
           and R[p[0]]["kind"] != "presence"]
    bym = collections.defaultdict(list)
    for p in sorted(sim):
        bym[month(*p)].append(p)
    for m, ps in sorted(bym.items()):
        rng.shuffle(ps)
        out += [(a, b, "similar") for a, b in ps[:8]]
    bym = collections.defaultdict(lambda: collections.defaultdict(list))
    for p, v in sorted((p, v) for p, v in sp.items() if p not in lp and jac(*p) < 0.3):
        bym[month(*p)][v[1] == 0 and v[0] <= 2].append(p)
    hcap = {"2022-02": 36, "2022-04": 50, "2022-05": 40, "2022-06": 36, "2022-07": 36, "2022-08": 30,
            "2022-09": 30, "2022-10": 36, "2022-11": 24}
    for m, d in sorted(bym.items()):
        c = hcap.get(m, 4)
        for close in (True, False):
            ps = d[close]
            rng.shuffle(ps)
            n = c // 2
            cross = [p for p in ps if R[p[0]]["source"] != R[p[1]]["source"]]
            within = [p for p in ps if R[p[0]]["source"] == R[p[1]]["source"]]
            pick = cross[:n // 2] + within[:n - n // 2]
            pick += [p for p in ps if p not in pick][:n - len(pick)]
            out += [(a, b, "hard-close" if close else "hard-near") for a, b in pick]
    easy = []
    while len(easy) < 50:
        a, b = rng.sample(keys, 2)
        if "presence" in (R[a]["kind"], R[b]["kind"]) or R[a]["day"].strftime("%Y-%m") not in cap:
            continue
        dd = abs((R[a]["day"] - R[b]["day"]).days)
        x = km(R[a], R[b])
        if (dd == 0 and x > 80) or (dd >= 20 and x > 30):
            easy.append((min(a, b), max(a, b), "easy"))
    out += easy
    seen = set()
    out = [o for o in out if not ((o[0], o[1]) in seen or seen.add((o[0], o[1])))]

    def more(pool, seed, cap, default, name):
        rng = random.Random(seed)
        used = {(a, b) for a, b, _ in out}
        bym = collections.defaultdict(list)
        for p in sorted(p for p in pool if p not in used):
            bym[month(*p)].append(p)
        res = []
        for m, ps in sorted(bym.items()):
            rng.shuffle(ps)
            res += [(a, b, name) for a, b in cross_first(ps, cap.get(m, default))]
        return res, rng

    not_presence = lambda p: "presence" not in (R[p[0]]["kind"], R[p[1]]["kind"])
    # round 2: more hard candidates (<= 3 km, <= 1 day, little shared wording), and four picked by hand:
    # Bellingcat's own separate records of the Kyiv strikes of 10 Oct 2022
    pool = [p for p, v in sp.items() if p not in lp and v[0] <= 3 and v[1] <= 1 and jac(*p) < 0.2 and not_presence(p)]
    res, _ = more(pool, 777, {"2022-02": 14, "2022-04": 18, "2022-05": 16, "2022-06": 16, "2022-07": 16,
                              "2022-08": 14, "2022-09": 14, "2022-10": 16, "2022-11": 12}, 3, "hard-2")
    used = {(a, b) for a, b, _ in out}
    hand = [("bellingcat/bellingcat-CIV1506", "bellingcat/bellingcat-CIV1508"),
            ("bellingcat/bellingcat-CIV1508", "bellingcat/bellingcat-CIV1511"),
            ("bellingcat/bellingcat-CIV1505", "bellingcat/bellingcat-CIV1508"),
            ("bellingcat/bellingcat-CIV1506", "bellingcat/bellingcat-CIV1507")]
    out += res + [(a, b, "hand") for a, b in hand if (a, b) not in used]
    # round 3: same day <= 2 km, hardly any shared wording
    pool = [p for p, v in sp.items() if p not in lp and v[0] <= 2 and v[1] == 0 and jac(*p) < 0.15 and not_presence(p)]
    res, _ = more(pool, 4242, {"2022-02": 7, "2022-04": 9, "2022-05": 8, "2022-06": 8, "2022-07": 8, "2022-08": 8,
                               "2022-09": 8, "2022-10": 8, "2022-11": 8}, 2, "hard-3")
    out += res
    # round 4: 1-10 km within 2 days; and military presence against anything else, same day <= 2 km
    pool = [p for p, v in sp.items() if p not in lp and 1.0 <= v[0] <= 10 and jac(*p) < 0.12 and not_presence(p)]
    res, rng = more(pool, 99, {"2022-02": 10, "2022-04": 12, "2022-05": 11, "2022-06": 11, "2022-07": 11,
                               "2022-08": 10, "2022-09": 10, "2022-10": 10, "2022-11": 10}, 2, "hard-4")
    used = {(a, b) for a, b, _ in out}
    pres = sorted(p for p, v in sp.items() if p not in lp and p not in used and v[0] <= 2 and v[1] == 0
                  and (R[p[0]]["kind"] == "presence") != (R[p[1]]["kind"] == "presence"))
    rng.shuffle(list(pres))  # the draw was made with a first, discarded shuffle: kept so the seed reproduces it
    rng.shuffle(pres)
    out += res + [(a, b, "presence-vs-other") for a, b in pres[:24]]

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["a", "b", "pool", "km", "days"])
    for a, b, pool in out:
        w.writerow([a, b, pool, f"{km(R[a], R[b]):.2f}", abs((R[a]["day"] - R[b]["day"]).days)])


if __name__ == "__main__":
    main()
