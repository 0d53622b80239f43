/* Generated from the server's tool catalog (server/src/tools/registry.ts) by `npm run schema:print`. Do not edit. */

export const TOOL_CATALOG = [
  {
    "name": "http.fetch",
    "aliases": [
      "FetchDocs",
      "Fetch",
      "HttpFetch",
      "HTTPFetch",
      "fetch"
    ],
    "description": "GET a URL and return its body as text.",
    "args": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "url": {
          "type": "string",
          "pattern": "^https?:\\/\\/\\S+$"
        },
        "maxBytes": {
          "default": 1048576,
          "type": "integer",
          "minimum": 1,
          "maximum": 10485760
        },
        "timeoutMs": {
          "default": 10000,
          "type": "integer",
          "minimum": 100,
          "maximum": 60000
        },
        "headers": {
          "type": "object",
          "propertyNames": {
            "type": "string"
          },
          "additionalProperties": {
            "type": "string"
          }
        },
        "acceptStatus": {
          "default": [
            "2xx"
          ],
          "description": "Statuses taken as a result (codes such as 404, or classes such as \"4xx\"); any other fails the step. Default [\"2xx\"].",
          "minItems": 1,
          "type": "array",
          "items": {
            "anyOf": [
              {
                "type": "integer",
                "minimum": 100,
                "maximum": 599
              },
              {
                "type": "string",
                "enum": [
                  "2xx",
                  "3xx",
                  "4xx",
                  "5xx"
                ]
              }
            ]
          }
        }
      },
      "required": [
        "url"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "csv.parse",
    "aliases": [
      "CSV",
      "ParseCSV",
      "CsvParse",
      "LoadCSV"
    ],
    "description": "Parse CSV text into rows and per-column summary statistics.",
    "args": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "text": {
          "type": "string",
          "maxLength": 20971520
        },
        "delimiter": {
          "default": ",",
          "type": "string",
          "minLength": 1,
          "maxLength": 4
        },
        "header": {
          "default": true,
          "type": "boolean"
        },
        "maxRows": {
          "default": 100000,
          "type": "integer",
          "minimum": 1,
          "maximum": 1000000
        }
      },
      "required": [
        "text"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "transform",
    "aliases": [
      "Transform",
      "Format",
      "Reshape"
    ],
    "description": "Reshape text or JSON: trim, case, truncate, split lines, parse/stringify JSON, pick a path.",
    "args": {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "properties": {
        "operation": {
          "type": "string",
          "enum": [
            "text",
            "trim",
            "lower",
            "upper",
            "truncate",
            "lines",
            "json.parse",
            "json.stringify",
            "pick"
          ]
        },
        "value": {
          "$ref": "#/$defs/__schema0"
        },
        "maxLength": {
          "type": "integer",
          "minimum": 0,
          "maximum": 10000000
        },
        "path": {
          "type": "string",
          "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"
        }
      },
      "required": [
        "operation"
      ],
      "additionalProperties": false,
      "$defs": {
        "__schema0": {
          "anyOf": [
            {
              "type": "string"
            },
            {
              "type": "number"
            },
            {
              "type": "boolean"
            },
            {
              "type": "null"
            },
            {
              "type": "array",
              "items": {
                "$ref": "#/$defs/__schema0"
              }
            },
            {
              "type": "object",
              "propertyNames": {
                "type": "string"
              },
              "additionalProperties": {
                "$ref": "#/$defs/__schema0"
              }
            }
          ]
        }
      }
    }
  }
] as const;

export type ToolName = (typeof TOOL_CATALOG)[number]["name"];
