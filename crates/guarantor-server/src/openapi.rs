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
    let mut doc = paths();
    if let (Some(all), Value::Object(more)) = (doc["paths"].as_object_mut(), account_paths()) {
        all.extend(more);
    }
    doc
}

/// Managing accounts (a document of its own: one `json!` for every path passes the macro's recursion limit).
fn account_paths() -> Value {
    let denied = || error_response("not logged in (401) or not allowed (403)");
    let json_body = |description: &str| {
        json!({"required": true, "description": description,
               "content": {"application/json": {"schema": {"type": "object"}}}})
    };
    let account = json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"},
                         "description": "the account's login name"});
    json!({
            "/api/v1/users/{name}/disable": {"post": {
                "summary": "Disable an account: its password, tokens and sessions stop working on the next request \
                            (enabling it again brings back none of its tokens or sessions): planners",
                "parameters": [account.clone()],
                "responses": {"200": ok("{name, disabled}"), "404": error_response("not_found: no such user"),
                              "401": denied(), "403": denied()}
            }},
            "/api/v1/users/{name}/enable": {"post": {
                "summary": "Enable an account again: it may log in with its password: planners",
                "parameters": [account.clone()],
                "responses": {"200": ok("{name, disabled}"), "404": error_response("not_found: no such user"),
                              "401": denied(), "403": denied()}
            }},
            "/api/v1/users/{name}/password": {"put": {
                "summary": "Set an account's password: the old one, its tokens and its sessions stop working: planners",
                "parameters": [account.clone()],
                "requestBody": json_body("{password}: 12 characters or more"),
                "responses": {"200": ok("{name, tokens, sessions}"),
                              "400": error_response("bad_body: a password under 12 characters"),
                              "404": error_response("not_found: no such user"), "401": denied(), "403": denied()}
            }},
            "/api/v1/users/{name}/logout-all": {"post": {
                "summary": "End every session of an account (its tokens go on working): planners",
                "parameters": [account.clone()],
                "responses": {"200": ok("{name, sessions_ended}"), "404": error_response("not_found: no such user"),
                              "401": denied(), "403": denied()}
            }},
            "/api/v1/users/{name}/tokens/{label}": {"delete": {
                "summary": "Revoke an account's API tokens issued under a label: planners",
                "parameters": [account.clone(),
                               {"name": "label", "in": "path", "required": true, "schema": {"type": "string"},
                                "description": "the label given when the token was issued"}],
                "responses": {"200": ok("{name, label, revoked}"),
                              "404": error_response("not_found: no such user, or no token under that label"),
                              "401": denied(), "403": denied()}
            }}
    })
}

