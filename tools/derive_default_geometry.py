#!/usr/bin/env python3
"""Derive the geometry of guarantor's built-in default scenario.

Reads the real data folder (see DATA.md there) and writes simplified GeoJSON to
crates/guarantor-scenario/default/geometry/:

  contact_line.geojson   9 LineStrings, the line of contact on 2026-08-22 (DeepStateMap)
  occupied_area.geojson  1 MultiPolygon, the occupied area on 2026-08-22 incl. Crimea (DeepStateMap)
  occupied_monthly.geojson  the occupied area month by month, 2024-07 to 2026-08 (DeepStateMap)
  countries.geojson      Natural Earth 1:10m outlines of Ukraine and its neighbours, Crimea in Ukraine
  areas.geojson          illustrative air and sea areas of the mission
  places.csv             GeoNames places of 1,000 people or more, with their oblast (ISO 3166-2)
  ATTRIBUTION.md         sources, tolerances, licences and the command that regenerates the files

Usage (from the repository root):

    python3 tools/derive_default_geometry.py [DATA_DIR] [--out OUT_DIR]

DATA_DIR defaults to ../shared/data relative to the repository root. Requires shapely >= 2.1
(GEOS >= 3.12, for coverage simplification); pyproj is used for geodesic lengths and areas
when installed, otherwise a spherical fallback. Output is deterministic: rerunning it with
the same inputs and library versions gives the same bytes. The checks at the end (validity,
ring orientation, known points inside/outside) are assertions: the script fails if one fails.
"""

import argparse
import csv
import json
import math
import os
import sys

import numpy as np
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    shape,
)
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

try:
    from pyproj import Geod

    GEOD = Geod(ellps="WGS84")
except ImportError:  # pragma: no cover - fallback path
    GEOD = None

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "data"))
DEFAULT_OUT = os.path.join(REPO_ROOT, "crates", "guarantor-scenario", "default", "geometry")

# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------

GRID = 1e-4  # output precision: 4 decimals (~11 m)
DECIMALS = 4
CONTACT_TOL = 0.005  # degrees, Douglas-Peucker (topology preserving)
OCCUPIED_TOL = 0.005  # degrees, Douglas-Peucker (topology preserving)
OCCUPIED_MIN_KM2 = 1.0  # parts and holes smaller than this are dropped
COUNTRY_TOL = 0.015  # degrees, coverage simplification (Visvalingam-Whyatt, shared edges kept identical)
COUNTRY_MIN_KM2 = 1.0  # islands smaller than this are dropped after simplification
CLIP_BOX = (12.0, 40.0, 46.0, 58.0)  # lon min, lat min, lon max, lat max
SIZE_BUDGET = 1200 * 1024  # bytes, all GeoJSON files together (the monthly series is most of it)

DEEPSTATE_ATTRIBUTION = (
    "derived from DeepStateMap data via github.com/cyterat/deepstate-map-data (2026-08-22)"
)
NE_ATTRIBUTION = "Natural Earth (public domain)"

# Natural Earth iso_n3 -> (ISO 3166-1 alpha-3, display name), in output order.
COUNTRIES = [
    ("804", "UKR", "Ukraine"),
    ("616", "POL", "Poland"),
    ("642", "ROU", "Romania"),
    ("498", "MDA", "Moldova"),
    ("703", "SVK", "Slovakia"),
    ("348", "HUN", "Hungary"),
    ("112", "BLR", "Belarus"),
    ("643", "RUS", "Russia"),
    ("440", "LTU", "Lithuania"),
    ("428", "LVA", "Latvia"),
    ("233", "EST", "Estonia"),
    ("203", "CZE", "Czechia"),
    ("276", "DEU", "Germany"),
    ("040", "AUT", "Austria"),
    ("100", "BGR", "Bulgaria"),
    ("688", "SRB", "Serbia"),
    ("792", "TUR", "Turkey"),
    ("268", "GEO", "Georgia"),
    ("246", "FIN", "Finland"),
    ("752", "SWE", "Sweden"),
    ("208", "DNK", "Denmark"),
    ("191", "HRV", "Croatia"),
    ("705", "SVN", "Slovenia"),
    ("070", "BIH", "Bosnia and Herzegovina"),
    ("499", "MNE", "Montenegro"),
    ("008", "ALB", "Albania"),
    ("807", "MKD", "North Macedonia"),
    ("300", "GRC", "Greece"),
    ("380", "ITA", "Italy"),
]
CRIMEA_CODES = ("UA-43", "UA-40")  # Autonomous Republic of Crimea, Sevastopol

# ---------------------------------------------------------------------------------------------
# Illustrative mission areas. These are planning assumptions, NOT legal boundaries: rough
# polygons drawn by hand, then cut to sea (land removed) or to Ukraine's territory.
# ---------------------------------------------------------------------------------------------

