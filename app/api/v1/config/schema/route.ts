import { z } from "zod";
import { ConfigDocumentSchema } from "@/lib/domain/config/schemas";
import { personRoute } from "@/lib/http/route";

const jsonSchema = z.toJSONSchema(ConfigDocumentSchema, { io: "input", unrepresentable: "any" });

export const GET = personRoute(
  {
    tags: ["config"],
    summary: "The configuration document's JSON Schema (draft 2020-12), generated from the same schemas the API checks",
    response: z.record(z.string(), z.unknown()),
  },
  async () => jsonSchema,
);
