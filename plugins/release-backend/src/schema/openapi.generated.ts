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
        "description": "Semantic version of a release, exactly as semver.org writes it (no leading v); the server checks it is one and answers 400 if not",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 128,
          "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]*$"
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
      },
      "phase": {
        "name": "phase",
        "in": "path",
        "required": true,
        "description": "Phase id",
        "schema": {
          "type": "string",
          "pattern": "^[a-z][a-z0-9-]{0,62}$"
        }
      },
      "secret": {
        "name": "secret",
        "in": "path",
        "required": true,
        "description": "Secret name",
        "schema": {
          "type": "string",
          "pattern": "^[A-Z_][A-Z0-9_]{0,127}$"
        }
      },
      "promotionId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Promotion id (UUID)",
        "schema": {
          "type": "string",
          "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
        }
      },
      "trainId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Train id (UUID)",
        "schema": {
          "type": "string",
          "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
        }
      },
      "portfolioCursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "Opaque cursor from the previous page's nextCursor",
        "schema": {
          "type": "string",
          "maxLength": 4096
        }
      },
      "idempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Repeating a request with the same key returns the first result",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255
        }
      },
      "from": {
        "name": "from",
        "in": "query",
        "required": false,
        "description": "Start of the period (inclusive, ISO 8601 date-time); default 30 days before `to`",
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "to": {
        "name": "to",
        "in": "query",
        "required": false,
        "description": "End of the period (exclusive, ISO 8601 date-time); default now",
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "bucket": {
        "name": "bucket",
        "in": "query",
        "required": false,
        "description": "Width of the trend series' buckets (UTC days or ISO weeks starting Monday); default day for periods up to 31 days, else week",
        "schema": {
          "type": "string",
          "enum": [
            "day",
            "week"
          ]
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
          "committedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the release's commit was made, if CI gave it; lead time counts from it"
          },
          "plannedAt": {
            "$ref": "#/components/schemas/ReleasePlan"
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
      "ReleasePlan": {
        "type": "object",
        "description": "Planned target date per phase id (planned, not enforced)",
        "additionalProperties": {
          "type": "string",
          "format": "date-time"
        }
      },
      "UpdateReleasePlanRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "plannedAt"
        ],
        "properties": {
          "plannedAt": {
            "type": "object",
            "description": "Planned date per phase id; a phase set to null is removed from the plan, phases not named keep their date",
            "maxProperties": 64,
            "additionalProperties": {
              "type": "string",
              "description": "ISO 8601 date (midnight UTC) or date-time",
              "maxLength": 40,
              "nullable": true
            }
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
          },
          "scheduledAt": {
            "type": "string",
            "format": "date-time",
            "description": "While the promotion waits (pending approval or approved), the time it is scheduled for"
          },
          "requestedBy": {
            "type": "string",
            "description": "Who requested the promotion (with scheduledAt, who scheduled it)"
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
          },
          "trainId": {
            "type": "string",
            "description": "The train this promotion is a member of"
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
      "CheckResult": {
        "type": "object",
        "description": "The last result of a verification check of the phase (before-deploy checks are gates; after-deploy checks verify a deployment).",
        "required": [
          "name",
          "type",
          "when",
          "status",
          "summary",
          "version",
          "evaluatedAt"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "type": {
            "type": "string"
          },
          "when": {
            "type": "string",
            "enum": [
              "before-deploy",
              "after-deploy"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "passed",
              "failed",
              "pending"
            ]
          },
          "summary": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "version": {
            "type": "string",
            "description": "The release version it was evaluated for"
          },
          "promotionId": {
            "type": "string"
          },
          "evaluatedAt": {
            "type": "string"
          }
        }
      },
      "PhaseCheckView": {
        "type": "object",
        "description": "A check configured on the phase, with its last result (null before its first evaluation).",
        "required": [
          "name",
          "type",
          "when",
          "last"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "type": {
            "type": "string"
          },
          "when": {
            "type": "string",
            "enum": [
              "before-deploy",
              "after-deploy"
            ]
          },
          "window": {
            "type": "string"
          },
          "onFailure": {
            "type": "string",
            "enum": [
              "rollback"
            ]
          },
          "last": {
            "allOf": [
              {
                "$ref": "#/components/schemas/CheckResult"
              }
            ],
            "type": "object",
            "nullable": true
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
          "gates",
          "actions"
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
          },
          "deploymentWindows": {
            "$ref": "#/components/schemas/DeploymentWindowState"
          },
          "actions": {
            "$ref": "#/components/schemas/PhaseActions"
          },
          "checks": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PhaseCheckView"
            }
          }
        }
      },
      "PhaseCapability": {
        "type": "object",
        "description": "Whether the caller may take one action, and why not when they may not.",
        "required": [
          "allowed"
        ],
        "properties": {
          "allowed": {
            "type": "boolean"
          },
          "reason": {
            "type": "string",
            "description": "Said to the person when not allowed; names the phase by its title."
          }
        }
      },
      "PhaseActions": {
        "type": "object",
        "description": "What the caller may do in this phase, from phase access (pipeline config) and the permission framework.",
        "required": [
          "deploy",
          "approve",
          "editConfig",
          "lock",
          "skip",
          "rollback"
        ],
        "properties": {
          "deploy": {
            "$ref": "#/components/schemas/PhaseCapability"
          },
          "approve": {
            "$ref": "#/components/schemas/PhaseCapability"
          },
          "editConfig": {
            "$ref": "#/components/schemas/PhaseCapability"
          },
          "lock": {
            "$ref": "#/components/schemas/PhaseCapability"
          },
          "skip": {
            "$ref": "#/components/schemas/PhaseCapability"
          },
          "rollback": {
            "$ref": "#/components/schemas/PhaseCapability"
          }
        }
      },
      "WindowOccurrence": {
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
            "type": "string",
            "format": "date-time"
          },
          "endsAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "DeploymentWindow": {
        "type": "object",
        "required": [
          "cron",
          "duration"
        ],
        "properties": {
          "cron": {
            "type": "string",
            "description": "Five-field cron expression for the start of each window"
          },
          "duration": {
            "type": "string",
            "description": "ISO 8601 duration of each window"
          },
          "timezone": {
            "type": "string",
            "description": "IANA time zone the cron is read in (default UTC)"
          },
          "reason": {
            "type": "string"
          }
        }
      },
      "DeploymentWindowState": {
        "type": "object",
        "description": "The phase's deployment windows and where it stands now. Without windows the phase is unrestricted and always open.",
        "required": [
          "restricted",
          "open",
          "windows"
        ],
        "properties": {
          "restricted": {
            "type": "boolean"
          },
          "open": {
            "type": "boolean",
            "description": "Whether a window is open now"
          },
          "windows": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/DeploymentWindow"
            }
          },
          "current": {
            "$ref": "#/components/schemas/WindowOccurrence"
          },
          "next": {
            "$ref": "#/components/schemas/WindowOccurrence"
          }
        }
      },
      "DoraBand": {
        "type": "string",
        "enum": [
          "elite",
          "high",
          "medium",
          "low"
        ]
      },
      "DurationStats": {
        "type": "object",
        "required": [
          "count"
        ],
        "properties": {
          "count": {
            "type": "integer",
            "description": "Number of durations measured"
          },
          "medianSeconds": {
            "type": "number"
          },
          "p90Seconds": {
            "type": "number"
          }
        }
      },
      "DoraMetrics": {
        "type": "object",
        "required": [
          "deployments",
          "deploymentsPerDay",
          "leadTime",
          "changeFailureRate",
          "failedDeployments",
          "timeToRestore",
          "unrestored",
          "bands"
        ],
        "properties": {
          "deployments": {
            "type": "integer",
            "description": "Successful change deployments to the production phase in the period"
          },
          "deploymentsPerDay": {
            "type": "number"
          },
          "leadTime": {
            "$ref": "#/components/schemas/DurationStats"
          },
          "changeFailureRate": {
            "type": "number",
            "nullable": true,
            "description": "Failed or rolled-back production change deployments divided by finished production change deployments; null when there were none"
          },
          "failedDeployments": {
            "type": "integer"
          },
          "changeDeployments": {
            "type": "integer",
            "description": "Finished production change deployments (succeeded or failed), the failure rate's denominator"
          },
          "timeToRestore": {
            "$ref": "#/components/schemas/DurationStats"
          },
          "unrestored": {
            "type": "integer",
            "description": "Failures in the period not yet followed by a production success"
          },
          "bands": {
            "type": "object",
            "properties": {
              "deploymentFrequency": {
                "$ref": "#/components/schemas/DoraBand"
              },
              "leadTime": {
                "$ref": "#/components/schemas/DoraBand"
              },
              "changeFailureRate": {
                "$ref": "#/components/schemas/DoraBand"
              },
              "timeToRestore": {
                "$ref": "#/components/schemas/DoraBand"
              },
              "overall": {
                "$ref": "#/components/schemas/DoraBand"
              }
            }
          }
        }
      },
      "DoraSeriesPoint": {
        "type": "object",
        "required": [
          "start",
          "deployments",
          "failures"
        ],
        "properties": {
          "start": {
            "type": "string",
            "format": "date-time"
          },
          "deployments": {
            "type": "integer"
          },
          "failures": {
            "type": "integer"
          },
          "leadTimeMedianSeconds": {
            "type": "number"
          },
          "timeToRestoreMedianSeconds": {
            "type": "number"
          }
        }
      },
      "MetricsResponse": {
        "type": "object",
        "required": [
          "from",
          "to",
          "bucket",
          "entityRefs",
          "metrics",
          "series"
        ],
        "properties": {
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "bucket": {
            "type": "string",
            "enum": [
              "day",
              "week"
            ]
          },
          "entityRefs": {
            "type": "array",
            "description": "The entities measured",
            "items": {
              "type": "string"
            }
          },
          "productionPhases": {
            "type": "object",
            "description": "The production phase of each pipeline measured",
            "additionalProperties": {
              "type": "string"
            }
          },
          "metrics": {
            "$ref": "#/components/schemas/DoraMetrics"
          },
          "series": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/DoraSeriesPoint"
            }
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
            "maxLength": 128,
            "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]*$",
            "description": "Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release"
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
          },
          "committedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the commit was made (lead time for changes counts from it)"
          },
          "plannedAt": {
            "type": "object",
            "description": "Planned target date per phase id (ISO 8601 date, meaning midnight UTC, or date-time)",
            "maxProperties": 64,
            "additionalProperties": {
              "type": "string",
              "maxLength": 40
            }
          }
        }
      },
      "Override": {
        "type": "object",
        "description": "Lift named gates (a phase lock, a freeze window, the deployment windows, the phase's before-deploy checks) for this promotion, with a reason; needs release.freeze.override; recorded in the history and audited as critical. Without `gates`, the gates blocking the phase at that moment are lifted (and recorded by name); nothing else is.",
        "additionalProperties": false,
        "required": [
          "reason"
        ],
        "properties": {
          "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000
          },
          "gates": {
            "type": "array",
            "minItems": 1,
            "maxItems": 4,
            "items": {
              "type": "string",
              "enum": [
                "lock",
                "freeze",
                "window",
                "checks"
              ]
            }
          }
        }
      },
      "CreatePromotionRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "phase"
        ],
        "properties": {
          "version": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]*$",
            "description": "Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release"
          },
          "phase": {
            "type": "string",
            "pattern": "^[a-z][a-z0-9-]{0,62}$"
          },
          "comment": {
            "type": "string",
            "maxLength": 2000
          },
          "skipRequires": {
            "type": "boolean",
            "description": "Promote although the release has not succeeded in the required phase (needs release.promotion.skip; audited as critical)"
          },
          "override": {
            "$ref": "#/components/schemas/Override"
          },
          "deployAt": {
            "type": "string",
            "format": "date-time",
            "description": "Deploy no earlier than this time (ISO 8601, in the future, at most 90 days ahead). Approvals may be given before; at that time the gates are evaluated again and the promotion deploys or ends with the reason."
          },
          "deployInNextWindow": {
            "type": "boolean",
            "description": "Schedule the promotion for the opening of the phase's next deployment window (or now, when one is open); 400 when the phase has no deployment windows. Not together with deployAt."
          }
        }
      },
      "ScheduleRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "The same choices as the request - a time (deployAt), the phase's next deployment window (deployInNextWindow), or neither (deploy as soon as approved). 400 when both are given, the time is not in the next 90 days, or the phase has no deployment windows; 403 for who may not request on the phase; 409 when the promotion is already queued or finished.",
        "properties": {
          "deployAt": {
            "type": "string",
            "format": "date-time",
            "nullable": true,
            "description": "The new time (in the future, at most 90 days ahead); null or absent (without deployInNextWindow) to deploy as soon as approved"
          },
          "deployInNextWindow": {
            "type": "boolean",
            "description": "Deploy when the phase's next deployment window opens (or as soon as approved, when one is open now). Not together with deployAt."
          }
        }
      },
      "DecisionRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "comment": {
            "type": "string",
            "maxLength": 2000
          },
          "override": {
            "$ref": "#/components/schemas/Override"
          }
        }
      },
      "CommentRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "comment": {
            "type": "string",
            "maxLength": 2000
          }
        }
      },
      "RollbackRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "version": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]*$",
            "description": "Semantic version (e.g. 1.4.0, 2.0.0-rc.1, 1.4.0+build.7); versions differing only in build metadata are the same release"
          },
          "comment": {
            "type": "string",
            "maxLength": 2000
          }
        }
      },
      "LockRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "reason"
        ],
        "properties": {
          "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000
          }
        }
      },
      "Approval": {
        "type": "object",
        "required": [
          "userRef",
          "decision",
          "decidedAt",
          "valid"
        ],
        "properties": {
          "userRef": {
            "type": "string"
          },
          "decision": {
            "type": "string",
            "enum": [
              "approve",
              "reject"
            ]
          },
          "comment": {
            "type": "string"
          },
          "decidedAt": {
            "type": "string"
          },
          "valid": {
            "type": "boolean",
            "description": "False when the release artifact or phase configuration changed after the decision"
          }
        }
      },
      "PromotionDetail": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Promotion"
          },
          {
            "type": "object",
            "required": [
              "kind",
              "approvals",
              "approvalsRequired",
              "skippedRequires",
              "release"
            ],
            "properties": {
              "kind": {
                "type": "string",
                "enum": [
                  "promote",
                  "rollback"
                ]
              },
              "approvals": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Approval"
                }
              },
              "approvalsRequired": {
                "type": "integer"
              },
              "configVersion": {
                "type": "integer"
              },
              "configHash": {
                "type": "string"
              },
              "overrideReason": {
                "type": "string"
              },
              "scheduledAt": {
                "type": "string",
                "description": "Deploy no earlier than this time (a scheduled promotion)"
              },
              "overrideGates": {
                "type": "array",
                "description": "The gates the recorded override lifts",
                "items": {
                  "type": "string",
                  "enum": [
                    "lock",
                    "freeze",
                    "window",
                    "checks"
                  ]
                }
              },
              "skippedRequires": {
                "type": "boolean"
              },
              "release": {
                "$ref": "#/components/schemas/Release"
              },
              "providerType": {
                "type": "string",
                "description": "The deployment provider of the phase when it was requested"
              },
              "deadlineAt": {
                "type": "string",
                "description": "When a deployment still running fails"
              },
              "progress": {
                "type": "array",
                "description": "Progress messages reported by the provider, oldest first",
                "items": {
                  "type": "object",
                  "required": [
                    "at",
                    "message"
                  ],
                  "properties": {
                    "at": {
                      "type": "string"
                    },
                    "message": {
                      "type": "string"
                    },
                    "percent": {
                      "type": "number"
                    }
                  }
                }
              }
            }
          }
        ]
      },
      "PromotionList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PromotionDetail"
            }
          },
          "nextCursor": {
            "type": "string",
            "description": "Cursor of the next page, when there is one"
          }
        }
      },
      "HistoryEntry": {
        "type": "object",
        "required": [
          "id",
          "entityRef",
          "action",
          "actor",
          "createdAt"
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
          "promotionId": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "actor": {
            "type": "string"
          },
          "before": {},
          "after": {},
          "reason": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          }
        }
      },
      "HistoryPage": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/HistoryEntry"
            }
          },
          "nextCursor": {
            "type": "string"
          }
        }
      },
      "StatusRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "entityRefs"
        ],
        "properties": {
          "entityRefs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 500,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          }
        }
      },
      "EntityStatus": {
        "type": "object",
        "required": [
          "entityRef",
          "phases"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "phases": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "id",
                "title",
                "pending"
              ],
              "properties": {
                "id": {
                  "type": "string"
                },
                "title": {
                  "type": "string"
                },
                "currentVersion": {
                  "type": "string"
                },
                "activeStatus": {
                  "$ref": "#/components/schemas/PromotionStatus"
                },
                "pending": {
                  "type": "integer"
                },
                "failed": {
                  "type": "boolean",
                  "description": "A deployment failed in the phase since what runs there now was deployed"
                },
                "scheduled": {
                  "type": "integer",
                  "description": "Waiting promotions (pending approval or approved) scheduled for a time; absent when none"
                }
              }
            }
          }
        }
      },
      "PortfolioPhase": {
        "type": "object",
        "required": [
          "id",
          "title",
          "pending"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "currentVersion": {
            "type": "string",
            "description": "The version running in the phase, if any"
          },
          "activeStatus": {
            "$ref": "#/components/schemas/PromotionStatus"
          },
          "pending": {
            "type": "integer",
            "description": "Promotions waiting for approval"
          },
          "failed": {
            "type": "boolean",
            "description": "A deployment failed in the phase since what runs there now was deployed"
          },
          "scheduled": {
            "type": "integer",
            "description": "Waiting promotions (pending approval or approved) scheduled for a time; absent when none"
          }
        }
      },
      "PortfolioEntry": {
        "type": "object",
        "required": [
          "entityRef",
          "kind",
          "namespace",
          "name",
          "pipeline",
          "phases"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "owner": {
            "type": "string",
            "description": "The owner as the entity states it (spec.owner)"
          },
          "system": {
            "type": "string"
          },
          "lifecycle": {
            "type": "string"
          },
          "pipeline": {
            "type": "string",
            "description": "The pipeline template named by the annotation"
          },
          "problem": {
            "type": "string",
            "description": "Why the entity shows no phases (its pipeline template is not defined)"
          },
          "phases": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PortfolioPhase"
            }
          }
        }
      },
      "PortfolioPage": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PortfolioEntry"
            }
          },
          "nextCursor": {
            "type": "string"
          },
          "totalItems": {
            "type": "integer",
            "description": "Entities with a pipeline that match the filters and the caller may read in the catalog"
          }
        }
      },
      "StatusResponse": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EntityStatus"
            }
          }
        }
      },
      "SecretMetadata": {
        "type": "object",
        "required": [
          "name",
          "fingerprint",
          "updatedBy",
          "updatedAt"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "fingerprint": {
            "type": "string",
            "description": "Keyed fingerprint to compare values between phases; never the value"
          },
          "updatedBy": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string"
          }
        }
      },
      "PhaseDatabase": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "engine": {
            "type": "string",
            "maxLength": 64
          },
          "host": {
            "type": "string",
            "maxLength": 255
          },
          "port": {
            "type": "integer"
          },
          "name": {
            "type": "string",
            "maxLength": 128
          },
          "user": {
            "type": "string",
            "maxLength": 128
          },
          "passwordSecret": {
            "type": "string",
            "maxLength": 128
          }
        }
      },
      "PhaseSizing": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "replicas": {
            "type": "integer"
          },
          "cpu": {
            "type": "string",
            "maxLength": 16
          },
          "memory": {
            "type": "string",
            "maxLength": 16
          }
        }
      },
      "PhaseConfigView": {
        "type": "object",
        "required": [
          "version",
          "hash",
          "createdBy",
          "createdAt",
          "variables",
          "secrets"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "hash": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "variables": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "database": {
            "$ref": "#/components/schemas/PhaseDatabase"
          },
          "sizing": {
            "$ref": "#/components/schemas/PhaseSizing"
          },
          "secrets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SecretMetadata"
            }
          }
        }
      },
      "PutPhaseConfigRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "variables",
          "expectedVersion"
        ],
        "properties": {
          "variables": {
            "type": "object",
            "maxProperties": 200,
            "additionalProperties": {
              "type": "string",
              "maxLength": 4096
            }
          },
          "database": {
            "$ref": "#/components/schemas/PhaseDatabase"
          },
          "sizing": {
            "$ref": "#/components/schemas/PhaseSizing"
          },
          "expectedVersion": {
            "type": "integer",
            "minimum": 0
          },
          "comment": {
            "type": "string",
            "maxLength": 2000,
            "description": "Why, shown in the configuration history"
          }
        }
      },
      "PhaseConfigVersion": {
        "type": "object",
        "required": [
          "version",
          "hash",
          "createdBy",
          "createdAt"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "hash": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "change": {
            "type": "string",
            "description": "What changed, e.g. \"3 variables changed, sizing changed\""
          },
          "comment": {
            "type": "string",
            "description": "Why, as the author wrote it"
          }
        }
      },
      "SetSecretRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "value"
        ],
        "properties": {
          "value": {
            "type": "string",
            "minLength": 1,
            "maxLength": 16384
          }
        }
      },
      "ValueChange": {
        "type": "object",
        "required": [
          "key"
        ],
        "properties": {
          "key": {
            "type": "string"
          },
          "from": {},
          "to": {}
        }
      },
      "MapDiff": {
        "type": "object",
        "required": [
          "added",
          "removed",
          "changed"
        ],
        "properties": {
          "added": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ValueChange"
            }
          },
          "removed": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ValueChange"
            }
          },
          "changed": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ValueChange"
            }
          }
        }
      },
      "PhaseDiff": {
        "type": "object",
        "required": [
          "from",
          "to",
          "releases",
          "variables",
          "database",
          "sizing",
          "secrets"
        ],
        "properties": {
          "from": {
            "$ref": "#/components/schemas/DiffSide"
          },
          "to": {
            "$ref": "#/components/schemas/DiffSide"
          },
          "releases": {
            "type": "array",
            "description": "Versions the target phase would move past, oldest first",
            "items": {
              "type": "string"
            }
          },
          "variables": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "database": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "sizing": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "secrets": {
            "$ref": "#/components/schemas/MapDiff"
          }
        }
      },
      "DiffSide": {
        "type": "object",
        "required": [
          "phase",
          "version",
          "configVersion"
        ],
        "properties": {
          "phase": {
            "type": "string"
          },
          "version": {
            "type": "string",
            "nullable": true
          },
          "configVersion": {
            "type": "integer"
          }
        }
      },
      "ChangeSetRelease": {
        "type": "object",
        "required": [
          "version",
          "createdBy",
          "createdAt"
        ],
        "properties": {
          "version": {
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
            "type": "string"
          }
        }
      },
      "ChangeSetCommit": {
        "type": "object",
        "required": [
          "sha",
          "message"
        ],
        "properties": {
          "sha": {
            "type": "string"
          },
          "message": {
            "type": "string",
            "description": "The first line of the commit message"
          },
          "author": {
            "type": "string"
          },
          "date": {
            "type": "string"
          },
          "url": {
            "type": "string"
          }
        }
      },
      "ChangeSetCommits": {
        "type": "object",
        "properties": {
          "fromCommit": {
            "type": "string"
          },
          "toCommit": {
            "type": "string"
          },
          "host": {
            "type": "string",
            "enum": [
              "github",
              "gitlab",
              "bitbucket",
              "bitbucket-server"
            ]
          },
          "compareUrl": {
            "type": "string",
            "description": "The source host's comparison of the two commits"
          },
          "list": {
            "type": "array",
            "description": "The commits, where a GitHub integration covers the repository",
            "items": {
              "$ref": "#/components/schemas/ChangeSetCommit"
            }
          },
          "total": {
            "type": "integer"
          },
          "unavailable": {
            "type": "string",
            "description": "Why there is no link or list"
          }
        }
      },
      "ConfigSource": {
        "type": "string",
        "description": "Where a side's configuration was read from: the promotion's bound snapshot, the configuration version it recorded, the version in force when it was deployed (history without a snapshot), the phase's current configuration (a preview), or none (nothing runs).",
        "enum": [
          "promotion-snapshot",
          "config-version",
          "in-force-at-deploy",
          "current-config",
          "none"
        ]
      },
      "ChangeSetSide": {
        "type": "object",
        "required": [
          "version",
          "configVersion",
          "configSource"
        ],
        "properties": {
          "version": {
            "type": "string",
            "nullable": true
          },
          "commit": {
            "type": "string"
          },
          "artifact": {
            "type": "string"
          },
          "configVersion": {
            "type": "integer",
            "nullable": true
          },
          "configSource": {
            "$ref": "#/components/schemas/ConfigSource"
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
      "ChangeSetConfig": {
        "type": "object",
        "required": [
          "known",
          "variables",
          "database",
          "sizing",
          "secrets"
        ],
        "properties": {
          "known": {
            "type": "boolean",
            "description": "False when one side's configuration is not known"
          },
          "hidden": {
            "type": "boolean",
            "description": "True when the caller may not read the configuration of a phase compared here (release.config.read); the lists are empty, the summary still counts the changes"
          },
          "variables": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "database": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "sizing": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "secrets": {
            "$ref": "#/components/schemas/MapDiff"
          }
        }
      },
      "DecidedBy": {
        "type": "object",
        "required": [
          "userRef",
          "decidedAt"
        ],
        "properties": {
          "userRef": {
            "type": "string"
          },
          "decidedAt": {
            "type": "string"
          },
          "comment": {
            "type": "string"
          }
        }
      },
      "UpcomingFreeze": {
        "type": "object",
        "required": [
          "startsAt",
          "endsAt"
        ],
        "properties": {
          "reason": {
            "type": "string"
          },
          "startsAt": {
            "type": "string"
          },
          "endsAt": {
            "type": "string"
          }
        }
      },
      "ChangeSetCheck": {
        "type": "object",
        "required": [
          "name",
          "type",
          "status",
          "summary",
          "evaluatedAt"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "type": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "passed",
              "failed",
              "pending"
            ]
          },
          "summary": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "evaluatedAt": {
            "type": "string"
          }
        }
      },
      "WouldDeploy": {
        "type": "object",
        "description": "When the promotion would deploy by the time rules (schedule, freeze windows, deployment windows, soak time), as release-common's wouldDeployAt computes it",
        "required": [
          "kind",
          "blockedBy"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "now",
              "at",
              "scheduled",
              "ends",
              "never"
            ],
            "description": "now - nothing in time holds it; at - at `at` (because a freeze ends, a window opens, a soak time is over); scheduled - at its scheduled time; ends - scheduled for a time the gates will not pass, it would end then with `reason`; never - no deployment window opens outside the freezes within a year"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "because": {
            "type": "string",
            "enum": [
              "freeze",
              "window",
              "soak",
              "schedule"
            ]
          },
          "reason": {
            "type": "string"
          },
          "blockedBy": {
            "type": "array",
            "description": "What holds it that time does not lift (lock, failed checks, a busy phase); the time applies once those are resolved",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ChangeSetGates": {
        "type": "object",
        "required": [
          "approvals",
          "requires",
          "lock",
          "freeze",
          "checks",
          "approvingDeploysNow",
          "waitingFor"
        ],
        "properties": {
          "approvals": {
            "type": "object",
            "required": [
              "required",
              "count",
              "approvedBy",
              "rejectedBy",
              "voided"
            ],
            "properties": {
              "required": {
                "type": "integer"
              },
              "count": {
                "type": "integer"
              },
              "approvedBy": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/DecidedBy"
                }
              },
              "rejectedBy": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/DecidedBy"
                }
              },
              "voided": {
                "type": "array",
                "description": "Users whose decision a later change voided",
                "items": {
                  "type": "string"
                }
              }
            }
          },
          "requires": {
            "type": "object",
            "required": [
              "phase",
              "met"
            ],
            "properties": {
              "phase": {
                "type": "string",
                "nullable": true
              },
              "met": {
                "type": "boolean"
              },
              "succeededAt": {
                "type": "string"
              },
              "soakTime": {
                "type": "string"
              },
              "readyAt": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            }
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
            "type": "object",
            "required": [
              "active",
              "next"
            ],
            "properties": {
              "active": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/ActiveFreeze"
                  }
                ],
                "type": "object",
                "nullable": true
              },
              "next": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/UpcomingFreeze"
                  }
                ],
                "type": "object",
                "nullable": true
              }
            }
          },
          "checks": {
            "type": "array",
            "description": "The phase's before-deploy checks for this release, as last evaluated (evaluated again when older than 30 s)",
            "items": {
              "$ref": "#/components/schemas/ChangeSetCheck"
            }
          },
          "busyWith": {
            "type": "object",
            "required": [
              "promotionId",
              "version",
              "status"
            ],
            "properties": {
              "promotionId": {
                "type": "string"
              },
              "version": {
                "type": "string"
              },
              "status": {
                "$ref": "#/components/schemas/PromotionStatus"
              }
            }
          },
          "approvingDeploysNow": {
            "type": "boolean",
            "description": "Whether one more approval, given now, starts the deployment now"
          },
          "deployAt": {
            "$ref": "#/components/schemas/WouldDeploy"
          },
          "waitingFor": {
            "type": "array",
            "description": "Why it would not, in words",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "PhaseRef": {
        "type": "object",
        "required": [
          "id",
          "title"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          }
        }
      },
      "ChangeSet": {
        "type": "object",
        "description": "What a promotion changes, computed from what runs in the target phase (version and the configuration snapshot it was deployed with) and what the promotion deploys (its release and its bound snapshot).",
        "required": [
          "entityRef",
          "phase",
          "direction",
          "from",
          "to",
          "releases",
          "commits",
          "config",
          "gates",
          "comparedWithSource",
          "summary"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "phase": {
            "$ref": "#/components/schemas/PhaseRef"
          },
          "promotion": {
            "type": "object",
            "required": [
              "id",
              "status",
              "kind",
              "requestedBy",
              "requestedAt"
            ],
            "properties": {
              "id": {
                "type": "string"
              },
              "status": {
                "$ref": "#/components/schemas/PromotionStatus"
              },
              "kind": {
                "type": "string",
                "enum": [
                  "promote",
                  "rollback"
                ]
              },
              "requestedBy": {
                "type": "string"
              },
              "requestedAt": {
                "type": "string"
              },
              "comment": {
                "type": "string"
              }
            }
          },
          "direction": {
            "type": "string",
            "enum": [
              "upgrade",
              "rollback",
              "first_deploy",
              "same"
            ]
          },
          "from": {
            "$ref": "#/components/schemas/ChangeSetSide"
          },
          "to": {
            "$ref": "#/components/schemas/ChangeSetSide"
          },
          "releases": {
            "type": "array",
            "description": "Releases the phase moves past, in semver order",
            "items": {
              "$ref": "#/components/schemas/ChangeSetRelease"
            }
          },
          "commits": {
            "$ref": "#/components/schemas/ChangeSetCommits"
          },
          "config": {
            "$ref": "#/components/schemas/ChangeSetConfig"
          },
          "gates": {
            "$ref": "#/components/schemas/ChangeSetGates"
          },
          "comparedWithSource": {
            "type": "object",
            "nullable": true,
            "description": "The release's configuration where it was tested (the phase the target requires) against the one to deploy",
            "required": [
              "phase",
              "version",
              "configVersion",
              "configSource",
              "config"
            ],
            "properties": {
              "phase": {
                "$ref": "#/components/schemas/PhaseRef"
              },
              "version": {
                "type": "string",
                "nullable": true
              },
              "configVersion": {
                "type": "integer",
                "nullable": true
              },
              "configSource": {
                "$ref": "#/components/schemas/ConfigSource"
              },
              "config": {
                "$ref": "#/components/schemas/ChangeSetConfig"
              }
            }
          },
          "summary": {
            "type": "object",
            "required": [
              "configChanges",
              "secretChanges",
              "text"
            ],
            "properties": {
              "configChanges": {
                "type": "integer"
              },
              "secretChanges": {
                "type": "integer"
              },
              "text": {
                "type": "string",
                "description": "The line an approver confirms, e.g. \"Deploy 1.2.0 to Live, 3 config changes, 1 secret changed\""
              }
            }
          }
        }
      },
      "ConfigVersionPage": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PhaseConfigVersion"
            }
          },
          "nextCursor": {
            "type": "string"
          }
        }
      },
      "ConfigVersionView": {
        "type": "object",
        "required": [
          "version",
          "hash",
          "createdBy",
          "createdAt",
          "variables",
          "secrets"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "hash": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "change": {
            "type": "string"
          },
          "comment": {
            "type": "string"
          },
          "variables": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "database": {
            "$ref": "#/components/schemas/PhaseDatabase"
          },
          "sizing": {
            "$ref": "#/components/schemas/PhaseSizing"
          },
          "secrets": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "fingerprint"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "fingerprint": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "ConfigVersionDiff": {
        "type": "object",
        "required": [
          "from",
          "to",
          "variables",
          "database",
          "sizing",
          "secrets",
          "summary"
        ],
        "properties": {
          "from": {
            "$ref": "#/components/schemas/PhaseConfigVersion"
          },
          "to": {
            "$ref": "#/components/schemas/PhaseConfigVersion"
          },
          "variables": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "database": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "sizing": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "secrets": {
            "$ref": "#/components/schemas/MapDiff"
          },
          "summary": {
            "type": "string"
          }
        }
      },
      "RestoreConfigRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "expectedVersion"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 0,
            "description": "The version to restore (0 is the template default)"
          },
          "expectedVersion": {
            "type": "integer",
            "minimum": 0,
            "description": "The version in force the restore is based on; 409 when stale"
          },
          "comment": {
            "type": "string",
            "maxLength": 2000
          }
        }
      },
      "TrainStatus": {
        "type": "string",
        "enum": [
          "pending_approval",
          "approved",
          "deploying",
          "succeeded",
          "failed",
          "rejected",
          "cancelled",
          "rolled_back"
        ]
      },
      "TrainMember": {
        "type": "object",
        "required": [
          "entityRef",
          "order",
          "version",
          "promotionId",
          "status",
          "dependsOn"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "order": {
            "type": "integer",
            "description": "Position in the deploy order (1-based)"
          },
          "version": {
            "type": "string"
          },
          "fromVersion": {
            "type": "string",
            "description": "The version running in the phase when the train was requested"
          },
          "promotionId": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/PromotionStatus"
          },
          "progress": {
            "type": "object",
            "properties": {
              "percent": {
                "type": "number"
              },
              "message": {
                "type": "string"
              }
            }
          },
          "dependsOn": {
            "type": "array",
            "description": "The other members this member depends on (catalog dependsOn)",
            "items": {
              "type": "string"
            }
          },
          "failureReason": {
            "type": "string"
          }
        }
      },
      "TrainApproval": {
        "type": "object",
        "required": [
          "by",
          "at"
        ],
        "properties": {
          "by": {
            "type": "string"
          },
          "at": {
            "type": "string"
          },
          "comment": {
            "type": "string"
          }
        }
      },
      "Train": {
        "type": "object",
        "required": [
          "id",
          "system",
          "title",
          "phase",
          "phaseTitle",
          "status",
          "requestedBy",
          "requestedAt",
          "approvals",
          "canDecide",
          "canCancel",
          "members",
          "rollbackAvailable"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "system": {
            "type": "string",
            "description": "Entity ref of the catalog System"
          },
          "title": {
            "type": "string"
          },
          "phase": {
            "type": "string"
          },
          "phaseTitle": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/TrainStatus"
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
          "approvals": {
            "type": "object",
            "required": [
              "required",
              "given"
            ],
            "properties": {
              "required": {
                "type": "integer"
              },
              "given": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TrainApproval"
                }
              }
            }
          },
          "canDecide": {
            "type": "boolean",
            "description": "Whether the caller may approve or reject the train now"
          },
          "cannotDecideReason": {
            "type": "string",
            "description": "Why the caller may not decide, in words (e.g. \"You requested this train\")"
          },
          "canCancel": {
            "type": "boolean"
          },
          "members": {
            "type": "array",
            "description": "The members in deploy order",
            "items": {
              "$ref": "#/components/schemas/TrainMember"
            }
          },
          "stoppedBy": {
            "type": "object",
            "description": "The member whose failure stopped the train",
            "required": [
              "entityRef",
              "reason"
            ],
            "properties": {
              "entityRef": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              }
            }
          },
          "rollbackAvailable": {
            "type": "boolean",
            "description": "Members already deployed can be rolled back"
          }
        }
      },
      "TrainList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Train"
            }
          },
          "nextCursor": {
            "type": "string",
            "description": "Cursor of the next page, when there is one"
          }
        }
      },
      "TrainPlanMember": {
        "type": "object",
        "required": [
          "entityRef",
          "order",
          "dependsOn",
          "blockers"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "order": {
            "type": "integer"
          },
          "version": {
            "type": "string",
            "description": "The candidate, the newest version succeeded in the previous phase and not running in this one"
          },
          "fromVersion": {
            "type": "string"
          },
          "dependsOn": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "blockers": {
            "type": "array",
            "description": "Why this member cannot be requested now, in words (e.g. \"Stage is locked by bob\")",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "TrainPlan": {
        "type": "object",
        "required": [
          "system",
          "phase",
          "phaseTitle",
          "members",
          "canRequest",
          "reasons"
        ],
        "properties": {
          "system": {
            "type": "string"
          },
          "phase": {
            "type": "string"
          },
          "phaseTitle": {
            "type": "string"
          },
          "members": {
            "type": "array",
            "description": "Members in deploy order",
            "items": {
              "$ref": "#/components/schemas/TrainPlanMember"
            }
          },
          "canRequest": {
            "type": "boolean"
          },
          "reasons": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "TrainDefinition": {
        "type": "object",
        "required": [
          "system",
          "title",
          "phases",
          "members"
        ],
        "properties": {
          "system": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "phases": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PhaseRef"
            }
          },
          "members": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "TrainDefinitionList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TrainDefinition"
            }
          }
        }
      },
      "CreateTrainRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "system",
          "phase"
        ],
        "properties": {
          "system": {
            "type": "string",
            "minLength": 1,
            "maxLength": 512,
            "description": "Entity ref of the catalog System"
          },
          "phase": {
            "type": "string",
            "pattern": "^[a-z][a-z0-9-]{0,62}$"
          },
          "members": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "description": "Members and versions; default the plan's candidates",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "entityRef",
                "version"
              ],
              "properties": {
                "entityRef": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 512
                },
                "version": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 128,
                  "pattern": "^[0-9A-Za-z][0-9A-Za-z.+-]*$"
                }
              }
            }
          },
          "comment": {
            "type": "string",
            "maxLength": 2000
          }
        }
      },
      "TrainDecisionRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "comment": {
            "type": "string",
            "maxLength": 2000
          }
        }
      },
      "TrainChanges": {
        "type": "object",
        "required": [
          "members"
        ],
        "properties": {
          "members": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "entityRef",
                "changes"
              ],
              "properties": {
                "entityRef": {
                  "type": "string"
                },
                "changes": {
                  "$ref": "#/components/schemas/ChangeSet"
                }
              }
            }
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
        "description": "The entity's phases in order, each with its current release, active and pending promotions, lock and freeze state, gate summary, and what the caller may do there (with the reason when not).",
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
    },
    "/entities/{kind}/{namespace}/{name}/releases/{version}/plan": {
      "patch": {
        "operationId": "UpdateReleasePlan",
        "description": "Set or clear planned target dates per phase (planned, not enforced; recorded in the history). Allowed to those who may create releases.",
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
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateReleasePlanRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The release with its new plan",
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
    },
    "/entities/{kind}/{namespace}/{name}/metrics": {
      "get": {
        "operationId": "GetEntityMetrics",
        "description": "DORA delivery metrics of the entity over a period, from the plugin's own history, with a trend series.",
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
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "$ref": "#/components/parameters/bucket"
          }
        ],
        "responses": {
          "200": {
            "description": "The metrics",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MetricsResponse"
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
    "/metrics": {
      "get": {
        "operationId": "GetGroupMetrics",
        "description": "DORA delivery metrics over all entities with a pipeline that match the filters and that the caller may read in the catalog. At least one filter is required.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "name": "owner",
            "in": "query",
            "required": false,
            "description": "Owner entity ref (e.g. group:default/payments) as in spec.owner",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "system",
            "in": "query",
            "required": false,
            "description": "System entity ref or name as in spec.system",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "pipeline",
            "in": "query",
            "required": false,
            "description": "Pipeline template name (the entity annotation's value)",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          },
          {
            "$ref": "#/components/parameters/from"
          },
          {
            "$ref": "#/components/parameters/to"
          },
          {
            "$ref": "#/components/parameters/bucket"
          }
        ],
        "responses": {
          "200": {
            "description": "The metrics",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MetricsResponse"
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
    "/entities/{kind}/{namespace}/{name}/promotions": {
      "post": {
        "operationId": "CreatePromotion",
        "description": "Request a promotion of a release into a phase. Honours Idempotency-Key.",
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
            "$ref": "#/components/parameters/idempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreatePromotionRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The promotion, as requested or as first requested with the same Idempotency-Key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "get": {
        "operationId": "ListPromotions",
        "description": "Promotions of the entity, newest first.",
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
            "name": "phase",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/PromotionStatus"
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          }
        ],
        "responses": {
          "200": {
            "description": "Promotions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionList"
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
    "/promotions/{id}": {
      "get": {
        "operationId": "GetPromotion",
        "description": "One promotion with its approvals, config snapshot and provider status.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "responses": {
          "200": {
            "description": "The promotion",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/promotions/{id}/approve": {
      "post": {
        "operationId": "ApprovePromotion",
        "description": "Approve a promotion (users only, never the requester unless the phase allows it).",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DecisionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The promotion after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/promotions/{id}/reject": {
      "post": {
        "operationId": "RejectPromotion",
        "description": "Reject a promotion; a comment is required.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DecisionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The promotion after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/promotions/{id}/schedule": {
      "put": {
        "operationId": "SchedulePromotion",
        "description": "Re-schedule a promotion that has not been queued (deployers of the phase and its requester).",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScheduleRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The re-scheduled promotion",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/promotions/{id}/cancel": {
      "post": {
        "operationId": "CancelPromotion",
        "description": "Cancel a promotion that has not started deploying.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CommentRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The cancelled promotion",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/approvals": {
      "get": {
        "operationId": "ListApprovals",
        "description": "The inbox, every promotion waiting for a decision the calling user may make (including those whose approvals were voided and wait for approval again), newest request first, paginated.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "pending"
              ]
            }
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
            "description": "Promotions waiting for the caller",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionList"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/rollback": {
      "post": {
        "operationId": "RollbackPhase",
        "description": "Redeploy the previous (or the given) good release of a phase through the same gates.",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "$ref": "#/components/parameters/idempotencyKey"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RollbackRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The rollback promotion",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromotionDetail"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/lock": {
      "put": {
        "operationId": "LockPhase",
        "description": "Lock a phase with a reason.",
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
            "$ref": "#/components/parameters/phase"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LockRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The lock",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhaseLock"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "delete": {
        "operationId": "UnlockPhase",
        "description": "Remove a phase lock.",
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
            "$ref": "#/components/parameters/phase"
          }
        ],
        "responses": {
          "204": {
            "description": "Unlocked"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/history": {
      "get": {
        "operationId": "GetHistory",
        "description": "The append-only ledger of the entity, newest first.",
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
            "name": "phase",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
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
            "description": "A page of history",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HistoryPage"
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
    "/callbacks/{provider}": {
      "post": {
        "operationId": "ProviderCallback",
        "description": "Signed status callback from a provider (the only route without Backstage credentials). Headers X-Release-Timestamp (unix seconds) and X-Release-Signature (sha256=HMAC-SHA256(secret, \"<timestamp>.<raw body>\")); body {promotionId, status: running|succeeded|failed, externalId?, url?, message?, progress?}. A signed message is accepted once; replays are refused with 409.",
        "security": [
          {}
        ],
        "parameters": [
          {
            "name": "provider",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "enum": [
                "webhook"
              ]
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "promotionId"
                ],
                "properties": {
                  "promotionId": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "pending",
                      "running",
                      "succeeded",
                      "failed"
                    ]
                  },
                  "externalId": {
                    "type": "string"
                  },
                  "url": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  },
                  "progress": {
                    "type": "number"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "204": {
            "description": "Accepted"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/portfolio": {
      "get": {
        "operationId": "GetPortfolio",
        "description": "Every entity with a release pipeline that the caller may read in the catalog, with its phases (current version, deployment in progress, waiting approvals); filtered by owner, system, lifecycle and text, paginated by the catalog's cursor. As CSV (every matching entity, one row per phase) with `format=csv` or `Accept: text/csv`.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "name": "owner",
            "in": "query",
            "required": false,
            "description": "Owner entity ref (a bare name means a group in the default namespace)",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "system",
            "in": "query",
            "required": false,
            "description": "System entity ref (a bare name means a system in the default namespace)",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "lifecycle",
            "in": "query",
            "required": false,
            "description": "The entity's spec.lifecycle, e.g. production",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          },
          {
            "name": "q",
            "in": "query",
            "required": false,
            "description": "Text in the entity's name, title, owner or system",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Page size (1 to 200, default 50)",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200
            }
          },
          {
            "$ref": "#/components/parameters/portfolioCursor"
          },
          {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "csv for a CSV file of every matching entity (one row per phase)",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of entities with their phases",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PortfolioPage"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
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
    "/status": {
      "post": {
        "operationId": "GetStatus",
        "description": "Phase summary of up to 500 entities in one call; entities the caller may not read are left out.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StatusRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Per-entity phase summaries",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/StatusResponse"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config": {
      "get": {
        "operationId": "GetPhaseConfig",
        "description": "The phase configuration in force; secrets as name and fingerprint only.",
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
            "$ref": "#/components/parameters/phase"
          }
        ],
        "responses": {
          "200": {
            "description": "The configuration",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhaseConfigView"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "put": {
        "operationId": "PutPhaseConfig",
        "description": "Replace variables, database and sizing; 409 when expectedVersion is stale. Waiting promotions of the phase lose their approvals.",
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
            "$ref": "#/components/parameters/phase"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PutPhaseConfigRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhaseConfigVersion"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/secrets/{secret}": {
      "put": {
        "operationId": "SetPhaseSecret",
        "description": "Set a secret; the value is encrypted and never returned.",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "$ref": "#/components/parameters/secret"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SetSecretRequest"
              }
            }
          }
        },
        "responses": {
          "204": {
            "description": "Set"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "delete": {
        "operationId": "DeletePhaseSecret",
        "description": "Remove a secret.",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "$ref": "#/components/parameters/secret"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/diff": {
      "get": {
        "operationId": "GetPhaseDiff",
        "description": "What differs between two phases — versions, releases between, variables, database, sizing and secrets (by fingerprint).",
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
            "name": "from",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The differences",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhaseDiff"
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
    "/promotions/{id}/changes": {
      "get": {
        "operationId": "GetPromotionChanges",
        "description": "The change set of a promotion: the version move and the releases in between with their notes, the commits, the configuration and secret (fingerprint) changes from what runs in the target phase to the promotion's bound snapshot, the gates as they stand now, and the comparison with the phase where it was tested.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/promotionId"
          }
        ],
        "responses": {
          "200": {
            "description": "The change set",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeSet"
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
    "/entities/{kind}/{namespace}/{name}/changes": {
      "get": {
        "operationId": "PreviewChanges",
        "description": "The change set a promotion of a release into a phase would have if it were requested now (the phase's current configuration as the one to deploy).",
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
            "name": "version",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          },
          {
            "name": "phase",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The change set",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeSet"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/versions": {
      "get": {
        "operationId": "ListPhaseConfigVersions",
        "description": "The versions of the phase configuration, newest first, with author, time, what changed and comment; version 0 (the template default) ends the list.",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "cursor",
            "in": "query",
            "required": false,
            "description": "The nextCursor of the previous page",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,9}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of versions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigVersionPage"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/versions/{configVersion}": {
      "get": {
        "operationId": "GetPhaseConfigVersion",
        "description": "One version of the phase configuration; secrets as name and fingerprint only.",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "name": "configVersion",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 1000000000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigVersionView"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/diff": {
      "get": {
        "operationId": "DiffPhaseConfigVersions",
        "description": "What differs between two versions of the phase configuration (secrets by fingerprint).",
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
            "$ref": "#/components/parameters/phase"
          },
          {
            "name": "from",
            "in": "query",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 1000000000
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 1000000000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The differences",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigVersionDiff"
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
    "/entities/{kind}/{namespace}/{name}/phases/{phase}/config/restore": {
      "post": {
        "operationId": "RestorePhaseConfigVersion",
        "description": "Makes an old version the configuration in force again, as a new version (same access, audit and ledger as a replace; 409 when expectedVersion is stale). Secrets keep their current values.",
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
            "$ref": "#/components/parameters/phase"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RestoreConfigRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PhaseConfigVersion"
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
    "/train-definitions": {
      "get": {
        "operationId": "ListTrainDefinitions",
        "description": "The trains configured in release.trains.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "responses": {
          "200": {
            "description": "Train definitions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainDefinitionList"
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
    "/entities/{kind}/{namespace}/{name}/train-plan": {
      "get": {
        "operationId": "GetTrainPlan",
        "description": "Preview of a train of a System into a phase, members in deploy order with candidates and blockers.",
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
            "name": "phase",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The plan",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainPlan"
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
    "/entities/{kind}/{namespace}/{name}/trains": {
      "get": {
        "operationId": "ListEntityTrains",
        "description": "Trains with this entity as a member or as the system, newest first.",
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
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "all"
              ]
            }
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
            "description": "Trains",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainList"
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
    "/trains": {
      "post": {
        "operationId": "CreateTrain",
        "description": "Request a train, one promotion per member through the same gates. Honours Idempotency-Key.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/idempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateTrainRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The train, as requested or as first requested with the same Idempotency-Key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "get": {
        "operationId": "ListTrains",
        "description": "Trains, newest first.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "name": "system",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "maxLength": 512
            }
          },
          {
            "name": "entity",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "maxLength": 512
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "all"
              ]
            }
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
            "description": "Trains",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainList"
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
    "/trains/{id}": {
      "get": {
        "operationId": "GetTrain",
        "description": "One train with its members in deploy order.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "responses": {
          "200": {
            "description": "The train",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
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
    "/trains/{id}/changes": {
      "get": {
        "operationId": "GetTrainChanges",
        "description": "The change set of every member promotion.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "responses": {
          "200": {
            "description": "The change sets",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TrainChanges"
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
    "/trains/{id}/approve": {
      "post": {
        "operationId": "ApproveTrain",
        "description": "One approval covering every member (never the requester; the approver must be allowed on the phase for every member).",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrainDecisionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The train after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
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
    "/trains/{id}/reject": {
      "post": {
        "operationId": "RejectTrain",
        "description": "Reject the train (every member); a comment is required.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrainDecisionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The train after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
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
    "/trains/{id}/cancel": {
      "post": {
        "operationId": "CancelTrain",
        "description": "Cancel the members that have not started deploying.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrainDecisionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The cancelled train",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
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
    "/trains/{id}/rollback": {
      "post": {
        "operationId": "RollbackTrain",
        "description": "Roll back the members already deployed, in reverse order, through the normal rollback path.",
        "security": [
          {},
          {
            "JWT": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/trainId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TrainDecisionRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The train with its rollback promotions requested",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Train"
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