# Western Black Sea off Ukraine's coast, Danube mouth to the approaches of Odesa and Mykolaiv.
# The south-western edge follows roughly the Ukraine-Romania maritime boundary (ICJ 2009 turning
# points, approximate); the eastern edge stays west of 32.2 E, well clear of Crimea.
BLACK_SEA_WEST = [
    (29.66, 45.21),  # Musura bay, Danube (Chilia) mouth, roughly the UA/RO land border at the coast
    (30.04, 45.09),  # end of the UA/RO territorial-sea boundary (approx.)
    (30.16, 45.05),
    (30.98, 44.78),
    (31.60, 44.75),
    (32.20, 45.00),
    (32.20, 46.05),
    (31.90, 46.45),  # towards the Dnipro-Buh estuary (Mykolaiv approaches)
    (31.60, 46.62),  # Ochakiv
    (31.00, 46.66),  # Pivdennyi
    (30.70, 46.62),  # Odesa (inland: the mainland coast is cut out with the land)
    (30.55, 46.25),
    (30.25, 45.95),
    # from here south the edge runs about 1 km offshore, so that the lagoons behind the
    # Budjak barrier and the Danube delta (water in Natural Earth) stay out of the area
    (30.21, 45.845),
    (30.13, 45.80),
    (29.91, 45.655),
    (29.81, 45.605),
    (29.745, 45.585),
    (29.765, 45.46),
    (29.775, 45.31),
]
# Approaches to Odesa, Chornomorsk and Pivdennyi ports (mine countermeasures).
ODESA_APPROACHES = [
    (30.55, 46.15),
    (31.25, 46.15),
    (31.25, 46.68),
    (30.55, 46.68),
]
SEA_STANDOFF_KM = 12.0  # sea areas keep this far from the occupied area (Crimea, Kinburn and Tendra spits)
# Air policing over western and central Ukraine: Ukraine west of this meridian ...
AIR_WEST_MAX_LON = 31.5
# ... and at least this far from the contact line (and outside the occupied area).
AIR_STANDOFF_KM = 100.0

# Test points (lon, lat)
KYIV = (30.52, 50.45)
SEVASTOPOL = (33.52, 44.6)
DONETSK = (37.80, 48.00)
ODESA = (30.73, 46.48)

# ---------------------------------------------------------------------------------------------
# Geodesy
# ---------------------------------------------------------------------------------------------

R_EARTH_KM = 6371.0088


def haversine_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * R_EARTH_KM * np.arcsin(np.sqrt(a))


def length_km(line):
    if GEOD is not None:
        return GEOD.geometry_length(line) / 1000.0
    xy = np.asarray(line.coords)
    return float(haversine_km(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]).sum())


def _ring_area_km2(coords):
    # spherical approximation (Chamberlain & Duquette 2007); fallback only
    xy = np.radians(np.asarray(coords))
    lon, lat = xy[:, 0], xy[:, 1]
    s = np.sum((lon[1:] - lon[:-1]) * (2 + np.sin(lat[:-1]) + np.sin(lat[1:])))
    return abs(s) * R_EARTH_KM**2 / 2


def area_km2(geom):
    if geom.is_empty:
        return 0.0
    if GEOD is not None:
        return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
    total = 0.0
    for p in polygons(geom):
        total += _ring_area_km2(p.exterior.coords)
        total -= sum(_ring_area_km2(r.coords) for r in p.interiors)
    return total


class Aeqd:
    """Spherical azimuthal equidistant projection (km), for metric buffers. Distances from the
    centre are exact on the sphere; elsewhere the error stays well under 1 % within 500 km."""

    def __init__(self, lon0, lat0):
        self.l0 = math.radians(lon0)
        self.p0 = math.radians(lat0)

    def fwd(self, x, y):
        lam = np.radians(np.asarray(x, dtype=float)) - self.l0
        phi = np.radians(np.asarray(y, dtype=float))
        cosc = np.sin(self.p0) * np.sin(phi) + np.cos(self.p0) * np.cos(phi) * np.cos(lam)
        c = np.arccos(np.clip(cosc, -1.0, 1.0))
        k = np.where(c < 1e-12, 1.0, c / np.where(c < 1e-12, 1.0, np.sin(c)))
        px = R_EARTH_KM * k * np.cos(phi) * np.sin(lam)
        py = R_EARTH_KM * k * (np.cos(self.p0) * np.sin(phi) - np.sin(self.p0) * np.cos(phi) * np.cos(lam))
        return px, py

    def inv(self, x, y):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        rho = np.hypot(x, y)
        c = rho / R_EARTH_KM
        safe = np.where(rho < 1e-12, 1.0, rho)
        phi = np.arcsin(np.clip(np.cos(c) * np.sin(self.p0) + y * np.sin(c) * np.cos(self.p0) / safe, -1, 1))
        lam = self.l0 + np.arctan2(
            x * np.sin(c), rho * np.cos(self.p0) * np.cos(c) - y * np.sin(self.p0) * np.sin(c)
        )
        phi = np.where(rho < 1e-12, self.p0, phi)
        lam = np.where(rho < 1e-12, self.l0, lam)
        return np.degrees(lam), np.degrees(phi)

    def buffer(self, geom, km, quad_segs=16):
        projected = shapely.transform(geom, self.fwd, interleaved=False)
        return shapely.transform(projected.buffer(km, quad_segs=quad_segs), self.inv, interleaved=False)


# ---------------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------------