/// Every path but those of [`account_paths`].
fn paths() -> Value {
    let world = query(
        "world",
        "political facts on top of the scenario's today: fact=true,other=false",
        false,
    );
    let which = || {
        vec![
            query(
                "scenario",
                "the scenario's name (default: the one the server started with)",
                false,
            ),
            query(
                "version",
                "the scenario's version (default: the latest)",
                false,
            ),
        ]
    };
    let with_world = || {
        let mut v = which();
        v.push(world.clone());
        v
    };
    let json_body = |description: &str| {
        json!({"required": true, "description": description,
               "content": {"application/json": {"schema": {"type": "object"}}}})
    };
    let denied = || error_response("not logged in (401) or not allowed (403)");
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "guarantor",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Plans, sources, deploys and watches over a multinational reassurance force. The same \
                            answers as the guarantor command line, from the same code. Every path but health, \
                            login and this document needs an API token (Authorization: Bearer) or a session \
                            cookie from /api/v1/login; a request by cookie that changes something carries the \
                            session's CSRF token in X-CSRF-Token. Each caller sees only what is releasable to \
                            their role and nation: restricted pledges and caveats are withheld from others."
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "guarantor_session"}
            },
            "schemas": {"Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "description": "stable: unauthenticated, bad_credentials, \
                                 too_many_attempts, forbidden, bad_csrf, bad_world, bad_format, bad_layout, bad_time, bad_page, \
                                 bad_day, bad_cut, bad_query, bad_body, bad_kind, invalid_scenario, exists, \
                                 not_found, too_large, internal"},
                        "message": {"type": "string"},
                        "details": {"type": "object", "description": "for invalid_scenario: every diagnostic \
                                    with file, line, column and field"}
                    }
                }}
            }}
        },
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/api/v1/health": {"get": {
                "summary": "Whether the server is up, its version and default scenario",
                "security": [],
                "responses": {"200": ok("up")}
            }},
            "/api/v1/openapi.json": {"get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": ok("the OpenAPI document")}
            }},
            "/api/v1/login": {"post": {
                "summary": "Log in: sets the session cookie and returns its CSRF token",
                "security": [],
                "requestBody": json_body("{name, password}"),
                "responses": {
                    "200": ok("{name, role, nation, csrf, expires}"),
                    "401": error_response("bad_credentials"),
                    "429": error_response("too_many_attempts (with Retry-After)")
                }
            }},
            "/api/v1/logout": {"post": {
                "summary": "End the session",
                "responses": {"204": {"description": "ended"}, "401": denied()}
            }},
            "/api/v1/me": {"get": {
                "summary": "Who the caller is and what their role may do",
                "responses": {"200": ok("{name, role, nation, may}"), "401": denied()}
            }},
            "/api/v1/scenarios": {
                "get": {
                    "summary": "Every stored scenario and its versions",
                    "responses": {"200": ok("{scenarios: [{name, default, latest, versions}]}"), "401": denied()}
                },
                "post": {
                    "summary": "Store a scenario (or a new version of one with the same name): planners",
                    "requestBody": json_body("{files: {path: text}, note?}: the files `guarantor init` writes"),
                    "responses": {
                        "201": ok("{name, version}"),
                        "422": error_response("invalid_scenario, with every diagnostic"),
                        "401": denied(), "403": denied()
                    }
                }
            },
            "/api/v1/scenarios/{name}/versions": {"get": {
                "summary": "One scenario's versions: who stored each, when and why",
                "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("{name, versions}"), "404": error_response("no such scenario"),
                              "401": denied()}
            }},
            "/api/v1/scenario": {"get": {
                "summary": "A scenario version's summary: nations, pledges, troops required and pledged, sites",
                "parameters": with_world(),
                "responses": {"200": ok("as `guarantor --json`, with version; withheld pledges under `withheld`"),
                              "400": error_response("a bad world state"), "401": denied()}
            }},
            "/api/v1/pledges": {
                "get": {
                    "summary": "The pledges the caller may see, with the keys of pledges.toml: planners and liaison \
                                officers",
                    "parameters": which(),
                    "responses": {"200": ok("{scenario, version, pledges}"), "401": denied(), "403": denied()}
                },
                "post": {
                    "summary": "Create a pledge (a liaison officer: of its own nation); a new scenario version",
                    "parameters": which(),
                    "requestBody": json_body("a pledge with the keys of a [[pledge]] table of pledges.toml"),
                    "responses": {
                        "201": ok("{version, pledge}"),
                        "409": error_response("exists"),
                        "422": error_response("invalid_scenario: the pledge breaks a rule (line and field)"),
                        "401": denied(), "403": denied()
                    }
                }
            },
            "/api/v1/pledges/{id}": {"put": {
                "summary": "Update a pledge (a liaison officer: of its own nation); a new scenario version",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                               query("scenario", "the scenario's name", false),
                               query("version", "the version edited (default: the latest)", false)],
                "requestBody": json_body("the whole pledge, as GET /api/v1/pledges gives it"),
                "responses": {
                    "200": ok("{version, pledge}"),
                    "404": error_response("no such pledge"),
                    "422": error_response("invalid_scenario"),
                    "401": denied(), "403": denied()
                }
            },
            "delete": {
                "summary": "Delete a pledge (a liaison officer: of its own nation); a new scenario version. A pledge \
                            restricted in its last version stays withheld in every version before",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                               query("scenario", "the scenario's name", false),
                               query("version", "the version edited (default: the latest)", false)],
                "responses": {
                    "200": ok("{version, deleted}"),
                    "404": error_response("no such pledge (or not one the caller may see)"),
                    "409": error_response("stale: not the latest version"),
                    "422": error_response("invalid_scenario: something else names the pledge"),
                    "401": denied(), "403": denied()
                }
            }},
            "/api/v1/plan": {"get": {
                "summary": "Source, rotate and move the force for a version in a world state (computed once, then \
                            kept): planners and liaison officers",
                "parameters": with_world(),
                "responses": {"200": ok("as `guarantor plan --json`, with version, as releasable to the caller"),
                              "400": error_response("a bad world state"), "401": denied(), "403": denied()}
            }},
            "/api/v1/respond": {"get": {
                "summary": "What follows a violation and how swiftly: the response to a planned contingency, an attack \
                            on a site or at a point (exactly one), in a world state — tiers, each element's decisions, \
                            notice and movement, the build-up against the need: planners and liaison officers",
                "parameters": [
                    query("scenario", "the scenario's name (default: the server's)", false),
                    query("version", "the version (default: the latest)", false),
                    query("world", "fact=true,other=false on top of today's", false),
                    query("contingency", "a contingency of response.toml", false),
                    query("site", "a site of the force", false),
                    query("point", "LAT,LON in degrees", false),
                    query("day", "the day it happens, from day 0 of the phases (default: once the force stands)", false),
                    query("without", "nations left out, ISO alpha-3, comma-separated", false)
                ],
                "responses": {"200": ok("as `guarantor respond --json`, with version, as releasable to the caller"),
                              "400": error_response("bad_query or bad_world"),
                              "404": error_response("no such contingency"),
                              "401": denied(), "403": denied()}
            }},
            "/api/v1/plan/published": {
                "get": {
                    "summary": "The plan the planners published, as releasable to the caller",
                    "parameters": [query("scenario", "the scenario's name", false)],
                    "responses": {"200": ok("the plan, with version and published {by, at}"),
                                  "404": error_response("nothing published yet"), "401": denied()}
                },
                "post": {
                    "summary": "Publish the plan of a version in a world state: planners",
                    "parameters": with_world(),
                    "responses": {"201": ok("{scenario, version, world}"), "401": denied(), "403": denied()}
                }
            },
            "/api/v1/courses/{id}/plan": {"get": {
                "summary": "A course of action's full plan (courses.toml): its requirements and coalition, in its \
                            first world state or in `world`: planners",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    query("scenario", "the scenario's name (default: the server's)", false),
                    query("version", "the version (default: the latest)", false),
                    query("world", "fact=true,other=false on top of today's", false)
                ],
                "responses": {"200": ok("as `guarantor plan --course ID --json`"),
                              "400": error_response("a bad world state"),
                              "404": error_response("no such course"), "401": denied(), "403": denied()}
            }},
            "/api/v1/jobs": {"post": {
                "summary": "Start a plan, what-if or comparison in the background",
                "requestBody": json_body("{kind: plan | whatif | respond-whatif (planners) | compare (planners: \
                                          `guarantor compare --json`), scenario?, version?, world?}"),
                "responses": {"202": ok("{id, href, status}"), "400": error_response("bad_kind or bad_world"),
                              "401": denied(), "403": denied()}
            }},
            "/api/v1/jobs/{id}": {"get": {
                "summary": "A job's status and progress, and its result (as releasable to the caller) once done",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": ok("{id, kind, status: running | done | failed | cancelled, progress {done, \
                                        total}, result?, error?}"),
                              "404": error_response("no such job of the caller's"), "401": denied()}
            },
            "delete": {
                "summary": "Cancel a running what-if or response what-if job (its owner or a planner): its solves \
                            stop after those running and it ends `cancelled`, without a result",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"202": ok("{id, status: cancelling}"),
                              "409": error_response("finished: the job has ended; not_cancellable: a plan or a comparison"),
                              "404": error_response("no such job of the caller's"), "401": denied()}
            }},
            "/api/v1/reports": {"post": {
                "summary": "Ingest a batch of reports, stored in one transaction: planners and monitors",
                "parameters": [
                    query("layout", "a shipped layout: csv, jsonl, geojson, ucdp, ucdp-articles, acled, cir or bellingcat (alias: format); by default found from the name and the body's header", false),
                    query("layout_toml", "a layout file's TOML (docs/layouts.md), for an export no shipped layout reads", false),
                    query("encoding", "the body's encoding when it should not be detected (utf-8, windows-1252, windows-1251…)", false),
                    query("date_order", "dmy or mdy, for a body whose every slashed date reads both ways", false),
                    query("full_export", "true: name the stored reports of the body's sources it no longer has", false),
                    query("name", "a name for the batch, kept with rejected rows", false)
                ],
                "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {
                    "201": ok("every row stored (as `guarantor monitor ingest --json`)"),
                    "422": ok("some rows rejected, each with its line and reason; the rest stored"),
                    "400": error_response("an unknown layout (bad_format), a broken layout file (bad_layout, with each problem in details)"),
                    "413": error_response("too_large: a body over 16 MiB"),
                    "401": denied(), "403": denied()
                }
            }},
            "/api/v1/incidents": {"get": {
                "summary": "The stored reports as incidents: merged, graded, placed, judged; filtered, paginated",
                "parameters": [
                    query("since", "RFC 3339 time, or a day (from midnight in Kyiv)", false),
                    query("until", "RFC 3339 time, or a day (exclusive)", false),
                    query("violation", "true or false", false),
                    query("confidence", "confirmed, probable, possible or single_source", false),
                    query("page", "page number, from 1", false),
                    query("per_page", "items per page, 1 to 1000 (default 100)", false)
                ],
                "responses": {
                    "200": ok("as `guarantor monitor incidents --json`, with page {page, per_page, total}"),
                    "400": error_response("a bad time or page"), "401": denied()
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
                    "400": error_response("a bad day or cut"), "401": denied()
                }
            }},
            "/api/v1/audit": {"get": {
                "summary": "The audit log, newest first: who changed what, when, before and after: planners",
                "parameters": [query("before", "entries numbered below this", false),
                               query("limit", "1 to 1000 (default 100)", false)],
                "responses": {"200": ok("{entries, next_before}"), "401": denied(), "403": denied()}
            }},
            "/api/v1/users": {"get": {
                "summary": "The accounts (never their passwords): planners",
                "responses": {"200": ok("{users}"), "401": denied(), "403": denied()}
            }}
        }
    })
}
