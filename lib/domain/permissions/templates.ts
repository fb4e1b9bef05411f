import type { PermissionRuleInput } from "./schemas";

/** Common rule shapes an admin can append to an agent in one step. Plain data: the console lists them. */
export const RULE_TEMPLATES = {
  "read-only-data": {
    name: "Read-only data agent",
    description: "May read any data; may never write or delete it.",
    rules: [
      { effect: "allow", action: "data:read", resource: "*", description: "Read-only data agent" },
      { effect: "deny", action: "data:write", resource: "*", description: "Read-only data agent" },
      { effect: "deny", action: "data:delete", resource: "*", description: "Read-only data agent" },
    ],
  },
  "no-external-tools": {
    name: "No external tools",
    description: "Denies tools that reach outside the company: web, HTTP, e-mail and messaging.",
    rules: ["web.*", "http.*", "email.*", "slack.*"].map((resource) => ({
      effect: "deny",
      action: "tool:invoke",
      resource,
      description: "No external tools",
    })),
  },
  "cheap-models": {
    name: "Small models, capped cost",
    description: "Allows only mini/flash/haiku models, at most $0.50 per call.",
    rules: ["*mini*", "*flash*", "*haiku*"].map((resource) => ({
      effect: "allow",
      action: "model:use",
      resource,
      maxCostPerCallUsd: 0.5,
      description: "Small models, capped cost",
    })),
  },
  "business-hours": {
    name: "Business hours only",
    description: "Allows tool calls Monday to Friday, 08:00–18:00 UTC (edit the rule to change the time zone).",
    rules: [
      {
        effect: "allow",
        action: "tool:invoke",
        resource: "*",
        allowedHours: { from: "08:00", to: "18:00", timeZone: "UTC", days: [1, 2, 3, 4, 5] },
        description: "Business hours only",
      },
    ],
  },
} satisfies Record<string, { name: string; description: string; rules: PermissionRuleInput[] }>;

export type RuleTemplateId = keyof typeof RULE_TEMPLATES;