def polygons(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type == "MultiPolygon":
        return list(geom.geoms)
    if geom.geom_type == "GeometryCollection":
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def as_polygonal(parts):
    parts = [orient(p, 1.0) for p in parts if not p.is_empty]
    if not parts:
        raise ValueError("empty polygonal geometry")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def fix(geom):
    """Valid polygonal geometry: make_valid if needed, keep polygonal parts only."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return unary_union(polygons(geom)) if geom.geom_type == "GeometryCollection" else geom


def snap_polygonal(geom, min_km2=0.0):
    """Snap to the output grid (keeping validity), drop tiny parts and holes, orient RFC 7946."""
    geom = shapely.set_precision(fix(geom), GRID)
    parts = []
    for p in polygons(geom):
        if area_km2(Polygon(p.exterior)) < min_km2:
            continue
        holes = [h for h in p.interiors if area_km2(Polygon(h)) >= min_km2]
        parts.append(Polygon(p.exterior, holes))
    out = as_polygonal(parts)
    assert out.is_valid, shapely.is_valid_reason(out)
    return out


def drop_small(geom, min_km2):
    parts = []
    for p in polygons(geom):
        if area_km2(Polygon(p.exterior)) < min_km2:
            continue
        parts.append(Polygon(p.exterior, [h for h in p.interiors if area_km2(Polygon(h)) >= min_km2]))
    return MultiPolygon(parts)


def rc(coords):
    """Rounded coordinate list without consecutive duplicates."""
    out = []
    for x, y in coords:
        pt = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def geojson_geometry(geom):
    if geom.geom_type == "LineString":
        return {"type": "LineString", "coordinates": rc(geom.coords)}
    if geom.geom_type == "Polygon":
        p = orient(geom, 1.0)
        return {"type": "Polygon", "coordinates": [rc(p.exterior.coords)] + [rc(r.coords) for r in p.interiors]}
    if geom.geom_type == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [geojson_geometry(p)["coordinates"] for p in geom.geoms],
        }
    raise ValueError(geom.geom_type)


def feature(properties, geom):
    return {"type": "Feature", "properties": properties, "geometry": geojson_geometry(geom)}


def write_fc(path, features):
    lines = [json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------------------------
# Derivations
# ---------------------------------------------------------------------------------------------


def derive_contact_line(data):
    src = load(os.path.join(data, "frontline", "contact_line_20260822.geojson"))
    full, feats, notes = [], [], []
    for f in src["features"]:
        line = shape(f["geometry"])
        full.append(line)
        simple = shapely.set_precision(line.simplify(CONTACT_TOL, preserve_topology=True), GRID)
        coords = rc(simple.coords) if not simple.is_empty else []
        if len(coords) < 2:
            notes.append(f"segment {f['properties']['segment']} degenerated and was dropped")
            continue
        simple = LineString(coords)
        feats.append(
            feature(
                {
                    "segment": int(f["properties"]["segment"]),
                    "length_km": round(length_km(simple), 1),
                    "attribution": DEEPSTATE_ATTRIBUTION,
                },
                simple,
            )
        )
    return feats, MultiLineString(full), notes


def derive_occupied(data):
    src = load(os.path.join(data, "frontline", "deepstatemap_occupied_20260822.geojson"))
    assert len(src["features"]) == 1
    full = fix(shape(src["features"][0]["geometry"]))
    src_parts = len(polygons(full))
    src_holes = sum(len(p.interiors) for p in polygons(full))
    cleaned = drop_small(full, OCCUPIED_MIN_KM2)
    simple = cleaned.simplify(OCCUPIED_TOL, preserve_topology=True)
    out = snap_polygonal(simple, OCCUPIED_MIN_KM2)
    if out.geom_type == "Polygon":
        out = MultiPolygon([out])
    info = {
        "source_parts": src_parts,
        "source_holes": src_holes,
        "source_km2": area_km2(full),
        "parts": len(out.geoms),
        "holes": sum(len(p.interiors) for p in out.geoms),
        "km2": area_km2(out),
    }
    feat = feature(
        {
            "name": "Occupied area 2026-08-22",
            "area_km2": int(round(info["km2"])),
            "attribution": DEEPSTATE_ATTRIBUTION,
        },
        out,
    )
    return [feat], full, out, info


def derive_occupied_series(data):
    """The occupied area month by month (DeepStateMap's monthly series), simplified as the 2026-08-22 area is."""
    src = load(os.path.join(data, "frontline", "deepstatemap_occupied_monthly_simplified.geojson"))
    feats = []
    for f in sorted(src["features"], key=lambda f: f["properties"]["date"]):
        full = fix(shape(f["geometry"]))
        simple = drop_small(full, OCCUPIED_MIN_KM2).simplify(OCCUPIED_TOL, preserve_topology=True)
        out = snap_polygonal(simple, OCCUPIED_MIN_KM2)
        if out.geom_type == "Polygon":
            out = MultiPolygon([out])
        date = f["properties"]["date"]
        feats.append(feature({"date": date, "area_km2": int(round(area_km2(out))),
                              "attribution": DEEPSTATE_ATTRIBUTION}, out))
    assert len(feats) >= 12, "a monthly series"
    return feats


def derive_countries(data):
    src = load(os.path.join(data, "boundaries", "ne10m_countries_europe.geojson"))
    by_n3 = {}
    for f in src["features"]:
        n3 = f["properties"].get("iso_n3")
        if n3:
            by_n3[n3] = shape(f["geometry"])
    adm1 = load(os.path.join(data, "boundaries", "ne10m_admin1_ua_pl_ro_sk_hu_md_by.geojson"))
    crimea_ref = unary_union(
        [shape(f["geometry"]) for f in adm1["features"] if f["properties"].get("iso_3166_2") in CRIMEA_CODES]
    )
    assert not crimea_ref.is_empty, "Crimea (UA-43/UA-40) not found in the admin-1 file"

    # Natural Earth 4.1 draws Crimea as one polygon of Russia. Move the Russian parts that lie
    # (mostly) inside admin-1 Crimea + Sevastopol to Ukraine; moving whole NE parts keeps the
    # coverage (shared edges identical) intact, unlike cutting with the 0.002-deg admin-1 outline.
    rus = by_n3["643"]
    moved = [p for p in polygons(rus) if p.intersection(crimea_ref).area > 0.5 * p.area]
    kept = [p for p in polygons(rus) if p.intersection(crimea_ref).area <= 0.5 * p.area]
    moved_area = unary_union(moved).area if moved else 0.0
    assert moved and moved_area > 0.95 * crimea_ref.area, "Crimea not found as a part of Russia"
    by_n3["643"] = MultiPolygon(kept)
    by_n3["804"] = unary_union([by_n3["804"]] + moved)

    clip = box(*CLIP_BOX)
    codes, geoms, missing = [], [], []
    for n3, iso3, name in COUNTRIES:
        if n3 not in by_n3:
            missing.append(f"{iso3} (not in source)")
            continue
        g = by_n3[n3].intersection(clip)
        g = unary_union(polygons(g))
        if g.is_empty:
            missing.append(f"{iso3} (outside the clip box)")
            continue
        codes.append((iso3, name))
        geoms.append(g)
    arr = np.array(geoms, dtype=object)
    assert shapely.coverage_is_valid(arr), "clipped countries do not form a valid coverage"
    simple = shapely.coverage_simplify(arr, COUNTRY_TOL)
    simple = shapely.set_precision(simple, GRID)
    out = []
    for (iso3, name), g in zip(codes, simple):
        out.append((iso3, name, snap_polygonal(g, COUNTRY_MIN_KM2)))
    coverage_ok = bool(shapely.coverage_is_valid(np.array([g for _, _, g in out], dtype=object)))
    feats = [feature({"iso3": iso3, "name": name, "attribution": NE_ATTRIBUTION}, g) for iso3, name, g in out]
    info = {
        "moved_crimea_parts": len(moved),
        "moved_crimea_km2": area_km2(unary_union(moved)),
        "missing": missing,
        "coverage_after_simplify": coverage_ok,
    }
    full = {iso3: g for (iso3, _), g in zip(codes, geoms)}
    return feats, {iso3: g for iso3, _, g in out}, full, info


ADMIN1_TOL = 0.01  # degrees, coverage simplification of Ukraine's oblasts
# Natural Earth's English names, with the capital and Odesa spelt as Ukraine spells them in English.
ADMIN1_NAMES = {"UA-30": "Kyiv City", "UA-32": "Kyiv", "UA-51": "Odesa"}


def derive_admin1(data):
    """Ukraine's 27 first-level units (24 oblasts, Kyiv City, Crimea, Sevastopol), simplified as a coverage."""
    adm1 = load(os.path.join(data, "boundaries", "ne10m_admin1_ua_pl_ro_sk_hu_md_by.geojson"))
    units = sorted(
        (f for f in adm1["features"] if str(f["properties"].get("iso_3166_2", "")).startswith("UA-")),
        key=lambda f: f["properties"]["iso_3166_2"],
    )
    assert len(units) == 27, f"expected Ukraine's 27 admin-1 units, found {len(units)}"
    geoms = [fix(shape(f["geometry"])) for f in units]
    arr = np.array(geoms, dtype=object)
    simple = shapely.coverage_simplify(arr, ADMIN1_TOL)
    simple = shapely.set_precision(simple, GRID)
    feats = []
    for f, g in zip(units, simple):
        code = f["properties"]["iso_3166_2"]
        name = ADMIN1_NAMES.get(code, f["properties"].get("name_en") or f["properties"]["name"])
        feats.append(feature({"code": code, "name": name, "attribution": NE_ATTRIBUTION}, snap_polygonal(g, 0.0)))
    return feats


# GeoNames' first-level names for Ukraine -> ISO 3166-2 (the codes of admin1.geojson).
GEONAMES_UA_ADMIN1 = {
    "Cherkasy": "UA-71", "Chernihiv": "UA-74", "Chernivtsi": "UA-77", "Crimea": "UA-43",
    "Dnipropetrovsk": "UA-12", "Donetsk": "UA-14", "Ivano-Frankivsk": "UA-26", "Kharkiv": "UA-63",
    "Kherson": "UA-65", "Khmelnytskyi": "UA-68", "Kiev": "UA-32", "Kirovohrad": "UA-35", "Kyiv City": "UA-30",
    "Luhansk": "UA-09", "Lviv": "UA-46", "Misto Sevastopol'": "UA-40", "Mykolaiv": "UA-48", "Odessa": "UA-51",
    "Poltava": "UA-53", "Rivne": "UA-56", "Sumy": "UA-59", "Ternopil": "UA-61", "Vinnyts'ka": "UA-05",
    "Volyn": "UA-07", "Zakarpattia": "UA-21", "Zaporizhia": "UA-23", "Zhytomyr": "UA-18",
}
GEONAMES_ATTRIBUTION = "GeoNames (geonames.org), CC BY 4.0"
# Places of Ukraine renamed by law (the 2016 decommunisation renamings, and later ones) whose GeoNames `name` is
# still the old one, keyed by (GeoNames name, GeoNames admin1): reports and readers use the current name.
RENAMED = {
    ("Kiev", "Kyiv City"): "Kyiv", ("Odessa", "Odessa"): "Odesa", ("Mykolayiv", "Mykolaiv"): "Mykolaiv",
    ("Mykolayiv", "Lviv"): "Mykolaiv", ("Zaporizhzhya", "Zaporizhia"): "Zaporizhzhia",
    ("Dnipropetrovsk", "Dnipropetrovsk"): "Dnipro", ("Dniprodzerzhyns'k", "Dnipropetrovsk"): "Kamianske",
    ("Kirovohrad", "Kirovohrad"): "Kropyvnytskyi", ("Artemivs'k", "Donetsk"): "Bakhmut",
    ("Dzerzhyns'k", "Donetsk"): "Toretsk", ("Krasnoarmiys'k", "Donetsk"): "Pokrovsk",
    ("Krasnyy Lyman", "Donetsk"): "Lyman", ("Dymytrov", "Donetsk"): "Myrnohrad",
    ("Svetlodarsk", "Donetsk"): "Svitlodarsk", ("Artemivs'k", "Luhansk"): "Kypuche",
    ("Kirovs'k", "Luhansk"): "Holubivka", ("Krasnodon", "Luhansk"): "Sorokyne",
    ("Krasnyy Luch", "Luhansk"): "Khrustalnyi", ("Stakhanov", "Luhansk"): "Kadiivka",
    ("Sverdlovs'k", "Luhansk"): "Dovzhansk", ("Komsomol's'ke", "Kharkiv"): "Slobozhanske",
    ("Tsyurupyns'k", "Kherson"): "Oleshky", ("Illichivs'k", "Odessa"): "Chornomorsk",
    ("Kotovs'k", "Odessa"): "Podilsk", ("Kuznetsovs'k", "Rivne"): "Varash",
    ("Chervonohrad", "Lviv"): "Sheptytskyi", ("Novohrad-Volyns'kyy", "Zhytomyr"): "Zviahel",
    ("Pereyaslav-Khmel'nyts'kyy", "Kiev"): "Pereiaslav", ("Energodar", "Zaporizhia"): "Enerhodar",
    ("Kamenka-Na-Dnepre", "Zaporizhia"): "Kamianka-Dniprovska",
}


def derive_places(data):
    """Named places (population >= 1000) of Ukraine and its neighbours, for the nearest place of a report.

    Rows sorted by country, first-level unit and name; `region` is the ISO 3166-2 code of the Ukrainian unit
    (empty elsewhere), `admin1` GeoNames' own name of the unit."""
    src = os.path.join(data, "transport", "geonames_cities1000_ua_neighbours.csv")
    rows = []
    with open(src, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lon, lat = float(r["lon"]), float(r["lat"])
            if not (CLIP_BOX[0] <= lon <= CLIP_BOX[2] and CLIP_BOX[1] <= lat <= CLIP_BOX[3]):
                continue
            region = ""
            if r["cc"] == "UA":
                assert r["admin1"] in GEONAMES_UA_ADMIN1, f"unknown GeoNames unit of Ukraine: {r['admin1']!r}"
                region = GEONAMES_UA_ADMIN1[r["admin1"]]
            name = r["name"]
            if r["cc"] == "UA":
                # Ukraine's national transliteration (2010) writes no soft sign: L'viv is Lviv.
                name = RENAMED.get((name, r["admin1"]), name).replace("'", "")
            rows.append((r["cc"], r["admin1"], name, round(lat, DECIMALS), round(lon, DECIMALS), region))
    rows.sort()
    renamed = {RENAMED[k] for k in RENAMED}
    assert sum(r[2] in renamed for r in rows if r[0] == "UA") >= len(RENAMED), "every renaming found its place"
    assert len({r[5] for r in rows if r[0] == "UA"}) == 27, "every unit of Ukraine has a named place"
    return rows


def write_places(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["lat", "lon", "name", "admin1", "region", "cc"])
        for cc, admin1, name, lat, lon, region in rows:
            w.writerow([f"{lat:.{DECIMALS}f}", f"{lon:.{DECIMALS}f}", name, admin1, region, cc])


def largest(geom):
    ps = sorted(polygons(geom), key=lambda p: -p.area)
    return ps[0]


def derive_areas(countries, contact_full, occupied_full):
    land = unary_union(list(countries.values()))
    occ_proj = Aeqd(31.5, 46.0)  # centred on the sea areas / western end of the line
    occupied_standoff = occ_proj.buffer(occupied_full, SEA_STANDOFF_KM)

    # Overlays with land and Ukraine's outline run at the output precision (snap rounding), so
    # the results share their edges exactly with the (already snapped) country outlines.
    def sea(points, within=None):
        poly = Polygon(points)
        assert poly.is_valid
        g = poly.difference(occupied_standoff)
        g = shapely.difference(g, land, grid_size=GRID)
        if within is not None:
            g = shapely.intersection(g, within, grid_size=GRID)
        return snap_polygonal(largest(g))

    black_sea_west = sea(BLACK_SEA_WEST)
    # keep odesa-approaches nested in the wider sea area
    odesa = sea(ODESA_APPROACHES, within=black_sea_west)

    line_proj = Aeqd(32.5, 47.0)  # centred near the western end of the contact line
    standoff = line_proj.buffer(contact_full, AIR_STANDOFF_KM, quad_segs=32)
    ukr = countries["UKR"]
    west = ukr.intersection(box(CLIP_BOX[0], CLIP_BOX[1], AIR_WEST_MAX_LON, CLIP_BOX[3]))
    air = west.difference(standoff).difference(occupied_full)
    # snap to the grid while cutting once more with UKR, so the area stays inside UKR exactly
    air = snap_polygonal(shapely.intersection(air, ukr, grid_size=GRID), 1.0)

    feats = [
        feature(
            {"id": "black-sea-west", "name": "Western Black Sea maritime security area", "kind": "sea",
             "source": "illustrative"},
            black_sea_west,
        ),
        feature(
            {"id": "odesa-approaches", "name": "Approaches to Odesa, Chornomorsk and Pivdennyi (mine countermeasures)",
             "kind": "sea", "source": "illustrative"},
            odesa,
        ),
        feature(
            {"id": "air-west", "name": "Air policing area, western and central Ukraine", "kind": "air",
             "source": "illustrative"},
            air,
        ),
    ]
    return feats, {"black-sea-west": black_sea_west, "odesa-approaches": odesa, "air-west": air}


# ---------------------------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------------------------

ATTRIBUTION_MD = """# Default scenario geometry: sources and attribution

Generated by `tools/derive_default_geometry.py` from the project's real-data folder; do not edit by hand.
Regenerate (from the repository root; the data folder defaults to `../shared/data`):

```
python3 tools/derive_default_geometry.py ../shared/data
```

Coordinates are WGS84 longitude/latitude, rounded to 4 decimals (about 11 m). Polygons are valid, exterior rings
counter-clockwise and holes clockwise (RFC 7946). One feature per line.

| file | what | source file | processing | licence | attribution |
|---|---|---|---|---|---|
| `contact_line.geojson` | line of contact on 2026-08-22, {contact_n} LineStrings (`segment`, `length_km` recomputed {geodesy}) | `frontline/contact_line_20260822.geojson` | Douglas-Peucker {contact_tol} deg, topology preserving | DeepStateMap data (commit ok, simplified) | "{ds}" |
| `occupied_area.geojson` | occupied area on 2026-08-22 incl. Crimea, one MultiPolygon (`area_km2` {geodesy}) | `frontline/deepstatemap_occupied_20260822.geojson` | parts and holes under {occ_min} km2 dropped, Douglas-Peucker {occ_tol} deg topology preserving, made valid | DeepStateMap data (commit ok, simplified) | "{ds}" |
| `occupied_monthly.geojson` | the occupied area month by month, {series_n} MultiPolygons from {series_first} to {series_last} (`date`: the day DeepStateMap's state is of; `area_km2` {geodesy}): placement reads a report against the latest one not after its date | `frontline/deepstatemap_occupied_monthly_simplified.geojson` | as the area above: parts and holes under {occ_min} km2 dropped, Douglas-Peucker {occ_tol} deg topology preserving, made valid | DeepStateMap data (commit ok, simplified) | "{ds}" |
| `countries.geojson` | outlines of Ukraine and its neighbours ({country_codes}); Crimea and Sevastopol drawn in Ukraine (de jure) | `boundaries/ne10m_countries_europe.geojson`, Crimea identified with `boundaries/ne10m_admin1_ua_pl_ro_sk_hu_md_by.geojson` (UA-43, UA-40) | clipped to lon {clip0}..{clip2}, lat {clip1}..{clip3}; coverage simplification (Visvalingam-Whyatt, shared borders stay identical) tolerance {country_tol} deg; islands under {country_min} km2 dropped | public domain (commit ok) | "{ne}" |
| `areas.geojson` | illustrative mission areas: `black-sea-west`, `odesa-approaches` (sea), `air-west` (air) | hand-drawn polygons in the script, cut with the outlines above and the DeepStateMap line and area | sea areas: land removed, kept {sea_km} km from the occupied area; air-west: Ukraine west of {air_lon} E, at least {air_km} km from the contact line, outside the occupied area | planning assumptions (`source = "illustrative"`), not legal boundaries; derived in part from DeepStateMap data and Natural Earth | "{ds}"; "{ne}" |
| `places.csv` | {places_n} named places with 1,000 people or more in Ukraine and its neighbours ({places_cc}): `lat`, `lon`, `name`, GeoNames' `admin1`, `region` (the ISO 3166-2 code of the Ukrainian unit, as in `admin1.geojson`; empty elsewhere), `cc` (ISO 3166-1 alpha-2) | `transport/geonames_cities1000_ua_neighbours.csv` | kept inside the clip box above; names of Ukraine without the soft sign's apostrophe, as Ukraine's national transliteration writes them (L'viv is Lviv); {renamed_n} places of Ukraine renamed by law given their current name (Kyiv, Odesa, Dnipro, Bakhmut, Lyman, Toretsk, Pokrovsk…; table `RENAMED` in the script); coordinates rounded to 4 decimals; sorted by country, unit and name | CC BY 4.0 (commit ok, with attribution) | "{gn}" |
| `admin1.geojson` | Ukraine's 27 first-level units (24 oblasts, Kyiv City, the Autonomous Republic of Crimea, Sevastopol), `code` (ISO 3166-2) and `name` | `boundaries/ne10m_admin1_ua_pl_ro_sk_hu_md_by.geojson` | coverage simplification (Visvalingam-Whyatt, shared borders stay identical) tolerance {admin1_tol} deg | public domain (commit ok) | "{ne}" |

Natural Earth 4.1 (as packaged in npm world-atlas 2.0.2) draws Crimea inside Russia; here the Russian polygon
lying inside the admin-1 units UA-43 (Autonomous Republic of Crimea) and UA-40 (Sevastopol) is moved into Ukraine's
outline and removed from Russia's.

Notes:
- The coverage-simplification tolerance is Visvalingam-Whyatt's: roughly the square root of the area of the
  triangles removed (0.015 deg is about 1.9 km2 per triangle at 48 N). Shared borders remain identical.
- Finland lies wholly north of 58 N and is not in the file; Kosovo, Armenia, Azerbaijan and San Marino are
  not in the list of countries, so they show as gaps at the edges of the map.
- Lengths and areas are of the simplified geometry (the main contact-line segment is about 3 % shorter than in
  the source). DeepStateMap's polygon runs about 1,900 km2 past Natural Earth's border and coast.
- Byte-identical output needs the same shapely/GEOS (and pyproj) versions; the script prints them.
"""


def write_attribution(path, n_contact, country_codes, places, series):
    geodesy = "on the WGS84 ellipsoid (pyproj)" if GEOD is not None else "on a sphere (haversine)"
    text = ATTRIBUTION_MD.format(
        contact_n=n_contact,
        geodesy=geodesy,
        contact_tol=CONTACT_TOL,
        occ_tol=OCCUPIED_TOL,
        occ_min=OCCUPIED_MIN_KM2,
        country_tol=COUNTRY_TOL,
        admin1_tol=ADMIN1_TOL,
        country_min=COUNTRY_MIN_KM2,
        country_codes=", ".join(country_codes),
        clip0=CLIP_BOX[0],
        clip1=CLIP_BOX[1],
        clip2=CLIP_BOX[2],
        clip3=CLIP_BOX[3],
        sea_km=SEA_STANDOFF_KM,
        air_lon=AIR_WEST_MAX_LON,
        air_km=AIR_STANDOFF_KM,
        ds=DEEPSTATE_ATTRIBUTION,
        ne=NE_ATTRIBUTION,
        gn=GEONAMES_ATTRIBUTION,
        places_n=f"{len(places):,}",
        places_cc=", ".join(sorted({p[0] for p in places})),
        renamed_n=len(RENAMED),
        series_n=len(series),
        series_first=series[0]["properties"]["date"],
        series_last=series[-1]["properties"]["date"],
    )
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


# ---------------------------------------------------------------------------------------------
# Verification (reads the written files back)
# ---------------------------------------------------------------------------------------------


def ring_ccw(coords):
    xy = np.asarray(coords)
    return float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1])) > 0


