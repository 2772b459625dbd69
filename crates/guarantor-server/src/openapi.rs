//! The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`. Kept by hand next to the routes;
//! a test checks that every route is described and every described path answers.

use serde_json::{Value, json};

/// The error shape every endpoint shares.
fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn ok(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
}

fn query(name: &str, description: &str, required: bool) -> Value {
    json!({"name": name, "in": "query", "required": required, "description": description,
           "schema": {"type": "string"}})
}

/// The document.
pub fn document() -> Value {
    let world = query(
        "world",
        "political facts on top of the scenario's today: fact=true,other=false",
        false,
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "guarantor",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Plans, sources, deploys and watches over a multinational reassurance force. The same \
                            answers as the guarantor command line, from the same code."
        },
        "paths": {
            "/api/v1/health": {"get": {
                "summary": "Whether the server is up, its version and scenario",
                "responses": {"200": ok("up")}
            }},
            "/api/v1/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": ok("the OpenAPI document")}
            }},
            "/api/v1/scenario": {"get": {
                "summary": "The scenario's summary: nations, pledges, troops required and pledged, sites",
                "parameters": [world.clone()],
                "responses": {"200": ok("as `guarantor --json`"), "400": error_response("a bad world state")}
            }},
            "/api/v1/plan": {"get": {
                "summary": "Source, rotate and move the force in a world state",
                "parameters": [world],
                "responses": {"200": ok("as `guarantor plan --json`"), "400": error_response("a bad world state")}
            }},
            "/api/v1/reports": {"post": {
                "summary": "Ingest a batch of reports, stored in one transaction",
                "parameters": [
                    query("format", "csv, jsonl, geojson, ucdp, ucdp-articles or acled", true),
                    query("name", "a name for the batch, kept with rejected rows", false)
                ],
                "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {
                    "201": ok("every row stored (as `guarantor monitor ingest --json`)"),
                    "422": ok("some rows rejected, each with its line and reason; the rest stored"),
                    "400": error_response("an unknown format"),
                    "413": {"description": "a body over 16 MiB"}
                }
            }},
            "/api/v1/incidents": {"get": {
                "summary": "The stored reports as incidents: merged, graded, placed, judged; paginated",
                "parameters": [
                    query("since", "RFC 3339 time, or a day (from midnight in Kyiv)", false),
                    query("until", "RFC 3339 time, or a day (exclusive)", false),
                    query("page", "page number, from 1", false),
                    query("per_page", "items per page, 1 to 1000 (default 100)", false)
                ],
                "responses": {
                    "200": ok("as `guarantor monitor incidents --json`, with page {page, per_page, total}"),
                    "400": error_response("a bad time or page")
                }
            }},
            "/api/v1/reports/daily": {"get": {
                "summary": "The daily monitoring report",
                "parameters": [
                    query("day", "YYYY-MM-DD", true),
                    query("cut", "HH:MM Kyiv time (default 19:30)", false)
                ],
                "responses": {
                    "200": ok("as `guarantor monitor report --json`"),
                    "400": error_response("a bad day or cut")
                }
            }}
        },
        "components": {"schemas": {"Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "stable: bad_world, bad_format, bad_time, \
                             bad_page, bad_day, bad_cut, not_found, internal"},
                    "message": {"type": "string"}
                }
            }}
        }}}
    })
}
