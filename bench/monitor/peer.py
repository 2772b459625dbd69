#!/usr/bin/env python3
"""The placement and corroboration an analyst would write with GeoPandas / Shapely 2, pyproj and scikit-learn.

    peer.py SCENARIO_DIR FEED.csv --placements OUT.csv --incidents OUT.csv [--polygons strtree|loop|sjoin]

Reads the scenario's geometry (geometry/*.geojson) and terms (terms.toml, sites.toml) as guarantor does, and the
feed in guarantor's CSV layout. Prints JSON timings: `place_seconds` covers building the prepared geometries and
indexes and placing every report; `corroborate_seconds` the incidents. Reading files is not timed (nor is it on
guarantor's side).

Placement, vectorised throughout:
- occupied area, countries, oblasts: Shapely 2 prepared geometries; the polygon lists through an STRtree query
  with the `contains` predicate (or, with --polygons, contains_xy per polygon on its bounding box's points, or
  GeoPandas' sjoin), the first polygon in list order winning as in guarantor;
- distance to the contact line, as guarantor defines it (the nearest point in the point's own equirectangular
  projection, then the geodesic to it): the line's segments in an STRtree in one plane, the nearest there
  (query_nearest), the segments that can be nearer in the point's own projection (dwithin a bound of it), the
  nearest of those in NumPy, and the geodesic (pyproj.Geod, WGS84: Karney's algorithm, as guarantor);
- protected sites: great-circle distances in NumPy to every site choose the candidates (within 2% of the
  nearest, or of a site's radius), the geodesic (pyproj) decides;
- the coast (place.rs's rules, written here again): a point in no country's outline but within 1.5 km of one is
  in that country, on land; in the country the regions divide (the one holding a point inside the first region)
  but in no region, the region whose outline is within 3 km. The outlines' edges in a Shapely STRtree, queried
  only for those points with a box in degrees that holds every point within the distance; the distance to an
  edge is the geodesic (pyproj) to its nearest point in lon/lat degrees (as geo's `closest_point`), the nearest
  outline winning, ties by list order;
- the nearest named place (geometry/places.csv): a SciPy cKDTree of the places on the unit sphere gives the
  nearest by chord and the places near it (within 2% on the sphere), the geodesic (pyproj) decides, ties by
  file row; within 2.5 km of a place of a region (its `region` code, admin1.geojson's `code`), a point that has a
  region (by outline or the gap) is in the place's;
- land, Black Sea, Sea of Azov: the same boxes as guarantor (on land when in a country, the coast included).

Corroboration: guarantor's rule (crates/guarantor-monitor/src/corroborate.rs), a complete link over same-event
pairs.
- Two reports can be one event when their kinds are compatible (the same, a pair of SAME_EVENT_KINDS, or a clash
  and any fighting on land), they are at the same time (within an hour, or their intervals — each time ± its
  precision — overlap) and their distance on the ellipsoid is within the reach, the sum of their place precisions
  plus 50 m. (guarantor also pairs reports dated apart, up to a week, when both cite one post; its CSV layout,
  which the feed is in, has no links column, so here same time is required and links are not implemented.)
- They may share an incident under the same test with SPREAD (1.5) times the reach.
- Incidents by complete link: the same-event pairs in order of fit (the larger of distance on the sphere and
  time apart, each as a share of what the pair allows), ties by the reports' ranks (time, then source, then id,
  then file row); a pair joins its two incidents only if every report of one may share an incident with every
  report of the other.
Its candidate pairs, within 1.5 times the reach, come from a k-d tree over the position on the sphere in km and
the scaled time (Chebyshev radius): precise reports among themselves with SciPy's cKDTree (or, with --pairs
sklearn, scikit-learn's KDTree), each vague one against all. The exact tests are vectorised in NumPy: the
distance on the mean sphere decides unless within 1% of a reach, and there pyproj's geodesic (Karney, as
guarantor). SciPy's connected components of the same-event pairs bound the merges (may-pairs across two of them
are dropped); the complete link is a Python loop over the pairs sorted by NumPy, with the number of may-pairs
between each two incidents kept in a dict per incident, so a merge is allowed when it is the product of their
sizes. An incident is named by its first report in file order, as guarantor's bench names it.

Timed: placement (building the prepared geometries and trees included) and corroboration, each from arrays
already read (parsing the CSV and its times is not timed, as it is not on guarantor's side). Placement's
distances are pyproj's geodesic (Karney) throughout, where guarantor uses Andoyer-Lambert and the geodesic only
near a threshold: the peer does more exact work per distance for the same answers.
"""