def check_coords(ring, closed):
    assert len(ring) >= (4 if closed else 2), "too few points"
    for a, b in zip(ring, ring[1:]):
        assert a != b, f"duplicate consecutive point {a}"
    for x, y in ring:
        assert round(x, DECIMALS) == x and round(y, DECIMALS) == y, f"unrounded coordinate {x},{y}"
    if closed:
        assert ring[0] == ring[-1], "ring not closed"


def check_polygon_coords(rings):
    for i, ring in enumerate(rings):
        check_coords(ring, True)
        assert ring_ccw(ring) == (i == 0), "exterior must be counter-clockwise, holes clockwise"


def verify(out_dir, contact_full):
    rows = []
    shapes = {}
    total = 0
    for name in ("contact_line", "occupied_area", "countries", "areas"):
        path = os.path.join(out_dir, name + ".geojson")
        size = os.path.getsize(path)
        total += size
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        fc = json.loads(text)
        assert fc["type"] == "FeatureCollection"
        assert text.count("\n") == len(fc["features"]) + 2, "expected one feature per line"
        n_pts = 0
        geoms = []
        for f in fc["features"]:
            g = f["geometry"]
            t = g["type"]
            if t == "LineString":
                check_coords(g["coordinates"], False)
            elif t == "Polygon":
                check_polygon_coords(g["coordinates"])
            elif t == "MultiPolygon":
                assert g["coordinates"], "empty MultiPolygon"
                for p in g["coordinates"]:
                    check_polygon_coords(p)
            else:
                raise AssertionError(f"unexpected geometry type {t}")
            s = shape(g)
            assert not s.is_empty and s.is_valid, (name, f["properties"], shapely.is_valid_reason(s))
            n_pts += shapely.get_num_coordinates(s)
            geoms.append((f["properties"], s))
        shapes[name] = geoms
        types = sorted({f["geometry"]["type"] for f in fc["features"]})
        rows.append((name + ".geojson", len(fc["features"]), n_pts, size, "/".join(types)))
    print(f"{'file':<24}{'features':>9}{'points':>9}{'bytes':>9}  types")
    for r in rows:
        print(f"{r[0]:<24}{r[1]:>9}{r[2]:>9}{r[3]:>9}  {r[4]}")
    print(f"{'total':<24}{'':>9}{'':>9}{total:>9}  (budget {SIZE_BUDGET})")
    assert total <= SIZE_BUDGET, "geometry over the size budget"

    countries = {p["iso3"]: g for p, g in shapes["countries"]}
    occupied = unary_union([g for _, g in shapes["occupied_area"]])
    areas = {p["id"]: g for p, g in shapes["areas"]}
    assert set(areas) == {"black-sea-west", "odesa-approaches", "air-west"}
    for p, _ in shapes["areas"]:
        assert p["kind"] in ("sea", "air") and p["source"] == "illustrative"
    land = unary_union(list(countries.values()))

    def inside(geom, pt):
        return geom.contains(Point(pt))

    def negligible(geom):
        # overlays of snapped geometries leave slivers narrower than the grid: ignore those
        return all(p.buffer(-GRID).is_empty for p in polygons(geom))

    checks = [
        ("Kyiv inside UKR", inside(countries["UKR"], KYIV)),
        ("Kyiv not occupied", not inside(occupied, KYIV)),
        ("Sevastopol inside UKR (Crimea merged)", inside(countries["UKR"], SEVASTOPOL)),
        ("Sevastopol not inside RUS", not inside(countries["RUS"], SEVASTOPOL)),
        ("Sevastopol occupied", inside(occupied, SEVASTOPOL)),
        ("Donetsk occupied", inside(occupied, DONETSK)),
        ("Odesa not occupied", not inside(occupied, ODESA)),
        ("Odesa inside UKR", inside(countries["UKR"], ODESA)),
    ]
    for aid in ("black-sea-west", "odesa-approaches"):
        pt = areas[aid].representative_point()
        checks.append((f"{aid} point {pt.x:.3f},{pt.y:.3f} in no country",
                       not any(c.contains(pt) for c in countries.values())))
        checks.append((f"{aid} does not overlap land", negligible(areas[aid].intersection(land))))
        checks.append((f"{aid} has no holes and one part", areas[aid].geom_type == "Polygon"
                       and not areas[aid].interiors))
        checks.append((f"{aid} outside the occupied area", not areas[aid].intersects(occupied)))
        checks.append((f"{aid} west of 32.5E", areas[aid].bounds[2] < 32.5))
    checks.append(("odesa-approaches within black-sea-west",
                   negligible(areas["odesa-approaches"].difference(areas["black-sea-west"]))))
    air = areas["air-west"]
    checks.append(("air-west inside UKR", negligible(air.difference(countries["UKR"]))))
    checks.append(("air-west west of 31.5E", air.bounds[2] <= AIR_WEST_MAX_LON + 1e-9))
    checks.append(("air-west outside the occupied area", not air.intersects(occupied)))
    checks.append(("Kyiv inside air-west", inside(air, KYIV)))
    # minimum distance air-west -> contact line, geodesic-ish: densify the boundary and the line
    b = shapely.segmentize(air.boundary, 0.01)
    bxy = shapely.get_coordinates(b)
    bxy = bxy[bxy[:, 0] > AIR_WEST_MAX_LON - 3.0]
    lxy = shapely.get_coordinates(shapely.segmentize(contact_full, 0.01))
    lxy = lxy[lxy[:, 0] < AIR_WEST_MAX_LON + 4.0]
    dmin = min(float(haversine_km(x, y, lxy[:, 0], lxy[:, 1]).min()) for x, y in bxy)
    checks.append((f"air-west >= {AIR_STANDOFF_KM - 1:.0f} km from the contact line (min {dmin:.1f} km)",
                   dmin >= AIR_STANDOFF_KM - 1.0))
    # DeepStateMap's polygon runs a little past Natural Earth's border and coast (source data)
    occ_km2 = area_km2(occupied)
    occ_vs_ukr = area_km2(occupied.difference(countries["UKR"]))
    checks.append((f"occupied area outside UKR outline small ({occ_vs_ukr:.0f} of {occ_km2:.0f} km2, < 3 %)",
                   occ_vs_ukr < 0.03 * occ_km2))
    checks.append(("countries share borders exactly (valid coverage)",
                   bool(shapely.coverage_is_valid(np.array(list(countries.values()), dtype=object)))))

    print()
    failed = [c for c, ok in checks if not ok]
    for c, ok in checks:
        print(("ok    " if ok else "FAIL  ") + c)
    assert not failed, f"checks failed: {failed}"


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA, help="real-data folder (default ../shared/data)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = ap.parse_args()
    data = args.data
    if not os.path.isfile(os.path.join(data, "DATA.md")):
        sys.exit(f"data folder not found (no DATA.md): {data}")
    os.makedirs(args.out, exist_ok=True)

    contact_feats, contact_full, contact_notes = derive_contact_line(data)
    occ_feats, occ_full, _occ_out, occ_info = derive_occupied(data)
    country_feats, countries, _full, c_info = derive_countries(data)
    area_feats, _areas = derive_areas(countries, contact_full, occ_full)

    write_fc(os.path.join(args.out, "contact_line.geojson"), contact_feats)
    write_fc(os.path.join(args.out, "occupied_area.geojson"), occ_feats)
    series = derive_occupied_series(data)
    write_fc(os.path.join(args.out, "occupied_monthly.geojson"), series)
    write_fc(os.path.join(args.out, "countries.geojson"), country_feats)
    write_fc(os.path.join(args.out, "areas.geojson"), area_feats)
    write_fc(os.path.join(args.out, "admin1.geojson"), derive_admin1(data))
    places = derive_places(data)
    write_places(os.path.join(args.out, "places.csv"), places)
    write_attribution(
        os.path.join(args.out, "ATTRIBUTION.md"), len(contact_feats), list(countries.keys()), places, series
    )

    print(f"geodesy: {'pyproj WGS84 ' + str(GEOD.initstring) if GEOD else 'spherical fallback'}; "
          f"shapely {shapely.__version__}, GEOS {shapely.geos_version_string}")
    for n in contact_notes:
        print("contact line:", n)
    print(
        "occupied: source {source_parts} parts/{source_holes} holes, {source_km2:.0f} km2 -> "
        "{parts} parts/{holes} holes, {km2:.0f} km2".format(**occ_info)
    )
    print(
        f"countries: Crimea moved from RUS to UKR ({c_info['moved_crimea_parts']} part, "
        f"{c_info['moved_crimea_km2']:.0f} km2); left out: {', '.join(c_info['missing']) or 'none'}"
    )
    print()
    verify(args.out, contact_full)


if __name__ == "__main__":
    main()
