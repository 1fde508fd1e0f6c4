#!/usr/bin/env node
// Writes a copy of GitLab's OpenAPI v2 description (YAML, Swagger 2.0) that Stoplight Prism (5.x)
// can serve under --errors, as ../shared/api-specs/README.md describes:
//   node patch-gitlab.js gitlab-openapi-v2.yaml OUT.json
// - every `example` whose JSON type contradicts its schema's `type` is dropped (the issue's
//   labels have the example "bug" for an array: every served issue would be a 500);
// - the 200 answers of the issue lists (GET /api/v4/projects/{id}/issues, GET /api/v4/issues)
//   become arrays of API_Entities_Issue, as GitLab sends them (the description says one issue).
// Requests are validated as the description has them; nothing else is changed.
"use strict";
const fs = require("fs");
const path = require("path");
const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  console.error("usage: patch-gitlab.js gitlab-openapi-v2.yaml OUT.json");
  process.exit(2);
}
// js-yaml comes with Prism, installed beside it (FK_PEERS)
const peers = process.env.FK_PEERS || path.join(process.env.HOME || "", ".cache/furikaeri-peers");
const yaml = require(path.join(peers, "node_modules", "js-yaml"));
const spec = yaml.load(fs.readFileSync(src, "utf8"));

function jsonType(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function fits(type, v) {
  const t = jsonType(v);
  return t === type || (type === "number" && t === "integer");
}

function walk(o) {
  if (!o || typeof o !== "object") return;
  if (Array.isArray(o)) return o.forEach(walk);
  if ("example" in o && typeof o.type === "string" && !fits(o.type, o.example)) delete o.example;
  for (const k in o) walk(o[k]);
}
walk(spec);

for (const p of ["/api/v4/projects/{id}/issues", "/api/v4/issues"]) {
  const ok = spec.paths[p] && spec.paths[p].get && spec.paths[p].get.responses["200"];
  if (ok && ok.schema && ok.schema.$ref) ok.schema = { type: "array", items: ok.schema };
}
fs.writeFileSync(dst, JSON.stringify(spec));