import argparse
import json
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from sklearn.neighbors import KDTree

GEOD = Geod(ellps="WGS84")
EARTH_KM = 6371.0088
# corroborate.rs's Slack::default() (link_days aside: guarantor's CSV layout has no links) and SPREAD.
SLACK_KM, SLACK_HOURS = 0.05, 1.0
SPREAD = 1.5


def features(path):
    data = json.loads(Path(path).read_text())
    return [(f.get("properties") or {}, shapely.geometry.shape(f["geometry"])) for f in data["features"]]


def load_scenario(folder):
    folder = Path(folder)
    geometry = folder / "geometry"
    occupied = shapely.union_all([g for _, g in features(geometry / "occupied_area.geojson")])
    countries = [(p.get("iso3") or p.get("ISO_A3") or p.get("adm0_a3"), g)
                 for p, g in features(geometry / "countries.geojson")]
    regions = []
    if (geometry / "admin1.geojson").exists():
        regions = [(p.get("name"), g, p.get("code")) for p, g in features(geometry / "admin1.geojson")]
    places = None
    if (geometry / "places.csv").exists():
        # Every column as text (a place named "NA" stays one), trimmed as guarantor trims; floats exactly.
        table = pd.read_csv(geometry / "places.csv", dtype=str, keep_default_na=False)
        table = table.apply(lambda c: c.str.strip())
        places = (table["lon"].astype(float).to_numpy(), table["lat"].astype(float).to_numpy(),
                  table["name"].to_numpy(dtype=object), table["region"].to_numpy(dtype=object))
    lines = [g for _, g in features(geometry / "contact_line.geojson")]
    terms = tomllib.loads((folder / "terms.toml").read_text())
    sites = tomllib.loads((folder / "sites.toml").read_text()).get("site", [])
    where = {s["id"]: (s["lon"], s["lat"]) for s in sites if "lon" in s}
    protected = []
    for p in terms.get("protected_site", []):
        if "site" in p:
            if p["site"] not in where:
                continue
            lon, lat = where[p["site"]]
        else:
            lon, lat = p["lon"], p["lat"]
        protected.append((p["id"], lon, lat, float(p["radius_km"])))
    zones = [(z["id"], float(z["width_km"])) for z in terms.get("buffer_zone", [])]
    return occupied, countries, regions, lines, protected, zones, places


def first_holding(geoms, lon, lat, pts, how):
    """Index of the first polygon holding each point, -1 for none."""
    out = np.full(len(lon), -1, dtype=np.int64)
    if how == "strtree":
        for g in geoms:
            shapely.prepare(g)
        tree = shapely.STRtree(geoms)
        p_idx, g_idx = tree.query(pts, predicate="within")
        # Several polygons per point (borders): the smallest index wins.
        order = np.lexsort((g_idx, p_idx))
        p_idx, g_idx = p_idx[order], g_idx[order]
        first = np.ones(len(p_idx), dtype=bool)
        first[1:] = p_idx[1:] != p_idx[:-1]
        out[p_idx[first]] = g_idx[first]
    elif how == "sjoin":
        import geopandas as gpd
        left = gpd.GeoDataFrame({"i": np.arange(len(lon))}, geometry=pts, crs="EPSG:4326")
        right = gpd.GeoDataFrame({"k": np.arange(len(geoms))}, geometry=geoms, crs="EPSG:4326")
        joined = gpd.sjoin(left, right, how="inner", predicate="within")
        best = joined.groupby("i")["k"].min()
        out[best.index.to_numpy()] = best.to_numpy()
    else:
        for k, g in enumerate(geoms):
            shapely.prepare(g)
            x0, y0, x1, y1 = g.bounds
            cand = np.nonzero((out < 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))[0]
            hit = shapely.contains_xy(g, lon[cand], lat[cand])
            out[cand[hit]] = k
    return out


