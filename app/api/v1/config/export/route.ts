import { z } from "zod";
import { configAsYaml } from "@/lib/domain/config/document";
import { exportConfig } from "@/lib/domain/config/plan-config";
import { personRoute } from "@/lib/http/route";

export const GET = personRoute(
  {
    tags: ["config"],
    summary: "The live configuration as a document (admins and auditors): planning it shows no changes",
    description:
      "Teams, agents with their live config and rules, budgets, environment policies, prices in force and webhook endpoints (never secrets), matched by slug or name.",
    query: z.object({ format: z.enum(["json", "yaml"]).default("json") }),
    response: {
      description: "The configuration document",
      content: {
        "application/json": z
          .record(z.string(), z.unknown())
          .meta({ description: "A configuration document: its JSON Schema is at GET /api/v1/config/schema" }),
        "application/yaml": z.string(),
      },
    },
  },
  async ({ actor, query }) => {
    const doc = await exportConfig(actor);
    if (query.format === "json") return doc;
    return new Response(configAsYaml(doc), {
      headers: {
        "content-type": "application/yaml; charset=utf-8",
        "content-disposition": 'inline; filename="acp.yaml"',
      },
    });
  },
);
