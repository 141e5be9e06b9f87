//! The API reference page (`/open-data/api`) read from the service's own OpenAPI description:
//! every operation with its parameters, examples and answers, and every response shape with
//! its fields, in words. Rendered on the server, so it needs no third-party script and cannot
//! drift from `/api/v1/openapi.json`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiReference {
    pub title: String,
    pub description: String,
    pub version: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<Schema>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// `GET`, in capitals.
    pub method: String,
    pub path: String,
    pub summary: String,
    /// The id to link to it by (`operation-scores`).
    pub anchor: String,
    pub parameters: Vec<Parameter>,
    pub responses: Vec<Answer>,
    /// A request to try, built from the examples: `None` when a path parameter has none.
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// `query` or `path`.
    pub location: String,
    pub required: bool,
    pub kind: Kind,
    pub pattern: Option<String>,
    pub example: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: String,
    pub description: String,
    pub body: Option<Kind>,
}

/// A type in words, with the response shape it names (for a link) when it names one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kind {
    pub text: String,
    pub schema: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub description: String,
    pub fields: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub kind: Kind,
    pub required: bool,
    pub description: String,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().trim().replace('\n', " ")
}

/// `Scores` for `ScoresDoc`: the shapes are named without the code's suffix.
pub fn schema_name(reference: &str) -> String {
    let name = reference.rsplit('/').next().unwrap_or(reference);
    name.strip_suffix("Doc").unwrap_or(name).to_string()
}