# place.rs's tolerances: off every country's outline but this near one, on its land; in the regions' country in no
# region but this near one, in it; this near a named place of a region, in the place's region.
COAST_KM, REGION_GAP_KM, TOWN_KM = 1.5, 3.0, 2.5


def outline_edges(geoms):
    """Every edge of the polygons' rings (exterior counter-clockwise, holes clockwise, as guarantor orients
    them), zero-length ones left out: starts and ends (m, 2) in lon/lat, and the index of the polygon of each."""
    parts, part_of = shapely.get_parts(shapely.orient_polygons(np.asarray(geoms, dtype=object)), return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, vertex_of = shapely.get_coordinates(rings, return_index=True)
    same = vertex_of[1:] == vertex_of[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    owner = part_of[ring_of[vertex_of[:-1][same]]]
    keep = (a[:, 0] != b[:, 0]) | (a[:, 1] != b[:, 1])
    return a[keep], b[keep], owner[keep]


def nearest_outline(edges, tree, lon, lat, km):
    """For each point, the polygon whose outline is nearest within `km` and the distance (-1 and NaN for none).
    The distance to an edge is the geodesic to the edge's nearest point in lon/lat degrees (as geo's
    `closest_point`); ties go to the first polygon."""
    n = len(lon)
    out, dist = np.full(n, -1), np.full(n, np.nan)
    if n == 0 or tree is None:
        return out, dist
    a, b, owner = edges
    # A box in degrees holding everything within `km`: a degree of latitude is at least 110.57 km, one of longitude
    # at least 111.32 km times the cosine of the latitude (at the box's edge nearer the pole), with a margin.
    dy = km / 110.0
    dx = 1.01 * km / (111.32 * np.cos(np.radians(np.minimum(np.abs(lat) + dy, 89.0))))
    pi, ei = tree.query(shapely.box(lon - dx, lat - dy, lon + dx, lat + dy))
    px, py = lon[pi], lat[pi]
    ax, ay, bx, by = a[ei, 0], a[ei, 1], b[ei, 0], b[ei, 1]
    vx, vy = bx - ax, by - ay
    t = ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)
    qx = np.where(t < 0, ax, np.where(t > 1, bx, ax + t * vx))
    qy = np.where(t < 0, ay, np.where(t > 1, by, ay + t * vy))
    _, _, m = GEOD.inv(px, py, qx, qy)
    d = m / 1000.0
    near = d <= km
    pi, d, shape = pi[near], d[near], owner[ei[near]]
    order = np.lexsort((shape, d, pi))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    best = order[first]
    out[pi[best]] = shape[best]
    dist[pi[best]] = d[best]
    return out, dist


def nearest_places(places, lon, lat):
    """Each point's nearest named place on the ellipsoid (ties: the first in the file) and the distance in km. A
    k-d tree of the places on the unit sphere gives the nearest by chord; every place within 2% (and 10 m) of it
    on the sphere, which is within 0.7% of the ellipsoid, is measured on the geodesic (pyproj: Karney)."""
    p_lon, p_lat = places[0], places[1]
    tree = cKDTree(unit(p_lon, p_lat))
    u = unit(lon, lat)
    k = min(4, len(p_lon))
    chords, idx = tree.query(u, k=k)
    chords, idx = chords.reshape(len(lon), k), idx.reshape(len(lon), k)
    reach = chords[:, 0] * 1.02 + 0.01 / EARTH_KM
    take = chords <= reach[:, None]
    # The few points with more candidates than the k found: all of them, from the tree.
    more = take[:, -1].copy() if k < len(p_lon) else np.zeros(len(lon), dtype=bool)
    take &= ~more[:, None]
    pi, col = np.nonzero(take)
    ci = idx[pi, col]
    if more.any():
        again = np.nonzero(more)[0]
        found = tree.query_ball_point(u[again], reach[again])
        pi = np.concatenate([pi, np.repeat(again, [len(f) for f in found])])
        ci = np.concatenate([ci] + [np.asarray(f, dtype=np.int64) for f in found])
    _, _, m = GEOD.inv(lon[pi], lat[pi], p_lon[ci], p_lat[ci])
    d = m / 1000.0
    order = np.lexsort((ci, d, pi))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    best = order[first]
    nearest, km = np.full(len(lon), -1), np.full(len(lon), np.nan)
    nearest[pi[best]] = ci[best]
    km[pi[best]] = d[best]
    return nearest, km


def unit(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def place(scenario, lon, lat, how):
    occupied, countries, regions, lines, protected, zones, places = scenario
    n = len(lon)
    pts = shapely.points(lon, lat) if how != "loop" else None
    shapely.prepare(occupied)
    is_occupied = shapely.contains_xy(occupied, lon, lat)
    country_geoms = [g for _, g in countries]
    country = first_holding(country_geoms, lon, lat, pts, how)
    oblast = first_holding([r[1] for r in regions], lon, lat, pts, how) if regions else np.full(n, -1)

    # The coast: off every outline but within COAST_KM of one (the edges in an STRtree), in that country.
    off = np.nonzero(country < 0)[0]
    if len(off):
        edges = outline_edges(country_geoms)
        tree = shapely.STRtree(shapely.linestrings(np.stack([edges[0], edges[1]], axis=1)))
        country[off] = nearest_outline(edges, tree, lon[off], lat[off], COAST_KM)[0]
    # The gap between regions: in the country they divide (the one holding a point inside the first region) but
    # in no region, the region whose outline is within REGION_GAP_KM.
    if regions:
        inside = shapely.point_on_surface(regions[0][1])
        holding = [k for k, g in enumerate(country_geoms) if g.contains(inside)]
        divided = holding[0] if holding else -2
        gap = np.nonzero((oblast < 0) & (country == divided))[0]
        if len(gap):
            edges = outline_edges([r[1] for r in regions])
            tree = shapely.STRtree(shapely.linestrings(np.stack([edges[0], edges[1]], axis=1)))
            oblast[gap] = nearest_outline(edges, tree, lon[gap], lat[gap], REGION_GAP_KM)[0]
    # The nearest named place; within TOWN_KM of one of a region, a point in some region is in the place's.
    place, place_km = np.full(n, -1), np.full(n, np.nan)
    if places is not None and len(places[0]):
        place, place_km = nearest_places(places, lon, lat)
        codes = {}
        for k, r in enumerate(regions):
            codes.setdefault(r[2], k)
        place_region = np.array([codes.get(c, -1) if c else -1 for c in places[3]], dtype=np.int64)
        town = np.where(place >= 0, place_region[np.maximum(place, 0)], -1)
        town_rule = (oblast >= 0) & (place_km <= TOWN_KM) & (town >= 0)
        oblast = np.where(town_rule, town, oblast)

    # The line, as guarantor measures it: the nearest point in each point's own equirectangular projection
    # (longitude scaled by the cosine of the point's latitude), then the geodesic to it. An STRtree of the
    # segments in one plane (scaled at the theatre's mean latitude) gives the nearest there; every segment
    # that can be nearer in the point's own projection lies within a bound of it (dwithin), and NumPy finds
    # the nearest of those exactly.
    segs = []
    for g in lines:
        for part in getattr(g, "geoms", [g]):
            c = np.asarray(part.coords)
            segs.extend(zip(c[:-1], c[1:]))
    segs = np.asarray(segs)  # (m, 2 ends, lon/lat)
    g_scale = np.cos(np.radians(segs[:, :, 1].mean()))
    seg_geoms = shapely.linestrings(np.stack([segs[:, :, 0] * g_scale, segs[:, :, 1]], axis=-1))
    tree = shapely.STRtree(seg_geoms)
    plane_pts = shapely.points(lon * g_scale, lat)
    (p_idx, _), d0 = tree.query_nearest(plane_pts, return_distance=True, all_matches=False)
    first_distance = np.empty(n)
    first_distance[p_idx] = d0
    s = np.maximum(np.cos(np.radians(lat)), 0.01)
    ratio = np.maximum(s / g_scale, g_scale / s)
    pi, si = tree.query(plane_pts, predicate="dwithin", distance=first_distance * ratio * ratio * (1 + 1e-9) + 1e-12)
    sp = s[pi]
    ax = (segs[si, 0, 0] - lon[pi]) * sp
    ay = segs[si, 0, 1] - lat[pi]
    bx = (segs[si, 1, 0] - lon[pi]) * sp
    by = segs[si, 1, 1] - lat[pi]
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    tt = np.clip(np.where(len2 > 0, -(ax * dx + ay * dy) / np.where(len2 > 0, len2, 1.0), 0.0), 0.0, 1.0)
    qx, qy = ax + tt * dx, ay + tt * dy
    d2 = qx * qx + qy * qy
    order = np.lexsort((d2, pi))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pi[order][1:] != pi[order][:-1]
    best = order[first]
    near_lon = np.empty(n)
    near_lat = np.empty(n)
    near_lon[pi[best]] = qx[best] / sp[best] + lon[pi[best]]
    near_lat[pi[best]] = qy[best] + lat[pi[best]]
    _, _, metres = GEOD.inv(lon, lat, near_lon, near_lat)
    km_to_line = metres / 1000.0
    buffer = np.full(n, -1)
    best_width = np.full(n, np.inf)
    for k, (_, width) in enumerate(zones):
        hit = (km_to_line <= width) & (width < best_width)
        buffer[hit] = k
        best_width[hit] = width

    # Protected sites: the sphere chooses the candidates, the geodesic decides.
    nearest = np.full(n, -1)
    nearest_km = np.full(n, np.nan)
    inside = np.full(n, -1)
    if protected:
        centres = unit(np.array([p[1] for p in protected]), np.array([p[2] for p in protected]))
        radius = np.array([p[3] for p in protected])
        u = unit(lon, lat)
        chord = np.linalg.norm(u[:, None, :] - centres[None, :, :], axis=-1)
        sphere = 2.0 * np.arcsin(np.minimum(chord / 2.0, 1.0)) * EARTH_KM
        best = sphere.min(axis=1)
        cand = (sphere <= best[:, None] * 1.02 + 0.01) | (sphere <= radius[None, :] * 1.02 + 0.01)
        pi, si = np.nonzero(cand)
        site_lon = np.array([p[1] for p in protected])
        site_lat = np.array([p[2] for p in protected])
        _, _, m = GEOD.inv(lon[pi], lat[pi], site_lon[si], site_lat[si])
        geo = np.full(sphere.shape, np.inf)
        geo[pi, si] = m / 1000.0
        nearest = np.argmin(geo, axis=1)  # first of equals, as guarantor
        nearest_km = geo[np.arange(n), nearest]
        within = np.where(geo <= radius[None, :], geo, np.inf)
        inside = np.where(np.isfinite(within.min(axis=1)), np.argmin(within, axis=1), -1)

    azov = (lon >= 34.8) & (lon <= 39.4) & (lat >= 45.25) & (lat <= 47.3)
    black = (lon >= 27.3) & (lon <= 42.0) & (lat >= 40.8) & (lat <= 46.7)
    surface = np.where(country >= 0, "land", np.where(azov, "azov", np.where(black, "black_sea", "elsewhere")))
    return dict(occupied=is_occupied, km_to_line=km_to_line, buffer=buffer, surface=surface, country=country,
                oblast=oblast, nearest=nearest, nearest_km=nearest_km, inside=inside, place=place,
                place_km=place_km)


# SAME_EVENT_KINDS of corroborate.rs: pairs of different kinds that can be one event seen by different sources.
COMPATIBLE = {frozenset(p) for p in [
    ("infrastructure_strike", "artillery"), ("infrastructure_strike", "drone"),
    ("infrastructure_strike", "missile"), ("infrastructure_strike", "air_strike"),
    ("infrastructure_strike", "small_arms"), ("artillery", "missile"), ("drone", "missile"),
    ("missile", "air_strike"), ("interception", "air_strike"), ("drone", "air_incursion"),
    ("interception", "drone"), ("interception", "missile"), ("interception", "air_incursion"),
    ("mine", "naval"), ("artillery", "air_strike"),
]}
# A clash (weapons unreported) can be any fighting on land.
LAND = {"clash", "artillery", "small_arms", "drone", "missile", "air_strike", "mine", "infrastructure_strike"}


def compatible_matrix(kinds):
    m = np.zeros((len(kinds), len(kinds)), dtype=bool)
    for i, a in enumerate(kinds):
        for j, b in enumerate(kinds):
            m[i, j] = (a == b or frozenset([a, b]) in COMPATIBLE
                       or ((a == "clash" or b == "clash") and a in LAND and b in LAND))
    return m


def columns(feed):
    """The feed's columns as arrays (reading, not timed): positions, times in seconds, precisions, kinds, and the
    source and id that break ties of time."""
    lon, lat = feed["lon"].to_numpy(dtype=float), feed["lat"].to_numpy(dtype=float)
    when = pd.to_datetime(feed["time"], utc=True, format="ISO8601")
    seconds = ((when - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
    tp = feed["time_precision_hours"].to_numpy(dtype=float)
    pp = feed["place_precision_km"].to_numpy(dtype=float)
    kinds, kind_idx = np.unique(feed["kind"].to_numpy(), return_inverse=True)
    return (lon, lat, seconds, tp, pp, list(kinds), kind_idx, feed["source"].to_numpy(dtype=object),
            feed["id"].to_numpy(dtype=object))


def candidate_pairs(points, r, queries=None, skip=None):
    """Pairs (i, j), i < j, within Chebyshev distance r: among all points, or between `queries` and all (less the
    pairs with a point of `skip`, a boolean mask, found from its own side)."""
    tree = cKDTree(points)
    if queries is None:
        pairs = tree.query_pairs(r, p=np.inf, output_type="ndarray")
        return pairs[:, 0], pairs[:, 1]
    found = tree.query_ball_point(points[queries], r, p=np.inf, return_sorted=False)
    i = np.repeat(queries, [len(f) for f in found])
    j = np.concatenate([np.asarray(f, dtype=np.int64) for f in found]) if len(found) else np.zeros(0, np.int64)
    keep = (i != j) & ~(skip[j] & (j < i))
    i, j = i[keep], j[keep]
    return np.minimum(i, j), np.maximum(i, j)


def sphere_km(u, i, j):
    """Great-circle km on the mean sphere from the chord between unit vectors, as guarantor computes it."""
    d = u[i] - u[j]
    chord = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1] + d[:, 2] * d[:, 2])
    return 2.0 * np.arcsin(np.minimum(chord / 2.0, 1.0)) * EARTH_KM


def corroborate(cols, how):
    lon, lat, seconds, tp, pp, kinds, kind_idx, source, ident = cols
    n = len(lon)
    t = seconds / 3600.0
    ok_kind = compatible_matrix(kinds)
    # Rank: time, then source, then id, then file row; it breaks ties of fit.
    order = np.lexsort((np.arange(n), ident, source, seconds))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    # Candidate pairs, within SPREAD times the reach (the same-event pairs are among them). Positions on the
    # sphere in km: a pair within a reach on the ellipsoid is within 1% of it on the sphere, and each coordinate
    # differs by no more than the chord. Time is a fourth axis, scaled so that the time reach equals the distance
    # reach (Chebyshev distance). Precise reports (as guarantor splits them: 12 km, 6 h) are paired among
    # themselves with their own, short reach; each vague report with every report, with the vague reach.
    u = unit(lon, lat)
    xyz = u * EARTH_KM
    precise = (pp <= 12.0) & (tp <= 6.0)
    vague = np.nonzero(~precise)[0]
    rows, cols_ = [], []
    p_idx = np.nonzero(precise)[0]
    if len(p_idx):
        reach_km = SPREAD * (2.0 * pp[p_idx].max() + SLACK_KM)
        reach_h = 2.0 * tp[p_idx].max() + SLACK_HOURS
        pts = np.column_stack([xyz[p_idx], t[p_idx] * (reach_km / reach_h)])
        if how == "sklearn":
            tree = KDTree(pts, metric="chebyshev")
            found = tree.query_radius(pts, r=reach_km * 1.01)
            i = np.repeat(np.arange(len(p_idx)), [len(f) for f in found])
            j = np.concatenate(found)
            keep = j > i
            i, j = i[keep], j[keep]
        else:
            i, j = candidate_pairs(pts, reach_km * 1.01)
        rows.append(p_idx[i])
        cols_.append(p_idx[j])
    if len(vague):
        reach_km = SPREAD * (pp[vague].max() + pp.max() + SLACK_KM)
        reach_h = tp[vague].max() + tp.max() + SLACK_HOURS
        pts = np.column_stack([xyz, t * (reach_km / reach_h)])
        i, j = candidate_pairs(pts, reach_km * 1.01, queries=vague, skip=~precise)
        rows.append(i)
        cols_.append(j)
    i = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    j = np.concatenate(cols_) if cols_ else np.zeros(0, dtype=np.int64)

    # The exact tests: compatible kinds, at the same time (no link column, so nothing else), within the reach
    # (one event) or SPREAD times it (may share an incident): decided on the sphere unless within 1% of the
    # reach, then by the geodesic (pyproj: Karney, as guarantor).
    keep = ok_kind[kind_idx[i], kind_idx[j]]
    hours = np.abs(seconds[i] - seconds[j]) / 3600.0
    keep &= (hours <= SLACK_HOURS) | (hours < tp[i] + tp[j])
    i, j, hours = i[keep], j[keep], hours[keep]
    base = pp[i] + pp[j] + SLACK_KM
    sphere = sphere_km(u, i, j)
    reaches = (base, SPREAD * base)
    near = np.zeros(len(i), dtype=bool)
    for reach in reaches:
        near |= ~(sphere * 1.01 < reach) & ~(sphere * 0.99 > reach)
    geodesic = np.full(len(i), np.nan)
    _, _, m = GEOD.inv(lon[i[near]], lat[i[near]], lon[j[near]], lat[j[near]])
    geodesic[near] = m / 1000.0
    one, may = [np.where(sphere * 1.01 < reach, True, np.where(sphere * 0.99 > reach, False, geodesic <= reach))
                for reach in reaches]
    fit = np.maximum(sphere[one] / base[one], hours[one] / np.maximum(tp[i[one]] + tp[j[one]], SLACK_HOURS))
    oi, oj = i[one], j[one]
    # The connected sets of same-event pairs: no merge crosses them, so only the may-pairs within one count.
    graph = coo_matrix((np.ones(len(oi)), (oi, oj)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    may &= labels[i] == labels[j]
    mi, mj = i[may].tolist(), j[may].tolist()

    # Complete link: the same-event pairs closest fit first (ties by the reports' ranks); two incidents merge when
    # every report of one may share an incident with every report of the other, that is when the may-pairs
    # between them number the product of their sizes. Kept per pair of incidents, as a dict per incident.
    lo, hi = np.minimum(rank[oi], rank[oj]), np.maximum(rank[oi], rank[oj])
    by_fit = np.lexsort((hi, lo, fit))
    between = {}
    for a, b in zip(mi, mj):
        between.setdefault(a, {})[b] = 1
        between.setdefault(b, {})[a] = 1
    lead = list(range(n))
    size = [1] * n
    members = {}
    for a, b in zip(oi[by_fit].tolist(), oj[by_fit].tolist()):
        x, y = lead[a], lead[b]
        if x == y or between[x].get(y, 0) != size[x] * size[y]:
            continue
        if size[x] < size[y]:
            x, y = y, x
        moved = members.pop(y, [y])
        for r in moved:
            lead[r] = x
        members.setdefault(x, [x]).extend(moved)
        size[x] += size[y]
        bx, by = between[x], between.pop(y)
        del bx[y]
        for z, c in by.items():
            if z != x:
                bz = between[z]
                del bz[y]
                bz[x] = bz.get(x, 0) + c
                bx[z] = bx.get(z, 0) + c
    lead = np.asarray(lead)
    # An incident is named by its first report in file order.
    first = np.full(n, n)
    np.minimum.at(first, lead, np.arange(n))
    return int(np.count_nonzero(first < n)), first[lead]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("feed")
    ap.add_argument("--placements")
    ap.add_argument("--incidents")
    ap.add_argument("--polygons", choices=["strtree", "loop", "sjoin"], default="strtree")
    ap.add_argument("--pairs", choices=["scipy", "sklearn"], default="scipy",
                    help="candidate pairs of precise reports from SciPy's cKDTree or scikit-learn's KDTree")
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    # pandas 3 reads floats exactly (round trip) by default.
    feed = pd.read_csv(args.feed, keep_default_na=False,
                       dtype={"id": str, "target": str, "text": str})
    cols = columns(feed)
    lon, lat = cols[0], cols[1]
    start = time.perf_counter()
    placed = place(scenario, lon, lat, args.polygons)
    place_seconds = time.perf_counter() - start
    start = time.perf_counter()
    count, incident = corroborate(cols, args.pairs)
    corroborate_seconds = time.perf_counter() - start
    if args.placements:
        occupied, countries, regions, lines, protected, zones, places = scenario
        name = lambda items, k: items[k][0] if k >= 0 else ""  # noqa: E731
        out = pd.DataFrame({
            "id": feed["id"],
            "occupied": np.where(placed["occupied"], "true", "false"),
            "km_to_line": placed["km_to_line"],
            "buffer_zone": [name(zones, k) for k in placed["buffer"]],
            "surface": placed["surface"],
            "country": [name(countries, k) for k in placed["country"]],
            "oblast": [name(regions, k) for k in placed["oblast"]],
            "nearest_site": [name(protected, k) for k in placed["nearest"]],
            "nearest_km": placed["nearest_km"],
            "inside_site": [name(protected, k) for k in placed["inside"]],
            "place": [places[2][k] if k >= 0 else "" for k in placed["place"]],
            "place_km": placed["place_km"],
        })
        out.to_csv(args.placements, index=False)
    if args.incidents:
        pd.DataFrame({"id": feed["id"], "incident": incident}).to_csv(args.incidents, index=False)
    json.dump({"reports": len(feed), "incidents": int(count), "place_seconds": place_seconds,
               "corroborate_seconds": corroborate_seconds, "polygons": args.polygons, "pairs": args.pairs},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
