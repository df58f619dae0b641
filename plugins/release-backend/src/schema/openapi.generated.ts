// ******************************************************************
// * THIS IS A GENERATED FILE. DO NOT EDIT IT DIRECTLY.              *
// * Source: openapi.yaml beside it; run `yarn openapi:generate`.    *
// ******************************************************************
/* eslint-disable */

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "release",
    "version": "1",
    "description": "Release Manager for Backstage: pipelines of phases, immutable releases, promotions with approvals and gates, deployments through providers.",
    "license": {
      "name": "Apache-2.0",
      "url": "http://www.apache.org/licenses/LICENSE-2.0.html"
    },
    "contact": {}
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "components": {
    "examples": {},
    "headers": {},
    "parameters": {
      "kind": {
        "name": "kind",
        "in": "path",
        "required": true,
        "description": "Entity kind, e.g. component",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63
        }
      },
      "namespace": {
        "name": "namespace",
        "in": "path",
        "required": true,
        "description": "Entity namespace, e.g. default",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63
        }
      },
      "name": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "Entity name",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63
        }
      },
      "version": {
        "name": "version",
        "in": "path",
        "required": true,
        "description": "Semantic version of a release",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        }
      },
      "limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size (1 to 100, default 20)",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100
        }
      },
      "cursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "Opaque cursor from the previous page's nextCursor",
        "schema": {
          "type": "string",
          "maxLength": 64
        }
      }
    },
    "requestBodies": {},
    "responses": {
      "ErrorResponse": {
        "description": "An error response from the backend.",
        "content": {
          "application/json; charset=utf-8": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            },
            "required": [
              "name",
              "message"
            ]
          },
          "request": {
            "type": "object",
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            },
            "required": [
              "method",
              "url"
            ]
          },
          "response": {
            "type": "object",
            "properties": {
              "statusCode": {
                "type": "number"
              }
            },
            "required": [
              "statusCode"
            ]
          }
        },
        "required": [
          "error",
          "response"
        ]
      },
      "PromotionStatus": {
        "type": "string",
        "enum": [
          "pending_approval",
          "approved",
          "queued",
          "deploying",
          "succeeded",
          "failed",
          "rejected",
          "cancelled",
          "superseded"
        ]
      },
      "Release": {
        "type": "object",
        "required": [
          "entityRef",
          "version",
          "artifact",
          "createdBy",
          "createdAt"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "artifact": {
            "type": "string"
          },
          "commit": {
            "type": "string"
          },
          "notes": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "ReleasePhaseStatus": {
        "type": "object",
        "required": [
          "status",
          "promotionId",
          "updatedAt",
          "current"
        ],
        "properties": {
          "status": {
            "$ref": "#/components/schemas/PromotionStatus"
          },
          "promotionId": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string"
          },
          "current": {
            "type": "boolean"
          }
        }
      },
      "ReleaseWithStatus": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Release"
          },
          {
            "type": "object",
            "required": [
              "phases"
            ],
            "properties": {
              "phases": {
                "type": "object",
                "additionalProperties": {
                  "$ref": "#/components/schemas/ReleasePhaseStatus"
                }
              }
            }
          }
        ]
      },
      "Promotion": {
        "type": "object",
        "required": [
          "id",
          "entityRef",
          "phase",
          "version",
          "status",
          "requestedBy",
          "requestedAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "entityRef": {
            "type": "string"
          },
          "phase": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/PromotionStatus"
          },
          "requestedBy": {
            "type": "string"
          },
          "requestedAt": {
            "type": "string"
          },
          "comment": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string"
          },
          "startedAt": {
            "type": "string"
          },
          "finishedAt": {
            "type": "string"
          },
          "externalUrl": {
            "type": "string"
          },
          "progressMessage": {
            "type": "string"
          }
        }
      },
      "PhaseCurrentRelease": {
        "type": "object",
        "required": [
          "version",
          "promotionId",
          "deployedAt",
          "deployedBy"
        ],
        "properties": {
          "version": {
            "type": "string"
          },
          "promotionId": {
            "type": "string"
          },
          "deployedAt": {
            "type": "string"
          },
          "deployedBy": {
            "type": "string"
          }
        }
      },
      "PhaseLock": {
        "type": "object",
        "required": [
          "reason",
          "lockedBy",
          "lockedAt"
        ],
        "properties": {
          "reason": {
            "type": "string"
          },
          "lockedBy": {
            "type": "string"
          },
          "lockedAt": {
            "type": "string"
          }
        }
      },
      "ActiveFreeze": {
        "type": "object",
        "required": [
          "startedAt",
          "endsAt"
        ],
        "properties": {
          "reason": {
            "type": "string"
          },
          "startedAt": {
            "type": "string"
          },
          "endsAt": {
            "type": "string"
          }
        }
      },
      "GateSummary": {
        "type": "object",
        "required": [
          "requires",
          "approvalsRequired",
          "allowSelfApproval",
          "freezeWindows",
          "autoPromote"
        ],
        "properties": {
          "requires": {
            "type": "string",
            "nullable": true
          },
          "approvalsRequired": {
            "type": "integer"
          },
          "allowSelfApproval": {
            "type": "boolean"
          },
          "freezeWindows": {
            "type": "integer"
          },
          "soakTime": {
            "type": "string"
          },
          "autoPromote": {
            "type": "boolean"
          }
        }
      },
      "PipelinePhaseView": {
        "type": "object",
        "required": [
          "id",
          "title",
          "order",
          "providerType",
          "current",
          "active",
          "pending",
          "lastOutcome",
          "lock",
          "freeze",
          "gates"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "order": {
            "type": "integer"
          },
          "providerType": {
            "type": "string"
          },
          "current": {
            "allOf": [
              {
                "$ref": "#/components/schemas/PhaseCurrentRelease"
              }
            ],
            "type": "object",
            "nullable": true
          },
          "active": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Promotion"
              }
            ],
            "type": "object",
            "nullable": true
          },
          "pending": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Promotion"
            }
          },
          "lastOutcome": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Promotion"
              }
            ],
            "type": "object",
            "nullable": true
          },
          "lock": {
            "allOf": [
              {
                "$ref": "#/components/schemas/PhaseLock"
              }
            ],
            "type": "object",
            "nullable": true
          },
          "freeze": {
            "allOf": [
              {
                "$ref": "#/components/schemas/ActiveFreeze"
              }
            ],
            "type": "object",
            "nullable": true
          },
          "gates": {
            "$ref": "#/components/schemas/GateSummary"
          }
        }
      },
      "PipelineView": {
        "type": "object",
        "required": [
          "entityRef",
          "template",
          "phases"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "template": {
            "type": "string"
          },
          "phases": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PipelinePhaseView"
            }
          }
        }
      },
      "ReleasePage": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ReleaseWithStatus"
            }
          },
          "nextCursor": {
            "type": "string"
          }
        }
      },
      "CreateReleaseRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "artifact"
        ],
        "properties": {
          "version": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          },
          "artifact": {
            "type": "string",
            "minLength": 1,
            "maxLength": 512
          },
          "commit": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          },
          "notes": {
            "type": "string",
            "maxLength": 10000
          }
        }
      }
    },
    "securitySchemes": {
      "JWT": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT"
      }
    }
  },
  "paths": {
    "/entities/{kind}/{namespace}/{name}/pipeline": {
      "get": {
        "operationId": "GetPipeline",
        "description": "The entity's phases in order, each with its current release, active and pending promotions, lock and freeze state, and gate summary.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          }
        ],
        "responses": {
          "200": {
            "description": "The pipeline",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PipelineView"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/releases": {
      "get": {
        "operationId": "ListReleases",
        "description": "Releases newest first, each with its status per phase; cursor pagination.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of releases",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReleasePage"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "post": {
        "operationId": "CreateRelease",
        "description": "Create an immutable release. 409 if the version exists.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateReleaseRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The release was created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Release"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/releases/{version}": {
      "get": {
        "operationId": "GetRelease",
        "description": "One release with its status per phase.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          },
          {
            "$ref": "#/components/parameters/version"
          }
        ],
        "responses": {
          "200": {
            "description": "The release",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReleaseWithStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    }
  }
} as const;