/// A JSON Schema in words: "number, or null", "list of ScoreRecord", "date".
pub fn kind(schema: &Value) -> Kind {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = schema_name(r);
        return Kind {
            text: name.clone(),
            schema: Some(name),
        };
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let mut nullable = false;
        let mut kinds = Vec::new();
        for o in options {
            if o.get("type").and_then(Value::as_str) == Some("null") {
                nullable = true;
            } else {
                kinds.push(kind(o));
            }
        }
        let mut out = Kind {
            text: kinds
                .iter()
                .map(|k| k.text.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            schema: kinds.iter().find_map(|k| k.schema.clone()),
        };
        if nullable {
            out.text.push_str(", or null");
        }
        return out;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let nullable = types.contains(&"null");
    let main = types
        .iter()
        .find(|t| **t != "null")
        .copied()
        .unwrap_or("any");
    let mut out = match main {
        "array" => {
            let item = schema.get("items").map(kind).unwrap_or(Kind {
                text: "any".into(),
                schema: None,
            });
            Kind {
                text: format!("list of {}", item.text),
                schema: item.schema,
            }
        }
        "object" => match schema.get("additionalProperties") {
            Some(values) if values.is_object() => Kind {
                text: format!("object of names to {}", kind(values).text),
                schema: None,
            },
            _ => Kind {
                text: "object".into(),
                schema: None,
            },
        },
        "string" => Kind {
            text: match schema.get("format").and_then(Value::as_str) {
                Some("date") => "date (YYYY-MM-DD)".into(),
                Some("date-time") => "date and time (RFC 3339)".into(),
                _ => "string".into(),
            },
            schema: None,
        },
        t => Kind {
            text: t.to_string(),
            schema: None,
        },
    };
    if nullable {
        out.text.push_str(", or null");
    }
    out
}

/// The reference of an OpenAPI 3 description (as `/api/v1/openapi.json` gives it).
pub fn api_reference(doc: &Value) -> ApiReference {
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, methods) in paths {
            let Some(methods) = methods.as_object() else {
                continue;
            };
            for (method, op) in methods {
                operations.push(operation(path, method, op));
            }
        }
    }
    // The API's own paths first, then the service's health checks.
    operations.sort_by_key(|o| (!o.path.starts_with("/api/"), o.path.clone()));
    let mut schemas: Vec<Schema> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|all| {
            all.iter()
                .map(|(name, s)| {
                    let required: Vec<&str> = s
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let fields = s
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|props| {
                            props
                                .iter()
                                .map(|(p, v)| Property {
                                    name: p.clone(),
                                    kind: kind(v),
                                    required: required.contains(&p.as_str()),
                                    description: text(&v["description"]),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    Schema {
                        name: schema_name(name),
                        description: text(&s["description"]),
                        fields,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    ApiReference {
        title: text(&doc["info"]["title"]),
        description: text(&doc["info"]["description"]),
        version: text(&doc["info"]["version"]),
        operations,
        schemas,
    }
}

fn example_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn operation(path: &str, method: &str, op: &Value) -> Operation {
    let parameters: Vec<Parameter> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| Parameter {
                    name: text(&p["name"]),
                    location: text(&p["in"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    kind: kind(&p["schema"]),
                    pattern: p["schema"]["pattern"].as_str().map(String::from),
                    example: p.get("example").and_then(example_text),
                    description: text(&p["description"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut example = Some(path.to_string());
    let mut query = Vec::new();
    for p in &parameters {
        match (p.location.as_str(), &p.example) {
            ("path", Some(e)) => {
                example = example.map(|x| x.replace(&format!("{{{}}}", p.name), e));
            }
            ("path", None) => example = None,
            ("query", Some(e)) => query.push(format!("{}={}", p.name, e.replace(' ', "+"))),
            ("query", None) if p.required => example = None,
            _ => {}
        }
    }
    let example = example.map(|e| {
        if query.is_empty() {
            e
        } else {
            format!("{e}?{}", query.join("&"))
        }
    });
    let mut responses: Vec<Answer> = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|rs| {
            rs.iter()
                .map(|(status, r)| Answer {
                    status: status.clone(),
                    description: text(&r["description"]),
                    body: r.pointer("/content/application~1json/schema").map(kind),
                })
                .collect()
        })
        .unwrap_or_default();
    responses.sort_by(|a, b| a.status.cmp(&b.status));
    let id = op["operationId"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| path.trim_matches('/').replace(['/', '{', '}', '.'], "-"));
    Operation {
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: text(&op["summary"]),
        anchor: format!("operation-{}", id.replace('_', "-")),
        parameters,
        responses,
        example,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "info": {"title": "T", "description": "D", "version": "1"},
            "paths": {
                "/healthz": {"get": {"summary": "Alive.", "operationId": "healthz_doc", "responses": {"200": {"description": "ok"}}}},
                "/api/v1/economies/{slug}": {"get": {
                    "summary": "One\neconomy.", "operationId": "economy",
                    "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}, "example": "leeds"}],
                    "responses": {
                        "404": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
                        "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EconomyDoc"}}}}
                    }
                }},
                "/api/v1/scores": {"get": {
                    "summary": "Scores.", "operationId": "scores",
                    "parameters": [{"name": "as_of", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"}, "example": "2014-Q4"}],
                    "responses": {"200": {"description": ""}}
                }},
                "/api/v1/organisations": {"get": {
                    "summary": "Search.", "operationId": "organisations",
                    "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": ""}}
                }}
            },
            "components": {"schemas": {
                "EconomyDoc": {"type": "object", "required": ["slug"], "properties": {
                    "slug": {"type": "string"},
                    "scores": {"type": "array", "items": {"$ref": "#/components/schemas/ScoreRecordDoc"}},
                    "overall": {"type": ["number", "null"], "description": "0 to 100"},
                    "revised": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/RevisedDoc"}]},
                    "themes": {"type": ["object", "null"], "additionalProperties": {"type": "number"}},
                    "published_on": {"type": "string", "format": "date"}
                }},
                "ErrorBody": {"type": "object", "properties": {}}
            }}
        })
    }

    #[test]
    fn operations_come_with_their_parameters_examples_and_answers() {
        let r = api_reference(&doc());
        let paths: Vec<&str> = r.operations.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/api/v1/economies/{slug}",
                "/api/v1/organisations",
                "/api/v1/scores",
                "/healthz"
            ],
            "the API first, the health checks last"
        );
        let economy = &r.operations[0];
        assert_eq!(economy.method, "GET");
        assert_eq!(economy.summary, "One economy.");
        assert_eq!(economy.anchor, "operation-economy");
        assert_eq!(economy.example.as_deref(), Some("/api/v1/economies/leeds"));
        let statuses: Vec<&str> = economy
            .responses
            .iter()
            .map(|a| a.status.as_str())
            .collect();
        assert_eq!(statuses, ["200", "404"]);
        assert_eq!(
            economy.responses[0]
                .body
                .as_ref()
                .unwrap()
                .schema
                .as_deref(),
            Some("Economy")
        );
        assert_eq!(
            r.operations[1].example, None,
            "a required parameter without an example gives no request to try"
        );
        let scores = &r.operations[2];
        assert_eq!(
            scores.example.as_deref(),
            Some("/api/v1/scores?as_of=2014-Q4")
        );
        assert_eq!(
            scores.parameters[0].pattern.as_deref(),
            Some("^[0-9]{4}-Q[1-4]$")
        );
        assert!(!scores.parameters[0].required);
    }

    #[test]
    fn shapes_read_in_words() {
        let r = api_reference(&doc());
        let economy = r.schemas.iter().find(|s| s.name == "Economy").unwrap();
        let of = |name: &str| {
            economy
                .fields
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .clone()
        };
        assert!(of("slug").required);
        assert!(!of("overall").required);
        assert_eq!(of("overall").kind.text, "number, or null");
        assert_eq!(of("overall").description, "0 to 100");
        assert_eq!(of("scores").kind.text, "list of ScoreRecord");
        assert_eq!(of("scores").kind.schema.as_deref(), Some("ScoreRecord"));
        assert_eq!(of("revised").kind.text, "Revised, or null");
        assert_eq!(of("themes").kind.text, "object of names to number, or null");
        assert_eq!(of("published_on").kind.text, "date (YYYY-MM-DD)");
    }
}
